package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/examples/internal/chaincheck"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/capture"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// target is one SBC connection to check, with what was observed of it.
type target struct {
	name, source string
	server       policy.Server
	// requests, requires, verifies: "yes", "no" or "unknown"; basis says
	// what they rest on.
	requests, requires, verifies string
	basis                        string
	// observed is what the recorded handshake showed (captures only).
	observed string
	// recordedChain is the client certificate chain in a capture.
	recordedChain *policy.Chain
}

// genesysVersions are the versions Genesys offers as a client.
var genesysVersions = products.GenesysBYOCCloudOutbound(time.Time{}, time.Time{}).Versions

func probeTarget(r probe.Result) target {
	t := target{
		name: r.Address, source: "probe", server: r.Endpoint(),
		requests: r.CertificateRequest.String(), requires: r.Required.String(), verifies: r.Verified.String(),
		basis: "probe: " + r.ClientAuthReason,
	}
	if !r.RequestedAt.IsEmpty() {
		t.basis += " (CertificateRequest seen at " + r.RequestedAt.String() + ")"
	}
	return t
}

func captureTarget(file string, i int, c capture.Connection) target {
	srv := c.Endpoint()
	mode, why := c.ClientAuth()
	t := target{
		name:   fmt.Sprintf("%s connection %d (%v -> %v, packets %d-%d)", file, i+1, c.Client, c.Server, c.FirstPacket, c.LastPacket),
		source: "capture", server: srv, requests: "unknown", requires: "unknown", verifies: "unknown",
		basis: "capture: " + why,
	}
	if v := c.Version; v.Known() && !genesysVersions.Has(v) {
		// The handshake shows that the SBC accepts v, not whether it
		// accepts what Genesys offers.
		t.server.Versions = 0
		t.basis += "; versions: the capture shows " + v.String() + ", not whether the SBC accepts " + genesysVersions.String() + " (Genesys's only version)"
	}
	fatal, aborted := c.ServerAlerts.Fatal()
	sentCert := c.ClientCertificateSent && c.ClientCertificates.Len() > 0
	sentEmpty := c.ClientCertificateSent && c.ClientCertificates.Len() == 0
	switch c.CertRequest {
	case capture.CertRequestNo:
		t.requests, t.requires, t.verifies = "no", "no", "no"
	case capture.CertRequestYes:
		t.requests = "yes"
		switch {
		case sentEmpty && aborted:
			t.requires = "yes"
		case sentEmpty && c.ServerChangeCipherSpec:
			t.requires = "no"
		}
		if sentCert && aborted {
			t.verifies = "yes"
		} else if mode != policy.ClientAuthUnknown {
			// policy/capture assumes the strictest mode that fits; whether
			// the SBC verifies is not visible here, and the modes disagree
			// about a serverAuth-only certificate: leave it open.
			t.server.ClientAuth = policy.ClientAuthUnknown
			t.basis += "; genesyscheck does not assume it: whether the SBC verifies a client certificate is not visible in this capture (probe it with host:port, or give -mode offline)"
		}
	}
	switch {
	case sentCert:
		t.observed = "the client (Genesys) sent a certificate chain of " + fmt.Sprint(c.ClientCertificates.Len())
		if ch, err := policy.ChainFromDER(c.ClientCertificates.DER()...); err == nil {
			t.recordedChain = ch
			t.observed += " (leaf " + certText(ch.Leaf()) + ")"
		} else {
			t.observed += " (unreadable: " + err.Error() + ")"
		}
	case sentEmpty:
		t.observed = "the client sent no certificate (empty Certificate message)"
	}
	switch {
	case aborted:
		t.observed = joinSentence(t.observed, "the server aborted the handshake with a fatal "+fatal.Description.WireName()+" alert")
	case c.ServerChangeCipherSpec && c.Version < tlsver.TLS13:
		t.observed = joinSentence(t.observed, "the server completed its side of the handshake (ChangeCipherSpec)")
	}
	return t
}

func joinSentence(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func offlineTarget(cfg *config) target {
	versions := cfg.versions
	vnote := ""
	if versions.IsEmpty() {
		versions = tlsver.SetOf(tlsver.TLS12)
		vnote = "; versions assumed TLS 1.2 (Genesys offers only TLS 1.2 and calls work today; give -versions)"
	}
	m := cfg.mode
	yn := func(b bool) string {
		if m == policy.ClientAuthUnknown {
			return "unknown"
		}
		if b {
			return "yes"
		}
		return "no"
	}
	return target{
		name: "SBC described by flags", source: "flags",
		server: policy.Server{Name: "the SBC", ClientAuth: m, Versions: versions, Profile: "flags",
			Evidence: policy.Cite(policy.Source{Kind: policy.SourceScenario, Ref: "given with -mode " + m.String() + vnote})},
		requests: yn(m.Requests()), requires: yn(m.Requires()), verifies: yn(m.Verifies()),
		basis: "-mode " + m.String() + vnote,
	}
}

// report is the answer for one SBC connection; its JSON form is one line of
// the -json output.
type report struct {
	Target                    string         `json:"target"`
	Source                    string         `json:"source"`
	RequestsClientCertificate string         `json:"requests_client_certificate"`
	RequiresClientCertificate string         `json:"requires_client_certificate"`
	VerifiesClientCertificate string         `json:"verifies_client_certificate"`
	ClientAuthBasis           string         `json:"client_auth_basis"`
	Observed                  string         `json:"observed,omitempty"`
	Stack                     policy.Stack   `json:"stack"`
	Certificate               string         `json:"certificate"`
	Verdict                   policy.Verdict `json:"verdict"`
	ExitStatus                int            `json:"exit_status"`
	Now                       evaluation     `json:"now"`
	Renewed                   evaluation     `json:"renewed"`
	// Changes are the instants in [changes_from, changes_to] at which the
	// prediction changes (policy.Timeline over the renewal model).
	ChangesFrom time.Time `json:"changes_from"`
	ChangesTo   time.Time `json:"changes_to"`
	Changes     []change  `json:"changes"`
	Remedies    []string  `json:"remedies"`
	// SBCChain is Genesys' verdict, now, on the SBC's server certificate
	// chain (with -trust; absent otherwise): the second half of the
	// outbound handshake.
	SBCChain *chaincheck.Verdict `json:"sbc_chain,omitempty"`
}

// evaluation is one prediction.
type evaluation struct {
	At       time.Time       `json:"at"`
	Scenario policy.Scenario `json:"scenario"`
	Outcome  policy.Outcome  `json:"outcome"`
}

// change is an instant at which the prediction changes.
type change struct {
	At   time.Time      `json:"at"`
	From policy.Verdict `json:"from"`
	To   policy.Verdict `json:"to"`
	Code policy.Code    `json:"code"`
}

// renewedFrom is the first instant at which the renewed certificate is
// certainly in use: the end of the announced renewal week.
var renewedFrom = products.GenesysRenewal.AddDate(0, 0, products.GenesysRenewalWindowDays)

func evaluate(t target, genesys policy.Client, cfg *config) report {
	scenario := func(name string, c policy.Client, at time.Time) evaluation {
		s := policy.Scenario{Name: name, Client: c, Server: t.server, At: at, Protocol: tlsver.SIP}
		return evaluation{At: at, Scenario: s, Outcome: policy.Evaluate(s)}
	}
	now := scenario("genesys-outbound-now", genesys, cfg.at)
	later := cfg.at
	if later.Before(renewedFrom) {
		later = renewedFrom
	}
	renewed := scenario("genesys-outbound-renewed", renewedClient(genesys), later)
	r := report{
		Target: t.name, Source: t.source,
		RequestsClientCertificate: t.requests, RequiresClientCertificate: t.requires, VerifiesClientCertificate: t.verifies,
		ClientAuthBasis: t.basis, Observed: t.observed, Stack: t.server.Stack,
		Certificate: certSummary(genesys),
		Verdict:     renewed.Outcome.Verdict,
		Now:         now, Renewed: renewed,
		Changes: []change{}, Remedies: []string{},
	}
	r.ExitStatus = exitStatus(r.Verdict)
	if cfg.trust != nil {
		v := chaincheck.FromOutcome(now.Scenario, &now.Outcome)
		r.SBCChain = &v
	}
	from := products.GenesysClientAuthCutover.AddDate(0, -1, 0)
	if cfg.at.Before(from) {
		from = cfg.at
	}
	r.ChangesFrom, r.ChangesTo = from, later.AddDate(1, 0, 0)
	for _, c := range policy.Timeline(now.Scenario, r.ChangesFrom, r.ChangesTo) {
		r.Changes = append(r.Changes, change{At: c.At, From: c.From, To: c.To, Code: decider(&c.Outcome).Code})
	}
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			r.Remedies = append(r.Remedies, s)
		}
	}
	for _, o := range []*policy.Outcome{&renewed.Outcome, &now.Outcome} {
		for _, f := range o.Findings() {
			add(f.Remedy.String())
		}
	}
	if t.requests == "yes" && len(r.Remedies) == 0 {
		// The notice's required action for every endpoint that requests a
		// client certificate, whatever the prediction.
		add("Genesys's required action: configure " + t.server.Name + " to send no CertificateRequest (require neither client authentication nor mutual TLS)")
	}
	if r.Verdict == policy.Unknown {
		switch {
		case t.requests != "yes" && t.requests != "no":
			add("to decide: find out whether the SBC sends a CertificateRequest: probe it (genesyscheck host:port) or capture a TLS 1.2 outbound call")
		case t.server.ClientAuth == policy.ClientAuthUnknown:
			add("to decide: find out whether the SBC verifies client certificates: probe it (genesyscheck host:port) or give -mode")
		case t.server.Stack == policy.UnknownStack:
			add("to decide: give the SBC's TLS stack with -stack (the stacks differ on client-certificate EKU rules)")
		}
	}
	return r
}

// renewedClient returns c presenting its certificate as renewed under the
// notice: the leaf without clientAuth (serverAuth only when it had no EKU
// extension), issued no earlier than the renewal week.
func renewedClient(c policy.Client) policy.Client {
	c.Renewal = nil
	if c.Chain == nil || c.Chain.Leaf() == nil {
		return c
	}
	ch := *c.Chain
	ch.Certs = append([]policy.Cert(nil), ch.Certs...)
	leaf := &ch.Certs[0]
	if !leaf.HasEKU {
		leaf.HasEKU, leaf.EKU = true, eku.PurposeSetOf(eku.ServerAuth)
	} else {
		var keep []eku.Purpose
		for _, p := range leaf.EKU.AppendTo(nil) {
			if p != eku.ClientAuth {
				keep = append(keep, p)
			}
		}
		leaf.EKU = eku.PurposeSetOf(keep...)
	}
	if leaf.NotBefore.Before(products.GenesysRenewal) {
		leaf.NotBefore = products.GenesysRenewal
	}
	c.Chain = &ch
	return c
}

// decider returns the finding that decided the verdict: the first failure,
// else the first unknown, else the first warning, else the last finding.
func decider(o *policy.Outcome) policy.Finding {
	for _, e := range []policy.Effect{policy.EffectFail, policy.EffectUnknown, policy.EffectWarning} {
		if f, ok := o.First(e); ok {
			return f
		}
	}
	fs := o.Findings()
	if len(fs) == 0 {
		return policy.Finding{}
	}
	return fs[len(fs)-1]
}

func certSummary(c policy.Client) string {
	leaf := c.Chain.Leaf()
	src := "the Genesys BYOC Cloud profile (" + c.Profile + ")"
	if first := c.Evidence.Sources[0]; first.Kind == policy.SourceObservation {
		src = first.Locator
	}
	if leaf == nil {
		return src
	}
	return src + ": " + certText(leaf)
}

func certText(c *policy.Cert) string {
	var parts []string
	if c.Subject != "" {
		parts = append(parts, c.Subject)
	}
	if !c.HasEKU {
		parts = append(parts, "no EKU extension (any purpose)")
	} else {
		parts = append(parts, "EKU "+c.EKU.String())
	}
	if c.Issuer != "" {
		parts = append(parts, "issued by "+c.Issuer)
	}
	if !c.NotBefore.IsZero() {
		parts = append(parts, "not before "+day(c.NotBefore))
	} else {
		parts = append(parts, "issued before the cut-over on "+day(products.GenesysClientAuthCutover))
	}
	if c.HasEKU && !c.EKU.Has(eku.ClientAuth) && !c.EKU.Has(eku.Any) {
		parts = append(parts, "no clientAuth")
	}
	return strings.Join(parts, ", ")
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

var verdictWords = map[policy.Verdict]string{
	policy.Succeeds: "WILL SUCCEED",
	policy.Fails:    "WILL FAIL",
	policy.Unknown:  "CANNOT TELL",
}

func outcomeLine(o *policy.Outcome) string {
	s := o.Verdict.String()
	if o.Version != 0 {
		s += " on " + o.Version.String()
	}
	if o.Alert != 0 {
		s += fmt.Sprintf(", alert %d %s", uint8(o.Alert), o.Alert)
	}
	if o.Verdict != policy.Succeeds {
		f := decider(o)
		s += " (" + f.Code.String() + ")"
	}
	return s
}

func writeText(w io.Writer, r *report) {
	fmt.Fprintf(w, "SBC: %s (%s)\n", r.Target, r.Source)
	fmt.Fprintf(w, "  requests a client certificate:  %s\n", r.RequestsClientCertificate)
	fmt.Fprintf(w, "  requires one:                   %s\n", r.RequiresClientCertificate)
	fmt.Fprintf(w, "  verifies it:                    %s\n", r.VerifiesClientCertificate)
	fmt.Fprintf(w, "    basis: %s\n", r.ClientAuthBasis)
	if r.Observed != "" {
		fmt.Fprintf(w, "  observed in the capture:        %s\n", r.Observed)
	}
	if r.Stack == policy.UnknownStack {
		fmt.Fprintf(w, "  TLS stack:                      not known (give -stack; the stacks differ on client-certificate EKU rules)\n")
	} else {
		fmt.Fprintf(w, "  TLS stack:                      %s\n", r.Stack.Title())
	}
	if c := r.SBCChain; c != nil {
		fmt.Fprintf(w, "  Genesys checks the SBC's chain: %s\n", c.Line())
		name := c.ServerName
		if name == "" {
			name = "none given (no name check; give -name)"
		}
		fmt.Fprintf(w, "    name %s, store %s\n", name, c.Trust)
		fmt.Fprintf(w, "    because %s\n", c.Message)
	} else if r.Now.Scenario.Server.Chain != nil {
		fmt.Fprintf(w, "  Genesys checks the SBC's chain: not known (give -trust; the verdict assumes Genesys trusts it: trust-assumed)\n")
	}
	label := "Genesys certificate:"
	if r.Now.Scenario.Client.Renewal != nil {
		label = "Genesys cert (before renewal):"
	}
	fmt.Fprintf(w, "  %-32s%s\n", label, r.Certificate)
	fmt.Fprintf(w, "\n  Verdict: %s with the renewed serverAuth-only certificate (exit %d)\n", verdictWords[r.Verdict], r.ExitStatus)
	fmt.Fprintf(w, "  %-32s%s\n", "now ("+day(r.Now.At)+"):", outcomeLine(&r.Now.Outcome))
	fmt.Fprintf(w, "  %-32s%s\n", "renewed ("+day(r.Renewed.At)+"):", outcomeLine(&r.Renewed.Outcome))
	if len(r.Changes) == 0 {
		fmt.Fprintf(w, "  from when:                      no change between %s and %s\n", day(r.ChangesFrom), day(r.ChangesTo))
	} else {
		fmt.Fprintf(w, "  from when:\n")
		for _, c := range r.Changes {
			fmt.Fprintf(w, "    %s  %s -> %s (%s)\n", day(c.At), c.From, c.To, c.Code)
		}
	}
	fmt.Fprintf(w, "  what to change:\n")
	if len(r.Remedies) == 0 {
		fmt.Fprintf(w, "    nothing\n")
	}
	for _, s := range r.Remedies {
		fmt.Fprintf(w, "    - %s\n", s)
	}
	fmt.Fprintf(w, "  evidence (renewed certificate):\n    %s", indent(r.Renewed.Outcome.Explain()))
}

func indent(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ") + "\n"
}
