package policy

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// SourceKind says what kind of source a [Source] is. The wire names
// (String, JSON) are stable.
type SourceKind uint8

// Source kinds.
const (
	SourceUnset SourceKind = iota
	// SourceRFC is an RFC section; Locator "RFC 8446 §4.4.2.4".
	SourceRFC
	// SourceCode is a project's source file at a tag; Locator
	// "owner/repo@tag:path" ("openssl/openssl@openssl-3.0.19:crypto/x509/v3_purp.c"),
	// Ref the function.
	SourceCode
	// SourceDocs is a project's own documentation; Locator its URL.
	SourceDocs
	// SourceVendor is a vendor's published document (an announcement, a
	// TechNote, a help article); Locator its URL, Quote the statement.
	SourceVendor
	// SourceInterop is a test in this module that checks the rule by real
	// handshakes; Locator "policy/interop_test.go:TestInteropTruth".
	SourceInterop
	// SourceDataRow is a row of a data set in this module (the tlsver
	// matrix); Locator names the set, Ref the table and row.
	SourceDataRow
	// SourceObservation is what the caller observed (a probe or a
	// capture); Locator names it ("probe of sbc.example.net:5061").
	SourceObservation
	// SourceScenario is the caller's input (the scenario, a service check);
	// Ref says which part.
	SourceScenario
	// SourceAssumption marks what a profile assumes beyond its documents;
	// Ref states the assumption. It is never the only source.
	SourceAssumption
	numSourceKinds
)

var sourceKindNames = [numSourceKinds]string{
	SourceUnset:       "unset",
	SourceRFC:         "rfc",
	SourceCode:        "source-file",
	SourceDocs:        "documentation",
	SourceVendor:      "vendor-document",
	SourceInterop:     "interop-test",
	SourceDataRow:     "data-row",
	SourceObservation: "observation",
	SourceScenario:    "scenario",
	SourceAssumption:  "assumption",
}

// String returns the stable wire name ("rfc", "source-file",
// "documentation", "vendor-document", "interop-test", "data-row",
// "observation", "scenario", "assumption"), or "source-kind(N)".
func (k SourceKind) String() string {
	if k < numSourceKinds {
		return sourceKindNames[k]
	}
	return "source-kind(" + itoa(int(k)) + ")"
}

// parseSourceKind returns the SourceKind whose wire name is s.
func parseSourceKind(s string) (SourceKind, error) {
	for i, n := range sourceKindNames {
		if n == s && i > 0 {
			return SourceKind(i), nil
		}
	}
	return 0, errorf("unknown source kind %q", s)
}

// MarshalText implements encoding.TextMarshaler.
func (k SourceKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *SourceKind) UnmarshalText(b []byte) error {
	v, err := parseSourceKind(string(b))
	*k = v
	return err
}

// Source is one public source a finding rests on.
type Source struct {
	Kind SourceKind `json:"kind"`
	// Locator finds the source: a URL, "RFC 8446 §4.4.2.4",
	// "owner/repo@tag:path", or a test of this module.
	Locator string `json:"locator,omitempty"`
	// Ref is the part of it: a function, section, table row or rule.
	Ref string `json:"ref,omitempty"`
	// Quote is the statement relied on, quoted.
	Quote string `json:"quote,omitempty"`
}

// String returns "Locator (Ref, "Quote")" (the kind in place of an empty
// Locator), or "assumption: Ref".
func (s Source) String() string {
	if s.Kind == SourceAssumption {
		return "assumption: " + s.Ref
	}
	out := s.Locator
	if out == "" {
		out = s.Kind.String() // the scenario, an observation without a name
	}
	var parts []string
	if s.Ref != "" {
		parts = append(parts, s.Ref)
	}
	if s.Quote != "" {
		parts = append(parts, strconv.Quote(s.Quote))
	}
	if len(parts) > 0 {
		if out != "" {
			out += " "
		}
		out += "(" + strings.Join(parts, ", ") + ")"
	}
	return out
}

// MaxSources is the number of sources an [Evidence] holds. A fixed array
// keeps [Evaluate] free of allocations.
const MaxSources = 4

// Evidence is what a finding or a profile rests on: up to [MaxSources]
// sources, the first ones used, the rest zero. Its JSON form is the list
// of the sources used.
type Evidence struct {
	Sources [MaxSources]Source
}

// Cite returns the evidence of the given sources; sources beyond
// [MaxSources] are dropped.
func Cite(sources ...Source) Evidence {
	var e Evidence
	copy(e.Sources[:], sources)
	return e
}

// n returns the number of sources used.
func (e *Evidence) n() int {
	n := 0
	for n < MaxSources && e.Sources[n] != (Source{}) {
		n++
	}
	return n
}

// List returns the sources used; the slice aliases e.
func (e *Evidence) List() []Source { return e.Sources[:e.n()] }

// IsZero reports whether e cites nothing.
func (e Evidence) IsZero() bool { return e.Sources[0] == (Source{}) }

// String returns the sources separated by "; ".
func (e Evidence) String() string {
	var b strings.Builder
	for i, s := range e.List() {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// MarshalJSON implements json.Marshaler: a list of the sources used.
func (e Evidence) MarshalJSON() ([]byte, error) {
	return json.Marshal(e.List())
}

// UnmarshalJSON implements json.Unmarshaler; more than [MaxSources]
// sources is an error.
func (e *Evidence) UnmarshalJSON(b []byte) error {
	var list []Source
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("policy: evidence: %w", err)
	}
	if len(list) > MaxSources {
		return errorf("evidence: %d sources, at most %d", len(list), MaxSources)
	}
	*e = Evidence{}
	for i, s := range list {
		if s == (Source{}) {
			return errorf("evidence: source %d is empty", i)
		}
		e.Sources[i] = s
	}
	return nil
}
