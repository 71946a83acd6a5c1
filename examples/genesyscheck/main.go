// Command genesyscheck answers the Genesys Cloud notice "Client
// Authentication EKU support removed from Genesys Cloud certificate"
// (https://help.mypurecloud.com/announcements/client-authentication-eku-support-removed-from-genesys-cloud-certificate/)
// for one SBC or SIP server: does it request or require a client
// certificate, will it refuse the renewed Genesys certificate that carries
// serverAuth only, from when, and what to change, with the evidence.
//
// Usage:
//
//	genesyscheck [flags] [host:port]
//
//	genesyscheck -stack openssl3 sbc.example.net:5061   # probe the SBC live
//	genesyscheck -capture outbound-call.pcap            # read a recorded outbound call
//	genesyscheck -mode require-and-verify -stack java   # offline, from what you know
//
// Inputs, any combination:
//
//   - host:port: the SBC's SIP TLS address; it is probed live (package
//     policy/probe): a few TLS connections, one after another.
//   - -capture file: a pcap or pcapng of an outbound call (Genesys is the TLS
//     client); every TLS connection in it is checked (package policy/capture).
//     The client certificate recorded in it, if any, is taken as the
//     certificate Genesys presents now unless -cert is given.
//   - -cert file: the certificate (chain) Genesys presents now, PEM or DER.
//     Without it the documented profile is used (products.GenesysBYOCCloudOutbound).
//   - -stack, -stack-version: the TLS stack that checks client certificates
//     on the SBC. The stacks differ; without it the answer is "cannot tell"
//     where they disagree.
//   - -mode, -versions: the SBC's client-certificate mode and versions when
//     neither an address nor a capture is given (offline).
//   - -trust, -name: the store Genesys verifies the SBC's server certificate
//     chain with (mozilla, debian, jks:PATH or a PEM/DER file; repeatable)
//     and the name Genesys dials (default: the probed host). Genesys, as
//     the TLS client of an outbound call, checks the SBC's chain (from the
//     probe or the capture): the second half of the handshake. Without
//     -trust the answer says which issuer Genesys is assumed to trust
//     (trust-assumed) and the exit status does not depend on it; with it,
//     an untrusted chain makes the handshake fail.
//
// The renewal dates are those the library carries: certificates issued from
// products.GenesysClientAuthCutover lack clientAuth, and the renewal happens in
// the week starting products.GenesysRenewal.
//
// Exit status (the verdict for the renewed, serverAuth-only certificate;
// with several connections in a capture, the worst one):
//
//	0  the handshake will succeed
//	1  the handshake will fail
//	2  cannot tell (the output says what is missing)
//	3  usage error, unreadable input, or network error (nothing observed)
//
// With -trust the verdict includes Genesys' check of the SBC's chain: an
// untrusted chain is 1, a check that cannot be decided 2.
//
// -h and --help print this usage and exit 0.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/tlscompat/tlscompat/examples/internal/chaincheck"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/capture"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Exit statuses.
const (
	exitSucceeds = 0
	exitFails    = 1
	exitUnknown  = 2
	exitError    = 3
)

const usageText = `Usage: genesyscheck [flags] [host:port]

Answers the Genesys Cloud notice "Client Authentication EKU support removed
from Genesys Cloud certificate" for an SBC or SIP server: does it request or
require a client certificate, will it refuse the renewed Genesys certificate
(serverAuth only), from when, and what to change.

  genesyscheck -stack openssl3 sbc.example.net:5061   probe the SBC live
  genesyscheck -capture outbound-call.pcap            read a recorded outbound call
  genesyscheck -mode require-and-verify -stack java   offline, from what you know

Exit status (the verdict for the renewed serverAuth-only certificate; the
worst one when a capture holds several connections):
  0  the handshake will succeed
  1  the handshake will fail
  2  cannot tell (the output says what is missing)
  3  usage error, unreadable input, or network error (nothing observed)
With -trust the verdict includes Genesys' check of the SBC's server chain
(the second half of the outbound handshake): untrusted is 1, undecided 2.

Flags:
`

func main() {
	os.Exit(run(os.Stdout, os.Stderr, os.Args[1:]))
}

// config is the parsed command line.
type config struct {
	address      string
	capture      string
	cert         string
	stack        policy.Stack
	stackVersion string
	mode         policy.ClientAuthMode
	modeSet      bool
	versions     tlsver.Set
	at           time.Time
	json         bool
	sni          string
	timeout      time.Duration
	// trust is the store Genesys verifies the SBC's chain with (-trust);
	// nil: not given. name is the name Genesys dials (-name, else the
	// probed host when -trust is given).
	trust *policy.Trust
	name  string
}

func parseArgs(stdout, stderr io.Writer, args []string) (*config, int, bool) {
	fs := flag.NewFlagSet("genesyscheck", flag.ContinueOnError)
	var parseOut bytes.Buffer // -h prints only to stdout; parse errors to stderr
	fs.SetOutput(&parseOut)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	c := &config{}
	fs.StringVar(&c.capture, "capture", "", "pcap or pcapng `file` of an outbound call (Genesys as TLS client)")
	fs.StringVar(&c.cert, "cert", "", "the certificate (chain) Genesys presents now, PEM or DER `file`")
	stack := fs.String("stack", "", "TLS stack that checks client certificates on the SBC: openssl3 (Kamailio, OpenSIPS, Asterisk, FreeSWITCH), gnutls, go, java, nss, mbedtls, schannel")
	fs.StringVar(&c.stackVersion, "stack-version", "", "the stack's `version` where its rules changed (GnuTLS: 3.8.13)")
	mode := fs.String("mode", "", "offline: the SBC's client-certificate `mode`: none, request, require-any, verify-if-given, require-and-verify")
	versions := fs.String("versions", "", "offline: the `versions` the SBC accepts, e.g. \"TLS 1.2, 1.3\" (default TLS 1.2: calls work today)")
	at := fs.String("at", "", "evaluate as of this `date` (YYYY-MM-DD or RFC 3339; default now)")
	fs.BoolVar(&c.json, "json", false, "print one JSON object per checked connection (JSON Lines)")
	fs.StringVar(&c.sni, "sni", "", "server `name` to send when probing (default: the host, if it is a name)")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Second, "timeout per probe connection")
	var trustSpecs chaincheck.Specs
	fs.Var(&trustSpecs, "trust", "the store Genesys verifies the SBC's server certificate chain with: "+chaincheck.SpecHelp)
	trustPassword := fs.String("trust-password", "changeit", "integrity password of a jks: store (empty: not checked)")
	fs.StringVar(&c.name, "name", "", "the `FQDN` Genesys dials, checked against the SBC certificate's SANs (default: the probed host)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, exitSucceeds, false
		}
		stderr.Write(parseOut.Bytes())
		return nil, exitError, false // the flag package printed the error and usage
	}
	fail := func(format string, a ...any) (*config, int, bool) {
		fmt.Fprintf(stderr, "genesyscheck: "+format+"\n", a...)
		fmt.Fprintln(stderr, "run genesyscheck -h for usage")
		return nil, exitError, false
	}
	switch fs.NArg() {
	case 0:
	case 1:
		c.address = fs.Arg(0)
		host, _, err := net.SplitHostPort(c.address)
		if err != nil {
			return fail("address %q: want host:port (e.g. sbc.example.net:5061)", c.address)
		}
		if c.sni == "" && net.ParseIP(host) == nil {
			c.sni = host
		}
	default:
		return fail("want at most one address (host:port), got %q", fs.Args())
	}
	if *stack != "" {
		s, err := policy.ParseStack(*stack)
		if err != nil {
			return fail("-stack: %v", err)
		}
		c.stack = s
	}
	if *mode != "" {
		m, err := policy.ParseClientAuthMode(*mode)
		if err != nil {
			return fail("-mode: %v", err)
		}
		c.mode, c.modeSet = m, true
	}
	if *versions != "" {
		v, err := tlsver.ParseSet(*versions)
		if err != nil {
			return fail("-versions %q: %v", *versions, err)
		}
		c.versions = v
	}
	if (c.modeSet || *versions != "") && (c.address != "" || c.capture != "") {
		return fail("-mode and -versions describe the SBC offline; with an address or a capture the SBC is observed")
	}
	if !c.modeSet && c.address == "" && c.capture == "" {
		return fail("nothing to check: give the SBC's host:port, -capture file, or -mode (offline)")
	}
	c.at = time.Now().UTC()
	if *at != "" {
		t, err := parseTime(*at)
		if err != nil {
			return fail("-at: %v", err)
		}
		c.at = t
	}
	if c.timeout <= 0 {
		return fail("-timeout %v: want a positive duration", c.timeout)
	}
	if len(trustSpecs) == 0 && c.name != "" {
		return fail("-name without -trust: the name is checked only with the store Genesys verifies the SBC's chain with")
	}
	if len(trustSpecs) > 0 {
		tr, err := chaincheck.Load(trustSpecs, *trustPassword)
		if err != nil {
			return fail("%v", err)
		}
		c.trust = tr
		if c.name == "" && c.address != "" {
			c.name = c.sni
			if c.name == "" {
				c.name, _, _ = net.SplitHostPort(c.address)
			}
		}
	}
	return c, 0, true
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD or RFC 3339", s)
	}
	return t, nil
}

// run is the program; it returns the exit status.
func run(stdout, stderr io.Writer, args []string) int {
	cfg, status, ok := parseArgs(stdout, stderr, args)
	if !ok {
		return status
	}
	reports, err := check(context.Background(), stderr, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "genesyscheck:", err)
		return exitError
	}
	status = exitSucceeds
	for i := range reports {
		r := &reports[i]
		if cfg.json {
			b, err := json.Marshal(r)
			if err != nil {
				fmt.Fprintln(stderr, "genesyscheck:", err)
				return exitError
			}
			fmt.Fprintf(stdout, "%s\n", b)
		} else {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			writeText(stdout, r)
		}
		status = worse(status, exitStatus(r.Verdict))
	}
	return status
}

// exitStatus maps a verdict to the exit status.
func exitStatus(v policy.Verdict) int {
	switch v {
	case policy.Succeeds:
		return exitSucceeds
	case policy.Fails:
		return exitFails
	}
	return exitUnknown
}

// worse returns the worse of two statuses: fails beats cannot tell beats
// succeeds (the numbers are not ordered that way).
func worse(a, b int) int {
	rank := func(s int) int {
		switch s {
		case exitFails:
			return 3
		case exitUnknown:
			return 2
		case exitError:
			return 4
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// check gathers the inputs and builds one report per SBC connection.
func check(ctx context.Context, progress io.Writer, cfg *config) ([]report, error) {
	genesys, err := genesysClient(cfg.cert)
	if err != nil {
		return nil, err
	}
	// Genesys, the TLS client, checks the SBC's server chain.
	genesys.Trust, genesys.ServerName = cfg.trust, cfg.name
	var targets []target
	if cfg.capture != "" {
		fmt.Fprintf(progress, "genesyscheck: reading %s\n", cfg.capture)
		conns, err := capture.ReadFile(cfg.capture)
		switch {
		case err != nil && len(conns) == 0:
			return nil, fmt.Errorf("-capture: %w", err) // the error names the file
		case err != nil:
			// A damaged tail: check what was read, and say so.
			fmt.Fprintf(progress, "genesyscheck: warning: %v; checking the %d connection(s) read before it\n", err, len(conns))
		case len(conns) == 0:
			return nil, fmt.Errorf("capture %s: no TLS connection in it", cfg.capture)
		}
		recorded := false
		for i, c := range conns {
			t := captureTarget(cfg.capture, i, c)
			if cfg.cert == "" && t.recordedChain != nil && !recorded {
				// The certificate Genesys presented in this call is the one
				// it presents now.
				useChain(&genesys, t.recordedChain)
				genesys.Evidence = prependSource(genesys.Evidence, policy.Source{Kind: policy.SourceObservation, Locator: "client certificate recorded in " + t.name})
				recorded = true
			}
			targets = append(targets, t)
		}
	}
	if cfg.address != "" {
		fmt.Fprintf(progress, "genesyscheck: probing %s (several TLS connections, up to %v each)\n", cfg.address, cfg.timeout)
		r, err := probe.Probe(ctx, cfg.address, probe.Options{AttemptTimeout: cfg.timeout, ServerName: cfg.sni})
		if err != nil {
			return nil, fmt.Errorf("probe %s: %w", cfg.address, err)
		}
		if r.Versions.IsEmpty() && r.CertificateRequest == probe.Unknown {
			reason := "no TLS version accepted"
			for _, a := range r.Attempts {
				if a.Err != "" {
					reason = a.Err
					break
				}
			}
			return nil, fmt.Errorf("probe %s: nothing observed: %s", cfg.address, reason)
		}
		targets = append(targets, probeTarget(r))
	}
	if len(targets) == 0 {
		targets = append(targets, offlineTarget(cfg))
	}
	out := make([]report, 0, len(targets))
	for _, t := range targets {
		t.server.Stack = cfg.stack
		t.server.StackVersion = cfg.stackVersion
		out = append(out, evaluate(t, genesys, cfg))
	}
	return out, nil
}

// genesysClient returns the Genesys BYOC Cloud outbound client: the
// documented profile, or the certificate chain in file, with the announced
// renewal week.
func genesysClient(file string) (policy.Client, error) {
	c := products.GenesysBYOCCloudOutbound(time.Time{}, products.GenesysRenewal)
	c.Renewal.WindowDays = products.GenesysRenewalWindowDays
	if file == "" {
		return c, nil
	}
	chain, err := readChain(file)
	if err != nil {
		return policy.Client{}, err
	}
	useChain(&c, chain)
	c.Evidence = prependSource(c.Evidence, policy.Source{Kind: policy.SourceObservation, Locator: "certificate file " + file})
	return c, nil
}

// useChain makes ch the chain c presents. A certificate issued from the
// cut-over on is what it is: no renewal is modelled for it (the renewal
// model would otherwise strip a clientAuth it does carry).
func useChain(c *policy.Client, ch *policy.Chain) {
	c.Chain = completeCAs(ch)
	if leaf := ch.Leaf(); leaf != nil && !leaf.NotBefore.Before(products.GenesysClientAuthCutover) {
		c.Renewal = nil
	}
}

// completeCAs keeps the profile's statement about the Genesys CA
// certificates when the given chain stops below its trust anchor.
func completeCAs(ch *policy.Chain) *policy.Chain {
	if ch.CAs != policy.CAsComplete {
		p := products.GenesysBYOCCloudOutbound(time.Time{}, time.Time{})
		ch.CAs, ch.CAEvidence = p.Chain.CAs, p.Chain.CAEvidence
	}
	return ch
}

// readChain reads a PEM bundle (other blocks, keys included, are skipped) or
// a DER certificate.
func readChain(file string) (*policy.Chain, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("-cert: %w", err)
	}
	var ders [][]byte
	rest := data
	for {
		b, r := pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			ders = append(ders, b.Bytes)
		}
		rest = r
	}
	if len(ders) == 0 {
		if len(data) > 0 && data[0] == 0x30 {
			ders = [][]byte{data}
		} else {
			return nil, fmt.Errorf("-cert %s: no certificate in it (want PEM CERTIFICATE blocks or one DER certificate)", file)
		}
	}
	ch, err := policy.ChainFromDER(ders...)
	if err != nil {
		return nil, fmt.Errorf("-cert %s: %w", file, err)
	}
	return ch, nil
}

// prependSource returns e with s as its first source (the last is dropped
// when e is full).
func prependSource(e policy.Evidence, s policy.Source) policy.Evidence {
	return policy.Cite(append([]policy.Source{s}, e.List()...)...)
}
