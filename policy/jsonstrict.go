package policy

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strconv"

	"github.com/tlscompat/tlscompat/eku"
)

// Strict decoding. encoding/json ignores members a struct does not have and
// names an unknown member (with DisallowUnknownFields) without saying where
// it is, and not at all inside a type with its own UnmarshalJSON (Cert).
// checkJSON walks the JSON value beside the Go type it will be decoded
// into and reports the first member the schema does not have, or the first
// value its type rejects, with its path: "client.chain.certs[0].eku[1]".

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

// jsonSchemaType maps a type with its own JSON form to the struct that
// form is decoded through.
func jsonSchemaType(t reflect.Type) reflect.Type {
	switch t {
	case reflect.TypeFor[Cert]():
		return reflect.TypeFor[certJSON]()
	case reflect.TypeFor[Outcome]():
		return reflect.TypeFor[outcomeJSON]()
	case reflect.TypeFor[Evidence]():
		return reflect.TypeFor[[]Source]()
	case reflect.TypeFor[VersionFix]():
		return reflect.TypeFor[versionFixJSON]()
	}
	return t
}

// checkJSON reports the first problem of the JSON text b as a value of
// type t: a syntax error (as encoding/json reports it), or a *FieldError.
func checkJSON(t reflect.Type, b []byte) error {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if fe := walkJSON(t, v, ""); fe != nil {
		return fe
	}
	return nil
}

func joinJSONPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonFields returns the members of struct type t by JSON name, with the
// fields of embedded structs promoted as encoding/json does.
func jsonFields(t reflect.Type, into map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := cutComma(f.Tag.Get("json"))
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			jsonFields(f.Type, into)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		into[name] = f.Type
	}
}

func cutComma(tag string) (string, string, bool) {
	for i := 0; i < len(tag); i++ {
		if tag[i] == ',' {
			return tag[:i], tag[i+1:], true
		}
	}
	return tag, "", false
}

func walkJSON(t reflect.Type, v any, path string) *FieldError {
	if v == nil {
		return nil // null leaves the zero value
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	t = jsonSchemaType(t)
	if reflect.PointerTo(t).Implements(textUnmarshalerType) {
		str, ok := v.(string)
		if !ok {
			return &FieldError{Field: path, Msg: "expected a string"}
		}
		u := reflect.New(t).Interface().(encoding.TextUnmarshaler)
		if err := u.UnmarshalText([]byte(str)); err != nil {
			return &FieldError{Field: path, Msg: "bad value " + strconv.Quote(str), Err: err}
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return &FieldError{Field: path, Msg: "expected an object"}
		}
		fields := map[string]reflect.Type{}
		jsonFields(t, fields)
		for _, k := range sortedKeys(obj) {
			ft, ok := fields[k]
			if !ok {
				return &FieldError{Field: joinJSONPath(path, k), Msg: "unknown member (the schema has no member " + strconv.Quote(k) + " here)", Err: ErrUnknownMember}
			}
			if fe := walkJSON(ft, obj[k], joinJSONPath(path, k)); fe != nil {
				return fe
			}
		}
		if t == reflect.TypeFor[certJSON]() {
			return checkCertJSON(obj, path)
		}
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			// []byte: base64 text, as encoding/json writes it (a
			// certificate's DER).
			if _, ok := v.(string); !ok {
				return &FieldError{Field: path, Msg: "expected base64 text"}
			}
			return nil
		}
		list, ok := v.([]any)
		if !ok {
			return &FieldError{Field: path, Msg: "expected a list"}
		}
		for i, e := range list {
			if fe := walkJSON(t.Elem(), e, path+"["+strconv.Itoa(i)+"]"); fe != nil {
				return fe
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return &FieldError{Field: path, Msg: "expected a string"}
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return &FieldError{Field: path, Msg: "expected true or false"}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return &FieldError{Field: path, Msg: "expected a number"}
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			return &FieldError{Field: path, Msg: "expected an integer of " + strconv.Itoa(t.Bits()) + " bits, found " + string(n), Err: err}
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := v.(json.Number)
		if !ok {
			return &FieldError{Field: path, Msg: "expected a number"}
		}
		if _, err := strconv.ParseUint(string(n), 10, t.Bits()); err != nil {
			return &FieldError{Field: path, Msg: "expected an unsigned integer of " + strconv.Itoa(t.Bits()) + " bits, found " + string(n), Err: err}
		}
	}
	return nil
}

// checkCertJSON checks the values of a certificate's JSON form that
// Cert.UnmarshalJSON parses itself.
func checkCertJSON(obj map[string]any, path string) *FieldError {
	if list, ok := obj["eku"].([]any); ok {
		for i, e := range list {
			if _, err := eku.ParsePurpose(e.(string)); err != nil {
				return &FieldError{Field: joinJSONPath(path, "eku") + "[" + strconv.Itoa(i) + "]", Msg: "not a known purpose", Err: err}
			}
		}
	}
	if list, ok := obj["key_usage"].([]any); ok {
		for i, e := range list {
			if _, ok := keyUsageBit(e.(string)); !ok {
				return &FieldError{Field: joinJSONPath(path, "key_usage") + "[" + strconv.Itoa(i) + "]", Msg: "not a KeyUsage bit name " + strconv.Quote(e.(string)), Err: ErrUnknownName}
			}
		}
	}
	if nb, ok := obj["not_before"].(string); ok {
		if _, err := parseTime(nb); err != nil {
			return &FieldError{Field: joinJSONPath(path, "not_before"), Msg: "expected an RFC 3339 time", Err: err}
		}
	}
	return nil
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// jsonFieldError turns an encoding/json type error into a *FieldError
// naming the field; other errors are returned as they are.
func jsonFieldError(err error) error {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return &FieldError{Field: ute.Field, Msg: "expected " + ute.Type.String() + ", found JSON " + ute.Value, Err: err}
	}
	return err
}
