package delivery

import (
	"crypto/sha256"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// shapeFingerprint is the hash of the fields and JSON tags of the public
// story shape as of shapeVersion.
const shapeFingerprint = "24b9cd8f93e6720a"

func TestShapeChangesBumpTheShapeVersion(t *testing.T) {
	var b strings.Builder
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || rt.PkgPath() != "dateline/content/delivery" {
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
	walk(reflect.TypeOf(article{}))
	got := fmt.Sprintf("%x", sha256.Sum256([]byte(b.String())))[:16]
	if got != shapeFingerprint {
		t.Fatalf("the story shape changed (fingerprint %s, was %s): bump shapeVersion in shape.go so that stored JSON is rendered again, then set shapeFingerprint to the new value", got, shapeFingerprint)
	}
}
