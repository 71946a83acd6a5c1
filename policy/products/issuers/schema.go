package issuers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// SchemaID is the value of the "schema" member of every data file.
const SchemaID = "issuers/v1"

// The JSON form; schema.json is its JSON Schema and the package
// documentation describes it. Unknown members are errors.
type fileData struct {
	Schema       string         `json:"schema"`
	Sources      []sourceData   `json:"sources"`
	CAs          []subjectData  `json:"cas,omitempty"`
	RootPrograms []subjectData  `json:"root_programs,omitempty"`
	Providers    []providerData `json:"providers,omitempty"`
}

type sourceData struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Published string `json:"published,omitempty"`
}

type subjectData struct {
	Name     string        `json:"name"`
	Aliases  []string      `json:"aliases,omitempty"`
	Cutovers []cutoverData `json:"cutovers"`
}

type cutoverData struct {
	Scope string      `json:"scope"`
	Note  string      `json:"note,omitempty"`
	Dates []datedData `json:"dates"`
}

type datedData struct {
	Date       string `json:"date"`
	WithinDays int    `json:"within_days,omitempty"`
	Source     string `json:"source"`
	Statement  string `json:"statement"`
	Superseded bool   `json:"superseded,omitempty"`
}

type providerData struct {
	Name       string        `json:"name"`
	Aliases    []string      `json:"aliases,omitempty"`
	Direction  string        `json:"direction"`
	Role       string        `json:"role"`
	ClientAuth string        `json:"client_auth,omitempty"`
	Presents   string        `json:"presents"`
	Issuers    []issuerData  `json:"issuers,omitempty"`
	Cutovers   []cutoverData `json:"cutovers,omitempty"`
	Renewals   []datedData   `json:"renewals,omitempty"`
	Notes      []noteData    `json:"notes,omitempty"`
}

type issuerData struct {
	CA        string `json:"ca"`
	Since     string `json:"since,omitempty"`
	Source    string `json:"source"`
	Statement string `json:"statement"`
}

type noteData struct {
	Source    string `json:"source"`
	Statement string `json:"statement"`
}

// SchemaError reports data that does not follow the schema. Path names the
// field the way a person finds it in the file: "cas[2].cutovers[0].dates[1].date".
type SchemaError struct {
	Path string
	Msg  string
	Err  error // the underlying parse error, if any
}

// Error returns "issuers: <path>: <msg>".
func (e *SchemaError) Error() string {
	s := "issuers: "
	if e.Path != "" {
		s += e.Path + ": "
	}
	s += e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying parse error.
func (e *SchemaError) Unwrap() error { return e.Err }

func schemaErr(path, msg string, err error) error {
	return &SchemaError{Path: path, Msg: msg, Err: err}
}

func idx(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// maxDataSize bounds what Load reads (the built-in file is about 20 kB).
const maxDataSize = 8 << 20

// Load reads data in the issuers/v1 schema and validates it. Unknown members
// are errors; every error is a [*SchemaError] naming the field.
func Load(r io.Reader) (*Data, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxDataSize+1))
	if err != nil {
		return nil, schemaErr("", "read", err)
	}
	if len(b) > maxDataSize {
		return nil, schemaErr("", "data larger than "+strconv.Itoa(maxDataSize)+" bytes", nil)
	}
	return Parse(b)
}

// Parse is [Load] on a byte slice.
func Parse(b []byte) (*Data, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f fileData
	if err := dec.Decode(&f); err != nil {
		return nil, decodeErr(b, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, schemaErr("", "trailing data after the top-level object", nil)
	}
	return compile(&f)
}

// decodeErr turns an encoding/json error into a *SchemaError naming the field.
func decodeErr(raw []byte, err error) error {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return schemaErr(ute.Field, "expected "+ute.Type.String()+", found JSON "+ute.Value, nil)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return schemaErr("", "JSON syntax error at byte offset "+strconv.FormatInt(se.Offset, 10), err)
	}
	// encoding/json names an unknown member only in text: `json: unknown field "x"`.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, uerr := strconv.Unquote(name); uerr == nil {
			return schemaErr(locateKey(raw, n), "unknown member (the schema has no member "+strconv.Quote(n)+" there)", nil)
		}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return schemaErr("", "empty or truncated input", err)
	}
	return schemaErr("", "cannot decode", err)
}

// locateKey returns the path of the first member named key in raw, or key.
func locateKey(raw []byte, key string) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return key
	}
	var walk func(v any, path string) (string, bool)
	walk = func(v any, path string) (string, bool) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v[key]; ok {
				return join(path, key), true
			}
			names := make([]string, 0, len(v))
			for k := range v {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				if p, ok := walk(v[k], join(path, k)); ok {
					return p, true
				}
			}
		case []any:
			for i, e := range v {
				if p, ok := walk(e, idx(path, i)); ok {
					return p, true
				}
			}
		}
		return "", false
	}
	if p, ok := walk(v, ""); ok {
		return p
	}
	return key
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// parseDay parses "YYYY-MM-DD" (a day) or "YYYY-MM" (a month) as UTC. For a
// month, span is the month's length; for a day it is zero (an instant: the
// start of the day).
func parseDay(s string) (start, end time.Time, err error) {
	if t, e := time.Parse("2006-01-02", s); e == nil {
		return t, t, nil
	}
	t, e := time.Parse("2006-01", s)
	if e != nil {
		return time.Time{}, time.Time{}, errors.New(`want "YYYY-MM-DD" or "YYYY-MM"`)
	}
	return t, t.AddDate(0, 1, 0), nil
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}
