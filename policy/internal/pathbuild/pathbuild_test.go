package pathbuild

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

func certs(t *testing.T, names ...string) []*x509.Certificate {
	t.Helper()
	tp := testpki.NewTrust()
	out := make([]*x509.Certificate, len(names))
	for i, n := range names {
		out[i] = tp.Certs[n].Certificate
	}
	return out
}

// TestVerify checks the path builder on the trust PKI with each stack's
// rules (the interop suites in package policy check the same cases
// against the real stacks).
func TestVerify(t *testing.T) {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name         string
		chain, store []string
		stack        string
		dir          Direction
		partial      bool
		want         Failure
		depth        int
		undecided    bool
	}{
		{"trusted", []string{"leaf", "int"}, []string{"old-root"}, "openssl3", ServerVerifies, false, OK, 0, false},
		{"leaf only", []string{"leaf"}, []string{"old-root"}, "go", ServerVerifies, false, UnknownIssuer, 0, false},
		{"intermediate in the store", []string{"leaf"}, []string{"old-root", "int"}, "openssl3", ServerVerifies, false, OK, 0, false},
		{"intermediate anchor, OpenSSL", []string{"leaf", "int"}, []string{"int"}, "openssl3", ServerVerifies, false, UnknownIssuer, 1, false},
		{"intermediate anchor, partial chain", []string{"leaf", "int"}, []string{"int"}, "openssl3", ServerVerifies, true, OK, 0, false},
		{"intermediate anchor, Java", []string{"leaf", "int"}, []string{"int"}, "java", ServerVerifies, false, OK, 0, false},
		{"expired leaf", []string{"leaf-expired", "int"}, []string{"old-root"}, "java", ServerVerifies, false, Expired, 0, false},
		{"not yet valid", []string{"leaf-not-yet-valid", "int"}, []string{"old-root"}, "go", ServerVerifies, false, NotYetValid, 0, false},
		{"expired intermediate", []string{"leaf-under-expired-int", "int-expired"}, []string{"old-root"}, "nss", ServerVerifies, false, Expired, 1, false},
		{"no basicConstraints", []string{"leaf-under-no-bc", "ca-no-bc"}, []string{"old-root"}, "mbedtls", ServerVerifies, false, NotCA, 1, false},
		{"cross, old root", []string{"leaf-under-new-int", "int-new", "cross"}, []string{"old-root"}, "gnutls", ServerVerifies, false, OK, 0, false},
		{"cross, new root", []string{"leaf-under-new-int", "int-new", "cross"}, []string{"new-root"}, "openssl3", ClientVerifies, false, OK, 0, false},
		{"SHA-1, OpenSSL", []string{"leaf-sha1", "int-rsa"}, []string{"old-root"}, "openssl3", ServerVerifies, false, WeakSignature, 0, false},
		{"SHA-1, NSS", []string{"leaf-sha1", "int-rsa"}, []string{"old-root"}, "nss", ServerVerifies, false, OK, 0, false},
		{"SHA-1, Java client", []string{"leaf-sha1", "int-rsa"}, []string{"old-root"}, "java", ClientVerifies, false, OK, 0, true},
		{"RSA 1024, Mbed TLS", []string{"leaf-rsa1024", "int"}, []string{"old-root"}, "mbedtls", ServerVerifies, false, WeakKey, 0, false},
		{"RSA 1024, NSS server", []string{"leaf-rsa1024", "int"}, []string{"old-root"}, "nss", ServerVerifies, false, OK, 0, false},
		{"RSA 1024, NSS client", []string{"leaf-rsa1024", "int"}, []string{"old-root"}, "nss", ClientVerifies, false, WeakKey, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &Store{Anchors: certs(t, tc.store...), PartialChain: tc.partial}
			r := Verify(certs(t, tc.chain...), st, For(tc.stack), tc.dir, at, "")
			if r.Failure != tc.want || (r.Failure != OK && r.Depth != tc.depth) || (r.Undecided != "") != tc.undecided {
				t.Errorf("Verify = %v at depth %d (undecided %q), want %v at depth %d (undecided %v)", r.Failure, r.Depth, r.Undecided, tc.want, tc.depth, tc.undecided)
			}
		})
	}
}

func TestVerifyName(t *testing.T) {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	st := &Store{Anchors: certs(t, "old-root")}
	if r := Verify(certs(t, "leaf", "int"), st, For("go"), ClientVerifies, at, "sip.example.com"); r.Failure != NameMismatch {
		t.Errorf("Verify = %v, want name-mismatch", r.Failure)
	}
	if r := Verify(certs(t, "leaf", "int"), st, For("go"), ClientVerifies, at, "localhost"); r.Failure != OK {
		t.Errorf("Verify = %v, want ok", r.Failure)
	}
}

func TestDistrustAfter(t *testing.T) {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	st := &Store{Anchors: certs(t, "old-root"), DistrustAfter: []time.Time{time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}}
	if r := Verify(certs(t, "leaf", "int"), st, For("go"), ServerVerifies, at, ""); r.Failure != Distrusted || r.Depth != 2 {
		t.Errorf("Verify = %v at %d, want distrusted at depth 2", r.Failure, r.Depth)
	}
}

func TestFailureNames(t *testing.T) {
	for f := OK; f < numFailures; f++ {
		if f.String() == "" || f.String() == "failure(?)" {
			t.Errorf("Failure(%d) has no name", f)
		}
	}
}
