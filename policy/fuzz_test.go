package policy_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"testing"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
)

// FuzzScenarioJSON decodes arbitrary JSON as a Scenario; whatever decodes
// must evaluate without panicking, re-encode, and round-trip: the decoded
// re-encoding is byte-identical and evaluates identically.
func FuzzScenarioJSON(f *testing.F) {
	for _, s := range products.Stories() {
		b, err := json.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"server":{"stack":"gnutls","stack_version":"3.8.13","client_auth":"verify-if-given","versions":"TLS 1.2"},"client":{"versions":"TLS 1.2","chain":{"certs":[{"eku":["anyExtendedKeyUsage"]}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s policy.Scenario
		if err := json.Unmarshal(data, &s); err != nil {
			return
		}
		o := policy.Evaluate(s)
		if o.Verdict == policy.VerdictUnset {
			t.Fatalf("Evaluate(%s): verdict unset", data)
		}
		_ = o.Explain()
		ob, err := json.Marshal(o)
		if err != nil {
			t.Fatalf("json.Marshal(outcome): %v", err)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("json.Marshal(decoded scenario): %v", err)
		}
		var back policy.Scenario
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("json.Unmarshal(%s): %v", b, err)
		}
		if b2, _ := json.Marshal(back); !bytes.Equal(b, b2) {
			t.Fatalf("round trip differs:\n%s\n%s", b, b2)
		}
		if ob2, _ := json.Marshal(policy.Evaluate(back)); !bytes.Equal(ob, ob2) {
			t.Fatalf("Evaluate differs after the round trip:\n%s\n%s", ob, ob2)
		}
	})
}

// FuzzOutcomeJSON decodes arbitrary JSON as an Outcome: an error or an
// outcome whose JSON round-trips byte for byte.
func FuzzOutcomeJSON(f *testing.F) {
	for _, s := range products.Stories() {
		b, err := json.Marshal(policy.Evaluate(s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var o policy.Outcome
		if err := json.Unmarshal(data, &o); err != nil {
			return
		}
		b, err := json.Marshal(o)
		if err != nil {
			return // e.g. a date past year 9999 decodes but cannot be written
		}
		var back policy.Outcome
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("json.Unmarshal(%s): %v", b, err)
		}
		if b2, _ := json.Marshal(back); !bytes.Equal(b, b2) {
			t.Fatalf("round trip differs:\n%s\n%s", b, b2)
		}
	})
}

// FuzzChainFromPEM parses arbitrary bytes as a PEM chain: an error or a
// chain, never a panic, and never both.
func FuzzChainFromPEM(f *testing.F) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fuzz"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	f.Add(der)
	f.Add(append(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...))
	f.Fuzz(func(t *testing.T, data []byte) {
		ch, err := policy.ChainFromPEM(data)
		if (err == nil) == (ch == nil) {
			t.Fatalf("ChainFromPEM = %v, %v: want exactly one of chain and error", ch, err)
		}
	})
}
