// Package chaincheck is the -trust flag of the examples and the verdict of a
// TLS client on a server's certificate chain (issue 11: "the probe records
// and evaluates the server's chain").
//
// A trust spec is one of:
//
//	mozilla       Mozilla's root program (policy.MozillaTrust)
//	debian        Debian's ca-certificates bundle (policy.DebianTrust)
//	jks:PATH      a Java JKS key store such as /etc/ssl/certs/java/cacerts
//	PATH          a PEM bundle or one DER certificate
//
// Several specs (repeated flags or a comma list) make one store holding
// all their anchors.
package chaincheck

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// SpecHelp is the flag usage text of -trust.
const SpecHelp = "`SPEC` of the verifying client's trust store, repeatable or a comma list: mozilla, debian (" + policy.DebianCAFile + "), jks:PATH (a Java cacerts; see -trust-password), or a PEM/DER file"

// Specs is a repeatable -trust flag whose values may be comma lists.
type Specs []string

// String returns the specs as a comma list.
func (s *Specs) String() string { return strings.Join(*s, ",") }

// Set adds the specs of a comma list; an empty element is an error.
func (s *Specs) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			return fmt.Errorf("empty trust spec in %q (want mozilla, debian, jks:PATH or a file)", v)
		}
		*s = append(*s, p)
	}
	return nil
}

// Load returns the store the specs name: one store holding the anchors and
// intermediates of all of them. Errors name the spec. password is the Java
// key store's integrity password (empty: not checked).
func Load(specs []string, password string) (*policy.Trust, error) {
	var stores []*policy.Trust
	for _, s := range specs {
		t, err := load(s, password)
		if err != nil {
			return nil, fmt.Errorf("-trust %s: %w", s, err)
		}
		stores = append(stores, t)
	}
	switch len(stores) {
	case 0:
		return nil, nil
	case 1:
		return stores[0], nil
	}
	all := &policy.Trust{}
	var names []string
	for _, t := range stores {
		names = append(names, t.Source)
		all.Anchors = append(all.Anchors, t.Anchors...)
		all.Intermediates = append(all.Intermediates, t.Intermediates...)
	}
	all.Source = strings.Join(names, " + ")
	// Round-trip through JSON to parse the merged store once.
	b, err := all.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("-trust: %w", err)
	}
	merged := &policy.Trust{}
	if err := merged.UnmarshalJSON(b); err != nil {
		return nil, fmt.Errorf("-trust: %w", err)
	}
	return merged, nil
}

func load(spec, password string) (*policy.Trust, error) {
	switch {
	case spec == "mozilla":
		return policy.MozillaTrust()
	case spec == "debian":
		return policy.DebianTrust(policy.DebianCAFile)
	case strings.HasPrefix(spec, "jks:"):
		path := strings.TrimPrefix(spec, "jks:")
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return policy.TrustFromJavaKeyStore(path, data, password)
	}
	data, err := os.ReadFile(spec)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(data, []byte("-----BEGIN")) {
		return policy.TrustFromPEM(spec, data)
	}
	if len(data) == 0 || data[0] != 0x30 {
		return nil, fmt.Errorf("neither PEM nor a DER certificate (want mozilla, debian, jks:PATH, or a PEM/DER file)")
	}
	return policy.TrustFromDER(spec, data)
}

// Results of a chain check.
const (
	Trusted   = "trusted"
	Untrusted = "untrusted"
	Unknown   = "unknown"
)

// Verdict is what a client with a given store decides about a server's
// chain. Its JSON form is the "chain" object of the examples' records.
type Verdict struct {
	// Trust is the store's source.
	Trust string `json:"trust"`
	// ClientStack is the verifying client's TLS stack.
	ClientStack policy.Stack `json:"client_stack"`
	// ServerName is the name checked against the server certificate's
	// SANs ("" when none is checked).
	ServerName string `json:"server_name,omitempty"`
	// Result is trusted, untrusted or unknown.
	Result string `json:"result"`
	// Code is the finding that decided it (chain-trusted,
	// chain-untrusted, certificate-expired, name-mismatch, ...).
	Code policy.Code `json:"code,omitempty"`
	// Alert is the alert the client stack sends on an untrusted chain (0:
	// none or not known).
	Alert policy.Alert `json:"alert,omitempty"`
	// AlertFrom is the side that sends it.
	AlertFrom policy.Side `json:"alert_from,omitempty"`
	// Version is the version the check assumes (the highest the server
	// accepted): some stacks' alerts differ by version.
	Version tlsver.Version `json:"version,omitempty"`
	// Message says why.
	Message string `json:"message"`
	// Findings are the outcome's findings about the server's chain.
	Findings []policy.Finding `json:"findings,omitempty"`
}

// trustCodes are the findings a client's check of the server chain adds.
var trustCodes = map[policy.Code]bool{
	policy.CodeChainTrusted: true, policy.CodeChainUntrusted: true, policy.CodeCertificateExpired: true,
	policy.CodeCertificateNotYetValid: true, policy.CodeIssuerNotCA: true, policy.CodePathLengthExceeded: true,
	policy.CodeNameMismatch: true, policy.CodeRootDistrusted: true, policy.CodeWeakSignature: true,
	policy.CodeWeakKey: true, policy.CodeTrustUndecided: true, policy.CodeTrustAssumed: true,
}

// Scenario returns the scenario of a client that dials name with stack and
// store tr, offering the versions srv accepts, against srv at instant at.
func Scenario(srv policy.Server, tr *policy.Trust, stack policy.Stack, name string, at time.Time) policy.Scenario {
	return policy.Scenario{
		Name:   "server-chain-check",
		Client: policy.Client{Name: "the client", Stack: stack, Versions: srv.Versions, Trust: tr, ServerName: name},
		Server: srv, At: at,
	}
}

// FromOutcome picks the verdict on the server's chain out of o, the
// outcome of a scenario in which verifier (a Client.Name) checks the
// server's chain. A chain not observed, or a check that did not run (no
// version in common), is unknown with the reason.
func FromOutcome(s policy.Scenario, o *policy.Outcome) Verdict {
	v := Verdict{ClientStack: s.Client.Stack, ServerName: s.Client.ServerName, Result: Unknown, Version: o.Version}
	if s.Client.Trust != nil {
		v.Trust = s.Client.Trust.Source
	}
	verifier := s.Client.Name
	for _, f := range o.Findings() {
		if trustCodes[f.Code] && f.Subject == verifier {
			v.Findings = append(v.Findings, f)
		}
	}
	switch {
	case s.Server.Chain == nil || len(s.Server.Chain.Certs) == 0:
		v.Message = "no server chain was observed"
		return v
	case len(v.Findings) == 0:
		v.Message = "the chain check did not run: " + headline(o)
		return v
	}
	decided := v.Findings[0]
	for _, f := range v.Findings {
		if f.Effect == policy.EffectFail {
			decided = f
			break
		}
	}
	v.Code, v.Message = decided.Code, decided.Message()
	switch {
	case decided.Effect == policy.EffectFail:
		v.Result, v.Alert, v.AlertFrom = Untrusted, decided.Alert, decided.From
	case decided.Code == policy.CodeChainTrusted:
		v.Result = Trusted
	}
	return v
}

func headline(o *policy.Outcome) string {
	e := o.Explain()
	if i := strings.IndexByte(e, '\n'); i >= 0 {
		e = e[:i]
	}
	return e
}

// Check evaluates a client with store tr, stack and name against srv at
// instant at.
func Check(srv policy.Server, tr *policy.Trust, stack policy.Stack, name string, at time.Time) (Verdict, policy.Outcome) {
	s := Scenario(srv, tr, stack, name, at)
	o := policy.Evaluate(s)
	return FromOutcome(s, &o), o
}

// Line is the one-line text form: "trusted (chain-trusted)" or
// "untrusted: certificate-expired, the client sends alert 45
// certificate_expired".
func (v Verdict) Line() string {
	switch v.Result {
	case Trusted:
		return "trusted (" + v.Code.String() + ")"
	case Untrusted:
		s := "untrusted: " + v.Code.String()
		if v.Alert != 0 {
			s += fmt.Sprintf(", %s sends alert %d %s", sideName(v.AlertFrom), uint8(v.Alert), v.Alert.WireName())
		} else if v.ClientStack == policy.UnknownStack {
			s += " (the alert depends on the client's TLS stack, which is not known)"
		}
		return s
	}
	s := "cannot tell"
	if v.Code != policy.CodeUnset {
		s += " (" + v.Code.String() + ")"
	}
	return s
}

func sideName(s policy.Side) string {
	switch s {
	case policy.SideClient:
		return "the client"
	case policy.SideServer:
		return "the server"
	}
	return "the verifier"
}

// ExitStatus maps the result onto the examples' statuses: 0 trusted, 1
// untrusted, 2 cannot tell.
func (v Verdict) ExitStatus() int {
	switch v.Result {
	case Trusted:
		return 0
	case Untrusted:
		return 1
	}
	return 2
}
