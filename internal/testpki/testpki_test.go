package testpki

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"testing"
)

func TestChainsVerifyWithoutUsage(t *testing.T) {
	p := New()
	for _, n := range append(Variants(), Server) {
		l := p.Variant(n)
		inter := x509.NewCertPool()
		for _, d := range l.Chain[1:] {
			c, err := x509.ParseCertificate(d)
			if err != nil {
				t.Fatalf("%s: %v", n, err)
			}
			inter.AddCert(c)
		}
		chains, err := l.Certificate.Verify(x509.VerifyOptions{
			Roots: p.RootPool(), Intermediates: inter,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		})
		if err != nil {
			t.Errorf("%s: Verify(any usage) = %v", n, err)
			continue
		}
		if got := chains[0][len(chains[0])-1].Subject.CommonName; got != p.CA(l.Root).Certificate.Subject.CommonName {
			t.Errorf("%s: chain ends at %q, want root %s", n, got, l.Root)
		}
	}
}

// TestClientAuthVerdicts checks the variants against crypto/x509's client-auth
// rule, which policy/stack_go.go documents; it catches a variant
// generated with the wrong EKU or issuer.
func TestClientAuthVerdicts(t *testing.T) {
	want := map[Name]bool{
		ServerClient: true, ServerOnly: false, ClientOnly: true, NoEKU: true, AnyEKU: true,
		ServerAny: true, CodeSigning: false, CriticalEKU: true, NSCertTypeServer: true,
		KeyEnciphermentOnly: true, ClientUnderServerInt: false, ServerClientUnderServerInt: false,
		NoEKUUnderServerInt: false, ClientUnderServerAnyInt: true, ClientUnderAnyInt: true,
		ClientUnderServerRoot: false,
	}
	p := New()
	if len(want) != len(Variants()) {
		t.Fatalf("table has %d entries, Variants() %d", len(want), len(Variants()))
	}
	for _, n := range Variants() {
		l := p.Variant(n)
		inter := x509.NewCertPool()
		for _, d := range l.Chain[1:] {
			c, _ := x509.ParseCertificate(d)
			inter.AddCert(c)
		}
		_, err := l.Certificate.Verify(x509.VerifyOptions{
			Roots: p.RootPool(), Intermediates: inter,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		})
		if got := err == nil; got != want[n] {
			t.Errorf("%s: Verify(clientAuth) ok = %v (%v), want %v", n, got, err, want[n])
		}
	}
}

func TestNamesUniqueAndStable(t *testing.T) {
	seen := map[Name]bool{}
	for _, n := range append(append(Variants(), CAs()...), Server) {
		if seen[n] {
			t.Errorf("duplicate name %s", n)
		}
		seen[n] = true
	}
	p := New()
	if p != New() {
		t.Error("New returned a different PKI on the second call")
	}
	l := p.Variant(KeyEnciphermentOnly)
	if l.Certificate.PublicKeyAlgorithm != x509.RSA || l.Certificate.KeyUsage != x509.KeyUsageKeyEncipherment {
		t.Errorf("%s: key %v usage %v", KeyEnciphermentOnly, l.Certificate.PublicKeyAlgorithm, l.Certificate.KeyUsage)
	}
	crit := p.Variant(CriticalEKU).Certificate
	found := false
	for _, e := range crit.Extensions {
		if e.Id.Equal(oidExtKeyUsage) {
			found = e.Critical
		}
	}
	if !found || len(crit.ExtKeyUsage) != 2 {
		t.Errorf("%s: critical EKU extension missing (EKU %v)", CriticalEKU, crit.ExtKeyUsage)
	}
	if got := p.Variant(ClientUnderServerRoot).Chain; len(got) != 1 {
		t.Errorf("%s: chain length %d, want 1", ClientUnderServerRoot, len(got))
	}
}

func TestWriteFiles(t *testing.T) {
	p := New()
	f, err := p.WriteFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{f.CA, f.ServerChain, f.ServerLeaf, f.ServerIntermediates, f.ServerKey, f.ChainFile(NoEKU), f.KeyFile(NoEKU)} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := pem.Decode(data); b == nil {
			t.Errorf("%s: no PEM block", name)
		}
	}
	data, _ := os.ReadFile(f.CA)
	n := 0
	for b, rest := pem.Decode(data); b != nil; b, rest = pem.Decode(rest) {
		n++
	}
	if n != 2 {
		t.Errorf("ca.pem has %d certificates, want 2", n)
	}
}
