package stacks

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

// TestNSS runs NSS 3.87 selfserv in its three initial-handshake modes. -r
// verifies a certificate that is sent (a serverAuth-only one gets alert 46
// certificate_unknown, after the client's TLS 1.3 handshake) and accepts
// none; -r -r also refuses an empty Certificate (alert 42 bad_certificate in
// TLS 1.2, 116 certificate_required in TLS 1.3); without -r no certificate
// is requested. A TLS 1.2-only server refuses a TLS 1.3-only client with
// protocol_version. Every success is selfserv's "HTTP/1.0 200 OK" answer to
// a GET.
func TestNSS(t *testing.T) {
	t.Parallel()
	none := StartNSS(t, NSSOptions{})
	req := StartNSS(t, NSSOptions{ClientCert: NSSRequest})
	need := StartNSS(t, NSSOptions{ClientCert: NSSRequire})
	old := StartNSS(t, NSSOptions{ClientCert: NSSRequire, MaxVersion: v12})
	pki := testpki.New()
	cases := []answerCase{
		{none, testpki.ServerOnly, v12, v13, okNoReq, StageDone, v13},
		{req, testpki.ClientOnly, v13, v13, okReq, StageDone, v13},
		{req, testpki.ClientOnly, v12, v12, okReq, StageDone, v12},
		{req, testpki.ServerOnly, v13, v13, alert(46), StageAfterHandshake, 0},
		{req, testpki.ServerOnly, v12, v12, alert(46), StageHandshake, 0},
		{req, "", v13, v13, okReq, StageDone, v13},
		{req, "", v12, v12, okReq, StageDone, v12},
		{need, testpki.NoEKU, v13, v13, okReq, StageDone, v13},
		{need, testpki.AnyEKU, v12, v12, alert(46), StageHandshake, 0},
		{need, "", v13, v13, alert(116), StageAfterHandshake, 0},
		{need, "", v12, v12, alert(42), StageHandshake, 0},
		{old, testpki.ClientOnly, v12, v13, okReq, StageDone, v12},
		{old, testpki.ClientOnly, v13, v13, want{alert: 70}, StageHandshake, 0},
	}
	checkAnswerCases(t, pki, NSSClientOptions, cases)
}

// TestNSSDefaultAnswer: selfserv does not echo. The default line
// "tlscompat ping" gets no "HTTP/1.0 200" answer, so with NSSClientOptions'
// Answer but the default request the connection is not a success; this is
// what keeps a silent or unexpected server from passing as one.
func TestNSSDefaultAnswer(t *testing.T) {
	t.Parallel()
	srv := StartNSS(t, NSSOptions{})
	opts := NSSClientOptions(ClientOptions{ReadTimeout: 2 * time.Second})
	opts.Request = nil
	got := Handshake(context.Background(), srv.Addr, opts)
	if got.OK || got.Echoed {
		t.Errorf("%s, request %q: %v (%q), want no success", srv, "tlscompat ping", got, got.Detail)
	}
}

// TestNSSArgs checks the command-line words for each mode and range.
func TestNSSArgs(t *testing.T) {
	for _, tc := range []struct {
		o    NSSOptions
		want string
	}{
		{NSSOptions{}, "-V tls1.2:tls1.3"},
		{NSSOptions{ClientCert: NSSRequest, MinVersion: v13}, "-r -V tls1.3:tls1.3"},
		{NSSOptions{ClientCert: NSSRequire, MinVersion: v10, MaxVersion: v12}, "-r -r -V tls1.0:tls1.2"},
	} {
		if got := strings.Join(tc.o.Args(), " "); got != tc.want {
			t.Errorf("%+v.Args() = %q, want %q", tc.o, got, tc.want)
		}
	}
}

// TestNSSStops: once the test that started selfserv has ended, its port
// refuses connections and no selfserv process with that port is left.
func TestNSSStops(t *testing.T) {
	t.Parallel()
	var addr string
	t.Run("server", func(t *testing.T) {
		srv := StartNSS(t, NSSOptions{})
		addr = srv.Addr
		if runtime.GOOS == "linux" && len(nssProcs(t, addr)) == 0 {
			t.Fatalf("no selfserv process found for %s", srv)
		}
	})
	if addr == "" {
		return
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after the test ended", addr)
	}
	if left := nssProcs(t, addr); len(left) > 0 {
		t.Errorf("selfserv still running after the test ended: %v", left)
	}
}

// nssProcs returns the command lines of selfserv processes listening on
// addr's port (from /proc; on other systems it finds none and TestNSSStops
// checks the port only).
func nssProcs(t *testing.T, addr string) []string {
	if runtime.GOOS != "linux" {
		return nil
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	cmds, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		t.Fatalf("/proc: %v", err)
	}
	var out []string
	for _, f := range cmds {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the process has gone
		}
		args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
		if len(args) == 0 || filepath.Base(args[0]) != "selfserv" {
			continue
		}
		for i := 0; i+1 < len(args); i++ {
			if args[i] == "-p" && args[i+1] == port {
				out = append(out, f+": "+strings.Join(args, " "))
			}
		}
	}
	return out
}
