// Package schematest compiles JSON Schema documents (draft 2020-12) and
// validates JSON against them in tests, with
// github.com/santhosh-tekuri/jsonschema/v6 (a test-only dependency: only
// _test.go files import this package). Formats ("date-time") are asserted.
package schematest

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Compile compiles the schema document doc, registered under name (its
// $id is used for references inside it), and fails the test if it is not a
// valid schema.
func Compile(t testing.TB, name string, doc []byte) *jsonschema.Schema {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("schema %s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(name, v); err != nil {
		t.Fatalf("schema %s: %v", name, err)
	}
	s, err := c.Compile(name)
	if err != nil {
		t.Fatalf("schema %s: %v", name, err)
	}
	return s
}

// Check returns an error if data is not JSON or does not conform to s.
func Check(s *jsonschema.Schema, data []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// Validate fails the test (naming what) if data does not conform to s.
func Validate(t testing.TB, s *jsonschema.Schema, what string, data []byte) {
	t.Helper()
	if err := Check(s, data); err != nil {
		t.Errorf("%s does not conform to %s: %v\n%s", what, s.Location, err, data)
	}
}
