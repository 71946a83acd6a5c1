package probe_test

import (
	"context"
	"crypto/tls"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/tlsver"
)

// TestProbeSSL3Java probes the one real SSL 3.0 server the machine can run:
// Java JSSE (JDK 17 still implements SSL 3.0 and only disables it by
// jdk.tls.disabledAlgorithms, which the harness overrides). A server that
// speaks only SSL 3.0 is reported with exactly that version, every TLS
// version rejected, and client authentication unknown (the probe's
// client-auth questions need a TLS handshake); a server with SSL 3.0 to TLS
// 1.2 is reported with all four versions and its client-auth mode.
func TestProbeSSL3Java(t *testing.T) {
	if testing.Short() {
		t.Skip("real-stack probe: skipped in -short mode")
	}
	const ssl30 = 0x0300
	js := stacks.StartJava(t,
		stacks.JavaOptions{ClientAuth: stacks.JavaNone, Protocols: []uint16{ssl30}},
		stacks.JavaOptions{ClientAuth: stacks.JavaWant, MinVersion: ssl30, MaxVersion: tls.VersionTLS12})

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := probe.Probe(ctx, js[0].Addr, probe.Options{AttemptTimeout: 10 * time.Second, ReadTimeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("Probe(%s): %v", js[0], err)
	}
	if r.Versions != tlsver.SetOf(tlsver.SSL30) || r.Legacy != tlsver.SetOf(tlsver.SSL30) || r.Rejected != tlsver.Range(tlsver.TLS10, tlsver.TLS13) || r.ClientAuth != policy.ClientAuthUnknown || r.ClientAuthReason == "" {
		t.Errorf("Probe(%s) = versions %v, rejected %v, client auth %v (%s); want SSL 3.0 only, TLS 1.0-1.3 rejected, unknown with a reason",
			js[0], r.Versions, r.Rejected, r.ClientAuth, r.ClientAuthReason)
		for _, a := range r.Attempts {
			t.Logf("  attempt: %v  %s", a, a.Err)
		}
		t.Logf("server log:\n%s", js[0].Log())
	}
	t.Logf("%s: %v; client auth: %s", js[0], r.Versions, r.ClientAuthReason)

	// SSL 3.0 to TLS 1.2, want: the SSL 3.0 attempt reads only the
	// ServerHello, so the CertificateRequest is seen at TLS 1.0-1.2.
	r, err = probe.Probe(ctx, js[1].Addr, probe.Options{AttemptTimeout: 10 * time.Second, ReadTimeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("Probe(%s): %v", js[1], err)
	}
	if r.Versions != tlsver.Range(tlsver.SSL30, tlsver.TLS12) || r.Rejected != tlsver.SetOf(tlsver.TLS13) ||
		r.ClientAuth != policy.ClientAuthVerifyIfGiven || r.CertificateRequest != probe.Yes || r.RequestedAt != tlsver.Range(tlsver.TLS10, tlsver.TLS12) {
		t.Errorf("Probe(%s) = versions %v, rejected %v, client auth %v, request %v at %v; want SSL 3.0-TLS 1.2, TLS 1.3 rejected, verify-if-given, requested at TLS 1.0-1.2",
			js[1], r.Versions, r.Rejected, r.ClientAuth, r.CertificateRequest, r.RequestedAt)
		for _, a := range r.Attempts {
			t.Logf("  attempt: %v  %s", a, a.Err)
		}
		t.Logf("server log:\n%s", js[1].Log())
	}
	if r.Legacy != tlsver.SetOf(tlsver.SSL30) || r.ClientAuthVersion != tlsver.TLS12 {
		t.Errorf("Probe(%s): legacy versions %v, client-auth questions at %v; want SSL 3.0, TLS 1.2", js[1], r.Legacy, r.ClientAuthVersion)
	}
}
