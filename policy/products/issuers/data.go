package issuers

import (
	_ "embed"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tlscompat/tlscompat/policy"
)

//go:embed builtin.json
var builtinJSON []byte

//go:embed schema.json
var schemaJSON []byte

// JSONSchema returns the JSON Schema (draft 2020-12) of the data format, the
// embedded schema.json.
func JSONSchema() []byte { return append([]byte(nil), schemaJSON...) }

var builtin = sync.OnceValue(func() *Data {
	d, err := Parse(builtinJSON)
	if err != nil {
		panic("issuers: built-in data is invalid: " + err.Error())
	}
	return d
})

// Builtin returns the built-in data (the embedded builtin.json). The same
// read-only value is returned on every call.
func Builtin() *Data { return builtin() }

// Data holds the dated facts: sources, CAs' and root programs' clientAuth
// cut-overs, and providers. It is immutable and safe for concurrent use.
type Data struct {
	sources   map[string]Source
	cas       []subject
	programs  []subject
	providers []Provider
}

// Source is a public document a fact rests on.
type Source struct {
	ID    string `json:"id"`
	Kind  Kind   `json:"kind"`
	URL   string `json:"url"`
	Title string `json:"title"`
	// Published is the document's date when it states one (zero: not
	// stated).
	Published time.Time `json:"published,omitzero"`
}

// Dated is one source's statement of when something happens: at Start
// exactly (End equal to Start), or at some instant in [Start, End) when the
// source names a week, a month or a quarter.
type Dated struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Source    Source    `json:"source"`
	Statement string    `json:"statement"`
	// Superseded marks a date a later revision of the same publisher
	// replaced; it is kept for provenance and ignored for the range.
	Superseded bool `json:"superseded,omitempty"`
}

// Cutover is when certificates of a subject (CA, root program, provider)
// stop carrying clientAuth, in a scope. From and Until bound the instant:
// Exact when equal. When sources disagree, or a source names only a week or
// a month, the range holds all of them and the answer inside it is Unknown.
type Cutover struct {
	Subject string    `json:"subject"`
	Scope   Scope     `json:"scope"`
	Note    string    `json:"note,omitempty"`
	From    time.Time `json:"from"`
	Until   time.Time `json:"until"`
	Dates   []Dated   `json:"dates"`
}

// Issuer is a CA a provider's certificates come from.
type Issuer struct {
	CA string `json:"ca"`
	// Since is when the provider's certificates started to come from CA,
	// if the source says (zero: not stated).
	Since     time.Time `json:"since,omitzero"`
	Source    Source    `json:"source"`
	Statement string    `json:"statement"`
}

// Note is a further sourced statement about a provider.
type Note struct {
	Source    Source `json:"source"`
	Statement string `json:"statement"`
}

// Provider is who presents which certificate in one call direction.
type Provider struct {
	Name      string    `json:"name"`
	Aliases   []string  `json:"aliases,omitempty"`
	Direction Direction `json:"direction"`
	Role      Role      `json:"role"`
	// ClientAuth is the documented client-certificate mode when Role is
	// server (zero: not documented).
	ClientAuth policy.ClientAuthMode `json:"client_auth"`
	Presents   string                `json:"presents"`
	Issuers    []Issuer              `json:"issuers,omitempty"`
	Cutovers   []Cutover             `json:"cutovers,omitempty"`
	// Renewals are announced renewal dates of the presented certificate.
	Renewals []Dated `json:"renewals,omitempty"`
	Notes    []Note  `json:"notes,omitempty"`
}

type subject struct {
	name     string
	aliases  []string
	cutovers []Cutover
}

// ErrNotFound is matched (errors.Is) by lookups of a name the data does not
// hold.
var ErrNotFound = errors.New("issuers: not in the data")

// NotFoundError names what a lookup did not find.
type NotFoundError struct {
	What string // "CA", "root program", "provider", "cut-over"
	Name string
}

// Error returns "issuers: <what> <name>: not in the data".
func (e *NotFoundError) Error() string {
	return "issuers: " + e.What + " " + strconv.Quote(e.Name) + ": not in the data"
}

// Is reports whether target is [ErrNotFound].
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

func matches(name string, aliases []string, q string) bool {
	q = strings.TrimSpace(q)
	if strings.EqualFold(name, q) {
		return true
	}
	for _, a := range aliases {
		if strings.EqualFold(a, q) {
			return true
		}
	}
	return false
}

func names(list []subject) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.name
	}
	return out
}

// CAs returns the CA names, in data order.
func (d *Data) CAs() []string { return names(d.cas) }

// RootPrograms returns the root program names, in data order.
func (d *Data) RootPrograms() []string { return names(d.programs) }

// Providers returns the provider entries, in data order.
func (d *Data) Providers() []Provider { return append([]Provider(nil), d.providers...) }

// Sources returns every source, by id.
func (d *Data) Sources() map[string]Source {
	out := make(map[string]Source, len(d.sources))
	for k, v := range d.sources {
		out[k] = v
	}
	return out
}

func find(list []subject, what, name string, scope Scope) (Cutover, error) {
	for _, s := range list {
		if !matches(s.name, s.aliases, name) {
			continue
		}
		for _, c := range s.cutovers {
			if c.Scope == scope {
				return c, nil
			}
		}
		return Cutover{}, &NotFoundError{What: "cut-over", Name: s.name + " " + scope.String()}
	}
	return Cutover{}, &NotFoundError{What: what, Name: name}
}

// CACutover returns CA's (name or alias, case ignored) cut-over in scope
// (ScopeDefault or ScopeHardStop).
func (d *Data) CACutover(ca string, scope Scope) (Cutover, error) {
	return find(d.cas, "CA", ca, scope)
}

// RootProgramCutover returns a root program's cut-over in scope
// (ScopeSubordinateCA or ScopeSubscriber).
func (d *Data) RootProgramCutover(program string, scope Scope) (Cutover, error) {
	return find(d.programs, "root program", program, scope)
}

// Provider returns the provider entry for name (or alias) and direction.
func (d *Data) Provider(name string, dir Direction) (Provider, error) {
	for _, p := range d.providers {
		if p.Direction == dir && matches(p.Name, p.Aliases, name) {
			return p, nil
		}
	}
	return Provider{}, &NotFoundError{What: "provider", Name: name + " " + dir.String()}
}

// Cutover returns the provider's cut-over in scope, if the data has one.
func (p Provider) Cutover(scope Scope) (Cutover, bool) {
	for _, c := range p.Cutovers {
		if c.Scope == scope {
			return c, true
		}
	}
	return Cutover{}, false
}
