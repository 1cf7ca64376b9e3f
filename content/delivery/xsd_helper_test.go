package delivery_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// No XML Schema validator is available as a Go module here, so the
// sitemaps are checked by a small interpreter of the XSD constructs the
// three published schemas in testdata use (sitemap.xsd, siteindex.xsd and
// sitemap-news.xsd): global and local elements (by name, type or ref) with
// minOccurs and maxOccurs in sequences, xsd:any namespace="##other" with
// strict processing, named and anonymous simple types restricting
// xsd:string, xsd:anyURI, xsd:decimal, xsd:date and xsd:dateTime with the
// facets minLength, maxLength, enumeration, pattern, minInclusive and
// maxInclusive, and unions of them. It reads the constraints from the
// schema files themselves and refuses a schema construct it does not know,
// so a schema it cannot judge fails the test rather than passing it. Where
// xmllint (libxml2) is installed, checkSitemapXML runs it as well.

const xsdNS = "http://www.w3.org/2001/XMLSchema"

// xnode is an element of a parsed document: its resolved name, attributes,
// children and text.
type xnode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []xnode    `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n xnode) attr(local string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// xsdSchema is one loaded schema document.
type xsdSchema struct {
	target   string
	prefixes map[string]string // prefix ("" for the default) → namespace
	root     xnode
}

// xsdSet is the schemas a document is checked against.
type xsdSet struct {
	schemas  []*xsdSchema
	elements map[xml.Name]*xsdDecl // global elements
	types    map[xml.Name]*xsdDecl // global simple and complex types
}

// xsdDecl is a global declaration and the schema it belongs to.
type xsdDecl struct {
	s    *xsdSchema
	node xnode
}

// loadXSD reads schema files from testdata.
func loadXSD(tb testing.TB, files ...string) *xsdSet {
	tb.Helper()
	set := &xsdSet{elements: map[xml.Name]*xsdDecl{}, types: map[xml.Name]*xsdDecl{}}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			tb.Fatal(err)
		}
		var root xnode
		if err := xml.Unmarshal(b, &root); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		if root.XMLName != (xml.Name{Space: xsdNS, Local: "schema"}) {
			tb.Fatalf("%s is not an XML Schema", f)
		}
		s := &xsdSchema{prefixes: map[string]string{}, root: root}
		s.target, _ = root.attr("targetNamespace")
		if form, _ := root.attr("elementFormDefault"); form != "qualified" {
			tb.Fatalf("%s: only elementFormDefault=qualified is understood", f)
		}
		for _, a := range root.Attrs {
			switch {
			case a.Name.Space == "xmlns":
				s.prefixes[a.Name.Local] = a.Value
			case a.Name.Space == "" && a.Name.Local == "xmlns":
				s.prefixes[""] = a.Value
			}
		}
		set.schemas = append(set.schemas, s)
		for _, d := range root.Nodes {
			name, _ := d.attr("name")
			switch d.XMLName.Local {
			case "element":
				set.elements[xml.Name{Space: s.target, Local: name}] = &xsdDecl{s, d}
			case "complexType", "simpleType":
				set.types[xml.Name{Space: s.target, Local: name}] = &xsdDecl{s, d}
			case "annotation", "import":
			default:
				tb.Fatalf("%s: top-level xsd:%s is not understood", f, d.XMLName.Local)
			}
		}
	}
	return set
}

// qname resolves a QName written in schema s.
func (s *xsdSchema) qname(v string) xml.Name {
	prefix, local, ok := strings.Cut(v, ":")
	if !ok {
		prefix, local = "", v
	}
	return xml.Name{Space: s.prefixes[prefix], Local: local}
}

// validate checks the document doc against the set; it returns every
// violation found.
func (set *xsdSet) validate(doc []byte) []string {
	var root xnode
	if err := xml.Unmarshal(doc, &root); err != nil {
		return []string{"not well-formed: " + err.Error()}
	}
	v := &xsdRun{set: set}
	d, ok := set.elements[root.XMLName]
	if !ok {
		return []string{fmt.Sprintf("no global element declaration for the root {%s}%s", root.XMLName.Space, root.XMLName.Local)}
	}
	v.element(d.s, d.node, root, "/"+root.XMLName.Local)
	return v.errs
}

type xsdRun struct {
	set  *xsdSet
	errs []string
}

func (v *xsdRun) fail(path, format string, args ...any) {
	v.errs = append(v.errs, path+": "+fmt.Sprintf(format, args...))
}

// element checks instance node n against the element declaration decl of
// schema s.
func (v *xsdRun) element(s *xsdSchema, decl, n xnode, path string) {
	for _, a := range n.Attrs {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") ||
			a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" {
			continue
		}
		v.fail(path, "attribute %s is not declared", a.Name.Local)
	}
	if t, ok := decl.attr("type"); ok {
		qn := s.qname(t)
		if qn.Space == xsdNS {
			v.simpleText(s, xnode{XMLName: xml.Name{Space: xsdNS, Local: "restriction"}, Attrs: []xml.Attr{{Name: xml.Name{Local: "base"}, Value: t}}}, n, path)
			return
		}
		td, ok := v.set.types[qn]
		if !ok {
			v.fail(path, "unknown type %s", t)
			return
		}
		v.typed(td.s, td.node, n, path)
		return
	}
	for _, c := range decl.Nodes {
		switch c.XMLName.Local {
		case "annotation":
		case "complexType", "simpleType":
			v.typed(s, c, n, path)
			return
		default:
			v.fail(path, "schema construct xsd:%s in an element is not understood", c.XMLName.Local)
			return
		}
	}
	v.fail(path, "element declaration without a type is not understood")
}

// typed checks n against a complexType or simpleType node.
func (v *xsdRun) typed(s *xsdSchema, t, n xnode, path string) {
	if t.XMLName.Local == "simpleType" {
		v.simpleText(s, t, n, path)
		return
	}
	var seq *xnode
	for i, c := range t.Nodes {
		switch c.XMLName.Local {
		case "annotation":
		case "sequence":
			seq = &t.Nodes[i]
		default:
			v.fail(path, "schema construct xsd:%s in a complexType is not understood", c.XMLName.Local)
			return
		}
	}
	if strings.TrimSpace(n.Text) != "" {
		v.fail(path, "text %q in element-only content", strings.TrimSpace(n.Text))
	}
	if seq == nil {
		if len(n.Nodes) > 0 {
			v.fail(path, "no child elements are allowed")
		}
		return
	}
	kids := n.Nodes
	for _, p := range seq.Nodes {
		if p.XMLName.Local == "annotation" {
			continue
		}
		minOcc, maxOcc := occurs(p)
		count := 0
	scan:
		for len(kids) > 0 && (maxOcc < 0 || count < maxOcc) {
			k := kids[0]
			kpath := path + "/" + k.XMLName.Local
			switch p.XMLName.Local {
			case "element":
				if ref, ok := p.attr("ref"); ok {
					qn := s.qname(ref)
					if k.XMLName != qn {
						break scan
					}
					g, ok := v.set.elements[qn]
					if !ok {
						v.fail(kpath, "no declaration for the referenced element %s", ref)
					} else {
						v.element(g.s, g.node, k, kpath)
					}
				} else {
					name, _ := p.attr("name")
					if k.XMLName != (xml.Name{Space: s.target, Local: name}) {
						break scan
					}
					v.element(s, p, k, kpath)
				}
			case "any":
				if ns, _ := p.attr("namespace"); ns != "##other" {
					v.fail(path, "xsd:any namespace=%q is not understood", ns)
					return
				}
				if k.XMLName.Space == s.target || k.XMLName.Space == "" {
					break scan
				}
				g, ok := v.set.elements[k.XMLName]
				if pc, _ := p.attr("processContents"); pc != "strict" {
					v.fail(path, "xsd:any processContents=%q is not understood", pc)
					return
				}
				if !ok {
					v.fail(kpath, "{%s}%s matches xsd:any (strict) but no schema declares it", k.XMLName.Space, k.XMLName.Local)
				} else {
					v.element(g.s, g.node, k, kpath)
				}
			default:
				v.fail(path, "schema construct xsd:%s in a sequence is not understood", p.XMLName.Local)
				return
			}
			kids = kids[1:]
			count++
		}
		if count < minOcc {
			what, _ := p.attr("name")
			if what == "" {
				what, _ = p.attr("ref")
			}
			if what == "" {
				what = "xsd:" + p.XMLName.Local
			}
			v.fail(path, "expected at least %d %s, found %d", minOcc, what, count)
		}
	}
	for _, k := range kids {
		v.fail(path+"/"+k.XMLName.Local, "element {%s}%s is not allowed here", k.XMLName.Space, k.XMLName.Local)
	}
}

// occurs returns minOccurs and maxOccurs of a particle (-1: unbounded).
func occurs(p xnode) (int, int) {
	minOcc, maxOcc := 1, 1
	if v, ok := p.attr("minOccurs"); ok {
		minOcc, _ = strconv.Atoi(v)
	}
	if v, ok := p.attr("maxOccurs"); ok {
		if v == "unbounded" {
			maxOcc = -1
		} else {
			maxOcc, _ = strconv.Atoi(v)
		}
	}
	return minOcc, maxOcc
}

// simpleText checks n's text against a simpleType node (or a bare
// restriction of a built-in type).
func (v *xsdRun) simpleText(s *xsdSchema, t, n xnode, path string) {
	if len(n.Nodes) > 0 {
		v.fail(path, "child elements in simple content")
		return
	}
	if err := v.simpleValue(s, t, n.Text); err != nil {
		v.fail(path, "%q: %v", n.Text, err)
	}
}

// simpleValue checks a value against a simpleType, restriction or union
// node of schema s.
func (v *xsdRun) simpleValue(s *xsdSchema, t xnode, value string) error {
	switch t.XMLName.Local {
	case "simpleType":
		for _, c := range t.Nodes {
			if c.XMLName.Local != "annotation" {
				return v.simpleValue(s, c, value)
			}
		}
		return fmt.Errorf("empty simpleType")
	case "union":
		var errs []string
		for _, c := range t.Nodes {
			if c.XMLName.Local == "annotation" {
				continue
			}
			err := v.simpleValue(s, c, value)
			if err == nil {
				return nil
			}
			errs = append(errs, err.Error())
		}
		if _, ok := t.attr("memberTypes"); ok {
			return fmt.Errorf("union memberTypes is not understood")
		}
		return fmt.Errorf("matches no member of the union (%s)", strings.Join(errs, "; "))
	case "restriction":
		base, _ := t.attr("base")
		qn := s.qname(base)
		if qn.Space != xsdNS {
			td, ok := v.set.types[qn]
			if !ok {
				return fmt.Errorf("unknown base type %s", base)
			}
			if err := v.simpleValue(td.s, td.node, value); err != nil {
				return err
			}
		} else if err := builtin(qn.Local, value); err != nil {
			return err
		}
		if qn.Space == xsdNS && qn.Local != "string" {
			value = strings.Join(strings.Fields(value), " ") // whiteSpace collapse
		}
		var enum []string
		for _, f := range t.Nodes {
			fv, _ := f.attr("value")
			switch f.XMLName.Local {
			case "annotation":
			case "minLength", "maxLength":
				limit, _ := strconv.Atoi(fv)
				l := utf8.RuneCountInString(value)
				if (f.XMLName.Local == "minLength" && l < limit) || (f.XMLName.Local == "maxLength" && l > limit) {
					return fmt.Errorf("length %d breaks %s %d", l, f.XMLName.Local, limit)
				}
			case "enumeration":
				enum = append(enum, fv)
			case "pattern":
				re, err := regexp.Compile("^(?:" + fv + ")$")
				if err != nil {
					return fmt.Errorf("pattern %q is not understood: %v", fv, err)
				}
				if !re.MatchString(value) {
					return fmt.Errorf("does not match the pattern %s", fv)
				}
			case "minInclusive", "maxInclusive":
				x, ok1 := new(big.Rat).SetString(value)
				lim, ok2 := new(big.Rat).SetString(fv)
				if !ok1 || !ok2 {
					return fmt.Errorf("%s on a value that is not a number", f.XMLName.Local)
				}
				if c := x.Cmp(lim); (f.XMLName.Local == "minInclusive" && c < 0) || (f.XMLName.Local == "maxInclusive" && c > 0) {
					return fmt.Errorf("breaks %s %s", f.XMLName.Local, fv)
				}
			default:
				return fmt.Errorf("facet xsd:%s is not understood", f.XMLName.Local)
			}
		}
		if enum != nil {
			for _, e := range enum {
				if e == value {
					return nil
				}
			}
			return fmt.Errorf("is not one of %q", enum)
		}
		return nil
	}
	return fmt.Errorf("simple type construct xsd:%s is not understood", t.XMLName.Local)
}

var (
	xsdDecimal  = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)$`)
	xsdDate     = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$`)
	xsdDateTime = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$`)
)

// builtin checks the lexical space of the built-in types the schemas use
// (years before 1000 and negative years, which XSD allows, are left out).
func builtin(name, value string) error {
	v := strings.TrimSpace(value)
	switch name {
	case "string":
		return nil
	case "anyURI":
		if _, err := url.Parse(v); err != nil {
			return fmt.Errorf("not an anyURI: %v", err)
		}
		return nil
	case "decimal":
		if !xsdDecimal.MatchString(v) {
			return fmt.Errorf("not a decimal")
		}
		return nil
	case "date":
		m := xsdDate.FindStringSubmatch(v)
		if m == nil {
			return fmt.Errorf("not a date")
		}
		if _, err := time.Parse("2006-01-02", m[1]+"-"+m[2]+"-"+m[3]); err != nil {
			return fmt.Errorf("not a date: %v", err)
		}
		return zone(m[4])
	case "dateTime":
		m := xsdDateTime.FindStringSubmatch(v)
		if m == nil {
			return fmt.Errorf("not a dateTime")
		}
		if _, err := time.Parse("2006-01-02T15:04:05", strings.Join(m[1:4], "-")+"T"+strings.Join(m[4:7], ":")); err != nil &&
			!(m[4] == "24" && m[5] == "00" && m[6] == "00") {
			return fmt.Errorf("not a dateTime: %v", err)
		}
		return zone(m[8])
	}
	return fmt.Errorf("built-in type xsd:%s is not understood", name)
}

func zone(z string) error {
	if z == "" || z == "Z" {
		return nil
	}
	h, _ := strconv.Atoi(z[1:3])
	m, _ := strconv.Atoi(z[4:6])
	if m > 59 || h > 14 || (h == 14 && m > 0) {
		return fmt.Errorf("zone %s out of range", z)
	}
	return nil
}

// checkSitemapXML fails the test unless body is a valid sitemap (a urlset,
// with or without news tags) or sitemap index by the published schemas.
func checkSitemapXML(tb testing.TB, body []byte) {
	tb.Helper()
	var files []string
	var lint string
	switch {
	case bytes.Contains(body, []byte("<sitemapindex")):
		files, lint = []string{"siteindex.xsd"}, "siteindex.xsd"
	default:
		files, lint = []string{"sitemap.xsd", "sitemap-news.xsd"}, "urlset-with-news.xsd"
	}
	if errs := loadXSD(tb, files...).validate(body); len(errs) > 0 {
		tb.Errorf("not valid by %s:\n  %s\n%s", strings.Join(files, " and "), strings.Join(errs, "\n  "), body)
	}
	xmllint(tb, lint, body)
}

// xmllint validates body with libxml2's xmllint against a schema in
// testdata when xmllint is installed (Debian's libxml2-utils).
func xmllint(tb testing.TB, schema string, body []byte) {
	tb.Helper()
	path, err := exec.LookPath("xmllint")
	if err != nil {
		return
	}
	cmd := exec.Command(path, "--noout", "--nonet", "--schema", filepath.Join("testdata", schema), "-")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Errorf("xmllint --schema %s: %v\n%s\n%s", schema, err, out, body)
	}
}
