package eku_test

import (
	"crypto/x509"
	"encoding/asn1"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
)

type oids = []asn1.ObjectIdentifier

// TestChainSemantics checks the three rules on the chain rows of
// the tested grid of chains (Go and OpenSSL nest; Java and Mbed TLS look at the leaf), and checks Nested against crypto/x509's own
// Verify (with KeyUsages clientAuth) on the same chains.
func TestChainSemantics(t *testing.T) {
	sa, ca, any := certgen.OIDServerAuth, certgen.OIDClientAuth, certgen.OIDAny
	tests := []struct {
		name                  string
		cs                    certgen.ChainSpec
		rfc5280, nested, ossl bool
		reason                string
	}{
		{"clientAuth leaf, no CA EKU", certgen.ChainSpec{LeafEKU: oids{ca}, NoInterEKU: true, NoRootEKU: true}, true, true, true, "nothing restricts"},
		{"clientAuth leaf under serverAuth intermediate", certgen.ChainSpec{LeafEKU: oids{ca}, InterEKU: oids{sa}, NoRootEKU: true}, true, false, false, "Go and OpenSSL nest"},
		{"clientAuth leaf under serverAuth+anyEKU intermediate", certgen.ChainSpec{LeafEKU: oids{ca}, InterEKU: oids{sa, any}, NoRootEKU: true}, true, true, false, "anyEKU passes in Go, not in OpenSSL (row 9)"},
		{"no-EKU leaf under serverAuth intermediate", certgen.ChainSpec{NoLeafEKU: true, InterEKU: oids{sa}, NoRootEKU: true}, true, false, false, "row 10"},
		{"clientAuth leaf under serverAuth root", certgen.ChainSpec{LeafEKU: oids{ca}, NoInterEKU: true, RootEKU: oids{sa}}, true, false, false, "the root counts (row 11)"},
		{"serverAuth leaf", certgen.ChainSpec{LeafEKU: oids{sa}, NoInterEKU: true, NoRootEKU: true}, false, false, false, "row 1"},
		{"anyEKU leaf", certgen.ChainSpec{LeafEKU: oids{any}, NoInterEKU: true, NoRootEKU: true}, true, true, false, "OpenSSL does not honour anyEKU (row 4)"},
		{"empty-EKU intermediate", certgen.ChainSpec{LeafEKU: oids{ca}, InterEKU: oids{}, NoRootEKU: true}, true, true, false, "Go skips an empty EKU; OpenSSL: present and lists nothing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cs.InterEKU != nil && len(tc.cs.InterEKU) == 0 {
				tc.cs.InterEKU = nil // certgen: nil without NoInterEKU = empty SEQUENCE
			}
			ders := certgen.Chain("sem "+tc.name, tc.cs)
			c, err := eku.ParseChain(ders)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range []struct {
				sem  eku.Semantics
				want bool
			}{{eku.RFC5280, tc.rfc5280}, {eku.Nested, tc.nested}, {eku.OpenSSL, tc.ossl}} {
				if got := c.Permits(eku.ClientAuth, x.sem); got != x.want {
					t.Errorf("Permits(ClientAuth, %v) = %v, want %v (%s)", x.sem, got, x.want, tc.reason)
				}
				allowed, unrestricted := c.Allowed(x.sem)
				for _, p := range eku.Purposes() {
					if p == eku.Any {
						continue
					}
					if got := unrestricted || allowed.Has(p); got != c.Permits(p, x.sem) {
						t.Errorf("Allowed(%v) has %v = %v, Permits = %v", x.sem, p, got, c.Permits(p, x.sem))
					}
				}
			}
			// Nested is crypto/x509's rule: check against Verify itself.
			if got := goVerifies(t, ders, x509.ExtKeyUsageClientAuth); got != c.Permits(eku.ClientAuth, eku.Nested) {
				t.Errorf("crypto/x509 Verify(clientAuth) = %v, Nested = %v", got, c.Permits(eku.ClientAuth, eku.Nested))
			}
		})
	}
}

func goVerifies(t *testing.T, ders [][]byte, usage x509.ExtKeyUsage) bool {
	var certs []*x509.Certificate
	for _, d := range ders {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, c)
	}
	roots, inters := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(certs[2])
	inters.AddCert(certs[1])
	_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, KeyUsages: []x509.ExtKeyUsage{usage},
		CurrentTime: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		if _, ok := err.(x509.CertificateInvalidError); !ok {
			t.Fatalf("Verify() error = %v, want nil or an incompatible-usage error", err)
		}
	}
	return err == nil
}

func TestChainErrors(t *testing.T) {
	if _, err := eku.ParseChain(nil); err == nil {
		t.Error("ParseChain(nil) succeeded")
	}
	if _, err := eku.ParseChain(make([][]byte, eku.MaxChainLen+1)); err == nil {
		t.Error("ParseChain(11 certificates) succeeded")
	}
	_, err := eku.ParseChain([][]byte{certWith(), {0x30}})
	ce, ok := err.(*eku.ChainError)
	if !ok || ce.Index != 1 {
		t.Errorf("ParseChain(good, bad) error = %v, want *ChainError at index 1", err)
	}
	var c eku.Chain
	if c.Permits(eku.ServerAuth, eku.RFC5280) || c.Permits(eku.ServerAuth, eku.Semantics(9)) {
		t.Error("empty chain permits")
	}
	if got := eku.Semantics(9).String(); got != "Semantics(9)" {
		t.Errorf("String() = %q", got)
	}
}

func TestPurposeTable(t *testing.T) {
	for _, p := range eku.Purposes() {
		q, err := eku.ParsePurpose(p.String())
		if err != nil || q != p {
			t.Errorf("ParsePurpose(%q) = %v, %v", p.String(), q, err)
		}
		q, err = eku.ParsePurpose(p.OID())
		if err != nil || q != p {
			t.Errorf("ParsePurpose(%q) = %v, %v", p.OID(), q, err)
		}
		if got := eku.PurposeFromDER(p.AppendDER(nil)); got != p {
			t.Errorf("PurposeFromDER(%v.AppendDER) = %v", p, got)
		}
		if got := string(eku.AppendOID(nil, p.AppendDER(nil))); got != p.OID() {
			t.Errorf("AppendOID(%v) = %q, want %q", p, got, p.OID())
		}
	}
	for _, tc := range []struct {
		p    eku.Purpose
		want string
	}{{eku.Unknown, "unknown"}, {eku.Purpose(250), "Purpose(250)"}, {eku.Any, "anyExtendedKeyUsage"}, {eku.ClientAuth, "clientAuth"}} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("Purpose(%d).String() = %q, want %q", tc.p, got, tc.want)
		}
	}
	if _, err := eku.Unknown.MarshalText(); err == nil {
		t.Error("Unknown.MarshalText() succeeded")
	}
	if _, err := eku.ParsePurpose("nope"); err == nil {
		t.Error(`ParsePurpose("nope") succeeded`)
	}
	if got := string(eku.AppendOID(nil, []byte{0x2b, 0x80})); got != "invalid-oid:2b80" {
		t.Errorf("AppendOID(invalid) = %q", got)
	}
}

func TestPEMErrors(t *testing.T) {
	good := certgen.MustIssue(certgen.Spec{Name: "pem errors", NoEKU: true}, nil).PEM()
	broken := append([]byte("preamble\n"), good...)
	broken[9+28+10] = '!' // a byte inside the base64 body
	tests := []struct {
		name   string
		bundle []byte
		offset int
		reason string
	}{
		{"broken base64", broken, 9 + 28 + 10, "illegal base64 data"},
		{"no END", good[:len(good)-10], 0, "no -----END CERTIFICATE----- line"},
		{"empty block", []byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"), 0, "empty CERTIFICATE block"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := eku.ParsePEM(tc.bundle, nil, nil)
			pe, ok := err.(*eku.PEMError)
			if !ok || pe.Offset != tc.offset || pe.Reason != tc.reason {
				t.Errorf("ParsePEM() error = %v, want *PEMError at offset %d: %s", err, tc.offset, tc.reason)
			}
		})
	}
	if _, _, err := eku.ParsePEM([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), nil, nil); err != eku.ErrNoCertificate {
		t.Errorf("ParsePEM(key only) error = %v, want ErrNoCertificate", err)
	}
	bad := []byte("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n")
	_, _, err := eku.ParsePEM(bad, nil, nil)
	var pe *eku.PEMError
	var parseErr *eku.ParseError
	if !asPEM(err, &pe) || !asParse(err, &parseErr) {
		t.Errorf("ParsePEM(bad DER) error = %v, want *PEMError wrapping *ParseError", err)
	}
}

func asPEM(err error, pe **eku.PEMError) bool     { return errorsAs(err, pe) }
func asParse(err error, pe **eku.ParseError) bool { return errorsAs(err, pe) }
