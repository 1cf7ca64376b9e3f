package delivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"dateline/content"
	"dateline/content/delivery"
)

const ninjsSchemaID = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"

// ninjsSchema compiles the official ninjs 2.1 schema from testdata, with
// formats (uri, date-time) asserted.
func ninjsSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/ninjs-2.1.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(ninjsSchemaID, doc); err != nil {
		t.Fatal(err)
	}
	// The schema refers to GeoJSON for places[].geojson, which Dateline
	// never writes; an object stands in so that nothing is fetched.
	if err := c.AddResource("https://geojson.org/schema/GeoJSON.json", map[string]any{"type": "object"}); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(ninjsSchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateNinjs(t *testing.T, sch *jsonschema.Schema, body []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return sch.Validate(inst)
}

type ninjsDoc struct {
	URI            string `json:"uri"`
	Type           string `json:"type"`
	Version        string `json:"version"`
	FirstCreated   string `json:"firstcreated"`
	VersionCreated string `json:"versioncreated"`
	PubStatus      string `json:"pubstatus"`
	Expires        string `json:"expires"`
	Language       string `json:"language"`
	Headlines      []struct{ Value string }
	Descriptions   []struct{ Value string }
	Bodies         []struct {
		ContentType string `json:"contenttype"`
		Value       string
	}
	By           string
	Located      string
	Subjects     []struct{ Name, Literal string }
	Associations []struct {
		Name            string
		URI             string
		By              string
		CopyrightNotice string `json:"copyrightnotice"`
	}
}

func TestNinjsResponsesValidateAgainstTheOfficialSchema(t *testing.T) {
	env := newEnv(t, delivery.Options{ArticleURL: "https://gazette.example.com/news/{slug}"})
	s := env.seed(t)
	sch := ninjsSchema(t)
	for _, slug := range []string{s.nasty, s.weather, s.old} {
		t.Run(slug+" is a valid ninjs 2.1 item", func(t *testing.T) {
			rec := env.get(t, "/api/v1/articles/"+slug+"?format=ninjs")
			if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
				t.Fatalf("%d %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			if err := validateNinjs(t, sch, rec.Body.Bytes()); err != nil {
				t.Errorf("invalid ninjs: %v\n%s", err, rec.Body)
			}
		})
	}

	var doc ninjsDoc
	if err := json.Unmarshal(env.get(t, "/api/v1/articles/"+s.nasty+"?format=ninjs").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"uri is the id as a URN", strings.HasPrefix(doc.URI, "urn:uuid:")},
		{"type is text and pubstatus usable", doc.Type == "text" && doc.PubStatus == "usable"},
		{"version is the edit version", doc.Version == "1"},
		{"firstcreated is the first publication", doc.FirstCreated == now.Add(-time.Hour).Format(time.RFC3339)},
		{"versioncreated is the last change", doc.VersionCreated == now.Format(time.RFC3339)},
		{"expires is unpublish_at", doc.Expires == now.Add(30*24*time.Hour).Format(time.RFC3339)},
		{"language is the site's", doc.Language == "en"},
		{"the headline is kept as it is", len(doc.Headlines) == 1 && doc.Headlines[0].Value == nastyHeadline},
		{"the standfirst is the description", len(doc.Descriptions) == 1 && doc.Descriptions[0].Value == "Lead of "+nastyHeadline},
		{"bodies are HTML and plain text", len(doc.Bodies) == 2 && doc.Bodies[0].ContentType == "text/html" && doc.Bodies[1].ContentType == "text/plain" &&
			strings.Contains(doc.Bodies[0].Value, "<p>") && !strings.Contains(doc.Bodies[1].Value, "<p>")},
		{"by is the byline", doc.By == "By Marta Quell"},
		{"located is the dateline place", doc.Located == "PORT ELLIS"},
		{"subjects are the tags", len(doc.Subjects) == 1 && doc.Subjects[0].Name == "Harbour" && doc.Subjects[0].Literal == "harbour"},
		{"the photo's credit is its by and copyright notice", len(doc.Associations) == 1 && doc.Associations[0].By == "© Ann Lee/Agency" &&
			doc.Associations[0].CopyrightNotice == "© Ann Lee/Agency" && doc.Associations[0].URI == "https://images.example.org/quay.jpg"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: %+v", c.name, doc)
		}
	}
}

func TestNinjsSchemaRefusesWhatIsNotNinjs(t *testing.T) {
	sch := ninjsSchema(t)
	tests := []struct{ name, doc string }{
		{"an item without uri", `{"type":"text"}`},
		{"an unknown pubstatus", `{"uri":"urn:x:1","pubstatus":"published"}`},
		{"a property ninjs does not have", `{"uri":"urn:x:1","status":"published"}`},
		{"a headline without value", `{"uri":"urn:x:1","headlines":[{"role":"main"}]}`},
		{"a time that is not RFC 3339", `{"uri":"urn:x:1","versioncreated":"yesterday"}`},
		{"an association without name", `{"uri":"urn:x:1","associations":[{"uri":"urn:x:2"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			if err := validateNinjs(t, sch, []byte(tt.doc)); err == nil {
				t.Errorf("%s validated", tt.doc)
			}
		})
	}
}

func TestArticleFormatParameter(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	tests := []struct {
		name     string
		target   string
		status   int
		contains string
	}{
		{"no format is the JSON shape", "/api/v1/articles/" + s.weather, 200, `"body_html"`},
		{"format=json is the JSON shape", "/api/v1/articles/" + s.weather + "?format=json", 200, `"body_html"`},
		{"format=ninjs is ninjs", "/api/v1/articles/" + s.weather + "?format=ninjs", 200, `"pubstatus":"usable"`},
		{"another format is refused by name", "/api/v1/articles/" + s.weather + "?format=xml", 400, `"field":"format"`},
		{"format given twice is refused", "/api/v1/articles/" + s.weather + "?format=json&format=ninjs", 400, `"field":"format"`},
		{"other parameters are still refused", "/api/v1/articles/" + s.weather + "?format=ninjs&status=draft", 400, `"field":"status"`},
		{"a draft is not found as ninjs", "/api/v1/articles/" + s.draft + "?format=ninjs", 404, `"code":"not_found"`},
		{"a scheduled story is not found as ninjs", "/api/v1/articles/" + s.scheduled + "?format=ninjs", 404, `"code":"not_found"`},
		{"a withdrawn story is not found as ninjs", "/api/v1/articles/" + s.withdrawn + "?format=ninjs", 404, `"code":"not_found"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.get(t, tt.target)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.contains) {
				t.Errorf("%d %s, want %d with %s", rec.Code, rec.Body, tt.status, tt.contains)
			}
		})
	}
}

func TestOldSlugRedirectKeepsTheFormat(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	ctx := context.Background()
	a, err := env.db.Article(ctx, content.ArticleFilter{Slug: &s.weather})
	if err != nil {
		t.Fatal(err)
	}
	e := a.Edit
	e.Slug = "fog-lifts"
	if _, err := env.db.UpdateArticle(ctx, a.ID, content.Save{Update: true, Version: a.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}
	rec := env.get(t, "/api/v1/articles/"+s.weather+"?format=ninjs")
	if rec.Code != 301 || rec.Header().Get("Location") != "/api/v1/articles/fog-lifts?format=ninjs" {
		t.Errorf("%d Location %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := env.get(t, "/api/v1/articles/"+s.weather); rec.Header().Get("Location") != "/api/v1/articles/fog-lifts" {
		t.Errorf("without format: Location %q", rec.Header().Get("Location"))
	}
}
