package stacks

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

const (
	v10 = tls.VersionTLS10
	v11 = tls.VersionTLS11
	v12 = tls.VersionTLS12
	v13 = tls.VersionTLS13
)

// want is one expected outcome: ok, or the alert the server sends (-1: the
// connection fails without an alert).
type want struct {
	ok        bool
	alert     int
	requested bool
}

var (
	okReq   = want{ok: true, requested: true}
	okNoReq = want{ok: true}
)

func alert(n int) want { return want{alert: n, requested: true} }

// answerCase is one handshake against a server that answers a request
// instead of echoing (Kamailio, selfserv): the client variant ("" for no
// certificate), the client's versions, and the expected outcome, stage and
// version.
type answerCase struct {
	srv      *Server
	variant  testpki.Name
	lo, hi   uint16
	want     want
	stage    Stage
	wantVers uint16
}

// checkAnswerCases runs each case with the client options adapt makes
// (SIPOptions, NSSClientOptions) and fails on any difference; a success
// must have been answered, a failure must not be a timeout.
func checkAnswerCases(t *testing.T, pki *testpki.PKI, adapt func(ClientOptions) ClientOptions, cases []answerCase) {
	t.Helper()
	for _, tc := range cases {
		opts := adapt(ClientOptions{MinVersion: tc.lo, MaxVersion: tc.hi, RootCAs: pki.RootPool(), ReadTimeout: 5 * time.Second})
		if tc.variant != "" {
			l := pki.Variant(tc.variant)
			opts.Chain, opts.Key = l.Chain, l.Key
		}
		got := Handshake(context.Background(), tc.srv.Addr, opts)
		bad := got.OK != tc.want.ok || got.CertificateRequested != tc.want.requested || got.Stage != tc.stage
		if !tc.want.ok && (got.Alert != tc.want.alert || got.TimedOut) {
			bad = true
		}
		if tc.want.ok && (got.Version != tc.wantVers || !got.Echoed) {
			bad = true
		}
		if bad {
			t.Errorf("%s, client %q %s-%s: %v (alert %d, stage %v, %q), want %+v at %v\nserver log:\n%s",
				tc.srv, tc.variant, VersionName(tc.lo), VersionName(tc.hi), got, got.Alert, got.Stage, got.Detail, tc.want, tc.stage, tc.srv.Log())
		}
	}
}

// harnessCase: a client variant ("" = no certificate) at one version against
// one server, with the outcome observed on OpenSSL 3.0.19, GnuTLS 3.7.9,
// OpenJDK 17 and Go 1.26 (the behaviour policy/stack_*.go records).
type harnessCase struct {
	server  string
	variant testpki.Name
	version uint16
	want    want
}

func runCases(t *testing.T, servers map[string]*Server, cases []harnessCase) {
	pki := testpki.New()
	for _, tc := range cases {
		s := servers[tc.server]
		name := fmt.Sprintf("%s/%s/%s", tc.server, VersionName(tc.version), tc.variant)
		if tc.variant == "" {
			name = fmt.Sprintf("%s/%s/no-cert", tc.server, VersionName(tc.version))
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := ClientOptions{MinVersion: tc.version, MaxVersion: tc.version, RootCAs: pki.RootPool()}
			if tc.variant != "" {
				l := pki.Variant(tc.variant)
				opts.Chain, opts.Key = l.Chain, l.Key
			}
			got := Handshake(context.Background(), s.Addr, opts)
			bad := got.OK != tc.want.ok || got.CertificateRequested != tc.want.requested
			if !tc.want.ok && got.Alert != tc.want.alert {
				bad = true
			}
			if got.OK && (got.Version != tc.version || !got.Echoed) {
				bad = true
			}
			if tc.want.requested && tc.variant != "" && !got.CertificateSent {
				bad = true
			}
			if len(got.PeerChain) != 2 {
				bad = true
			}
			if bad {
				t.Errorf("Handshake(%s) = %v (alert %d, echoed %v, peer chain %d, detail %q), want %+v\nserver log:\n%s",
					s, got, got.Alert, got.Echoed, len(got.PeerChain), got.Detail, tc.want, s.Log())
			}
			if !got.OK && tc.version == v13 && tc.want.requested && tc.want.alert != 0 && got.Stage != StageAfterHandshake {
				t.Errorf("Handshake(%s): TLS 1.3 rejection at stage %v, want %v", s, got.Stage, StageAfterHandshake)
			}
		})
	}
}

func TestHarnessModern(t *testing.T) {
	t.Parallel()
	servers := map[string]*Server{
		"go-none":            StartGo(t, GoOptions{ClientAuth: tls.NoClientCert}),
		"go-request":         StartGo(t, GoOptions{ClientAuth: tls.RequestClientCert}),
		"go-require-verify":  StartGo(t, GoOptions{ClientAuth: tls.RequireAndVerifyClientCert}),
		"openssl-none":       StartOpenSSL(t, OpenSSLOptions{}),
		"openssl-verify":     StartOpenSSL(t, OpenSSLOptions{Verify: OpenSSLVerifyPeer}),
		"openssl-Verify-err": StartOpenSSL(t, OpenSSLOptions{Verify: OpenSSLVerifyRequire, ReturnError: true}),
		"gnutls-disabled":    StartGnuTLS(t, GnuTLSOptions{ClientCert: GnuTLSDisabled}),
		"gnutls-request":     StartGnuTLS(t, GnuTLSOptions{}),
		"gnutls-require-vfy": StartGnuTLS(t, GnuTLSOptions{ClientCert: GnuTLSRequire, Verify: true}),
	}
	js := StartJava(t, JavaOptions{ClientAuth: JavaNone}, JavaOptions{ClientAuth: JavaWant}, JavaOptions{ClientAuth: JavaNeed})
	servers["java-none"], servers["java-want"], servers["java-need"] = js[0], js[1], js[2]

	var cases []harnessCase
	for _, v := range []uint16{v12, v13} {
		noCertRequired := map[uint16]int{v12: 40, v13: 116}[v]
		gnutlsNoCert := map[uint16]int{v12: 50, v13: 116}[v]
		cases = append(cases,
			harnessCase{"go-none", testpki.ClientOnly, v, okNoReq},
			harnessCase{"go-request", "", v, okReq},
			harnessCase{"go-request", testpki.ServerOnly, v, okReq},
			harnessCase{"go-require-verify", "", v, alert(noCertRequired)},
			harnessCase{"go-require-verify", testpki.ClientOnly, v, okReq},
			harnessCase{"go-require-verify", testpki.ServerOnly, v, alert(42)},
			harnessCase{"openssl-none", testpki.ServerOnly, v, okNoReq},
			harnessCase{"openssl-verify", "", v, okReq},
			harnessCase{"openssl-verify", testpki.ServerOnly, v, okReq}, // no -verify_return_error: logged only
			harnessCase{"openssl-Verify-err", "", v, alert(noCertRequired)},
			harnessCase{"openssl-Verify-err", testpki.ClientOnly, v, okReq},
			harnessCase{"openssl-Verify-err", testpki.ServerOnly, v, alert(43)},
			harnessCase{"gnutls-disabled", testpki.ServerOnly, v, okNoReq},
			harnessCase{"gnutls-request", "", v, okReq},
			harnessCase{"gnutls-require-vfy", "", v, alert(gnutlsNoCert)},
			harnessCase{"gnutls-require-vfy", testpki.ServerOnly, v, okReq}, // gnutls-serv 3.7.9 checks no EKU
			harnessCase{"gnutls-require-vfy", testpki.KeyEnciphermentOnly, v, alert(80)},
			harnessCase{"java-none", testpki.ServerOnly, v, okNoReq},
			harnessCase{"java-want", "", v, okReq},
			harnessCase{"java-want", testpki.ServerOnly, v, alert(46)},
			harnessCase{"java-need", "", v, alert(42)},
			harnessCase{"java-need", testpki.ClientOnly, v, okReq},
		)
	}
	runCases(t, servers, cases)
}

func TestHarnessLegacy(t *testing.T) {
	t.Parallel()
	servers := map[string]*Server{
		"go":      StartGo(t, GoOptions{ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: v10, MaxVersion: v11}),
		"openssl": StartOpenSSL(t, OpenSSLOptions{Verify: OpenSSLVerifyRequire, ReturnError: true, MinVersion: v10, MaxVersion: v11}),
		"gnutls":  StartGnuTLS(t, GnuTLSOptions{ClientCert: GnuTLSRequire, Verify: true, MinVersion: v10, MaxVersion: v11}),
		"java":    StartJava(t, JavaOptions{ClientAuth: JavaNeed, MinVersion: v10, MaxVersion: v11})[0],
	}
	var cases []harnessCase
	for _, v := range []uint16{v10, v11} {
		cases = append(cases,
			harnessCase{"go", testpki.ClientOnly, v, okReq},
			harnessCase{"go", testpki.ServerOnly, v, alert(42)},
			harnessCase{"openssl", testpki.ClientOnly, v, okReq},
			harnessCase{"openssl", "", v, alert(40)},
			harnessCase{"gnutls", testpki.ClientOnly, v, okReq},
			harnessCase{"gnutls", "", v, alert(50)},
			harnessCase{"java", testpki.ClientOnly, v, okReq},
			harnessCase{"java", testpki.ServerOnly, v, alert(46)},
		)
	}
	runCases(t, servers, cases)
}

// TestVersionMismatch: a client limited to a version the server does not
// enable fails in the handshake (alert 70 protocol_version or similar).
func TestVersionMismatch(t *testing.T) {
	t.Parallel()
	s := StartOpenSSL(t, OpenSSLOptions{MinVersion: v13, MaxVersion: v13})
	got := Handshake(context.Background(), s.Addr, ClientOptions{MinVersion: v12, MaxVersion: v12})
	if got.OK || got.Stage != StageHandshake || got.Alert != 70 {
		t.Errorf("TLS 1.2 client against TLS 1.3-only s_server: %v (alert %d, %s), want alert 70 at handshake", got, got.Alert, got.Detail)
	}
}

func TestDialFailure(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	got := Handshake(context.Background(), addr, ClientOptions{})
	if got.OK || got.Stage != StageDial || got.Alert != -1 {
		t.Errorf("Handshake(closed port) = %v, stage %v", got, got.Stage)
	}
}

// TestCanceled: cancelling the context ends a handshake that waits for a
// silent server (the context is cancelled once the ClientHello arrives, so the cancellation
// has to unblock the handshake's read, not just fail the dial).
func TestCanceled(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hello := make(chan struct{})
	Serve(t, l, func(c net.Conn) {
		var b [1]byte
		if _, err := c.Read(b[:]); err == nil {
			close(hello) // the ClientHello is arriving: the client is in its handshake
		}
		_, _ = io.Copy(io.Discard, c) // never answers
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-hello:
			cancel()
		case <-ctx.Done(): // the Handshake returned without a ClientHello
		}
	}()
	start := time.Now()
	got := Handshake(ctx, l.Addr().String(), ClientOptions{Timeout: time.Minute})
	cancel()
	if got.OK || got.Stage != StageHandshake {
		t.Errorf("Handshake(cancelled during the handshake) = %v, stage %v; want a failure at %v", got, got.Stage, StageHandshake)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Handshake returned %v after the start, with a cancel once the ClientHello arrived", d)
	}
}

func TestStringers(t *testing.T) {
	for _, s := range []fmt.Stringer{Kind(0), Kind(99), Stage(0), Stage(99), JavaClientAuth(7), GoTLS, StageDone, JavaWant} {
		if s.String() == "" {
			t.Errorf("%#v.String() is empty", s)
		}
	}
	if got := VersionName(0x0305); got != "0x0305" {
		t.Errorf("VersionName(0x0305) = %q", got)
	}
	if got := GnuTLSPriority(v10, v12); got != "NORMAL:-VERS-ALL:+VERS-TLS1.0:+VERS-TLS1.1:+VERS-TLS1.2" {
		t.Errorf("GnuTLSPriority = %q", got)
	}
}
