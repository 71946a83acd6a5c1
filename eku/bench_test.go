package eku_test

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
	zx509 "github.com/zmap/zcrypto/x509"
)

var (
	benchOnce  sync.Once
	benchCerts []struct {
		name string
		der  []byte
	}
)

// benchShapes returns RSA-2048 certificates of five shapes: a typical leaf
// (SANs and an SCT-sized extension under a private OID), a large multi-SAN
// leaf, a CA certificate, a leaf without EKU, and a leaf shaped like a
// public CA's (SCT list, AIA, CRL distribution point, certificate
// policies). They are the same bytes in every run
// (a fixed test key; PKCS #1 v1.5 signatures are deterministic), so that
// figures from separate runs compare.
func benchShapes(b *testing.B) []struct {
	name string
	der  []byte
} {
	benchOnce.Do(func() {
		key := benchKey(b)
		sct := pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 1}, Value: append([]byte{0x04, 0x81, 0xf0}, make([]byte, 240)...)}
		ca := certgen.MustIssue(certgen.Spec{Name: "bench CA", CA: true, RSA: key, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
			EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth, certgen.OIDClientAuth}}, nil)
		add := func(name string, spec certgen.Spec) {
			spec.Name, spec.RSA = "bench "+name, key
			c := certgen.MustIssue(spec, &ca)
			benchCerts = append(benchCerts, struct {
				name string
				der  []byte
			}{name, c.DER})
		}
		add("leaf", certgen.Spec{EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth, certgen.OIDClientAuth},
			KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			DNSNames: []string{"sip.example.com", "www.example.com"}, Extra: []pkix.Extension{sct}})
		add("multiSAN", certgen.Spec{EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth},
			KeyUsage: x509.KeyUsageDigitalSignature, DNSNames: certgen.ManyNames(250), Extra: []pkix.Extension{sct}})
		benchCerts = append(benchCerts, struct {
			name string
			der  []byte
		}{"CA", ca.DER})
		add("noEKU", certgen.Spec{NoEKU: true, KeyUsage: x509.KeyUsageDigitalSignature, DNSNames: []string{"legacy.example.com"}})
		// A leaf as public CAs issue them: two SCTs in the real
		// SignedCertificateTimestampList extension (1.3.6.1.4.1.11129.2.4.2),
		// AIA, CRL distribution point, certificate policies, SKI.
		scts := pkix.Extension{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 2}, Value: sctList(2)}
		add("webLeaf", certgen.Spec{EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth, certgen.OIDClientAuth},
			KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, WebPKI: true,
			DNSNames: []string{"sip.example.com", "www.example.com"}, Extra: []pkix.Extension{scts}})
		// A small ECDSA P-256 CA certificate (an intermediate as public CAs
		// issue them: KeyUsage, basicConstraints, EKU, subject and
		// authority key identifiers; about 500 bytes), under a self-signed
		// ECDSA root. Its extensions take 128-255 bytes (0x81 lengths).
		// ECDSA signatures here are deterministic (RFC 6979).
		ecKey := benchECKey(b)
		ecRoot := certgen.MustIssue(certgen.Spec{Name: "bench ECDSA root", CA: true, NoEKU: true, ECDSA: ecKey,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}, nil)
		ecCA := certgen.MustIssue(certgen.Spec{Name: "bench ECDSA intermediate CA E1", CA: true, ECDSA: ecKey,
			KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
			EKU:      []asn1.ObjectIdentifier{certgen.OIDServerAuth, certgen.OIDClientAuth}}, &ecRoot)
		benchCerts = append(benchCerts, struct {
			name string
			der  []byte
		}{"ecdsaCA", ecCA.DER})
	})
	return benchCerts
}

// sctList returns the extnValue of a SignedCertificateTimestampList
// extension (RFC 6962, 3.3) with n well-formed v1 SCTs, each with a 71-byte
// ECDSA-sized signature, as CT logs issue them.
func sctList(n int) []byte {
	var list []byte
	for i := range n {
		var sct []byte
		sct = append(sct, 0)                         // version v1
		sct = append(sct, make([]byte, 32)...)       // log id
		sct[1] = byte(i + 1)                         // (distinct logs)
		sct = append(sct, 0, 0, 1, 0x90, 0, 0, 0, 0) // timestamp
		sct = append(sct, 0, 0)                      // no extensions
		sct = append(sct, 4, 3, 0, 71)               // SHA-256, ECDSA, signature length
		sct = append(sct, make([]byte, 71)...)       // signature
		list = append(list, byte(len(sct)>>8), byte(len(sct)))
		list = append(list, sct...)
	}
	list = append([]byte{byte(len(list) >> 8), byte(len(list))}, list...)
	val, err := asn1.Marshal(list) // OCTET STRING
	if err != nil {
		panic(err)
	}
	return val
}

// benchKey returns the fixed RSA-2048 test key of the benchmarks
// (testdata/bench-rsa2048.key, made with openssl genpkey; not a secret).
func benchKey(b *testing.B) *rsa.PrivateKey {
	return benchPrivateKey(b, "testdata/bench-rsa2048.key").(*rsa.PrivateKey)
}

// benchECKey returns the fixed ECDSA P-256 test key of the benchmarks
// (testdata/bench-p256.key, made with openssl genpkey; not a secret).
func benchECKey(b *testing.B) *ecdsa.PrivateKey {
	return benchPrivateKey(b, "testdata/bench-p256.key").(*ecdsa.PrivateKey)
}

// benchPrivateKey reads a PKCS #8 PEM key file.
func benchPrivateKey(b *testing.B, file string) any {
	pemBytes, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		b.Fatalf("%s: no PEM block", file)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		b.Fatal(err)
	}
	return k
}

var (
	rootsOnce   sync.Once
	rootsBundle []byte
)

// benchRoots returns a PEM bundle of 150 self-signed CA certificates shaped
// like a trust store's (150 roots, as in Debian's ca-certificates): 60%
// RSA-4096, 25% RSA-2048, 15% ECDSA P-256 (fixed keys in testdata, made
// with openssl genpkey; the signatures are deterministic, so the bundle is
// the same bytes in every run); keyUsage, basicConstraints, a subject key
// identifier, and an EKU on every tenth.
func benchRoots(b *testing.B) []byte {
	rootsOnce.Do(func() {
		rsa4096 := benchPrivateKey(b, "testdata/bench-rsa4096.key").(*rsa.PrivateKey)
		rsa2048, p256 := benchKey(b), benchECKey(b)
		for i := range 150 {
			spec := certgen.Spec{Name: fmt.Sprintf("bench trust anchor %03d", i), CA: true, NoEKU: i%10 != 0,
				KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
			if !spec.NoEKU {
				spec.EKU = []asn1.ObjectIdentifier{certgen.OIDServerAuth, certgen.OIDClientAuth}
			}
			switch k := i % 20; {
			case k < 12:
				spec.RSA = rsa4096
			case k < 17:
				spec.RSA = rsa2048
			default:
				spec.ECDSA = p256
			}
			rootsBundle = append(rootsBundle, certgen.MustIssue(spec, nil).PEM()...)
		}
	})
	return rootsBundle
}

// systemRoots is Debian's trust store (package ca-certificates), the
// real-roots variant of the PEM benchmark.
const systemRoots = "/etc/ssl/certs/ca-certificates.crt"

var (
	sinkBool bool
	sinkInt  int
)

// BenchmarkParse compares eku.Parse with crypto/x509 and zcrypto parsing the
// same bytes, per certificate shape. The figures in the README come
// from:
//
//	go test -run '^$' -bench 'Parse|PEM' -benchmem -count 10 ./eku > new.txt
//	go run golang.org/x/perf/cmd/benchstat@latest new.txt
func BenchmarkParse(b *testing.B) {
	for _, c := range benchShapes(b) {
		der := c.der
		b.Run(c.name+"/eku", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(der)))
			for i := 0; i < b.N; i++ {
				s, err := eku.Parse(der)
				if err != nil {
					b.Fatal(err)
				}
				sinkBool = s.Permits(eku.ClientAuth)
			}
		})
		b.Run(c.name+"/x509", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(der)))
			for i := 0; i < b.N; i++ {
				cert, err := x509.ParseCertificate(der)
				if err != nil {
					b.Fatal(err)
				}
				sinkInt = len(cert.ExtKeyUsage)
			}
		})
		b.Run(c.name+"/zcrypto", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(der)))
			for i := 0; i < b.N; i++ {
				cert, err := zx509.ParseCertificate(der)
				if err != nil {
					b.Fatal(err)
				}
				sinkInt = len(cert.ExtKeyUsage)
			}
		})
	}
}

// BenchmarkPEM compares the PEM path (eku.ParsePEM into a reused buffer)
// with encoding/pem + crypto/x509 over three bundles: a leaf+CA chain (the
// typical leaf and CA shapes of BenchmarkParse), the generated 150-root
// trust store of benchRoots, and Debian's trust store (systemRoots). The
// ScanPEM+Parse variant decodes every certificate whole (the scanner's
// DER), as a caller who needs the DER does.
func BenchmarkPEM(b *testing.B) {
	shapes := benchShapes(b)
	system, err := os.ReadFile(systemRoots)
	if err != nil {
		b.Fatalf("the real-roots variant reads Debian's trust store (apt-get install ca-certificates): %v", err)
	}
	for _, bc := range []struct {
		name   string
		bundle []byte
	}{
		{"leaf+CA", append(pemOf(shapes[0].der), pemOf(shapes[2].der)...)},
		{"roots150", benchRoots(b)},
		{"systemRoots", system},
	} {
		bundle := bc.bundle
		buf := make([]byte, 0, len(bundle))
		sets := make([]eku.Set, 0, 200)
		b.Run(bc.name+"/eku", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bundle)))
			for i := 0; i < b.N; i++ {
				var err error
				sets, _, err = eku.ParsePEM(bundle, buf[:0], sets[:0])
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/ScanPEM+Parse", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bundle)))
			for i := 0; i < b.N; i++ {
				sc := eku.ScanPEM(bundle, buf[:0])
				for sc.Next() {
					s, err := eku.Parse(sc.DER())
					if err != nil {
						b.Fatal(err)
					}
					sinkBool = s.Present()
				}
				if sc.Err() != nil {
					b.Fatal(sc.Err())
				}
			}
		})
		b.Run(bc.name+"/encoding_pem+x509", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bundle)))
			for i := 0; i < b.N; i++ {
				certs, err := x509ParsePEM(bundle)
				if err != nil {
					b.Fatal(err)
				}
				sinkInt = len(certs)
			}
		})
	}
}

// TestSpeedRatio checks the headline claim loosely, to stay robust on a
// loaded CI machine (BenchmarkParse shows the real ratio; the README gives
// the figures): eku.Parse
// must be at least 20 times faster than crypto/x509 on a typical leaf, or 5
// times under the race detector, which slows eku.Parse's memory reads far more
// than crypto/x509's allocations (measured: about 17x there, 50-100x without).
func TestSpeedRatio(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	leaf := benchShapes(&testing.B{})[0].der
	ekuRes := testing.Benchmark(func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s, _ := eku.Parse(leaf)
			sinkBool = s.Present()
		}
	})
	x509Res := testing.Benchmark(func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c, _ := x509.ParseCertificate(leaf)
			sinkInt = len(c.ExtKeyUsage)
		}
	})
	ratio := float64(x509Res.NsPerOp()) / float64(max(ekuRes.NsPerOp(), 1))
	t.Logf("typical leaf: eku.Parse %d ns/op, crypto/x509 %d ns/op, ratio %.0f", ekuRes.NsPerOp(), x509Res.NsPerOp(), ratio)
	want := 20.0
	if raceEnabled {
		want = 5
	}
	if ratio < want {
		t.Errorf("eku.Parse is only %.1f times faster than crypto/x509, want >= %.0f (target 100; see the benchmarks)", ratio, want)
	}
}

// BenchmarkHeaderChain measures the floor under Parse: only the chain of
// dependent header reads it makes on the typical leaf (each length gives the
// next offset: the TBSCertificate fields, then every Extension), with no
// checks, each walk starting from the result of the one before so that walks
// cannot overlap. Parse's time above this is its checking work.
func BenchmarkHeaderChain(b *testing.B) {
	der := benchShapes(b)[0].der
	if end := headerChain(der, 0); der[end] != 0x30 || der[end+1] != 0x0d { // signatureAlgorithm (RSA)
		b.Fatalf("headerChain stopped at %d of %d (% x), not at the signatureAlgorithm", end, len(der), der[end:end+4])
	}
	b.ReportAllocs()
	z := 0
	for i := 0; i < b.N; i++ {
		z = headerChain(der, z>>40) // z>>40 is 0, but the compiler cannot know
	}
	sinkInt = z
}

// headerChain walks the headers of der as Parse's fast path does and returns
// the end of the extensions; it assumes the shapes of benchShapes.
func headerChain(der []byte, z int) int {
	i := 13 + z   // Certificate and TBSCertificate headers, version
	for range 6 { // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
		if der[i+1] == 0x82 {
			i += 4 + (int(der[i+2])<<8 | int(der[i+3]))
		} else {
			i += 2 + int(der[i+1])
		}
	}
	if der[i+1] == 0x82 { // extensions [3] and the Extensions SEQUENCE
		i += 8
	} else {
		i += 4
	}
	for i < len(der)-300 && der[i] == 0x30 { // every Extension
		switch der[i+1] {
		case 0x82:
			i += 4 + (int(der[i+2])<<8 | int(der[i+3]))
		case 0x81:
			i += 3 + int(der[i+2])
		default:
			i += 2 + int(der[i+1])
		}
	}
	return i
}
