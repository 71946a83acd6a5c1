// Command capture answers the Genesys BYOC Cloud notice's question from packet
// captures: does the SIP endpoint send a CertificateRequest in the TLS
// handshake, and will it refuse the renewed serverAuth-only certificate?
//
// For every TCP connection in the given pcap or pcapng files it prints, as
// soon as the handshake has been read, what the capture shows (versions, the
// CertificateRequest, the chains' EKU, the alerts), the outcome it observed
// (the server's fatal alert after the client's Certificate, or the server
// finishing the handshake), the prediction of package policy for the client
// certificate the capture holds, flagging any difference with what was
// observed, and the prediction for Genesys outbound calls before and after
// the certificate renewal. Connections that are not TLS (plaintext SIP) are
// reported as such.
//
// Usage:
//
//	capture [-stack NAME] [-host H] [-port P] [-json] [file.pcap ...]
//
// Without files it reads the sample captures built into the program (the
// ones recorded by policy/capture/testdata/record.sh).
//
// Exit status: 0 when no connection has a CertificateRequest concern; 1 when
// a connection will fail (a CertificateRequest is seen that the renewed
// certificate would fail); 2 when it cannot tell for some connection (no TLS
// connection, TLS 1.3, an incomplete capture, an unknown stack); 3 for a
// usage or read error.
package main

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/capture"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

//go:embed testdata/*.pcap testdata/*.pcapng
var samples embed.FS

// Exit statuses, shared by the project's examples.
const (
	exitOK      = 0
	exitFails   = 1
	exitUnknown = 2
	exitUsage   = 3
)

func main() {
	os.Exit(run(os.Stdout, os.Stderr, os.Args[1:]))
}

// genesysIssued is the issue date assumed for the Genesys certificate in use
// before the renewal (any date before the cut-over gives the same answer).
var genesysIssued = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

const usage = `usage: capture [-stack NAME] [-host H] [-port P] [-json] [file.pcap|file.pcapng ...]

Reads pcap and pcapng captures and answers, per TLS connection, whether the
server sent a CertificateRequest, what the capture shows happened, and whether
Genesys outbound calls will fail after the certificate renewal. Without files
it reads the built-in sample captures.

Options:
`

const exitHelp = `
Exit status:
  0  no connection has a CertificateRequest concern
  1  a connection will fail: a CertificateRequest is seen that the renewed
     certificate would fail
  2  cannot tell for some connection (no TLS connection, TLS 1.3, an
     incomplete capture, the endpoint's stack not known: use -stack)
  3  usage or read error
`

type options struct {
	stack policy.Stack
	host  string
	port  int
	json  bool
}

func run(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("capture", flag.ContinueOnError)
	var parseOut bytes.Buffer // -h prints only to stdout; parse errors to stderr
	fs.SetOutput(&parseOut)
	stackName := fs.String("stack", "", "TLS stack `NAME` of the endpoint, if known (openssl3, gnutls, go, java, nss, mbedtls, schannel)")
	var o options
	fs.StringVar(&o.host, "host", "", "report only connections whose server address or SNI is `H`")
	fs.IntVar(&o.port, "port", 0, "report only connections whose server port is `P`")
	fs.BoolVar(&o.json, "json", false, "write JSON Lines: one record per connection")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), exitHelp)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK
		}
		stderr.Write(parseOut.Bytes())
		return exitUsage
	}
	if *stackName != "" {
		s, err := policy.ParseStack(*stackName)
		if err != nil {
			fmt.Fprintln(stderr, "capture: -stack:", err)
			return exitUsage
		}
		o.stack = s
	}
	if o.port < 0 || o.port > 65535 {
		fmt.Fprintf(stderr, "capture: -port %d is not in 0..65535\n", o.port)
		return exitUsage
	}
	type input struct {
		name string
		open func() (io.ReadCloser, int64, error)
	}
	var inputs []input
	if fs.NArg() == 0 {
		entries, err := samples.ReadDir("testdata")
		if err != nil {
			fmt.Fprintln(stderr, "capture:", err)
			return exitUsage
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		for _, n := range names {
			inputs = append(inputs, input{"(built-in) " + n, func() (io.ReadCloser, int64, error) {
				data, err := samples.ReadFile(path.Join("testdata", n))
				return io.NopCloser(bytes.NewReader(data)), int64(len(data)), err
			}})
		}
	}
	for _, f := range fs.Args() {
		inputs = append(inputs, input{f, func() (io.ReadCloser, int64, error) {
			fh, err := os.Open(f)
			if err != nil {
				return nil, 0, err
			}
			st, err := fh.Stat()
			if err != nil {
				fh.Close()
				return nil, 0, err
			}
			return fh, st.Size(), nil
		}})
	}
	status := exitOK
	anyTLS := false
	readErr := false
	for _, in := range inputs {
		r, size, err := in.open()
		if err != nil {
			fmt.Fprintf(stderr, "capture: %s: %v\n", in.name, err)
			readErr = true
			continue
		}
		pr := &progress{r: r, size: size, name: in.name, w: stderr, start: clock()}
		var st capture.Stats
		var counts [3]int
		if !o.json {
			fmt.Fprintf(stdout, "%s:\n", in.name)
		}
		for c, err := range capture.Connections(pr, capture.Options{Stats: &st}) {
			if err != nil {
				fmt.Fprintf(stderr, "capture: %s: %v\n", in.name, err)
				readErr = true
				break
			}
			if !o.match(c) {
				continue
			}
			counts[c.Protocol]++
			rep := assess(c, o.stack)
			if c.Protocol == capture.ProtocolTLS {
				anyTLS = true
				status = worse(status, rep.status)
			}
			if o.json {
				writeJSON(stdout, in.name, c, rep)
			} else {
				report(stdout, c, rep)
			}
			pr.tick(st.Connections)
		}
		r.Close()
		pr.done(st.Connections)
		if !o.json {
			fmt.Fprintf(stdout, "  %d TLS connection(s), %d not TLS, %d unrecognized\n\n",
				counts[capture.ProtocolTLS], counts[capture.ProtocolNotTLS], counts[capture.ProtocolUnrecognized])
		}
	}
	switch {
	case readErr:
		return exitUsage
	case !anyTLS:
		return exitUnknown
	}
	return status
}

// worse combines exit statuses: a failure outweighs "cannot tell".
func worse(a, b int) int {
	rank := map[int]int{exitOK: 0, exitUnknown: 1, exitFails: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func (o options) match(c capture.Connection) bool {
	if o.port != 0 && int(c.Server.Port()) != o.port {
		return false
	}
	if o.host != "" {
		if a, err := netip.ParseAddr(o.host); err == nil {
			return a == c.Server.Addr()
		}
		return strings.EqualFold(o.host, string(c.ClientHello.ServerName))
	}
	return true
}

// clock is time.Now; tests replace it.
var clock = time.Now

// progress reports on stderr, once a second, how far a large file has been
// read.
type progress struct {
	r     io.Reader
	size  int64
	n     int64
	name  string
	w     io.Writer
	start time.Time
	last  time.Time
	shown bool
}

func (p *progress) Read(b []byte) (int, error) {
	k, err := p.r.Read(b)
	p.n += int64(k)
	return k, err
}

func (p *progress) tick(conns int) {
	if now := clock(); now.Sub(p.start) > time.Second && now.Sub(p.last) > time.Second {
		p.last = now
		p.shown = true
		fmt.Fprintf(p.w, "capture: %s: %d connections, %.1f of %.1f MB read\n", p.name, conns, float64(p.n)/1e6, float64(p.size)/1e6)
	}
}

func (p *progress) done(conns int) {
	if p.shown {
		fmt.Fprintf(p.w, "capture: %s: done, %d connections in %.1fs\n", p.name, conns, clock().Sub(p.start).Seconds())
	}
}

// assessment is what the program concludes for one connection.
type assessment struct {
	observed        string         // what the capture shows happened
	observedVerdict policy.Verdict // Succeeds, Fails or Unknown
	predicted       *policy.Outcome
	predictedWhy    string // why there is no prediction
	differs         bool
	endpoint        policy.Server
	before, after   policy.Outcome
	genesys         bool   // before/after were evaluated
	seen            string // what the capture shows about a leaf without clientAuth
	seenStatus      int
	status          int
}

// observe says what the capture shows about the handshake's outcome.
func observe(c capture.Connection) (string, policy.Verdict) {
	if a, ok := c.ServerAlerts.Fatal(); ok {
		s := "the server sent fatal alert " + strconv.Itoa(int(a.Description)) + " (" + a.Description.WireName() + ")"
		if c.ClientCertificateSent {
			s += " after the client's Certificate"
		}
		return s, policy.Fails
	}
	if a, ok := c.ClientAlerts.Fatal(); ok {
		return "the client sent fatal alert " + strconv.Itoa(int(a.Description)) + " (" + a.Description.WireName() + ")", policy.Fails
	}
	switch {
	case c.Version == tlsver.TLS13:
		return "TLS 1.3: the rest of the handshake is encrypted", policy.Unknown
	case c.ServerChangeCipherSpec && c.ClientCertificateSent && c.ClientCertificates.Len() == 0:
		return "the server accepted the client's empty Certificate message and finished the handshake (ChangeCipherSpec)", policy.Succeeds
	case c.ServerChangeCipherSpec && c.ClientCertificateSent:
		return "the server accepted the client's certificate and finished the handshake (ChangeCipherSpec)", policy.Succeeds
	case c.ServerChangeCipherSpec:
		return "the server finished the handshake (ChangeCipherSpec)", policy.Succeeds
	}
	return "the handshake's end is not in the capture", policy.Unknown
}

func assess(c capture.Connection, stack policy.Stack) assessment {
	var a assessment
	if c.Protocol != capture.ProtocolTLS {
		a.status = exitUnknown
		return a
	}
	a.observed, a.observedVerdict = observe(c)
	a.endpoint = c.Endpoint()
	a.endpoint.Stack = stack
	// The prediction for the client certificate this capture holds.
	switch {
	case !c.ClientCertificateSent:
		a.predictedWhy = "the client sent no Certificate message"
	case c.ClientCertificates.Len() == 0:
		a.predictedWhy = "the client sent an empty Certificate message"
	default:
		chain, err := policy.ChainFromDER(c.ClientCertificates.DER()...)
		if err != nil {
			a.predictedWhy = "the client's certificates do not parse: " + err.Error()
			break
		}
		client := policy.Client{Name: "client of the capture", Versions: c.ClientHello.Offered(), Chain: chain}
		// The capture holds no wall-clock time: evaluate a day after the
		// leaf was issued (policy reads dated data at that instant).
		at := chain.Leaf().NotBefore.AddDate(0, 0, 1)
		o := policy.Evaluate(policy.Scenario{Client: client, Server: a.endpoint, At: at})
		a.predicted = &o
		a.differs = o.Verdict != policy.Unknown && a.observedVerdict != policy.Unknown && o.Verdict != a.observedVerdict
	}
	// What the capture itself shows about a certificate like the renewed
	// one (no clientAuth): the server's reaction to such a client leaf.
	if leaf, ok := clientLeaf(c); ok && leaf.Present() && !leaf.Has(eku.ClientAuth) {
		switch a.observedVerdict {
		case policy.Fails:
			a.seen = "the server refused a client certificate without clientAuth, as the renewed Genesys certificate will be"
			a.seenStatus = exitFails
		case policy.Succeeds:
			a.seen = "the server accepted a client certificate without clientAuth, as the renewed Genesys certificate will be"
			a.seenStatus = exitOK
		}
	}
	if a.endpoint.ClientAuth == policy.ClientAuthUnknown {
		a.status = exitUnknown
		if a.seen != "" {
			a.status = a.seenStatus
		}
		return a
	}
	genesys := products.GenesysBYOCCloudOutbound(genesysIssued, products.GenesysRenewal)
	a.genesys = true
	a.before = policy.Evaluate(policy.Scenario{Client: genesys, Server: a.endpoint, At: products.GenesysRenewal.AddDate(0, 0, -1)})
	a.after = policy.Evaluate(policy.Scenario{Client: genesys, Server: a.endpoint, At: products.GenesysRenewal.AddDate(0, 0, 1)})
	switch a.after.Verdict {
	case policy.Fails:
		a.status = exitFails
	case policy.Unknown:
		a.status = exitUnknown
	default:
		a.status = exitOK
	}
	if a.seen != "" && a.status == exitUnknown {
		a.status = a.seenStatus // the observation decides what the model cannot
	}
	return a
}

// clientLeaf returns the EKU facts of the client's leaf certificate.
func clientLeaf(c capture.Connection) (eku.Set, bool) {
	chain, err := c.ClientCertificates.EKU()
	if err != nil {
		return eku.Set{}, false
	}
	return chain.Leaf(), true
}

func verdict(o policy.Outcome) string {
	s := o.Verdict.String()
	if o.Alert != 0 {
		s += " (alert " + o.Alert.String() + ")"
	}
	return s
}

func report(w io.Writer, c capture.Connection, a assessment) {
	fmt.Fprintf(w, "  %v -> %v (packets %d-%d)", c.Client, c.Server, c.FirstPacket, c.LastPacket)
	if c.Protocol != capture.ProtocolTLS {
		fmt.Fprintf(w, ": %s, first bytes %q\n", map[capture.Protocol]string{
			capture.ProtocolNotTLS:       "not TLS",
			capture.ProtocolUnrecognized: "not recognized as TLS (the capture does not hold the stream's start)",
		}[c.Protocol], c.FirstBytes)
		return
	}
	if sni := c.ClientHello.ServerName; sni != nil {
		fmt.Fprintf(w, ", SNI %s", sni)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "    versions: offered %v; negotiated %v\n", c.ClientHello.Offered(), c.Version)
	fmt.Fprintf(w, "    CertificateRequest: %v\n", c.CertRequest)
	if c.CertificateRequest.Seen {
		var types, schemes []string
		for t := range c.CertificateRequest.CertificateTypes() {
			types = append(types, t.String())
		}
		for s := range c.CertificateRequest.SignatureSchemes() {
			schemes = append(schemes, s.String())
		}
		fmt.Fprintf(w, "      certificate types: %s\n", strings.Join(types, ", "))
		fmt.Fprintf(w, "      signature schemes: %d (%s, ...)\n", len(schemes), strings.Join(schemes[:min(3, len(schemes))], ", "))
		cas := c.CertificateRequest.AuthorityNames()
		if len(cas) == 0 {
			cas = []string{"(none listed: any trusted CA)"}
		}
		fmt.Fprintf(w, "      acceptable CAs: %s\n", strings.Join(cas, "; "))
	}
	switch {
	case c.ClientCertificateSent && c.ClientCertificates.Len() == 0:
		fmt.Fprintln(w, "    client certificate: none (empty Certificate message)")
	case c.ClientCertificateSent:
		printChain(w, "client chain", c.ClientCertificates)
	}
	if c.ServerCertificates.Len() > 0 {
		printChain(w, "server chain", c.ServerCertificates)
	} else if c.Version == tlsver.TLS13 {
		fmt.Fprintln(w, "    server chain: encrypted (TLS 1.3)")
	}
	alerts(w, "server", c.ServerAlerts)
	alerts(w, "client", c.ClientAlerts)
	if c.Err != nil {
		fmt.Fprintf(w, "    parse error: %v\n", c.Err)
	}
	fmt.Fprintf(w, "    observed: %s\n", a.observed)
	if a.predicted != nil {
		flag := ""
		if a.differs {
			flag = "  << DIFFERS from what was observed"
		}
		fmt.Fprintf(w, "    predicted for this client's certificate: %s%s\n", verdict(*a.predicted), flag)
	} else {
		fmt.Fprintf(w, "    predicted for this client's certificate: none (%s)\n", a.predictedWhy)
	}
	if a.seen != "" {
		fmt.Fprintf(w, "    seen: %s\n", a.seen)
	}
	fmt.Fprintf(w, "    Genesys notice: %s\n", advice(c.CertRequest))
	fmt.Fprintf(w, "    as a policy endpoint: client-auth %v, versions %v, stack %v\n", a.endpoint.ClientAuth, a.endpoint.Versions, a.endpoint.Stack)
	if !a.genesys {
		fmt.Fprintln(w, "    Genesys outbound: not predicted (the capture does not show the client-certificate mode)")
		return
	}
	genesys := products.GenesysBYOCCloudOutbound(genesysIssued, products.GenesysRenewal)
	for _, at := range []struct {
		label string
		t     time.Time
		o     policy.Outcome
	}{{"before renewal", products.GenesysRenewal.AddDate(0, 0, -1), a.before}, {"after renewal", products.GenesysRenewal.AddDate(0, 0, 1), a.after}} {
		fmt.Fprintf(w, "    Genesys outbound %s (%s): %s\n", at.label, at.t.Format("2006-01-02"), verdict(at.o))
		if at.o.Verdict == policy.Unknown && a.endpoint.Stack == policy.UnknownStack {
			for _, st := range []policy.Stack{policy.OpenSSL3, policy.JavaJSSE, policy.GnuTLS} {
				s2 := a.endpoint
				s2.Stack = st
				o2 := policy.Evaluate(policy.Scenario{Client: genesys, Server: s2, At: at.t})
				fmt.Fprintf(w, "      if the endpoint runs %s: %s\n", st.Title(), verdict(o2))
			}
		}
	}
}

// record is one JSON Lines record.
type record struct {
	File              string             `json:"file"`
	Connection        capture.Connection `json:"connection"`
	Observed          string             `json:"observed,omitempty"`
	ObservedVerdict   string             `json:"observed_verdict,omitempty"`
	Predicted         string             `json:"predicted_for_client_certificate,omitempty"`
	PredictedAlert    string             `json:"predicted_alert,omitempty"`
	NoPrediction      string             `json:"no_prediction_because,omitempty"`
	Differs           bool               `json:"differs"`
	ClientAuth        string             `json:"client_auth,omitempty"`
	GenesysBefore     string             `json:"genesys_before_renewal,omitempty"`
	GenesysAfter      string             `json:"genesys_after_renewal,omitempty"`
	GenesysAfterAlert string             `json:"genesys_after_renewal_alert,omitempty"`
	Seen              string             `json:"seen,omitempty"`
	ExitStatus        int                `json:"exit_status"`
}

func writeJSON(w io.Writer, file string, c capture.Connection, a assessment) {
	r := record{File: file, Connection: c, Observed: a.observed, Differs: a.differs, NoPrediction: a.predictedWhy, Seen: a.seen, ExitStatus: a.status}
	if c.Protocol == capture.ProtocolTLS {
		r.ObservedVerdict = a.observedVerdict.String()
		r.ClientAuth = a.endpoint.ClientAuth.String()
	}
	if a.predicted != nil {
		r.Predicted = a.predicted.Verdict.String()
		if a.predicted.Alert != 0 {
			r.PredictedAlert = a.predicted.Alert.String()
		}
	}
	if a.genesys {
		r.GenesysBefore, r.GenesysAfter = a.before.Verdict.String(), a.after.Verdict.String()
		if a.after.Alert != 0 {
			r.GenesysAfterAlert = a.after.Alert.String()
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"file": file, "error": err.Error()})
	}
	w.Write(append(b, '\n'))
}

func advice(a capture.CertRequest) string {
	switch a {
	case capture.CertRequestYes:
		return "the endpoint requests a client certificate: reconfigure it to require neither client authentication nor mutual TLS"
	case capture.CertRequestNo:
		return "no CertificateRequest: not affected"
	case capture.CertRequestEncrypted:
		return "cannot tell from a TLS 1.3 capture: probe the endpoint (examples/probe) or capture a TLS 1.2 handshake"
	case capture.CertRequestResumed:
		return "resumed session: capture a full handshake"
	case capture.CertRequestNotReached:
		return "the handshake failed before the server's flight: fix that first, then capture again"
	case capture.CertRequestConflict:
		return "the capture holds two different copies of the handshake bytes: capture again"
	}
	return "cannot tell: capture a complete handshake"
}

func printChain(w io.Writer, label string, certs capture.Certificates) {
	chain, err := certs.EKU()
	if err != nil {
		fmt.Fprintf(w, "    %s: %d certificate(s): %v\n", label, certs.Len(), err)
		return
	}
	fmt.Fprintf(w, "    %s: %d certificate(s)\n", label, chain.Len())
	for i := range chain.Len() {
		fmt.Fprintf(w, "      [%d] %s\n", i, ekuText(chain.At(i)))
	}
}

func ekuText(s eku.Set) string {
	var b strings.Builder
	if s.IsCA() {
		b.WriteString("CA; ")
	}
	if !s.Present() {
		b.WriteString("no EKU extension (all purposes)")
		return b.String()
	}
	b.WriteString("EKU ")
	b.WriteString(s.Purposes().String())
	if s.Has(eku.ClientAuth) {
		b.WriteString(" — clientAuth present")
	} else {
		b.WriteString(" — no clientAuth")
	}
	return b.String()
}

func alerts(w io.Writer, who string, a capture.Alerts) {
	if a.Len() == 0 {
		return
	}
	var list []string
	for al := range a.All() {
		list = append(list, al.String())
	}
	if a.Len() > len(list) {
		list = append(list, fmt.Sprintf("and %d more", a.Len()-len(list)))
	}
	fmt.Fprintf(w, "    %s alerts: %s\n", who, strings.Join(list, ", "))
}
