package clitest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"testing"
	"time"
)

// TestStartChainServers: each server completes a real handshake and
// presents the chain it is documented to present, verified against the
// written root.
func TestStartChainServers(t *testing.T) {
	cs := StartChainServers(t)
	pemRoot, err := os.ReadFile(cs.RootPEM)
	if err != nil {
		t.Fatal(err)
	}
	der, err := os.ReadFile(cs.RootDER)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := pem.Decode(pemRoot); b == nil || string(b.Bytes) != string(der) {
		t.Fatalf("%s and %s do not hold the same certificate", cs.RootPEM, cs.RootDER)
	}
	root, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(root)
	for _, tc := range []struct {
		name, addr string
		verifies   bool
	}{
		{"trusted", cs.Trusted, true},
		{"unknown root", cs.UnknownRoot, false},
		{"expired", cs.Expired, false},
	} {
		conn, err := tls.Dial("tcp", tc.addr, &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		certs := conn.ConnectionState().PeerCertificates
		conn.Close()
		if len(certs) < 2 {
			t.Fatalf("%s: %d certificate(s), want leaf and intermediate", tc.name, len(certs))
		}
		inter := x509.NewCertPool()
		inter.AddCert(certs[1])
		_, err = certs[0].Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter, CurrentTime: time.Now()})
		if (err == nil) != tc.verifies {
			t.Errorf("%s: verify error %v, want verified %v", tc.name, err, tc.verifies)
		}
	}
}
