package probe_test

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Hostile servers on 127.0.0.1: each answers a ClientHello with something
// that is not a refusal. The probe must leave the versions undecided (or
// keep what a real ServerHello proved), and policy.Evaluate on the
// Endpoint must never answer a definite "fails" from that.

// readClientHello reads the client's first handshake message and returns
// the version it offers: the first entry of supported_versions if present,
// else client_version. ok is false if the bytes are not a ClientHello.
func readClientHello(c net.Conn) (uint16, bool) {
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	var hs []byte
	for len(hs) < 4 || len(hs) < 4+(int(hs[1])<<16|int(hs[2])<<8|int(hs[3])) {
		var hdr [5]byte
		if _, err := io.ReadFull(c, hdr[:]); err != nil || hdr[0] != 22 {
			return 0, false
		}
		frag := make([]byte, int(hdr[3])<<8|int(hdr[4]))
		if _, err := io.ReadFull(c, frag); err != nil {
			return 0, false
		}
		hs = append(hs, frag...)
	}
	if hs[0] != 1 {
		return 0, false
	}
	b := hs[4:]
	ver := uint16(b[0])<<8 | uint16(b[1])
	b = b[34:]
	b = b[1+int(b[0]):]                // session_id
	b = b[2+(int(b[0])<<8|int(b[1])):] // cipher_suites
	b = b[1+int(b[0]):]                // compression_methods
	if len(b) < 2 {
		return ver, true
	}
	b = b[2:]
	for len(b) >= 4 {
		typ, n := int(b[0])<<8|int(b[1]), int(b[2])<<8|int(b[3])
		data := b[4 : 4+n]
		if typ == 43 && len(data) >= 3 {
			return uint16(data[1])<<8 | uint16(data[2]), true
		}
		b = b[4+n:]
	}
	return ver, true
}

// serverHello returns a record holding a well-formed ServerHello selecting
// v (TLS 1.3 through supported_versions, with an x25519 key share of random
// bytes): enough for the probe to see the version accepted, and for a
// client library to go on and fail on whatever follows.
func serverHello(v uint16) []byte {
	body := []byte{byte(v >> 8), byte(v)}
	if v == 0x0304 {
		body = []byte{3, 3}
	}
	random := make([]byte, 32)
	_, _ = rand.Read(random)
	body = append(body, random...)
	body = append(body, 0) // session_id
	switch {
	case v == 0x0304:
		body = append(body, 0x13, 0x01, 0)
		ks := make([]byte, 32)
		_, _ = rand.Read(ks)
		ext := []byte{0, 43, 0, 2, 3, 4, 0, 51, 0, 36, 0, 0x1d, 0, 32}
		ext = append(ext, ks...)
		body = append(body, byte(len(ext)>>8), byte(len(ext)))
		body = append(body, ext...)
	case v == 0x0303:
		body = append(body, 0xc0, 0x2f, 0)
	case v == 0x0300:
		body = append(body, 0x00, 0x2f, 0)
	default:
		body = append(body, 0xc0, 0x13, 0)
	}
	msg := append([]byte{2, 0, byte(len(body) >> 8), byte(len(body))}, body...)
	rv := v
	if rv > 0x0303 {
		rv = 0x0303
	}
	return append([]byte{22, byte(rv >> 8), byte(rv), byte(len(msg) >> 8), byte(len(msg))}, msg...)
}

// hostile starts a listener whose handler gets the offered version.
func hostile(t *testing.T, handle func(c net.Conn, v uint16)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stacks.Serve(t, l, func(c net.Conn) {
		v, ok := readClientHello(c)
		if !ok {
			return
		}
		handle(c, v)
	})
	return l.Addr().String()
}

// writeUntilClosed writes chunk until the client goes away (or 30 s).
func writeUntilClosed(c net.Conn, chunk []byte) {
	_ = c.SetWriteDeadline(time.Now().Add(30 * time.Second))
	for {
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
}

var allVersions = tlsver.Range(tlsver.SSL30, tlsver.TLS13)

// checkNoDefiniteFail evaluates the probed endpoint for clients that need
// the versions and the client-certificate mode (Genesys with a
// serverAuth-only certificate; a TLS 1.0-only client) and fails the test if
// any verdict is Fails although the data behind it is undecided: the only
// fail allowed is "no common version" when every version was decided.
func checkNoDefiniteFail(t *testing.T, r probe.Result) {
	t.Helper()
	at := time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC)
	srv := r.Endpoint()
	if !r.Untested.IsEmpty() && !srv.Versions.IsEmpty() {
		t.Errorf("Endpoint().Versions = %v although %v are undecided", srv.Versions, r.Untested)
	}
	for _, c := range []policy.Client{
		products.GenesysBYOCCloudOutbound(time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC), time.Time{}),
		products.GenesysBYOCCloudOutbound(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), time.Time{}),
		{Name: "TLS 1.0 client", Versions: tlsver.SetOf(tlsver.TLS10)},
		{Name: "TLS 1.3 client", Versions: tlsver.SetOf(tlsver.TLS13)},
	} {
		o := policy.Evaluate(policy.Scenario{Client: c, Server: srv, At: at})
		earned := r.Untested.IsEmpty() // a fail from the versions is earned when all were decided
		for _, f := range o.Findings() {
			earned = earned && (f.Effect != policy.EffectFail || f.Code == policy.CodeNoCommonVersion)
		}
		if o.Verdict == policy.Fails && !earned {
			t.Errorf("Evaluate(%s against %s) = fails from undecided data: %v", c.Name, r.Address, o.Findings())
		}
	}
}

func logAttempts(t *testing.T, r probe.Result) {
	t.Helper()
	for _, a := range r.Attempts {
		t.Logf("  %v: %s", a, a.Err)
	}
	for _, u := range r.Undecided {
		t.Logf("  undecided %v: %s", u.Version, u.Reason)
	}
}

var httpText = []byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

// hostileCases are the hostile servers of TestProbeHostile.
var hostileCases = []struct {
	name     string
	handle   func(c net.Conn, v uint16)
	accepted tlsver.Set // versions a real ServerHello proved
	reason   string     // in every Undecided reason
	attempt  string     // in some attempt's Err
}{
	{"http-response", func(c net.Conn, _ uint16) { _, _ = c.Write(httpText) }, 0, `not TLS: "HTTP/1.1 400 Bad Request"`, ""},
	{"garbage-record", func(c net.Conn, _ uint16) { _, _ = c.Write([]byte{22, 3, 3, 0, 4, 11, 0, 0, 0}) }, 0, "not ServerHello", ""},
	{"endless-fragments", func(c net.Conn, _ uint16) {
		// A ServerHello header, then one-byte handshake fragments
		// forever: no decision within the parser's bound.
		_, _ = c.Write([]byte{22, 3, 3, 0, 4, 2, 0, 0x3e, 0x80})
		writeUntilClosed(c, []byte{22, 3, 3, 0, 1, 0})
	}, 0, "ServerHello", "first 16 KiB"},
	{"warning-alerts", func(c net.Conn, _ uint16) {
		writeUntilClosed(c, []byte{21, 3, 3, 0, 2, 1, 112}) // warning unrecognized_name
	}, 0, "", ""},
	{"warning-then-close", func(c net.Conn, _ uint16) {
		_, _ = c.Write([]byte{21, 3, 3, 0, 2, 1, 112})
	}, 0, "warning alerts", ""},
	{"reset-at-once", func(c net.Conn, _ uint16) {
		c.(*net.TCPConn).SetLinger(0)
	}, 0, "reset", "connection reset without an answer"},
	{"garbage-after-server-hello", func(c net.Conn, v uint16) {
		_, _ = c.Write(serverHello(v))
		_, _ = c.Write([]byte{0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 'g', 'a', 'r', 'b', 'a', 'g', 'e'})
		time.Sleep(50 * time.Millisecond)
	}, allVersions, "", ""},
	{"reset-after-server-hello", func(c net.Conn, v uint16) {
		_, _ = c.Write(serverHello(v))
		time.Sleep(50 * time.Millisecond)
		c.(*net.TCPConn).SetLinger(0)
	}, allVersions, "", "connection reset after the ServerHello"},
	{"oversized-chain", func(c net.Conn, v uint16) {
		// A ServerHello, then a Certificate message of 262,000 bytes in
		// one-byte fragments: 1.5 MB on the wire, past MaxBytes.
		_, _ = c.Write(serverHello(v))
		_, _ = c.Write([]byte{22, 3, 3, 0, 4, 11, 0x03, 0xff, 0x70})
		writeUntilClosed(c, []byte{22, 3, 3, 0, 1, 0})
	}, allVersions, "", "size limit reached"},
}

// TestProbeHostile: servers that answer the ClientHello with something that
// is neither a ServerHello, a fatal alert nor a clean close leave every
// version undecided; servers that send a real ServerHello and then
// misbehave keep the version accepted and the client-certificate mode
// unknown. Nothing is Rejected, and no verdict fails.
func TestProbeHostile(t *testing.T) {
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := hostile(t, tc.handle)
			r, err := probe.Probe(context.Background(), addr, probe.Options{AttemptTimeout: 5 * time.Second, ReadTimeout: time.Second})
			if err != nil {
				t.Fatalf("Probe(%s) error: %v", tc.name, err)
			}
			if !r.Rejected.IsEmpty() {
				t.Errorf("Rejected = %v, want none: nothing was refused", r.Rejected)
			}
			if r.Versions != tc.accepted || r.Untested != allVersions.Difference(tc.accepted) {
				t.Errorf("Versions %v untested %v, want %v accepted and the rest undecided", r.Versions, r.Untested, tc.accepted)
			}
			if len(r.Undecided) != r.Untested.Len() {
				t.Errorf("Undecided has %d reasons for %d untested versions", len(r.Undecided), r.Untested.Len())
			}
			for _, u := range r.Undecided {
				if !strings.Contains(u.Reason, tc.reason) {
					t.Errorf("undecided %v: reason %q does not contain %q", u.Version, u.Reason, tc.reason)
				}
			}
			if r.ClientAuth != policy.ClientAuthUnknown || r.CertificateRequest != probe.Unknown || r.Required != probe.Unknown || r.ClientAuthReason == "" {
				t.Errorf("client auth %v (request %v, required %v, %q), want unknown with a reason", r.ClientAuth, r.CertificateRequest, r.Required, r.ClientAuthReason)
			}
			if r.Complete() {
				t.Error("Complete() = true")
			}
			seen := tc.attempt == ""
			for _, a := range r.Attempts {
				seen = seen || strings.Contains(a.Err, tc.attempt)
			}
			if !seen {
				t.Errorf("no attempt says %q", tc.attempt)
			}
			checkNoDefiniteFail(t, r)
			if t.Failed() {
				logAttempts(t, r)
			}
		})
	}
}

// TestProbePartlyUndecided: a server that answers TLS 1.2 with a ServerHello
// and every other version with HTTP text. TLS 1.2 is proved; the others are
// undecided, so the Endpoint claims no version set and a TLS 1.0-only
// client gets "unknown", not "no common version".
func TestProbePartlyUndecided(t *testing.T) {
	t.Parallel()
	addr := hostile(t, func(c net.Conn, v uint16) {
		if v == 0x0303 {
			_, _ = c.Write(serverHello(v))
			return
		}
		_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\n\r\n"))
	})
	r, err := probe.Probe(context.Background(), addr, probe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Versions != tlsver.SetOf(tlsver.TLS12) || !r.Rejected.IsEmpty() || r.Untested != allVersions.Difference(tlsver.SetOf(tlsver.TLS12)) {
		t.Errorf("versions %v rejected %v untested %v", r.Versions, r.Rejected, r.Untested)
		logAttempts(t, r)
	}
	srv := r.Endpoint()
	if !srv.Versions.IsEmpty() || !strings.Contains(srv.Evidence.String(), "accepted: TLS 1.2") {
		t.Errorf("Endpoint() = versions %v, evidence %q", srv.Versions, srv.Evidence.String())
	}
	o := policy.Evaluate(policy.Scenario{Client: policy.Client{Name: "TLS 1.0 client", Versions: tlsver.SetOf(tlsver.TLS10)}, Server: srv})
	if o.Verdict != policy.Unknown {
		t.Errorf("Evaluate(TLS 1.0 client) = %v, want unknown: %v", o.Verdict, o.Findings())
	}
	checkNoDefiniteFail(t, r)
}

// TestProbeAlertsAndCloseRefuse: the only answers that refuse a version are
// a fatal alert, a close_notify, a clean close and a lower-version
// ServerHello. A server that gives them is fully decided, and then the
// Endpoint's version set is definite: a TLS 1.3-only client fails with no
// common version, as it would against the real server.
func TestProbeAlertsAndCloseRefuse(t *testing.T) {
	t.Parallel()
	addr := hostile(t, func(c net.Conn, v uint16) {
		switch v {
		case 0x0304:
			_, _ = c.Write([]byte{21, 3, 3, 0, 2, 2, 70}) // fatal protocol_version
		case 0x0303:
			_, _ = c.Write(serverHello(v))
		case 0x0302:
			_, _ = c.Write(serverHello(0x0301)) // lower version
		case 0x0301:
			_, _ = c.Write([]byte{21, 3, 1, 0, 2, 1, 0}) // close_notify
		default: // clean close (FIN)
		}
	})
	r, err := probe.Probe(context.Background(), addr, probe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := tlsver.SetOf(tlsver.TLS12)
	if r.Versions != want || r.Rejected != allVersions.Difference(want) || !r.Untested.IsEmpty() {
		t.Errorf("versions %v rejected %v untested %v", r.Versions, r.Rejected, r.Untested)
		logAttempts(t, r)
	}
	srv := r.Endpoint()
	if srv.Versions != want {
		t.Errorf("Endpoint().Versions = %v, want %v", srv.Versions, want)
	}
	o := policy.Evaluate(policy.Scenario{Client: policy.Client{Name: "TLS 1.3 client", Versions: tlsver.SetOf(tlsver.TLS13)}, Server: srv})
	if o.Verdict != policy.Fails {
		t.Errorf("Evaluate(TLS 1.3 client) = %v, want fails (no common version): %v", o.Verdict, o.Findings())
	}
}

// TestProbeNetworkErrors: nothing could be reached, or the address is bad:
// Probe returns an error callers can decide on, never a Result of refusals.
func TestProbeNetworkErrors(t *testing.T) {
	t.Parallel()
	// A port that was just free: listen, note it, close.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := l.Addr().String()
	l.Close()

	r, err := probe.Probe(context.Background(), refused, probe.Options{})
	var ne *probe.NetError
	if !errors.Is(err, probe.ErrUnreachable) || !errors.As(err, &ne) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("Probe(refused port) error = %v, want ErrUnreachable wrapping ECONNREFUSED", err)
	}
	if !r.Versions.IsEmpty() || !r.Rejected.IsEmpty() || r.Untested != allVersions {
		t.Errorf("Probe(refused port) = versions %v rejected %v untested %v", r.Versions, r.Rejected, r.Untested)
	}
	for _, a := range r.Attempts {
		if !a.Network || !a.Undecided {
			t.Errorf("attempt %v not marked as a network failure", a)
		}
	}
	checkNoDefiniteFail(t, r)

	_, err = probe.Probe(context.Background(), "nonexistent.invalid:5061", probe.Options{})
	var dns *net.DNSError
	if !errors.Is(err, probe.ErrUnreachable) || !errors.As(err, &dns) {
		t.Errorf("Probe(unresolvable name) error = %v, want ErrUnreachable wrapping a *net.DNSError", err)
	}

	for _, o := range []probe.Options{{AttemptTimeout: -1}, {ReadTimeout: -1}, {Timeout: -1}, {Concurrency: -1}, {MaxBytes: -1}} {
		if _, err := probe.Probe(context.Background(), refused, o); !errors.Is(err, probe.ErrOptions) || !strings.Contains(err.Error(), "Options.") {
			t.Errorf("Probe(%+v) error = %v, want ErrOptions naming the field", o, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:99999", "127.0.0.1:0", "127.0.0.1:-1", "127.0.0.1", ":5061", "127.0.0.1:nosuchservice", ""} {
		if _, err := probe.Probe(context.Background(), addr, probe.Options{}); !errors.Is(err, probe.ErrAddress) || !strings.Contains(err.Error(), addr) {
			t.Errorf("Probe(%q) error = %v, want ErrAddress naming the address", addr, err)
		}
	}
}

// TestProbeContextErrors: the context's error passes through errors.Is.
func TestProbeContextErrors(t *testing.T) {
	t.Parallel()
	addr := silentServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := probe.Probe(ctx, addr, probe.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Probe(cancelled) error = %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := probe.Probe(ctx, addr, probe.Options{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Probe(deadline) error = %v, want context.DeadlineExceeded", err)
	}
	if _, err := probe.Probe(context.Background(), addr, probe.Options{Timeout: 100 * time.Millisecond}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Probe(Options.Timeout) error = %v, want context.DeadlineExceeded", err)
	}
}

// TestProbeSilentBound (issue 15): against a listener that accepts and never
// answers, the attempts run side by side, so the probe costs about one
// AttemptTimeout, not one per version. The bound asserted is
// AttemptTimeout + ReadTimeout + a margin for a loaded machine.
func TestProbeSilentBound(t *testing.T) {
	t.Parallel()
	addr := silentServer(t)
	const at, rt = time.Second, 500 * time.Millisecond
	start := time.Now()
	r, err := probe.Probe(context.Background(), addr, probe.Options{AttemptTimeout: at, ReadTimeout: rt})
	d := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if bound := at + rt + 750*time.Millisecond; d > bound {
		t.Errorf("Probe(silent) took %v, want under %v", d, bound)
	}
	if r.Untested != allVersions || !r.Rejected.IsEmpty() {
		t.Errorf("Probe(silent) = rejected %v untested %v", r.Rejected, r.Untested)
	}
	t.Logf("silent endpoint: %v with AttemptTimeout %v", d, at)
}

// TestProbeNoGoroutineLeft: after a probe of every hostile server, of a
// refused port and of an unresolvable name, no goroutine of the probe is
// left (checkGoroutines).
func TestProbeNoGoroutineLeft(t *testing.T) {
	for _, tc := range hostileCases {
		addr := hostile(t, tc.handle)
		before := goroutines()
		if _, err := probe.Probe(context.Background(), addr, probe.Options{AttemptTimeout: 5 * time.Second, ReadTimeout: time.Second}); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		checkGoroutines(t, before)
	}
	for _, addr := range []string{"127.0.0.1:1", "nonexistent.invalid:5061"} {
		before := goroutines()
		_, _ = probe.Probe(context.Background(), addr, probe.Options{})
		checkGoroutines(t, before)
	}
}

// TestProbeCancelRace: probes of real and hostile servers cancelled at
// spread-out moments, several at once (run with -race): each returns a
// context error or a Result, never hangs, and no goroutine is left.
func TestProbeCancelRace(t *testing.T) {
	addrs := []string{
		stacks.StartGo(t, stacks.GoOptions{ClientAuth: tls.RequireAndVerifyClientCert}).Addr,
		silentServer(t),
		hostile(t, hostileCases[0].handle),
		hostile(t, func(c net.Conn, v uint16) { _, _ = c.Write(serverHello(v)); time.Sleep(20 * time.Millisecond) }),
	}
	before := goroutines()
	var wg sync.WaitGroup
	for i := 0; i < 24; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := addrs[i%len(addrs)]
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i%8)*15*time.Millisecond)
			defer cancel()
			var calls atomic.Int32
			start := time.Now()
			r, err := probe.Probe(ctx, addr, probe.Options{AttemptTimeout: 2 * time.Second, Progress: func(probe.Attempt) { calls.Add(1) }})
			if d := time.Since(start); d > time.Second {
				t.Errorf("Probe(%s) returned %v after its context ended", addr, d)
			}
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Probe(%s) error %v, want a context error", addr, err)
			}
			if int(calls.Load()) != len(r.Attempts) {
				t.Errorf("Progress called %d times for %d attempts", calls.Load(), len(r.Attempts))
			}
		}()
	}
	wg.Wait()
	checkGoroutines(t, before)
}

// TestProbeSizeLimitRealServer: a real crypto/tls server whose answer is
// larger than MaxBytes (here 1,300 bytes: the ServerHello fits, the chain
// does not). The versions its ServerHellos proved stay accepted, the
// refusals stay refused, and the client-certificate mode is unknown with
// the size limit as the reason.
func TestProbeSizeLimitRealServer(t *testing.T) {
	t.Parallel()
	s := stacks.StartGo(t, stacks.GoOptions{ClientAuth: tls.RequireAndVerifyClientCert})
	r, err := probe.Probe(context.Background(), s.Addr, probe.Options{MaxBytes: 1300})
	if err != nil {
		t.Fatal(err)
	}
	want := tlsver.Range(tlsver.TLS12, tlsver.TLS13)
	if r.Versions != want || r.Rejected != allVersions.Difference(want) || r.ClientAuth != policy.ClientAuthUnknown {
		t.Errorf("Probe(%s, MaxBytes 1300) = versions %v rejected %v mode %v (%q)", s, r.Versions, r.Rejected, r.ClientAuth, r.ClientAuthReason)
		logAttempts(t, r)
	}
	limited := false
	for _, a := range r.Attempts {
		limited = limited || strings.Contains(a.Err, "size limit reached")
	}
	if !limited {
		t.Error("no attempt reports the size limit")
		logAttempts(t, r)
	}
	checkNoDefiniteFail(t, r)
}
