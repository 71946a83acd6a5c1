package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/golden"
)

// sample describes a built-in certificate. Ed25519 signatures are
// deterministic, so the files are reproducible byte for byte.
type sample struct {
	file, cn string
	eku      []asn1.ObjectIdentifier
	noEKU    bool
	ku       x509.KeyUsage
}

var (
	oidServerAuth = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
	oidClientAuth = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
)

var sampleSpecs = []sample{
	{"1-sip-2025-server-client.pem", "byoc-sip.example.net (issued 2025)", []asn1.ObjectIdentifier{oidServerAuth, oidClientAuth}, false, x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment},
	{"2-sip-2026-server-only.pem", "byoc-sip.example.net (issued 2026)", []asn1.ObjectIdentifier{oidServerAuth}, false, x509.KeyUsageDigitalSignature},
	{"3-legacy-no-eku.pem", "legacy.example.net", nil, true, x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment},
}

func makeSample(t *testing.T, s sample) []byte {
	seed := sha256.Sum256([]byte("ekuinfo sample " + s.cn))
	key := ed25519.NewKeyFromSeed(seed[:])
	caSeed := sha256.Sum256([]byte("ekuinfo sample CA"))
	caKey := ed25519.NewKeyFromSeed(caSeed[:])
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Example Public CA (sample)"},
		NotBefore: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(seed[0]) + 2), Subject: pkix.Name{CommonName: s.cn, Organization: []string{"Example SIP"}},
		NotBefore: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		BasicConstraintsValid: true, KeyUsage: s.ku, DNSNames: []string{"byoc-sip.example.net"}, AuthorityKeyId: []byte{1, 2, 3, 4}}
	if !s.noEKU {
		val, err := asn1.Marshal(s.eku)
		if err != nil {
			t.Fatal(err)
		}
		tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Value: val}}
	}
	der, err := x509.CreateCertificate(nil, tmpl, ca, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// TestSamplesReproducible proves the embedded samples come from sampleSpecs.
func TestSamplesReproducible(t *testing.T) {
	for _, s := range sampleSpecs {
		want := makeSample(t, s)
		file := filepath.Join("testdata", s.file)
		if golden.Update() {
			if err := os.WriteFile(file, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its spec; run go test ./examples/ekuinfo -update", file)
		}
	}
}

func TestGolden(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatalf("run() error = %v", err)
	}
	golden.Check(t, filepath.Join("testdata", "golden.txt"), out.Bytes())
}

func TestArgs(t *testing.T) {
	var out bytes.Buffer
	file := filepath.Join("testdata", sampleSpecs[1].file)
	if err := run(&out, []string{file}); err != nil {
		t.Fatalf("run(%s) error = %v", file, err)
	}
	if !bytes.Contains(out.Bytes(), []byte("TLS client auth permitted: no")) {
		t.Errorf("run(%s) = %s, want client auth not permitted", file, out.String())
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(bad, []byte("-----BEGIN CERTIFICATE-----\nM!!!\n-----END CERTIFICATE-----\n"), 0o644)
	if err := run(&out, []string{bad}); err == nil {
		t.Errorf("run(broken base64) succeeded")
	}
	if err := run(&out, []string{filepath.Join(t.TempDir(), "missing.pem")}); err == nil {
		t.Errorf("run(missing file) succeeded")
	}
}
