package probe_test

import (
	"context"
	"crypto/tls"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/tlsver"
)

// sslscanSameQuestions are the sslscan flags that limit it to the questions
// the probe answers: protocol versions, the certificate and the client CAs
// (no cipher-suite, group, fallback, renegotiation, compression or
// Heartbleed checks).
var sslscanSameQuestions = []string{"--no-colour", "--no-ciphersuites", "--no-groups", "--no-fallback",
	"--no-renegotiation", "--no-compression", "--no-heartbleed", "--show-client-cas"}

// BenchmarkProbeVsSSLScan compares the probe with sslscan limited to the
// same questions, in the same run, against loopback servers, each requiring
// and verifying a client certificate where the stack offers that: OpenSSL
// s_server (-Verify), gnutls-serv (--require-client-cert --verify-client-cert),
// a Go crypto/tls server, Java JSSE (needClientAuth), NSS selfserv (-r -r),
// the Mbed TLS server (authmode required, TLS 1.0–1.2; there the mode may
// be "unknown" after a reset, see resetOK) and Kamailio
// (verify_certificate and require_certificate), plus a listener that never
// answers (1 s timeout there, 5 s elsewhere). Each probe must report the
// server's versions and client-certificate mode exactly (and nothing decided
// on the silent listener), or the benchmark fails; sslscan runs that fail
// are counted (failed/op), since the time until then is still what a user
// waits. Run:
//
//	TLSCOMPAT_REQUIRE_STACKS=1 go test -run '^$' -bench ProbeVsSSLScan -benchtime 5x ./policy/probe
func BenchmarkProbeVsSSLScan(b *testing.B) {
	stacks.Need(b, "sslscan")
	type server struct {
		name, addr string
		timeout    time.Duration
		lo, hi     uint16 // versions the server accepts; 0, 0 for the silent listener
		mode       policy.ClientAuthMode
		// resetOK accepts "unknown" for the mode when the probe saw the
		// CertificateRequest and the server then reset the connection:
		// the Mbed TLS test server closes a refused connection with the
		// client's flight unread, which the kernel turns into a reset,
		// and a reset decides nothing (classify in attempt.go).
		resetOK bool
	}
	rv := policy.ClientAuthRequireAndVerify
	java := stacks.StartJava(b, stacks.JavaOptions{ClientAuth: stacks.JavaNeed, MinVersion: v12, MaxVersion: v13})
	servers := []server{
		{"openssl", stacks.StartOpenSSL(b, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyRequire, ReturnError: true, MinVersion: v12, MaxVersion: v13}).Addr, 5 * time.Second, v12, v13, rv, false},
		{"gnutls", stacks.StartGnuTLS(b, stacks.GnuTLSOptions{ClientCert: stacks.GnuTLSRequire, Verify: true, MinVersion: v12, MaxVersion: v13}).Addr, 5 * time.Second, v12, v13, rv, false},
		{"go", stacks.StartGo(b, stacks.GoOptions{ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: v12, MaxVersion: v13}).Addr, 5 * time.Second, v12, v13, rv, false},
		{"java", java[0].Addr, 5 * time.Second, v12, v13, rv, false},
		{"nss", stacks.StartNSS(b, stacks.NSSOptions{ClientCert: stacks.NSSRequire, MinVersion: v12, MaxVersion: v13}).Addr, 5 * time.Second, v12, v13, rv, false},
		{"mbedtls", stacks.StartMbedTLS(b, stacks.MbedTLSOptions{AuthMode: stacks.MbedTLSRequired, MinVersion: v10, MaxVersion: v12}).Addr, 5 * time.Second, v10, v12, rv, true},
		{"kamailio", stacks.StartKamailio(b, stacks.KamailioOptions{VerifyCertificate: true, RequireCertificate: true, Method: "TLSv1.2+"}).Addr, 5 * time.Second, v12, v13, rv, false},
		{"silent", silentServer(b), time.Second, 0, 0, policy.ClientAuthUnknown, false},
	}
	for _, s := range servers {
		b.Run("probe/"+s.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r, err := probe.Probe(context.Background(), s.addr, probe.Options{AttemptTimeout: s.timeout})
				if err != nil {
					b.Fatal(err)
				}
				if s.resetOK && r.ClientAuth == policy.ClientAuthUnknown && r.CertificateRequest == probe.Yes &&
					strings.Contains(r.ClientAuthReason, "connection reset") {
					if i == 0 {
						b.Logf("Probe(%s): client auth unknown: %s", s.name, r.ClientAuthReason)
					}
					r.ClientAuth = s.mode
				}
				if msg := wrongAnswer(r, s.lo, s.hi, s.mode); msg != "" {
					b.Fatalf("Probe(%s %s): %s; attempts: %v", s.name, s.addr, msg, r.Attempts)
				}
			}
		})
		b.Run("sslscan/"+s.name, func(b *testing.B) {
			args := append(append([]string(nil), sslscanSameQuestions...), "--timeout="+itoa(int(s.timeout/time.Second)), s.addr)
			failed := 0
			for i := 0; i < b.N; i++ {
				// sslscan 2.0.7 dies of SIGPIPE against gnutls-serv (the
				// server closes while sslscan writes); the time until then
				// is still what a user waits, and the failures are counted.
				// A run that cannot start at all fails the benchmark.
				out, err := exec.Command("sslscan", args...).CombinedOutput()
				var exit *exec.ExitError
				if err != nil && !errors.As(err, &exit) {
					b.Fatalf("sslscan %v: %v", args, err)
				}
				if err != nil {
					if failed == 0 {
						b.Logf("sslscan %v: %v\n%s", args, err, out)
					}
					failed++
				}
			}
			b.ReportMetric(float64(failed)/float64(b.N), "failed/op")
		})
	}
}

// wrongAnswer returns what is wrong in r for a server accepting versions
// lo–hi in the given mode, or "". lo == 0 means a server that never
// answers: nothing may be decided then.
func wrongAnswer(r probe.Result, lo, hi uint16, mode policy.ClientAuthMode) string {
	if lo == 0 {
		if !r.Versions.IsEmpty() || !r.Rejected.IsEmpty() || r.ClientAuth != policy.ClientAuthUnknown {
			return "decided something on a silent listener: versions " + r.Versions.String() + ", rejected " + r.Rejected.String() + ", client auth " + r.ClientAuth.String()
		}
		return ""
	}
	want := tlsver.Range(tlsver.Version(lo), tlsver.Version(hi))
	if r.Versions != want || !r.Untested.IsEmpty() {
		return "versions " + r.Versions.String() + " (untested " + r.Untested.String() + "), want " + want.String()
	}
	if r.ClientAuth != mode {
		return "client auth " + r.ClientAuth.String() + " (" + r.ClientAuthReason + "), want " + mode.String()
	}
	return ""
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
