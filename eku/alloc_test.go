package eku_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"reflect"
	"testing"
	"unsafe"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
)

// TestNoAllocs requires exactly zero allocations for Parse, Has, Permits, the
// OID walk with AppendText, chains and the PEM path.
func TestNoAllocs(t *testing.T) {
	leaf := certgen.MustIssue(certgen.Spec{
		Name:     "alloc leaf",
		EKU:      []asn1.ObjectIdentifier{certgen.OIDServerAuth, certgen.OIDClientAuth, {1, 2, 3, 4, 5, 6}},
		KeyUsage: x509.KeyUsageDigitalSignature, DNSNames: certgen.ManyNames(20),
	}, nil)
	chain := certgen.Chain("alloc", certgen.ChainSpec{LeafEKU: []asn1.ObjectIdentifier{certgen.OIDClientAuth}, NoInterEKU: true, RootEKU: []asn1.ObjectIdentifier{certgen.OIDAny}})
	var bundle []byte
	for _, der := range chain {
		bundle = append(bundle, pemOf(der)...)
	}
	buf := make([]byte, 0, len(bundle))
	sets := make([]eku.Set, 0, 8)
	text := make([]byte, 0, 256)
	var sink bool
	var n int

	tests := []struct {
		name string
		fn   func()
	}{
		{"Parse", func() {
			s, err := eku.Parse(leaf.DER)
			if err != nil {
				panic(err)
			}
			n += s.Len()
		}},
		{"Has+Permits", func() {
			s, _ := eku.Parse(leaf.DER)
			sink = s.Has(eku.ClientAuth) && s.Permits(eku.ServerAuth) && !s.Has(eku.Any)
		}},
		{"OID walk", func() {
			s, _ := eku.Parse(leaf.DER)
			it := s.OIDs()
			text = text[:0]
			for it.Next() {
				text = it.AppendText(text)
				n += int(it.Purpose()) + len(it.DER())
			}
		}},
		{"ParseChain+Permits", func() {
			c, err := eku.ParseChain(chain)
			if err != nil {
				panic(err)
			}
			sink = c.Permits(eku.ClientAuth, eku.Nested) && c.Permits(eku.ClientAuth, eku.RFC5280)
			_, sink = c.Allowed(eku.OpenSSL)
		}},
		{"PEM scanner", func() {
			sc := eku.ScanPEM(bundle, buf[:0])
			for sc.Next() {
				s, err := eku.Parse(sc.DER())
				if err != nil {
					panic(err)
				}
				n += s.Len()
			}
			if sc.Err() != nil {
				panic(sc.Err())
			}
		}},
		{"ParsePEM", func() {
			var err error
			sets, _, err = eku.ParsePEM(bundle, buf[:0], sets[:0])
			if err != nil {
				panic(err)
			}
		}},
		{"ParsePEMChain", func() {
			c, _, err := eku.ParsePEMChain(bundle, buf[:0])
			if err != nil {
				panic(err)
			}
			sink = c.Permits(eku.ClientAuth, eku.Nested)
		}},
	}
	// A certificate the fast path hands to the reference parser (more than 8
	// extensions outside id-ce): Parse's zero-allocation promise covers that
	// path too.
	var extra []pkix.Extension
	for i := range 9 {
		extra = append(extra, pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, i + 1}, Value: []byte{0x05, 0x00}})
	}
	slow := certgen.MustIssue(certgen.Spec{Name: "alloc slow path", EKU: []asn1.ObjectIdentifier{certgen.OIDClientAuth}, Extra: extra}, nil)
	if _, ok := eku.ParseFastForTest(slow.DER); ok {
		t.Fatal("the fast path took the 9-extension certificate; pick another shape to reach the reference parser")
	}
	tests = append(tests,
		struct {
			name string
			fn   func()
		}{"Parse via the reference parser", func() {
			s, err := eku.Parse(slow.DER)
			if err != nil || !s.Has(eku.ClientAuth) {
				panic(err)
			}
		}},
		struct {
			name string
			fn   func()
		}{"reference parser alone", func() {
			s, err := eku.ParseSlowForTest(leaf.DER)
			if err != nil {
				panic(err)
			}
			n += s.Len()
		}},
	)
	for _, tc := range tests {
		if got := testing.AllocsPerRun(100, tc.fn); got != 0 {
			t.Errorf("%s: %v allocations per run, want 0", tc.name, got)
		}
	}
	_, _ = sink, n
}

func pemOf(der []byte) []byte {
	return certgen.Cert{DER: der}.PEM()
}

// x509ParsePEM is what a user would write with the standard library.
func x509ParsePEM(bundle []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, bundle = pem.Decode(bundle)
		if b == nil {
			return certs, nil
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		certs = append(certs, c)
	}
}

// TestSetShape guards what Parse's speed depends on: a Set is at most four
// words (32 bytes) so that the compiler returns it in registers (a larger
// one is returned in memory: when the Set changed from 56 to 32 bytes, the
// typical leaf went from 57 to 53 ns, the CA certificate from 42 to 38), and
// it stays not comparable with ==, which would compare where it was parsed.
func TestSetShape(t *testing.T) {
	if size := unsafe.Sizeof(eku.Set{}); size > 32 {
		t.Errorf("eku.Set is %d bytes, want at most 32", size)
	}
	if reflect.TypeOf(eku.Set{}).Comparable() {
		t.Error("eku.Set is comparable with ==")
	}
}
