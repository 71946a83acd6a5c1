package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/examples/internal/cli"
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

func runArgs(args ...string) (stdout, stderr string, status int) {
	var out, errs bytes.Buffer
	status = run(&out, &errs, args)
	return out.String(), errs.String(), status
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		args []string
	}{
		{"golden.txt", nil},
		{"golden-json.txt", []string{"-json"}},
	} {
		out, errs, status := runArgs(tc.args...)
		if status != cli.Succeeds {
			t.Errorf("run(%q): exit %d, stderr %q", tc.args, status, errs)
		}
		golden.Check(t, filepath.Join("testdata", tc.file), []byte(out))
	}
}

func TestUsage(t *testing.T) {
	for _, h := range []string{"-h", "--help"} {
		out, _, status := runArgs(h)
		if status != 0 || !strings.Contains(out, "Exit status") {
			t.Errorf("%s: exit %d, stdout %q", h, status, out)
		}
	}
	if _, errs, status := runArgs("-nope"); status != cli.Error || !strings.Contains(errs, "-nope") {
		t.Errorf("-nope: exit %d, stderr %q", status, errs)
	}
}

func TestArgs(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join("testdata", sampleSpecs[1].file)
	pemData, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(pemData)
	der := filepath.Join(dir, "server-only.der")
	os.WriteFile(der, blk.Bytes, 0o644)
	key := filepath.Join(dir, "key.pem")
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{0x30, 0x03, 0x02, 0x01, 0x00}})
	os.WriteFile(key, keyPEM, 0o644)
	combined := filepath.Join(dir, "cert-and-key.pem")
	os.WriteFile(combined, append(append([]byte{}, keyPEM...), pemData...), 0o644)
	bad := filepath.Join(dir, "bad.pem")
	os.WriteFile(bad, []byte("-----BEGIN CERTIFICATE-----\nM!!!\n-----END CERTIFICATE-----\n"), 0o644)
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("hello\n"), 0o644)
	garbage := filepath.Join(dir, "garbage.der")
	os.WriteFile(garbage, []byte{0x30, 0x01, 0x00}, 0o644)
	missing := filepath.Join(dir, "missing.pem")

	for _, tc := range []struct {
		args    []string
		status  int
		stdout  string // in stdout
		stderr  string // in stderr
		jsonOut bool
	}{
		{[]string{file}, cli.Succeeds, "TLS client auth permitted: no", "", false},
		{[]string{der}, cli.Succeeds, "server-only.der (DER)", "", false},
		{[]string{"-json", der}, cli.Succeeds, `"format":"der"`, "", true},
		{[]string{combined}, cli.Succeeds, "TLS client auth permitted: no", "", false},
		{[]string{key}, cli.Error, "", "key.pem: no certificate in it", false},
		{[]string{text}, cli.Error, "", "notes.txt: no certificate in it", false},
		{[]string{garbage}, cli.Error, "", "garbage.der: not a DER certificate", false},
		{[]string{bad}, cli.Error, "", "bad.pem", false},
		{[]string{missing}, cli.Error, "", "missing.pem", false},
		// The good file is still printed; the bad one makes the status 3.
		{[]string{key, file}, cli.Error, "TLS client auth permitted: no", "key.pem", false},
	} {
		out, errs, status := runArgs(tc.args...)
		if status != tc.status || !strings.Contains(out, tc.stdout) || !strings.Contains(errs, tc.stderr) {
			t.Errorf("run(%q): exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
				tc.args, status, out, errs, tc.status, tc.stdout, tc.stderr)
		}
		if tc.jsonOut && !json.Valid([]byte(out)) {
			t.Errorf("run(%q): not JSON: %s", tc.args, out)
		}
	}
	// DER and PEM give the same facts.
	pemOut, _, _ := runArgs("-json", file)
	derOut, _, _ := runArgs("-json", der)
	norm := func(s string) string {
		s = strings.ReplaceAll(s, file, "F")
		s = strings.ReplaceAll(s, der, "F")
		return strings.ReplaceAll(s, `"format":"der"`, `"format":"pem"`)
	}
	if norm(pemOut) != norm(derOut) {
		t.Errorf("PEM and DER differ:\n%s\n%s", pemOut, derOut)
	}
}
