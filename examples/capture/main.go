// Command capture answers the Genesys BYOC Cloud notice's question from packet
// captures: does the SIP endpoint send a CertificateRequest in the TLS
// handshake? For every TLS connection in the given pcap or pcapng files it
// prints the offered and negotiated versions, the answer, the request's
// contents, the server chain's EKU and the alerts, and what Genesys outbound
// calls would do against that endpoint before and after the certificate
// renewal (package policy).
//
// Usage:
//
//	capture [-stack openssl3|gnutls|go|java|...] file.pcap [file.pcapng ...]
//
// Without files it reads the sample captures built into the program (the
// ones recorded by policy/capture/testdata/record.sh).
package main

import (
	"bytes"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
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

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "capture:", err)
		os.Exit(1)
	}
}

// genesysIssued is the issue date assumed for the Genesys certificate in use
// before the renewal (any date before the cut-over gives the same answer).
var genesysIssued = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("capture", flag.ContinueOnError)
	fs.SetOutput(w)
	stackName := fs.String("stack", "", "TLS stack of the endpoint, if known (openssl3, gnutls, go, java, nss, mbedtls, schannel)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var stack policy.Stack
	if *stackName != "" {
		s, err := policy.ParseStack(*stackName)
		if err != nil {
			return err
		}
		stack = s
	}
	type input struct {
		name string
		read func() ([]capture.Connection, error)
	}
	var inputs []input
	if fs.NArg() == 0 {
		entries, err := samples.ReadDir("testdata")
		if err != nil {
			return err
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		for _, n := range names {
			data, err := samples.ReadFile(path.Join("testdata", n))
			if err != nil {
				return err
			}
			inputs = append(inputs, input{"(built-in) " + n, func() ([]capture.Connection, error) {
				return capture.Read(bytes.NewReader(data))
			}})
		}
	}
	for _, f := range fs.Args() {
		inputs = append(inputs, input{f, func() ([]capture.Connection, error) { return capture.ReadFile(f) }})
	}
	var errs []error
	for _, in := range inputs {
		conns, err := in.read()
		fmt.Fprintf(w, "%s: %d TLS connection(s)\n", in.name, len(conns))
		for _, c := range conns {
			report(w, c, stack)
		}
		if err != nil {
			fmt.Fprintf(w, "  error: %v\n", err)
			errs = append(errs, err)
		}
		fmt.Fprintln(w)
	}
	return errors.Join(errs...)
}

func report(w io.Writer, c capture.Connection, stack policy.Stack) {
	fmt.Fprintf(w, "  %v -> %v (packets %d-%d)", c.Client, c.Server, c.FirstPacket, c.LastPacket)
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
	fmt.Fprintf(w, "    Genesys notice: %s\n", advice(c.CertRequest))
	srv := c.Endpoint()
	srv.Stack = stack
	fmt.Fprintf(w, "    as a policy endpoint: client-auth %v, versions %v, stack %v\n", srv.ClientAuth, srv.Versions, srv.Stack)
	if srv.ClientAuth == policy.ClientAuthUnknown {
		fmt.Fprintln(w, "    Genesys outbound: not predicted (the capture does not show the client-certificate mode)")
		return
	}
	genesys := products.GenesysBYOCCloudOutbound(genesysIssued, products.GenesysRenewal)
	for _, at := range []struct {
		label string
		t     time.Time
	}{{"before renewal", products.GenesysRenewal.AddDate(0, 0, -1)}, {"after renewal", products.GenesysRenewal.AddDate(0, 0, 1)}} {
		o := policy.Evaluate(policy.Scenario{Client: genesys, Server: srv, At: at.t})
		fmt.Fprintf(w, "    Genesys outbound %s (%s): %s\n", at.label, at.t.Format("2006-01-02"), verdict(o))
		if o.Verdict == policy.Unknown && srv.Stack == policy.UnknownStack {
			for _, st := range []policy.Stack{policy.OpenSSL3, policy.JavaJSSE, policy.GnuTLS} {
				s2 := srv
				s2.Stack = st
				o2 := policy.Evaluate(policy.Scenario{Client: genesys, Server: s2, At: at.t})
				fmt.Fprintf(w, "      if the endpoint runs %s: %s\n", st.Title(), verdict(o2))
			}
		}
	}
}

func verdict(o policy.Outcome) string {
	s := o.Verdict.String()
	if o.Alert != 0 {
		s += " (alert " + o.Alert.String() + ")"
	}
	return s
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
