// Command probe probes TLS servers (an SBC, a SIP server on port 5061, any
// HTTPS endpoint) and prints which versions each accepts and what it does
// about client certificates; then it predicts what Genesys Cloud BYOC Cloud
// outbound calls (Genesys as TLS client) do against it before and after the
// certificate change that removes clientAuth.
//
// Usage:
//
//	probe [flags] host:port [host:port ...]
//	probe [flags] -targets FILE      # one host:port per line; # comments
//	probe [flags]                    # no target: probe a local demo endpoint
//
// Run probe -h for the flags. Exit status: 0 every question was answered
// (with -predict: the renewed serverAuth-only certificate will be
// accepted), 1 with -predict: it will fail, 2 some question stayed
// undecided (with -predict: cannot tell), 3 usage error, unreadable input
// or network error (nothing observed). With several targets the status is
// the worst one: 3, then 1, then 2, then 0.
//
// A probe cannot see which TLS stack verifies client certificates, and the
// stacks differ; give -stack if you know it (Kamailio, OpenSIPS, Asterisk
// and FreeSWITCH use OpenSSL).
//
// With -trust (mozilla, debian, jks:PATH or a PEM/DER file; repeatable),
// probe also checks the server chain it observed as a client with that
// store would (-client-stack: its TLS stack), against the name dialled
// (-sni, else the target's host): trusted, or untrusted with the finding
// (chain-untrusted, certificate-expired, name-mismatch, issuer-not-ca, ...)
// and the alert that client sends. The exit status then also carries that
// verdict: 0 trusted, 1 untrusted, 2 cannot tell (the worst status wins).
package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
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
	"github.com/tlscompat/tlscompat/examples/internal/chaincheck"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Exit statuses, shared by the project's examples.
const (
	exitOK      = 0 // succeeds / every question answered
	exitFails   = 1 // the prediction is "will fail"
	exitUnknown = 2 // cannot tell / some question undecided
	exitError   = 3 // usage error, unreadable input, network error
)

const usageText = `Usage:
  probe [flags] host:port [host:port ...]
  probe [flags] -targets FILE
  probe [flags]                 (no target: probe a local demo endpoint that
                                 requires and verifies client certificates)

Probes each TLS server: the versions it accepts (SSL 3.0 to TLS 1.3), whether
it requests, requires and verifies client certificates, and its certificate
chain; then predicts Genesys Cloud BYOC Cloud outbound calls against it before
and after the change to serverAuth-only certificates. A version is refused
only on an alert or a clean close; anything else leaves it undecided.
With -trust, also checks the observed server chain as a client with that
store (and -client-stack) would, against the name dialled (-sni, else the
target's host): trusted, or untrusted with the reason and the alert.
Progress goes to stderr.

Flags:
`

const exitText = `
Exit status:
  0  every question was answered (with -predict: the renewed serverAuth-only
     certificate will be accepted)
  1  with -predict: the handshake will fail
  2  some question stayed undecided (with -predict: cannot tell)
  3  usage error, unreadable input, or network error (nothing observed)
  With -trust the chain verdict counts too: 0 the client trusts the server
  chain, 1 it rejects it, 2 cannot tell; the worst of it and the above wins.
  With several targets the status is the worst one: 3, then 1, then 2, then 0.
`

func main() {
	os.Exit(run(os.Stdout, os.Stderr, os.Args[1:]))
}

// config is what the flags say.
type config struct {
	stack    policy.Stack
	opts     probe.Options
	json     bool
	predict  bool
	parallel int
	quiet    bool
	// trust is the verifying client's store (-trust); nil: no chain check.
	trust       *policy.Trust
	clientStack policy.Stack
	now         func() time.Time
}

// outcome is one target's probe.
type outcome struct {
	target string
	label  string
	r      probe.Result
	err    error
	stack  policy.Stack
}

func run(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	stackName := fs.String("stack", "", "TLS stack of the server(s), if known: openssl3, gnutls, go, java, nss, mbedtls, schannel")
	sni := fs.String("sni", "", "server name to send as SNI (default: the target's host name; none for an IP address)")
	noSNI := fs.Bool("no-sni", false, "send no SNI")
	minV := fs.String("min", "SSL 3.0", "lowest version to try (e.g. TLS1.0)")
	maxV := fs.String("max", "TLS 1.3", "highest version to try")
	timeout := fs.Duration("timeout", 5*time.Second, "timeout per connection attempt")
	readTimeout := fs.Duration("read-timeout", 2*time.Second, "wait for a TLS 1.3 server's verdict on a client certificate")
	total := fs.Duration("total", 0, "bound on each target's whole probe (0: none beyond the attempts')")
	certFile := fs.String("cert", "", "PEM file with a client certificate (chain) to present in one extra attempt")
	keyFile := fs.String("key", "", "PEM file with the private key of -cert (default: the -cert file)")
	source := fs.String("source", "", "local IP address to connect from")
	fs.StringVar(source, "local", "", "same as -source")
	targetsFile := fs.String("targets", "", "file with one host:port per line (# starts a comment)")
	parallel := fs.Int("parallel", 4, "targets probed at once")
	jsonOut := fs.Bool("json", false, "write one JSON object per target (JSON Lines) instead of text")
	predict := fs.Bool("predict", false, "the exit status carries the prediction for the renewed serverAuth-only certificate")
	quiet := fs.Bool("q", false, "no progress on stderr")
	var trustSpecs chaincheck.Specs
	fs.Var(&trustSpecs, "trust", chaincheck.SpecHelp)
	trustPassword := fs.String("trust-password", "changeit", "integrity password of a jks: store (empty: not checked)")
	clientStackName := fs.String("client-stack", "", "TLS stack of the client that verifies the server chain with -trust: go, openssl3, gnutls, java, nss, mbedtls (default unknown)")
	usage := func(w io.Writer) {
		fmt.Fprint(w, usageText)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		fmt.Fprint(w, exitText)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "probe: %v\n\n", err)
		usage(stderr)
		return exitError
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "probe: "+format+"\n", a...)
		return exitError
	}
	cfg := config{json: *jsonOut, predict: *predict, parallel: *parallel, quiet: *quiet, stack: policy.UnknownStack, clientStack: policy.UnknownStack, now: time.Now}
	if *clientStackName != "" {
		s, err := policy.ParseStack(*clientStackName)
		if err != nil {
			return fail("-client-stack %q: %v", *clientStackName, err)
		}
		cfg.clientStack = s
	}
	if len(trustSpecs) > 0 {
		tr, err := chaincheck.Load(trustSpecs, *trustPassword)
		if err != nil {
			return fail("%v", err)
		}
		cfg.trust = tr
	} else if *clientStackName != "" {
		return fail("-client-stack without -trust: the client's store is needed to check the server chain")
	}
	if *stackName != "" {
		s, err := policy.ParseStack(*stackName)
		if err != nil {
			return fail("-stack %q: %v", *stackName, err)
		}
		cfg.stack = s
	}
	lo, err := tlsver.ParseVersion(*minV)
	if err != nil {
		return fail("-min %q: %v", *minV, err)
	}
	hi, err := tlsver.ParseVersion(*maxV)
	if err != nil {
		return fail("-max %q: %v", *maxV, err)
	}
	if lo > hi {
		return fail("-min %v is above -max %v", lo, hi)
	}
	if *timeout <= 0 || *readTimeout <= 0 || *total < 0 {
		return fail("-timeout and -read-timeout must be positive, -total not negative")
	}
	if *parallel < 1 {
		return fail("-parallel %d: want at least 1", *parallel)
	}
	cfg.opts = probe.Options{
		Versions: tlsver.Range(lo, hi), AttemptTimeout: *timeout, ReadTimeout: *readTimeout, Timeout: *total,
		ServerName: *sni, OmitServerName: *noSNI,
	}
	if *certFile != "" {
		kf := *keyFile
		if kf == "" {
			kf = *certFile
		}
		c, err := tls.LoadX509KeyPair(*certFile, kf)
		if err != nil {
			return fail("-cert %s / -key %s: %v", *certFile, kf, err)
		}
		cfg.opts.Certificate = &c
	} else if *keyFile != "" {
		return fail("-key without -cert")
	}
	if *source != "" {
		ip := net.ParseIP(*source)
		if ip == nil {
			return fail("-source %q: not an IP address", *source)
		}
		cfg.opts.Dialer = &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}}
	}

	targets := fs.Args()
	if *targetsFile != "" {
		more, err := readTargets(*targetsFile)
		if err != nil {
			return fail("%v", err)
		}
		targets = append(targets, more...)
	}
	for _, t := range targets {
		if _, _, err := net.SplitHostPort(t); err != nil {
			return fail("target %q: want host:port (e.g. sbc.example.net:5061)", t)
		}
	}
	ctx := context.Background()
	if len(targets) == 0 {
		if *targetsFile != "" {
			return fail("%s: no targets", *targetsFile)
		}
		addr, stop, err := startDemo()
		if err != nil {
			return fail("demo endpoint: %v", err)
		}
		defer stop()
		o := cfg.opts
		o.ReadTimeout = 5 * time.Second // a verdict (alert or ticket) ends the wait at once
		r, err := probe.Probe(ctx, addr, withProgress(o, addr, stderr, cfg.quiet, nil))
		out := outcome{target: "demo", label: "the local demo endpoint (Go crypto/tls, RequireAndVerifyClientCert, TLS 1.2-1.3)", r: r, err: err, stack: policy.GoCryptoTLS}
		return emit(stdout, stderr, cfg, out, true)
	}
	return probeAll(ctx, stdout, stderr, cfg, targets)
}

// readTargets reads host:port lines; errors name the file and line.
func readTargets(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("-targets: %w", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(line); err != nil {
			return nil, fmt.Errorf("%s:%d: %q: want host:port", name, n, line)
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// withProgress returns o with a Progress callback that writes each attempt
// to stderr, unless quiet.
func withProgress(o probe.Options, target string, stderr io.Writer, quiet bool, mu *sync.Mutex) probe.Options {
	if quiet {
		return o
	}
	start := time.Now()
	o.Progress = func(a probe.Attempt) {
		if mu != nil {
			mu.Lock()
			defer mu.Unlock()
		}
		line := fmt.Sprintf("probe: %s: %v", target, a)
		if a.Undecided && a.Err != "" {
			line += " (" + a.Err + ")"
		}
		fmt.Fprintf(stderr, "%s [%v]\n", line, time.Since(start).Round(time.Millisecond))
	}
	return o
}

// probeAll probes the targets, cfg.parallel at once, and writes the
// results in the order of the targets.
func probeAll(ctx context.Context, stdout, stderr io.Writer, cfg config, targets []string) int {
	var mu sync.Mutex // stderr
	done := make([]chan outcome, len(targets))
	sem := make(chan struct{}, cfg.parallel)
	var wg sync.WaitGroup
	for i, t := range targets {
		done[i] = make(chan outcome, 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r, err := probe.Probe(ctx, t, withProgress(cfg.opts, t, stderr, cfg.quiet, &mu))
			done[i] <- outcome{target: t, label: t, r: r, err: err, stack: cfg.stack}
		}()
	}
	status := exitOK
	for i := range targets {
		o := <-done[i]
		mu.Lock()
		s := emit(stdout, stderr, cfg, o, i == 0)
		mu.Unlock()
		status = worse(status, s)
	}
	wg.Wait()
	return status
}

// worse returns the status that wins for several targets: 3, then 1, then
// 2, then 0.
func worse(a, b int) int {
	rank := map[int]int{exitOK: 0, exitUnknown: 1, exitFails: 2, exitError: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// prediction is the Genesys client before and after the change, against
// the probed endpoint.
type prediction struct {
	Before policy.Outcome `json:"before"`
	After  policy.Outcome `json:"after"`
}

var (
	beforeIssued, beforeAt = date(2026, 1, 15), date(2026, 1, 20)
	afterIssued, afterAt   = date(2026, 4, 15), date(2026, 4, 20)
)

func predict(r probe.Result, stack policy.Stack) (policy.Server, prediction) {
	srv := r.Endpoint()
	srv.Name = "this endpoint"
	srv.Stack = stack
	return srv, prediction{
		Before: policy.Evaluate(policy.Scenario{Client: products.GenesysBYOCCloudOutbound(beforeIssued, time.Time{}), Server: srv, At: beforeAt}),
		After:  policy.Evaluate(policy.Scenario{Client: products.GenesysBYOCCloudOutbound(afterIssued, time.Time{}), Server: srv, At: afterAt}),
	}
}

// status is a target's exit status.
func status(cfg config, o outcome, p prediction) int {
	switch {
	case o.err != nil:
		return exitError
	case cfg.predict && p.After.Verdict == policy.Succeeds:
		return exitOK
	case cfg.predict && p.After.Verdict == policy.Fails:
		return exitFails
	case cfg.predict:
		return exitUnknown
	case o.r.Complete():
		return exitOK
	}
	return exitUnknown
}

// lineJSON is one target in -json output.
type lineJSON struct {
	Target     string        `json:"target"`
	Error      string        `json:"error,omitempty"`
	ExitStatus int           `json:"exit_status"`
	Result     *probe.Result `json:"result,omitempty"`
	Prediction *prediction   `json:"prediction,omitempty"`
	// Chain is the verifying client's verdict on the server chain (with
	// -trust).
	Chain *chainJSON `json:"chain,omitempty"`
}

// chainJSON is the chain verdict with the outcome it rests on.
type chainJSON struct {
	chaincheck.Verdict
	ExitStatus int            `json:"exit_status"`
	Outcome    policy.Outcome `json:"outcome"`
}

// dialledName is the name a client dials for target: the SNI the probe
// sent (-sni, or the target's host name), else the target's host (an IP
// address is checked against the certificate's IP SANs).
func dialledName(target string, r probe.Result) string {
	if r.ServerName != "" {
		return r.ServerName
	}
	host, _, err := net.SplitHostPort(target)
	if err != nil {
		return ""
	}
	return host
}

// checkChain is the verdict of a client with cfg.trust on the observed
// server chain; nil without -trust or when the probe failed.
func checkChain(cfg config, o outcome) *chainJSON {
	if cfg.trust == nil || o.err != nil {
		return nil
	}
	srv := o.r.Endpoint()
	srv.Name = "this endpoint"
	srv.Stack = o.stack
	if srv.Versions.IsEmpty() {
		// The client offers exactly the versions the server accepted, so
		// they negotiate the highest of them whatever the server does with
		// the versions left undecided (some stacks' alerts differ by
		// version).
		srv.Versions = o.r.Versions
	}
	v, out := chaincheck.Check(srv, cfg.trust, cfg.clientStack, dialledName(o.r.Address, o.r), cfg.now())
	return &chainJSON{Verdict: v, ExitStatus: v.ExitStatus(), Outcome: out}
}

// emit writes one target's report and returns its exit status.
func emit(stdout, stderr io.Writer, cfg config, o outcome, first bool) int {
	_, p := predict(o.r, o.stack)
	st := status(cfg, o, p)
	chain := checkChain(cfg, o)
	if chain != nil {
		st = worse(st, chain.ExitStatus)
	}
	if cfg.json {
		l := lineJSON{Target: o.target, ExitStatus: st, Chain: chain}
		if o.err != nil {
			l.Error = o.err.Error()
		} else {
			l.Result = &o.r
			if cfg.predict {
				l.Prediction = &p
			}
		}
		b, err := json.Marshal(l)
		if err != nil {
			fmt.Fprintf(stderr, "probe: %s: %v\n", o.target, err)
			return exitError
		}
		stdout.Write(append(b, '\n'))
	} else {
		if o.err != nil {
			fmt.Fprintf(stderr, "probe: %v\n", o.err)
			return st
		}
		if !first {
			fmt.Fprintln(stdout)
		}
		report(stdout, o.label, o.r, o.stack, chain)
	}
	if o.err != nil {
		fmt.Fprintf(stderr, "probe: %v\n", o.err)
	}
	return st
}

func report(w io.Writer, label string, r probe.Result, stack policy.Stack, chain *chainJSON) {
	all := tlsver.Range(tlsver.SSL30, tlsver.TLS13)
	fmt.Fprintf(w, "Probe of %s\n", label)
	if r.ServerName != "" {
		fmt.Fprintf(w, "  SNI:                 %s\n", r.ServerName)
	}
	fmt.Fprintf(w, "  versions accepted:   %v\n", orNone(r.Versions))
	fmt.Fprintf(w, "  versions refused:    %v\n", orNone(r.Rejected.Intersect(all)))
	if !r.Untested.IsEmpty() {
		fmt.Fprintf(w, "  versions undecided:  %v\n", r.Untested)
		for _, u := range r.Undecided {
			fmt.Fprintf(w, "    %v: %s\n", u.Version, u.Reason)
		}
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
	if a := r.WithCertificate; a != nil {
		verdict := "accepted"
		if !a.OK {
			verdict = "not accepted: " + a.String()
			if a.Undecided {
				verdict = "undecided: " + a.Err
			}
		}
		fmt.Fprintf(w, "  your certificate:    %s\n", verdict)
	}
	if chain != nil {
		fmt.Fprintf(w, "  chain check:         %s\n", chain.Line())
		name := chain.ServerName
		if name == "" {
			name = "none (no name check)"
		}
		fmt.Fprintf(w, "    client: %s, name %s, store %s\n", chain.ClientStack.Title(), name, chain.Trust)
		fmt.Fprintf(w, "    because %s\n", chain.Message)
	}

	srv, p := predict(r, stack)
	fmt.Fprintf(w, "\nGenesys Cloud BYOC Cloud outbound calls to it (server stack: %s; assuming the server\n", stack.Title())
	fmt.Fprintf(w, "trusts the CA that issued the Genesys certificate, which a probe cannot see):\n")
	fmt.Fprintf(w, "  before the change: certificate issued %s (serverAuth+clientAuth)\n    => %s", beforeIssued.Format("2006-01-02"), indent(p.Before.Explain()))
	fmt.Fprintf(w, "  after the change:  certificate issued %s (serverAuth only)\n    => %s", afterIssued.Format("2006-01-02"), indent(p.After.Explain()))
	s := policy.Scenario{Client: products.GenesysBYOCCloudOutbound(date(2025, 12, 1), products.GenesysRenewal), Server: srv}
	changes := policy.Timeline(s, date(2026, 1, 1), date(2026, 12, 31))
	if len(changes) == 0 {
		fmt.Fprintln(w, "  2026 with the announced renewal: no change")
	}
	for _, ch := range changes {
		fmt.Fprintf(w, "  2026 with the announced renewal: %s -> %s on %s\n", ch.From, ch.To, ch.At.UTC().Format("2006-01-02"))
	}
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
