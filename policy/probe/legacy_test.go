package probe_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/tlsver"
)

// rsaServerFiles writes a self-signed RSA server certificate and key (DHE-RSA
// suites need an RSA certificate; the test PKI's server is ECDSA).
func rsaServerFiles(t *testing.T) (certFile, keyFile string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "legacy-only server"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "rsa.pem"), filepath.Join(dir, "rsa.key")
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestProbeLegacyClientAuth (issue 13 item 8): an OpenSSL server offering
// only DHE-RSA suites (which crypto/tls does not implement and zcrypto does)
// at TLS 1.2. crypto/tls gets a handshake_failure alert at every version;
// the version is found through zcrypto, and the client-certificate
// questions are asked through zcrypto too, which the Result says.
func TestProbeLegacyClientAuth(t *testing.T) {
	t.Parallel()
	cert, key := rsaServerFiles(t)
	for _, tc := range []struct {
		verify stacks.OpenSSLVerify
		ret    bool
		want   policy.ClientAuthMode
	}{
		{stacks.OpenSSLVerifyRequire, true, policy.ClientAuthRequireAndVerify},
		{stacks.OpenSSLVerifyPeer, false, policy.ClientAuthRequest},
		{stacks.OpenSSLNone, false, policy.ClientAuthNone},
	} {
		s := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{
			Verify: tc.verify, ReturnError: tc.ret, MinVersion: v12, MaxVersion: v12,
			ExtraArgs: []string{"-cert", cert, "-key", key, "-cert_chain", cert, "-cipher", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"},
		})
		r, err := probe.Probe(context.Background(), s.Addr, probe.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Versions != tlsver.SetOf(tlsver.TLS12) || r.Legacy != tlsver.SetOf(tlsver.TLS12) || !r.Untested.IsEmpty() ||
			r.ClientAuth != tc.want || r.ClientAuthMethod != probe.MethodZcrypto || r.ClientAuthVersion != tlsver.TLS12 ||
			!strings.Contains(r.ClientAuthReason, "zcrypto") || len(r.ServerChain) == 0 {
			t.Errorf("Probe(%s) = versions %v legacy %v untested %v, client auth %v by %v at %v (%q), chain %d",
				s, r.Versions, r.Legacy, r.Untested, r.ClientAuth, r.ClientAuthMethod, r.ClientAuthVersion, r.ClientAuthReason, len(r.ServerChain))
			logAttempts(t, r)
			t.Logf("server log:\n%s", s.Log())
		}
	}
}
