package policy_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
)

// TestChainFromPEMInputs: the forms certificates come in — a bundle with
// the key and other blocks, DER, concatenated DER — give the same chain;
// input without a certificate wraps eku.ErrNoCertificate.
func TestChainFromPEMInputs(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "leaf"},
		NotBefore: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	block := func(typ string, b []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}) }
	cat := func(bs ...[]byte) (out []byte) {
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	want, err := policy.ChainFromDER(leafDER, caDER)
	if err != nil {
		t.Fatal(err)
	}
	if want.Certs[0].Issuer != "CN=Test CA" || want.CAs != policy.CAsComplete {
		t.Fatalf("ChainFromDER: issuer %q, cas %v", want.Certs[0].Issuer, want.CAs)
	}
	for name, in := range map[string][]byte{
		"PEM":                      cat(block("CERTIFICATE", leafDER), block("CERTIFICATE", caDER)),
		"PEM with key first":       cat(block("PRIVATE KEY", keyDER), block("CERTIFICATE", leafDER), block("CERTIFICATE", caDER)),
		"PEM with text and params": cat([]byte("subject=CN=leaf\n"), block("CERTIFICATE", leafDER), block("EC PARAMETERS", []byte{6, 8, 42, 134, 72, 206, 61, 3, 1, 7}), block("CERTIFICATE", caDER), block("EC PRIVATE KEY", []byte{1})),
		"concatenated DER":         cat(leafDER, caDER),
	} {
		got, err := policy.ChainFromPEM(in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(got.Certs) != 2 || got.Certs[0].Subject != want.Certs[0].Subject || got.Certs[1].Subject != want.Certs[1].Subject || got.CAs != want.CAs || got.Certs[0].EKU != want.Certs[0].EKU {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
	if got, err := policy.ChainFromPEM(leafDER); err != nil || len(got.Certs) != 1 {
		t.Errorf("single DER certificate: %v, %v", got, err)
	}
	for name, in := range map[string][]byte{
		"empty":    nil,
		"key only": block("PRIVATE KEY", keyDER),
		"text":     []byte("hello"),
	} {
		if _, err := policy.ChainFromPEM(in); !errors.Is(err, eku.ErrNoCertificate) {
			t.Errorf("%s: %v, want an error wrapping eku.ErrNoCertificate", name, err)
		}
	}
	if _, err := policy.ChainFromX509(); !errors.Is(err, eku.ErrNoCertificate) {
		t.Errorf("ChainFromX509(): %v, want eku.ErrNoCertificate", err)
	}
	// A damaged certificate block is an *eku.PEMError, and damaged DER wraps
	// the x509 error.
	bad := cat(block("CERTIFICATE", leafDER), []byte("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"))
	var pe *eku.PEMError
	if _, err := policy.ChainFromPEM(bad); !errors.As(err, &pe) {
		t.Errorf("damaged block: %v, want an *eku.PEMError", err)
	}
	if _, err := policy.ChainFromPEM(leafDER[:len(leafDER)-5]); err == nil || errors.Is(err, eku.ErrNoCertificate) {
		t.Errorf("truncated DER: %v, want a parse error", err)
	}
}
