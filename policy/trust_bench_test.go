package policy_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// trustBenchInput is a 3-certificate client chain (leaf, intermediate,
// root) and a 150-root store: Mozilla's roots, the trust PKI's roots and
// generated ones.
func trustBenchInput(b *testing.B) (policy.Scenario, [][]byte, [][]byte) {
	b.Helper()
	moz, err := policy.MozillaTrust()
	if err != nil {
		b.Fatal(err)
	}
	tp := testpki.NewTrust()
	var store [][]byte
	for _, a := range moz.Anchors {
		store = append(store, a.DER)
	}
	store = append(store, tp.DER("old-root", "new-root", "unknown-root")...)
	for i := int64(0); len(store) < 150; i++ {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(i + 1), Subject: pkix.Name{CommonName: "bench root " + string(rune('a'+i))},
			NotBefore: testpki.NotBefore, NotAfter: testpki.NotAfter, IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
		d, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
		if err != nil {
			b.Fatal(err)
		}
		store = append(store, d)
	}
	chain := tp.DER("leaf", "int", "old-root")
	s := trustScenario(b, []string{"leaf", "int", "old-root"}, []string{"old-root"})
	s.Server.Trust, err = policy.TrustFromDER("150 roots", store...)
	if err != nil {
		b.Fatal(err)
	}
	s.Server.Stack = policy.GoCryptoTLS
	s.Client.Versions = tlsver.SetOf(tlsver.TLS13)
	return s, chain, store
}

// BenchmarkTrust compares, in one run, Evaluate deciding a 3-certificate
// client chain against a 150-root store (path building with signatures,
// validity, basicConstraints, and the stack's purpose rules on the built
// path) with crypto/x509's Verify of the same chain against a pool of the
// same roots, with and without parsing the chain's DER first.
func BenchmarkTrust(b *testing.B) {
	s, chain, store := trustBenchInput(b)
	if o := policy.Evaluate(s); o.Verdict != policy.Succeeds || !o.Has(policy.CodeChainTrusted) {
		b.Fatalf("Evaluate = %v %v, want succeeds with chain-trusted", o.Verdict, o.Findings())
	}
	pool := x509.NewCertPool()
	for _, d := range store {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			b.Fatal(err)
		}
		pool.AddCert(c)
	}
	parsed := make([]*x509.Certificate, len(chain))
	for i, d := range chain {
		parsed[i], _ = x509.ParseCertificate(d)
	}
	verify := func(leaf *x509.Certificate, rest []*x509.Certificate) {
		inter := x509.NewCertPool()
		for _, c := range rest {
			inter.AddCert(c)
		}
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter, CurrentTime: s.At, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("Evaluate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			policy.Evaluate(s)
		}
	})
	b.Run("x509.Verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			verify(parsed[0], parsed[1:])
		}
	})
	b.Run("x509.Parse+Verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cs := make([]*x509.Certificate, len(chain))
			for i, d := range chain {
				cs[i], _ = x509.ParseCertificate(d)
			}
			verify(cs[0], cs[1:])
		}
	})
	_ = time.Now
}
