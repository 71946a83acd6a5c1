package policy

import (
	"strconv"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// Verdict is the answer to "does the handshake succeed?". The zero value,
// [VerdictUnset], means no evaluation happened.
type Verdict uint8

// Verdicts.
const (
	VerdictUnset Verdict = iota
	// Succeeds: the handshake completes.
	Succeeds
	// Fails: the handshake fails; the findings say which check fails.
	Fails
	// Unknown: the inputs do not decide it; the findings say what is missing.
	Unknown
	numVerdicts
)

var verdictNames = [numVerdicts]string{"unset", "succeeds", "fails", "unknown"}

// String returns "succeeds", "fails", "unknown" or "unset".
func (v Verdict) String() string {
	if v < numVerdicts {
		return verdictNames[v]
	}
	return "verdict(" + itoa(int(v)) + ")"
}

// Effect says how a finding bears on the verdict.
type Effect uint8

// Effects, weakest first. The verdict is Fails if any finding has EffectFail,
// else Unknown if any has EffectUnknown, else Succeeds.
const (
	EffectUnset Effect = iota
	// EffectInfo explains a step that passed.
	EffectInfo
	// EffectWarning passes now but names a risk (a dated change ahead).
	EffectWarning
	// EffectUnknown: this step cannot be decided from the inputs.
	EffectUnknown
	// EffectFail: this step makes the handshake fail.
	EffectFail
	numEffects
)

var effectNames = [numEffects]string{"unset", "info", "warning", "unknown", "fail"}

// String returns "info", "warning", "unknown", "fail" or "unset".
func (e Effect) String() string {
	if e < numEffects {
		return effectNames[e]
	}
	return "effect(" + itoa(int(e)) + ")"
}

// Alert is a TLS alert description as its wire value (RFC 8446, 6; RFC
// 5246, 7.2). Zero means none or not known; it is also the wire value of
// close_notify, which [Alert.WireName] returns for zero. Packages that report
// alerts seen on the wire (policy/capture) carry the alert level beside it,
// which tells close_notify from none.
type Alert uint8

// alertNames is the one table for the alert vocabulary of the module (the
// TLS Alert registry, including the descriptions TLS 1.3 removed).
var alertNames = map[Alert]string{
	0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
	21: "decryption_failed", 22: "record_overflow", 30: "decompression_failure",
	40: "handshake_failure", 41: "no_certificate", 42: "bad_certificate",
	43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
	46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
	49: "access_denied", 50: "decode_error", 51: "decrypt_error", 60: "export_restriction",
	70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
	86: "inappropriate_fallback", 90: "user_canceled", 100: "no_renegotiation",
	109: "missing_extension", 110: "unsupported_extension", 111: "certificate_unobtainable",
	112: "unrecognized_name", 113: "bad_certificate_status_response",
	114: "bad_certificate_hash_value", 115: "unknown_psk_identity",
	116: "certificate_required", 120: "no_application_protocol",
}

// String returns the RFC name ("unsupported_certificate"), "none" for zero,
// or "alert(N)".
func (a Alert) String() string {
	if a == 0 {
		return "none"
	}
	return a.WireName()
}

// WireName returns the RFC name of the wire value a, "close_notify" for
// zero, or "alert(N)" for values not in the registry.
func (a Alert) WireName() string {
	if n, ok := alertNames[a]; ok {
		return n
	}
	return "alert(" + itoa(int(a)) + ")"
}

// Finding is one step of the explanation. Its message is built from Code and
// the data fields; it is never stored as free text.
type Finding struct {
	Code   Code   `json:"code"`
	Effect Effect `json:"effect"`
	// Data the message is built from; fields a code does not use are zero.
	Stack   Stack          `json:"stack,omitempty"`
	Mode    ClientAuthMode `json:"mode,omitempty"`
	Alert   Alert          `json:"alert,omitempty"`
	Version tlsver.Version `json:"version,omitempty"`
	// ClientVersions and ServerVersions are the version sets compared.
	ClientVersions tlsver.Set `json:"client_versions,omitempty"`
	ServerVersions tlsver.Set `json:"server_versions,omitempty"`
	// Depth is the chain position a certificate rule refers to (0 = leaf);
	// for renewal-window, the window's length in days.
	Depth int `json:"depth,omitempty"`
	// Date is the instant a dated finding refers to.
	Date time.Time `json:"date,omitzero"`
	// Subject names the endpoint, product or certificate concerned.
	Subject string `json:"subject,omitempty"`
	// Detail carries the remaining datum (a missing input, a version list).
	Detail string `json:"detail,omitempty"`
	// From is the side that sends Alert, when the finding fails.
	From     Side     `json:"from,omitempty"`
	Evidence Evidence `json:"evidence"`
	Remedy   Remedy   `json:"remedy,omitzero"`
}

// RemedyCode names a change that fixes, or avoids, a failure.
type RemedyCode uint8

// Remedies.
const (
	NoRemedy RemedyCode = iota
	// RemedyUpgrade: upgrade Subject to release Target.
	RemedyUpgrade
	// RemedyStopRequestingClientCerts: stop requesting client certificates
	// on the server (the SBC).
	RemedyStopRequestingClientCerts
	// RemedyEnableVersions: enable versions Target on the peer Subject.
	RemedyEnableVersions
	// RemedyPrivateCAClientCert: present a client certificate with
	// clientAuth from a private CA.
	RemedyPrivateCAClientCert
	// RemedyBeforeRenewal: act before the certificate renewal on Date.
	RemedyBeforeRenewal
	// RemedyFromCheck: a service check's own remedy, in Target.
	RemedyFromCheck
	// RemedyTrustIssuer: have the server Subject trust the client's issuer
	// Target, or present a certificate from a CA the server lists.
	RemedyTrustIssuer
	numRemedies
)

var remedyNames = [numRemedies]string{
	"", "upgrade", "stop-requesting-client-certificates", "enable-versions",
	"private-ca-client-certificate", "act-before-renewal", "check", "trust-issuer",
}

// String returns the stable wire name ("upgrade", ...), "" for NoRemedy.
func (r RemedyCode) String() string {
	if r < numRemedies {
		return remedyNames[r]
	}
	return "remedy(" + itoa(int(r)) + ")"
}

// Remedy is a change that fixes or avoids the finding.
type Remedy struct {
	Code    RemedyCode `json:"code,omitempty"`
	Subject string     `json:"subject,omitempty"`
	Target  string     `json:"target,omitempty"`
	Date    time.Time  `json:"date,omitzero"`
}

// String returns the remedy as an instruction.
func (r Remedy) String() string {
	switch r.Code {
	case NoRemedy:
		return ""
	case RemedyUpgrade:
		return "upgrade " + r.Subject + " to " + r.Target
	case RemedyStopRequestingClientCerts:
		return "stop requesting client certificates on " + orDefault(r.Subject, "the server") + " (send no CertificateRequest)"
	case RemedyEnableVersions:
		return "enable " + r.Target + " on " + r.Subject
	case RemedyPrivateCAClientCert:
		return "use a client certificate with clientAuth from a private CA, or stop requesting client certificates on " + orDefault(r.Subject, "the server")
	case RemedyBeforeRenewal:
		return "renewal after " + day(r.Date) + " will break this: stop requesting client certificates on " + orDefault(r.Subject, "the server") + " before then"
	case RemedyFromCheck:
		return r.Target
	case RemedyTrustIssuer:
		return "add " + r.Target + " to the CAs " + orDefault(r.Subject, "the server") + " trusts for client certificates, or present a certificate from a CA it lists"
	}
	return r.Code.String()
}

// maxFindings is the number of findings an Outcome stores without
// allocating.
const maxFindings = 10

// Outcome is the prediction for one scenario. It stores its findings in a
// fixed array, so [Evaluate] does not allocate for them; use
// [Outcome.Findings] to read them.
type Outcome struct {
	// Verdict: succeeds, fails or unknown.
	Verdict Verdict
	// Version is the negotiated protocol version (0 if none or unknown).
	Version tlsver.Version
	// Alert is the TLS alert the failing side sends, when known.
	Alert Alert
	// AlertFrom is the side that sends Alert (none when Alert is zero or
	// the sender is not known).
	AlertFrom Side

	n     int
	fixed [maxFindings]Finding
	extra []Finding
	// clientPath is the path the server's stack built for the client's
	// chain (trust_stage.go), kept for the trust finding.
	clientPath trustMemo
}

// Findings returns the findings in order: the steps that decided the
// verdict first. The slice aliases o; do not keep it past o's lifetime
// if o is modified.
func (o *Outcome) Findings() []Finding {
	if o.extra != nil {
		return o.extra
	}
	return o.fixed[:o.n]
}

// Add appends a finding. Service checks use it.
func (o *Outcome) Add(f Finding) {
	if o.extra == nil && o.n < maxFindings {
		o.fixed[o.n] = f
		o.n++
		return
	}
	if o.extra == nil {
		o.extra = append(make([]Finding, 0, 2*maxFindings), o.fixed[:o.n]...)
	}
	o.extra = append(o.extra, f)
}

// First returns the first finding with the given effect and true, or a zero
// Finding and false.
func (o *Outcome) First(e Effect) (Finding, bool) {
	for _, f := range o.Findings() {
		if f.Effect == e {
			return f, true
		}
	}
	return Finding{}, false
}

// Has reports whether a finding with code c is present.
func (o *Outcome) Has(c Code) bool {
	for _, f := range o.Findings() {
		if f.Code == c {
			return true
		}
	}
	return false
}

// decide sets Verdict from the findings' effects.
func (o *Outcome) decide() {
	worst := EffectUnset
	for _, f := range o.Findings() {
		if f.Effect > worst {
			worst = f.Effect
		}
	}
	switch worst {
	case EffectFail:
		o.Verdict = Fails
	case EffectUnknown:
		o.Verdict = Unknown
	default:
		o.Verdict = Succeeds
	}
	if o.Verdict != Fails {
		o.Alert, o.AlertFrom = 0, SideNone
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func day(t time.Time) string {
	if t.IsZero() {
		return "an unknown date"
	}
	return t.UTC().Format("2006-01-02")
}

func itoa(i int) string { return strconv.Itoa(i) }

// Explain returns the outcome as text: a headline, then one line per finding
// with its evidence and remedy.
func (o *Outcome) Explain() string {
	var b strings.Builder
	b.WriteString(o.Verdict.String())
	if o.Verdict == Succeeds && o.TrustAssumed() {
		b.WriteString(" (if the verifier trusts the issuer named by trust-assumed)")
	}
	if o.Version != 0 {
		b.WriteString(" on ")
		b.WriteString(o.Version.String())
	}
	if o.Alert != 0 {
		b.WriteString(", alert ")
		b.WriteString(strconv.Itoa(int(o.Alert)))
		b.WriteString(" ")
		b.WriteString(o.Alert.String())
		if o.AlertFrom != SideNone {
			b.WriteString(" from the ")
			b.WriteString(o.AlertFrom.String())
		}
	}
	b.WriteString("\n")
	for _, f := range o.Findings() {
		b.WriteString("  - [")
		b.WriteString(f.Effect.String())
		b.WriteString("] ")
		b.WriteString(f.Code.String())
		b.WriteString(": ")
		b.WriteString(f.Message())
		b.WriteString("\n      evidence: ")
		b.WriteString(f.Evidence.String())
		b.WriteString("\n")
		if r := f.Remedy.String(); r != "" {
			b.WriteString("      remedy: ")
			b.WriteString(r)
			b.WriteString("\n")
		}
	}
	return b.String()
}
