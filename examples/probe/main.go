// Command probe probes a TLS server (an SBC, a SIP server on port 5061, any
// HTTPS endpoint) and prints which versions it accepts and what it does
// about client certificates; then it predicts what Genesys Cloud BYOC Cloud
// outbound calls (Genesys as TLS client) do against it before and after the
// certificate change that removes clientAuth.
//
// Usage:
//
//	probe [-stack openssl3|gnutls|go|java|nss|mbedtls|schannel] [-sni name] host:port
//	probe          # no address: start a local demo endpoint that requires
//	               # and verifies client certificates, and probe that
//
// A probe cannot see which TLS stack verifies client certificates, and the
// stacks differ; give -stack if you know it (Kamailio, OpenSIPS, Asterisk
// and FreeSWITCH use OpenSSL).
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(w)
	stackName := fs.String("stack", "", "TLS stack of the server, if known (openssl3, gnutls, go, java, nss, mbedtls, schannel)")
	sni := fs.String("sni", "", "server name to send (SNI)")
	timeout := fs.Duration("timeout", 5*time.Second, "timeout per connection attempt")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stack := policy.UnknownStack
	if *stackName != "" {
		s, err := policy.ParseStack(*stackName)
		if err != nil {
			return err
		}
		stack = s
	}
	ctx := context.Background()
	opts := probe.Options{AttemptTimeout: *timeout, ServerName: *sni}

	var label string
	switch fs.NArg() {
	case 0:
		addr, stop, err := startDemo()
		if err != nil {
			return err
		}
		defer stop()
		label = "the local demo endpoint (Go crypto/tls, RequireAndVerifyClientCert, TLS 1.2-1.3)"
		stack = policy.GoCryptoTLS         // we started it, so we know
		opts.ReadTimeout = 5 * time.Second // a verdict (alert or ticket) ends the wait at once
		r, err := probe.Probe(ctx, addr, opts)
		if err != nil {
			return err
		}
		return report(w, label, r, stack)
	case 1:
		addr := fs.Arg(0)
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return fmt.Errorf("address %q: want host:port (e.g. sbc.example.net:5061)", addr)
		}
		r, err := probe.Probe(ctx, addr, opts)
		if err != nil {
			return err
		}
		return report(w, addr, r, stack)
	}
	return errors.New("want at most one address (host:port)")
}

func report(w io.Writer, label string, r probe.Result, stack policy.Stack) error {
	all := tlsver.Range(tlsver.SSL30, tlsver.TLS13)
	fmt.Fprintf(w, "Probe of %s\n", label)
	fmt.Fprintf(w, "  versions accepted:   %v\n", orNone(r.Versions))
	fmt.Fprintf(w, "  versions refused:    %v\n", orNone(r.Rejected.Intersect(all)))
	if !r.Untested.IsEmpty() {
		fmt.Fprintf(w, "  versions untested:   %v\n", r.Untested)
	}
	if !r.Legacy.IsEmpty() {
		fmt.Fprintf(w, "  legacy only: %v (crypto/tls cannot complete these: SSL 3.0, or only cipher suites it no longer implements)\n", r.Legacy)
	}
	fmt.Fprintf(w, "  CertificateRequest:  %v", r.CertificateRequest)
	if !r.RequestedAt.IsEmpty() {
		fmt.Fprintf(w, " (seen at %v)", r.RequestedAt)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  client certificate:  required %v, verified %v => %v\n", r.Required, r.Verified, r.ClientAuth)
	fmt.Fprintf(w, "    because %s\n", r.ClientAuthReason)
	if len(r.AcceptableCANames) > 0 {
		fmt.Fprintf(w, "  acceptable CAs:      %s\n", strings.Join(r.AcceptableCANames, "; "))
	}
	if r.ServerEKUErr != nil {
		fmt.Fprintf(w, "  server chain:        unreadable: %v\n", r.ServerEKUErr)
	} else if r.ServerEKU.Len() > 0 {
		fmt.Fprintf(w, "  server chain:        %d certificate(s); leaf EKU %s\n", r.ServerEKU.Len(), ekuText(r.ServerEKU.Leaf()))
	}

	srv := r.Endpoint()
	srv.Name = "this endpoint"
	srv.Stack = stack
	fmt.Fprintf(w, "\nGenesys Cloud BYOC Cloud outbound calls to it (server stack: %s; assuming the server\n", stack.Title())
	fmt.Fprintf(w, "trusts the CA that issued the Genesys certificate, which a probe cannot see):\n")
	for _, c := range []struct {
		what         string
		issued, when time.Time
	}{
		{"before the change: certificate issued 2026-01-15 (serverAuth+clientAuth)", date(2026, 1, 15), date(2026, 1, 20)},
		{"after the change:  certificate issued 2026-04-15 (serverAuth only)", date(2026, 4, 15), date(2026, 4, 20)},
	} {
		o := policy.Evaluate(policy.Scenario{Client: products.GenesysBYOCCloudOutbound(c.issued, time.Time{}), Server: srv, At: c.when})
		fmt.Fprintf(w, "  %s\n    => %s", c.what, indent(o.Explain()))
	}
	s := policy.Scenario{Client: products.GenesysBYOCCloudOutbound(date(2025, 12, 1), products.GenesysRenewal), Server: srv}
	changes := policy.Timeline(s, date(2026, 1, 1), date(2026, 12, 31))
	if len(changes) == 0 {
		fmt.Fprintln(w, "  2026 with the announced renewal: no change")
	}
	for _, ch := range changes {
		fmt.Fprintf(w, "  2026 with the announced renewal: %s -> %s on %s\n", ch.From, ch.To, ch.At.UTC().Format("2006-01-02"))
	}
	return nil
}

func orNone(s tlsver.Set) string {
	if s.IsEmpty() {
		return "none"
	}
	return s.String()
}

func ekuText(s eku.Set) string {
	if !s.Present() {
		return "absent (any purpose)"
	}
	var names []string
	for _, p := range []eku.Purpose{eku.ServerAuth, eku.ClientAuth, eku.Any} {
		if s.Has(p) {
			names = append(names, p.String())
		}
	}
	if n := s.Unknown(); n > 0 {
		names = append(names, fmt.Sprintf("%d other", n))
	}
	if len(names) == 0 {
		return "present, without serverAuth/clientAuth"
	}
	return strings.Join(names, "+")
}

func indent(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n      ") + "\n"
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// startDemo starts an SBC-like TLS server on 127.0.0.1 that requires and
// verifies client certificates (Go crypto/tls, TLS 1.2-1.3) until stop is
// called. Its client CA is a throwaway "demo SBC client CA".
func startDemo() (addr string, stop func(), err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", nil, err
	}
	now := time.Now()
	srvTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "demo SBC"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	srvDER, err := x509.CreateCertificate(rand.Reader, srvTmpl, srvTmpl, key.Public(), key)
	if err != nil {
		return "", nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "demo SBC client CA"},
		NotBefore: srvTmpl.NotBefore, NotAfter: srvTmpl.NotAfter, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, key.Public(), key)
	if err != nil {
		return "", nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return "", nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	cfg := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{srvDER}, PrivateKey: key}},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pool,
		MinVersion:   tls.VersionTLS12,
	}
	l, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		return "", nil, err
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				if c.(*tls.Conn).Handshake() == nil {
					var b [1]byte
					_, _ = c.Read(b[:]) // until the client closes
				}
			}()
		}
	}()
	return l.Addr().String(), func() { l.Close(); wg.Wait() }, nil
}
