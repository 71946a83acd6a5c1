package sbc

import (
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

// evidence joins sources into the text of policy.Server.Evidence. It is the
// one place that knows the shape of policy's evidence field.
func evidence(notes []string, srcs ...Source) string {
	parts := make([]string, 0, len(srcs)+len(notes))
	for _, s := range srcs {
		parts = append(parts, s.String())
	}
	parts = append(parts, notes...)
	return strings.Join(parts, "; ")
}

// server builds the policy.Server every profile returns. The stack is always
// policy.UnknownStack: none of the vendors' pages read documents the TLS
// library that checks client certificates, so policy.Evaluate answers only
// what every modelled stack agrees on.
func server(name, profile string, mode policy.ClientAuth, versions tlsver.Set, notes []string, srcs ...Source) policy.Server {
	return policy.Server{
		Name: name, Stack: policy.UnknownStack, ClientAuth: mode, Versions: versions,
		Profile: profile, Evidence: evidence(notes, srcs...),
	}
}
