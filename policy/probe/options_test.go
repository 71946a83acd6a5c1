package probe_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/tlsver"
)

// sniServer is a real crypto/tls server that records the SNI of every
// ClientHello.
func sniServer(t *testing.T) (port string, names func() []string) {
	var mu sync.Mutex
	var seen []string
	s := stacks.StartGo(t, stacks.GoOptions{Config: &tls.Config{
		GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
			mu.Lock()
			seen = append(seen, h.ServerName)
			mu.Unlock()
			return nil, nil
		},
	}})
	_, port, _ = net.SplitHostPort(s.Addr)
	return port, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// TestProbeSNI: the host name is sent as SNI by default (as openssl
// s_client does); an IP address sends none; ServerName and OmitServerName
// override.
func TestProbeSNI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		host string
		opts probe.Options
		want string
	}{
		{"localhost", probe.Options{}, "localhost"},
		{"127.0.0.1", probe.Options{}, ""},
		{"127.0.0.1", probe.Options{ServerName: "sbc.example.net"}, "sbc.example.net"},
		{"localhost", probe.Options{OmitServerName: true}, ""},
	} {
		port, names := sniServer(t)
		tc.opts.Versions = tlsver.SetOf(tlsver.TLS13)
		r, err := probe.Probe(context.Background(), net.JoinHostPort(tc.host, port), tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		got := names()
		if r.ServerName != tc.want || len(got) == 0 || strings.Join(got, ",") != strings.TrimSuffix(strings.Repeat(tc.want+",", len(got)), ",") {
			t.Errorf("%s %+v: Result.ServerName %q, server saw %q; want %q", tc.host, tc.opts, r.ServerName, got, tc.want)
		}
	}
}

// countingDialer is a Dialer that records what it dialled and from where.
type countingDialer struct {
	d     net.Dialer
	calls atomic.Int32
}

func (c *countingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c.calls.Add(1)
	return c.d.DialContext(ctx, network, addr)
}

// TestProbeDialer: every connection goes through Options.Dialer (here with
// a chosen local address).
func TestProbeDialer(t *testing.T) {
	t.Parallel()
	s := stacks.StartGo(t, stacks.GoOptions{ClientAuth: tls.RequireAndVerifyClientCert})
	d := &countingDialer{d: net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}}}
	r, err := probe.Probe(context.Background(), s.Addr, probe.Options{Dialer: d})
	if err != nil {
		t.Fatal(err)
	}
	if int(d.calls.Load()) != len(r.Attempts) || len(r.Attempts) == 0 {
		t.Errorf("dialer called %d times for %d attempts", d.calls.Load(), len(r.Attempts))
	}
	var _ probe.Dialer = &net.Dialer{} // net.Dialer fits
}

// TestProbeDeterministic: the Result does not depend on how many attempts
// run at once or in which order they complete.
func TestProbeDeterministic(t *testing.T) {
	t.Parallel()
	s := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyPeer, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS13})
	var want []byte
	for _, n := range []int{1, 2, 5, 1, 5} {
		r, err := probe.Probe(context.Background(), s.Addr, probe.Options{Concurrency: n, ReadTimeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = got
		} else if !bytes.Equal(got, want) {
			t.Errorf("Concurrency %d gives a different Result:\n%s\nwant\n%s", n, got, want)
		}
	}
}
