package policy_test

import (
	"crypto/x509"
	"testing"

	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
)

var sinkOutcome policy.Outcome

// BenchmarkEvaluate runs Evaluate on every seed story.
func BenchmarkEvaluate(b *testing.B) {
	for _, s := range products.Stories() {
		b.Run(s.Name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sinkOutcome = policy.Evaluate(s)
			}
		})
	}
}

var sinkErr error

// BenchmarkX509VerifyClientAuth is the alternative a user would pick for the
// certificate part: crypto/x509 Verify with ExtKeyUsageClientAuth on a
// two-certificate chain (Go's rule only, no version or stack model).
func BenchmarkX509VerifyClientAuth(b *testing.B) {
	pki := testpki.New()
	leaf := pki.Variant(testpki.ServerOnly)
	inter := x509.NewCertPool()
	for _, d := range leaf.Chain[1:] {
		c, _ := x509.ParseCertificate(d)
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{Roots: pki.RootPool(), Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, sinkErr = leaf.Certificate.Verify(opts)
	}
}

// TestEvaluateAllocs gates allocations: the certificate stories allocate
// nothing, including those that look versions up in the tlsver matrix.
func TestEvaluateAllocs(t *testing.T) {
	for _, s := range products.Stories() {
		n := testing.AllocsPerRun(100, func() { sinkOutcome = policy.Evaluate(s) })
		if n != 0 {
			t.Errorf("Evaluate(%s) allocates %.0f times, want 0", s.Name, n)
		}
	}
}
