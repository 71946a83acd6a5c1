package eku_test

import (
	"encoding/asn1"
	"fmt"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
)

// A certificate like the BYOC Cloud ones issued before February 2026
// (serverAuth + clientAuth) and one issued after (serverAuth only).
var (
	before = certgen.MustIssue(certgen.Spec{Name: "sip.example.com (2025)", EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth, certgen.OIDClientAuth}}, nil)
	after  = certgen.MustIssue(certgen.Spec{Name: "sip.example.com (2026)", EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth}}, nil)
)

// Does this certificate allow TLS client authentication?
func ExampleSet_Permits() {
	for _, der := range [][]byte{before.DER, after.DER} {
		s, err := eku.Parse(der)
		if err != nil {
			panic(err)
		}
		fmt.Println(s.Permits(eku.ClientAuth))
	}
	// Output:
	// true
	// false
}

// List a certificate's purposes, including OIDs this package does not know,
// without allocating (the text is appended to a reused buffer).
func ExampleSet_OIDs() {
	c := certgen.MustIssue(certgen.Spec{Name: "oids", CriticalEKU: true,
		EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth, {1, 3, 6, 1, 5, 5, 7, 3, 20}, {1, 2, 3, 4}}}, nil)
	s, err := eku.Parse(c.DER)
	if err != nil {
		panic(err)
	}
	fmt.Println("present:", s.Present(), "critical:", s.Critical(), "unknown:", s.Unknown())
	buf := make([]byte, 0, 64)
	it := s.OIDs()
	for it.Next() {
		buf = it.AppendText(buf[:0])
		fmt.Printf("%-20s %v\n", buf, it.Purpose())
	}
	// Output:
	// present: true critical: true unknown: 1
	// 1.3.6.1.5.5.7.3.1    serverAuth
	// 1.3.6.1.5.5.7.3.20   sipDomain
	// 1.2.3.4              unknown
}

// Check a chain: a clientAuth leaf under an intermediate restricted to
// serverAuth. RFC 5280 looks at the leaf only; Go and OpenSSL let the
// intermediate's EKU constrain the leaf.
func ExampleChain_Permits() {
	ders := certgen.Chain("example", certgen.ChainSpec{
		LeafEKU:   []asn1.ObjectIdentifier{certgen.OIDClientAuth},
		InterEKU:  []asn1.ObjectIdentifier{certgen.OIDServerAuth},
		NoRootEKU: true,
	})
	c, err := eku.ParseChain(ders) // leaf, intermediate, root
	if err != nil {
		panic(err)
	}
	for _, sem := range []eku.Semantics{eku.RFC5280, eku.Nested, eku.OpenSSL} {
		fmt.Printf("%-8v clientAuth permitted: %-5v denied by certificate %d\n", sem, c.Permits(eku.ClientAuth, sem), c.DeniedBy(eku.ClientAuth, sem))
	}
	// Output:
	// RFC5280  clientAuth permitted: true  denied by certificate -1
	// Nested   clientAuth permitted: false denied by certificate 1
	// OpenSSL  clientAuth permitted: false denied by certificate 1
}

// Parse every certificate of a PEM bundle into a reused buffer.
func ExampleParsePEM() {
	bundle := append(before.PEM(), after.PEM()...)
	buf := make([]byte, 0, len(bundle)) // reuse across calls: no allocation
	sets, _, err := eku.ParsePEM(bundle, buf, nil)
	if err != nil {
		panic(err)
	}
	for _, s := range sets {
		fmt.Println(s.Purposes())
	}
	// Output:
	// serverAuth, clientAuth
	// serverAuth
}

// Purposes encode to JSON and text by name.
func ExamplePurpose_MarshalText() {
	text, _ := eku.ClientAuth.MarshalText()
	var p eku.Purpose
	_ = p.UnmarshalText([]byte("1.3.6.1.5.5.7.3.1"))
	fmt.Println(string(text), eku.ClientAuth.OID(), p)
	// Output: clientAuth 1.3.6.1.5.5.7.3.2 serverAuth
}
