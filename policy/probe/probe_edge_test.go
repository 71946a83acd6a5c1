package probe_test

import (
	"context"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/tlsver"
)

// TestProbeLegacyOnlyServer: openssl s_server offering only a suite crypto/tls
// does not implement (AES-CCM); the version is found through zcrypto and
// the client-certificate mode is unknown, with a reason.
func TestProbeLegacyOnlyServer(t *testing.T) {
	t.Parallel()
	s := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{
		Verify: stacks.OpenSSLVerifyRequire, MinVersion: v12, MaxVersion: v12,
		ExtraArgs: []string{"-cipher", "ECDHE-ECDSA-AES128-CCM"},
	})
	r, err := probe.Probe(context.Background(), s.Addr, probe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Versions != tlsver.SetOf(tlsver.TLS12) || r.Legacy != tlsver.SetOf(tlsver.TLS12) {
		t.Errorf("Probe(%s): versions %v legacy %v, want TLS 1.2 via zcrypto", s, r.Versions, r.Legacy)
		for _, a := range r.Attempts {
			t.Logf("  %v: %s", a, a.Err)
		}
	}
	if r.ClientAuth != policy.ClientAuthUnknown || r.ClientAuthReason == "" || r.CertificateRequest != probe.Unknown {
		t.Errorf("Probe(%s): client auth %v (%q), request %v; want unknown with a reason", s, r.ClientAuth, r.ClientAuthReason, r.CertificateRequest)
	}
}

// silentServer accepts TCP connections and never answers.
func silentServer(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stacks.Serve(t, l, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	return l.Addr().String()
}

// TestProbeTimeouts: every attempt against a silent server ends at
// AttemptTimeout; nothing is reported as refused, and no goroutine is left.
func TestProbeTimeouts(t *testing.T) {
	addr := silentServer(t)
	before := goroutines()
	start := time.Now()
	r, err := probe.Probe(context.Background(), addr, probe.Options{AttemptTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Probe took %v with 100 ms attempts", d)
	}
	if !r.Versions.IsEmpty() || !r.Rejected.IsEmpty() || r.Untested != tlsver.Range(tlsver.SSL30, tlsver.TLS13) || r.ClientAuth != policy.ClientAuthUnknown {
		t.Errorf("Probe(silent) = versions %v rejected %v untested %v mode %v", r.Versions, r.Rejected, r.Untested, r.ClientAuth)
	}
	checkGoroutines(t, before)
}

// TestProbeCancelMidway: cancelling the context ends the probe promptly.
func TestProbeCancelMidway(t *testing.T) {
	addr := silentServer(t)
	before := goroutines()
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := probe.Probe(ctx, addr, probe.Options{AttemptTimeout: time.Minute})
	if err == nil {
		t.Error("Probe(cancelled midway) returned no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Probe returned %v after the context ended", d)
	}
	checkGoroutines(t, before)
}

// goroutines returns the stacks of all goroutines, keyed by "goroutine N".
func goroutines() map[string]string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	m := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		if id, _, ok := strings.Cut(g, " ["); ok {
			m[id] = g
		}
	}
	return m
}

// checkGoroutines checks the claim "no goroutine outlives the call". It
// must be called right after Probe returned, with the goroutines from
// before the call. Goroutines the test servers started (internal/stacks)
// are not the probe's and are ignored.
//
// A goroutine of package probe or internal/ctxconn that is still blocked
// (in a select, channel operation, I/O wait, ...) when Probe has returned is
// a leak, reported at once. One that is still running or runnable is at
// most executing its return (a WaitGroup says it is done before the
// goroutine exits); it, and any other new goroutine (timer callbacks of the
// standard library), must be gone within a short grace period.
func checkGoroutines(t *testing.T, before map[string]string) {
	t.Helper()
	fresh := func() map[string]string {
		m := goroutines()
		for id, g := range m {
			if _, ok := before[id]; ok || strings.Contains(g, "created by github.com/tlscompat/tlscompat/internal/stacks.") {
				delete(m, id)
			}
		}
		return m
	}
	for _, g := range fresh() {
		state, _, _ := strings.Cut(g[strings.Index(g, "[")+1:], "]")
		ours := strings.Contains(g, "tlscompat/policy/probe.") || strings.Contains(g, "tlscompat/internal/ctxconn.")
		if ours && !strings.HasPrefix(state, "running") && !strings.HasPrefix(state, "runnable") {
			t.Errorf("goroutine left blocked after Probe returned:\n%s", g)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	left := fresh()
	for len(left) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		left = fresh()
	}
	for _, g := range left {
		t.Errorf("goroutine still running 2 s after Probe returned:\n%s", g)
	}
}

// TestProbeSSL3Answer: a hand-made endpoint that answers the SSL 3.0 hello
// with an SSL 3.0 ServerHello (TestProbeSSL3Java uses a
// real SSL 3.0 server) is reported as accepting SSL 3.0 (legacy), and the
// TLS attempts' failures do not count as acceptance; no goroutine of the
// probe is left behind.
func TestProbeSSL3Answer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stacks.Serve(t, l, func(c net.Conn) {
		var hdr [5]byte
		if _, err := io.ReadFull(c, hdr[:]); err == nil {
			if hdr[1] == 3 && hdr[2] == 0 {
				_, _ = c.Write(serverHello(0x0300)) // a whole SSL 3.0 ServerHello
			} else {
				_, _ = c.Write([]byte{21, 3, 0, 0, 2, 2, 70}) // protocol_version
			}
		}
	})
	before := goroutines()
	r, err := probe.Probe(context.Background(), l.Addr().String(), probe.Options{AttemptTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// Every attempt ended early (an answer, not a timeout): nothing of the
	// probe may still wait for its attempt's deadline.
	checkGoroutines(t, before)
	if r.Versions != tlsver.SetOf(tlsver.SSL30) || r.Legacy != tlsver.SetOf(tlsver.SSL30) || r.Rejected != tlsver.Range(tlsver.TLS10, tlsver.TLS13) {
		t.Errorf("Probe(ssl3 responder) = versions %v legacy %v rejected %v", r.Versions, r.Legacy, r.Rejected)
		for _, a := range r.Attempts {
			t.Logf("  %v: %s", a, a.Err)
		}
	}
}
