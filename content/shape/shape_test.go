package shape

import (
	"crypto/sha256"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// fingerprint is the hash of the fields and JSON tags of the public story
// shape as of Version.
const fingerprint = "bf694ae672527297"

func TestShapeChangesBumpTheShapeVersion(t *testing.T) {
	var b strings.Builder
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || rt.PkgPath() != "dateline/content/shape" {
			fmt.Fprintf(&b, "%s;", rt)
			return
		}
		fmt.Fprintf(&b, "%s{", rt.Name())
		for i := range rt.NumField() {
			f := rt.Field(i)
			fmt.Fprintf(&b, "%s %q ", f.Name, f.Tag.Get("json"))
			walk(f.Type)
		}
		b.WriteString("}")
	}
	walk(reflect.TypeOf(Story{}))
	got := fmt.Sprintf("%x", sha256.Sum256([]byte(b.String())))[:16]
	if got != fingerprint {
		t.Fatalf("the story shape changed (fingerprint %s, was %s): bump Version in shape.go so that stored JSON is rendered again, then set fingerprint to the new value", got, fingerprint)
	}
}
