// Package clitest holds test helpers shared by the tests of the programs
// under examples/. It imports package testing; only tests import it.
package clitest

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
)

// ChainServers are real openssl s_server processes on 127.0.0.1 (no client
// certificates) presenting chains of the trust PKI ([testpki.NewTrust]),
// and the old root of that PKI, the store the tests trust, as files.
type ChainServers struct {
	// Trusted presents leaf and int: a chain to the old root.
	Trusted string
	// UnknownRoot presents leaf-unknown and int-unknown: a chain to a root
	// outside the store.
	UnknownRoot string
	// Expired presents leaf-expired and int: an expired leaf under the old
	// root.
	Expired string
	// RootPEM and RootDER are files holding the old root, PEM and DER; both
	// are named root.pem and root.der in a directory of t.TempDir.
	RootPEM, RootDER string
}

// StartChainServers starts the three servers of [ChainServers] and writes
// the root files; the servers stop when the test ends. Name mismatches use
// Trusted with another SNI.
func StartChainServers(t testing.TB) ChainServers {
	t.Helper()
	tp := testpki.NewTrust()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pemOf := func(names ...string) []byte {
		var b []byte
		for _, d := range tp.DER(names...) {
			b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})...)
		}
		return b
	}
	start := func(leaf, inter string) string {
		k := write(leaf+".key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: tp.Certs[leaf].KeyPKCS8}))
		return stacks.StartOpenSSL(t, stacks.OpenSSLOptions{
			CertFile: write(leaf+".pem", pemOf(leaf)), ChainFile: write(inter+".pem", pemOf(inter)), KeyFile: k,
		}).Addr
	}
	return ChainServers{
		Trusted:     start("leaf", "int"),
		UnknownRoot: start("leaf-unknown", "int-unknown"),
		Expired:     start("leaf-expired", "int"),
		RootPEM:     write("root.pem", pemOf("old-root")),
		RootDER:     write("root.der", tp.DER("old-root")[0]),
	}
}
