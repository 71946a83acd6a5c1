package sbc

import (
	"slices"
	"strings"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Source is a public document a mapping rests on: where it is, which edition
// of the document was read, and what it says.
type Source struct {
	// URL locates the page.
	URL string `json:"url"`
	// Document names the document and its edition or date as the page
	// states it ("Oracle Communications Session Border Controller ACLI
	// Reference, Release 10.1.0").
	Document string `json:"document"`
	// Statement is the sentence of the page the mapping rests on, quoted or
	// closely paraphrased.
	Statement string `json:"statement"`
}

// String returns "Document, URL: Statement".
func (s Source) String() string {
	return s.Document + ", " + s.URL + ": " + s.Statement
}

// evidence turns sources and notes into policy.Evidence: each Source as a
// vendor document (URL, document, statement), the notes joined into one
// assumption. It is the one place that knows the shape of policy's
// evidence.
func evidence(notes []string, srcs ...Source) policy.Evidence {
	list := make([]policy.Source, 0, len(srcs)+1)
	for _, s := range srcs {
		list = append(list, policy.Source{Kind: policy.SourceVendor, Locator: s.URL, Ref: s.Document, Quote: s.Statement})
	}
	return cite(list, notes)
}

// cite makes the Evidence of vendor sources (duplicates dropped) and notes
// (one assumption), in that order. Profiles stay within policy.MaxSources:
// at most three vendor pages and one assumption.
func cite(list []policy.Source, notes []string) policy.Evidence {
	var out []policy.Source
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(notes) > 0 {
		out = append(out, policy.Source{Kind: policy.SourceAssumption, Ref: strings.Join(notes, "; ")})
	}
	return policy.Cite(out...)
}

// server builds the policy.Server every profile returns. The stack is always
// policy.UnknownStack: none of the vendors' pages read documents the TLS
// library that checks client certificates, so policy.Evaluate answers only
// what every modelled stack agrees on.
func server(name, profile string, mode policy.ClientAuthMode, versions tlsver.Set, notes []string, srcs ...Source) policy.Server {
	return policy.Server{
		Name: name, Stack: policy.UnknownStack, ClientAuth: mode, Versions: versions,
		Profile: profile, Evidence: evidence(notes, srcs...),
	}
}
