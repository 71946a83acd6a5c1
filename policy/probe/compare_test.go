package probe_test

import (
	"context"
	"crypto/tls"
	"os/exec"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/policy/probe"
)

// sslscanSameQuestions are the sslscan flags that limit it to the questions
// the probe answers: protocol versions, the certificate and the client CAs
// (no cipher-suite, group, fallback, renegotiation, compression or
// Heartbleed checks).
var sslscanSameQuestions = []string{"--no-colour", "--no-ciphersuites", "--no-groups", "--no-fallback",
	"--no-renegotiation", "--no-compression", "--no-heartbleed", "--show-client-cas"}

// BenchmarkProbeVsSSLScan compares the probe with sslscan limited to the
// same questions, in the same run, against loopback servers: OpenSSL
// s_server and gnutls-serv requiring client certificates, a Go crypto/tls
// server, and a listener that never answers (both with a 1 s timeout
// there). Run:
//
//	go test -run '^$' -bench ProbeVsSSLScan -benchtime 5x ./policy/probe
func BenchmarkProbeVsSSLScan(b *testing.B) {
	stacks.Need(b, "sslscan")
	servers := []struct {
		name, addr string
		timeout    time.Duration
	}{
		{"openssl", stacks.StartOpenSSL(b, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyRequire, ReturnError: true}).Addr, 5 * time.Second},
		{"gnutls", stacks.StartGnuTLS(b, stacks.GnuTLSOptions{ClientCert: stacks.GnuTLSRequire, Verify: true}).Addr, 5 * time.Second},
		{"go", stacks.StartGo(b, stacks.GoOptions{ClientAuth: tls.RequireAndVerifyClientCert}).Addr, 5 * time.Second},
		{"silent", silentServer(b), time.Second},
	}
	for _, s := range servers {
		b.Run("probe/"+s.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := probe.Probe(context.Background(), s.addr, probe.Options{AttemptTimeout: s.timeout}); err != nil {
					b.Fatal(err)
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
				if out, err := exec.Command("sslscan", args...).CombinedOutput(); err != nil {
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

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
