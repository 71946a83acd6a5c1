package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// Code identifies the kind of a [Finding]. Its string form is stable and is
// what JSON carries; the table in the package documentation lists them all.
type Code uint8

// Finding codes. Append only; the numeric values are not part of the JSON
// form, the names are.
const (
	CodeUnset Code = iota
	// CodeVersionNegotiated: client and server share a version.
	CodeVersionNegotiated
	// CodeNoCommonVersion: client and server share no version.
	CodeNoCommonVersion
	// CodeVersionsUnknown: a side's versions are not known (no data row).
	CodeVersionsUnknown
	// CodeVersionsFromData: a side's versions come from a tlsver data row.
	CodeVersionsFromData
	// CodeNoCertificateRequest: the server sends no CertificateRequest, so
	// the client certificate does not matter.
	CodeNoCertificateRequest
	// CodeClientAuthUnknown: the server's client-certificate mode is not
	// known and the modes disagree on the outcome.
	CodeClientAuthUnknown
	// CodeNoClientCertificate: the client sends no certificate.
	CodeNoClientCertificate
	// CodeCertificateWithheld: the client's stack withholds a certificate
	// that does not permit clientAuth.
	CodeCertificateWithheld
	// CodeNotVerified: a certificate is requested but not verified, so any
	// certificate is accepted.
	CodeNotVerified
	// CodeCertificateAccepted: the certificate passes the stack's rules.
	CodeCertificateAccepted
	// CodeEKULacksClientAuth: the leaf's EKU does not list clientAuth.
	CodeEKULacksClientAuth
	// CodeAnyEKUNotHonoured: the EKU lists anyExtendedKeyUsage but the stack
	// requires clientAuth itself.
	CodeAnyEKUNotHonoured
	// CodeCAEKULacksClientAuth: a CA certificate's EKU (at Depth) excludes
	// clientAuth and the stack applies it to the chain.
	CodeCAEKULacksClientAuth
	// CodeKeyUsageNoDigitalSignature: the leaf's KeyUsage lacks
	// digitalSignature.
	CodeKeyUsageNoDigitalSignature
	// CodeNSCertTypeNotClient: the Netscape certificate type excludes SSL
	// client.
	CodeNSCertTypeNotClient
	// CodeCAsUnknown: the stack checks CA certificates whose EKU is not known.
	CodeCAsUnknown
	// CodeCertificateUnknown: a certificate is sent but its contents are not
	// known.
	CodeCertificateUnknown
	// CodeStackUnknown: the server's stack is not known and stacks disagree.
	CodeStackUnknown
	// CodeStackVersionUnknown: the stack's rule depends on its version,
	// which is not given.
	CodeStackVersionUnknown
	// CodeRuleNotVerified: no verified rule covers this input on this stack.
	CodeRuleNotVerified
	// CodeRenewalDropsClientAuth: a certificate renewal (at Date) removes
	// clientAuth and the server verifies.
	CodeRenewalDropsClientAuth
	// CodeLeafIsTrustAnchor: Java skips its end-entity checks because the
	// leaf is itself a trust anchor.
	CodeLeafIsTrustAnchor
	// CodeNotAffected: the endpoint is documented as not affected by the
	// clientAuth removal.
	CodeNotAffected
	// CodeCheck: a finding from a service [Check]; Detail holds its text.
	CodeCheck
	// CodeBelowMinimumVersion: the negotiated version is below the
	// organisation's minimum ([MinVersion]).
	CodeBelowMinimumVersion
	// CodeRenewalWindow: the instant lies in an announced renewal window
	// (starting at Date, Depth days long); the certificate before and after
	// the renewal give different answers, and which one is presented is not
	// known.
	CodeRenewalWindow
	// CodeVersionStackDependent: a version set has gaps, the TLS stacks
	// negotiate such sets differently, and a side's stack is not known or
	// not modelled; Detail lists the outcome per candidate stack.
	CodeVersionStackDependent
	// CodeIssuerNotListed: the server lists the CAs it accepts and the
	// client's chain names none of them; Detail holds the client's issuer.
	CodeIssuerNotListed
	// CodeInvalidInput: the scenario is not valid ([Scenario.Validate]);
	// Subject names the field and Detail says what is wrong. Nothing is
	// evaluated, so the verdict is Unknown.
	CodeInvalidInput
	// Trust codes (see trust_stage.go): the verifier is Subject, its
	// stack Stack, the certificate concerned at Depth.
	CodeTrustAssumed
	CodeChainTrusted
	CodeChainUntrusted
	CodeCertificateExpired
	CodeCertificateNotYetValid
	CodeIssuerNotCA
	CodePathLengthExceeded
	CodeNameMismatch
	CodeRootDistrusted
	CodeTrustUndecided
	CodeWeakSignature
	CodeWeakKey
	// CodeRenewalIssuerNotInStore: a renewal (at Date) moves the client's
	// certificate to the issuer in Detail, which the verifier's store does
	// not hold as an anchor.
	CodeRenewalIssuerNotInStore
	numCodes
)

// codeInfo is the one table for the Code vocabulary.
var codeInfo = [numCodes]struct {
	name string
	doc  string
}{
	CodeUnset:                      {"unset", "no code"},
	CodeVersionNegotiated:          {"version-negotiated", "client and server share a protocol version"},
	CodeNoCommonVersion:            {"no-common-version", "client and server share no protocol version"},
	CodeVersionsUnknown:            {"versions-unknown", "an endpoint's versions are not known"},
	CodeVersionsFromData:           {"versions-from-data", "an endpoint's versions come from a data row"},
	CodeNoCertificateRequest:       {"no-certificate-request", "the server does not request a client certificate"},
	CodeClientAuthUnknown:          {"client-auth-unknown", "the server's client-certificate mode is not known"},
	CodeNoClientCertificate:        {"no-client-certificate", "the client sends no certificate"},
	CodeCertificateWithheld:        {"certificate-withheld", "the client withholds a certificate without clientAuth"},
	CodeNotVerified:                {"not-verified", "the client certificate is requested but not verified"},
	CodeCertificateAccepted:        {"certificate-accepted", "the client certificate passes the stack's checks"},
	CodeEKULacksClientAuth:         {"eku-lacks-client-auth", "the leaf's EKU does not include clientAuth"},
	CodeAnyEKUNotHonoured:          {"any-eku-not-honoured", "anyExtendedKeyUsage does not satisfy this stack"},
	CodeCAEKULacksClientAuth:       {"ca-eku-lacks-client-auth", "a CA certificate's EKU excludes clientAuth"},
	CodeKeyUsageNoDigitalSignature: {"key-usage-no-digital-signature", "the leaf's KeyUsage lacks digitalSignature"},
	CodeNSCertTypeNotClient:        {"ns-cert-type-not-client", "the Netscape certificate type excludes SSL client"},
	CodeCAsUnknown:                 {"cas-unknown", "the CA certificates' EKUs are needed but not known"},
	CodeCertificateUnknown:         {"certificate-unknown", "the client certificate's contents are not known"},
	CodeStackUnknown:               {"stack-unknown", "the server's TLS stack is not known and stacks disagree"},
	CodeStackVersionUnknown:        {"stack-version-unknown", "the stack's version decides and is not given"},
	CodeRuleNotVerified:            {"rule-not-verified", "no verified rule of this stack covers the input"},
	CodeRenewalDropsClientAuth:     {"renewal-drops-client-auth", "a certificate renewal removes clientAuth"},
	CodeLeafIsTrustAnchor:          {"leaf-is-trust-anchor", "Java skips end-entity checks for a trusted leaf"},
	CodeNotAffected:                {"not-affected", "documented as not affected by the clientAuth removal"},
	CodeCheck:                      {"check", "a finding from a service check"},
	CodeBelowMinimumVersion:        {"below-minimum-version", "the negotiated version is below the required minimum"},
	CodeRenewalWindow:              {"renewal-window", "inside an announced renewal window; old and new certificate differ"},
	CodeVersionStackDependent:      {"version-stack-dependent", "version sets with gaps; the unknown stacks decide the version"},
	CodeIssuerNotListed:            {"issuer-not-listed", "the client's issuer is not among the CAs the server lists"},
	CodeInvalidInput:               {"invalid-input", "a scenario field is out of range or inconsistent; nothing is evaluated"},
	CodeTrustAssumed:               {"trust-assumed", "the verifier's store is not given; the answer assumes it trusts the named issuer"},
	CodeChainTrusted:               {"chain-trusted", "the chain leads to an anchor of the verifier's store and passes its checks"},
	CodeChainUntrusted:             {"chain-untrusted", "no path from the chain to an anchor of the verifier's store"},
	CodeCertificateExpired:         {"certificate-expired", "a certificate of the path is past its notAfter"},
	CodeCertificateNotYetValid:     {"certificate-not-yet-valid", "a certificate of the path is before its notBefore"},
	CodeIssuerNotCA:                {"issuer-not-ca", "an issuing certificate lacks basicConstraints cA"},
	CodePathLengthExceeded:         {"path-length-exceeded", "the path exceeds a CA's pathLenConstraint"},
	CodeNameMismatch:               {"name-mismatch", "the server certificate's SANs do not match the dialled name"},
	CodeRootDistrusted:             {"root-distrusted", "the leaf was issued after its root's distrust-after date"},
	CodeTrustUndecided:             {"trust-undecided", "the stack's path building decides and is not known for this input"},
	CodeWeakSignature:              {"weak-signature", "a certificate of the path is signed with SHA-1, which the stack refuses"},
	CodeWeakKey:                    {"weak-key", "a certificate of the path has an RSA key shorter than the stack accepts"},
	CodeRenewalIssuerNotInStore:    {"renewal-issuer-not-in-store", "a renewal moves the certificate to an issuer the verifier's store does not hold"},
}

// String returns the stable name ("eku-lacks-client-auth"), or "code(N)".
func (c Code) String() string {
	if c < numCodes {
		return codeInfo[c].name
	}
	return "code(" + itoa(int(c)) + ")"
}

// Doc returns a one-line description of the code.
func (c Code) Doc() string {
	if c < numCodes {
		return codeInfo[c].doc
	}
	return ""
}

// ParseCode returns the Code whose name is s.
func ParseCode(s string) (Code, error) {
	for i := range codeInfo {
		if codeInfo[i].name == s {
			return Code(i), nil
		}
	}
	return 0, unknownName("finding code", s)
}

// Codes returns every code in numeric order (for documentation and tools).
func Codes() []Code {
	out := make([]Code, 0, numCodes-1)
	for c := Code(1); c < numCodes; c++ {
		out = append(out, c)
	}
	return out
}

// Message returns the finding as a sentence a person acts on, built from its
// code and data.
func (f Finding) Message() string {
	var b strings.Builder
	subj := orDefault(f.Subject, "the endpoint")
	st := f.Stack.Title()
	switch f.Code {
	case CodeVersionNegotiated:
		fmt.Fprintf(&b, "client and server negotiate %s", f.Version)
		if f.Detail != "" {
			fmt.Fprintf(&b, " (%s)", f.Detail)
		}
	case CodeNoCommonVersion:
		if f.Detail != "" {
			fmt.Fprintf(&b, "no common TLS version: %s", f.Detail)
		} else {
			fmt.Fprintf(&b, "no common TLS version: %s", tlsver.Negotiate(f.ClientVersions, f.ServerVersions))
		}
	case CodeIssuerNotListed:
		fmt.Fprintf(&b, "%s lists the CAs it accepts for client certificates and the client's chain (issued by %s) names none of them: a server that verifies against the CAs it lists rejects it", orDefault(f.Subject, "the server"), f.Detail)
		if f.Alert != 0 {
			fmt.Fprintf(&b, " (%s sends alert %d %s)", st, f.Alert, f.Alert)
		}
		b.WriteString("; Evaluate does not model trust, so it cannot decide")
	case CodeVersionStackDependent:
		fmt.Fprintf(&b, "client %s and server %s: TLS stacks negotiate version sets with gaps differently and a stack is not known, so the version cannot be predicted: %s — set the endpoints' Stack, or close the gap",
			f.ClientVersions, f.ServerVersions, f.Detail)
	case CodeVersionsUnknown:
		fmt.Fprintf(&b, "the TLS versions of %s are not known: %s", subj, f.Detail)
	case CodeVersionsFromData:
		set := f.ServerVersions
		role := "server"
		if !f.ClientVersions.IsEmpty() {
			set, role = f.ClientVersions, "client"
		}
		fmt.Fprintf(&b, "%s as %s speaks %s", subj, role, set)
		if !f.Date.IsZero() {
			fmt.Fprintf(&b, " since %s", f.Date.UTC().Format(time.RFC3339))
		}
		if f.Detail != "" {
			fmt.Fprintf(&b, " (%s)", f.Detail)
		}
	case CodeNoCertificateRequest:
		fmt.Fprintf(&b, "%s sends no CertificateRequest, so the client certificate does not matter", subj)
	case CodeClientAuthUnknown:
		fmt.Fprintf(&b, "it is not known whether %s requests or verifies client certificates, and the answer depends on it: %s", subj, f.Detail)
	case CodeNoClientCertificate:
		if f.Effect == EffectFail {
			fmt.Fprintf(&b, "%s sends no client certificate and the server (%s) requires one", subj, f.Mode)
		} else {
			fmt.Fprintf(&b, "%s sends no client certificate; the server (%s) accepts that", subj, f.Mode)
		}
	case CodeCertificateWithheld:
		fmt.Fprintf(&b, "the stack of %s withholds its certificate because it does not permit clientAuth", subj)
	case CodeNotVerified:
		fmt.Fprintf(&b, "the server (%s, %s) requests a client certificate but does not verify it, so any certificate is accepted", st, f.Mode)
	case CodeCertificateAccepted:
		fmt.Fprintf(&b, "the client certificate passes %s's checks (%s)", st, f.Mode)
	case CodeEKULacksClientAuth:
		fmt.Fprintf(&b, "%s rejects the client certificate: its EKU does not include clientAuth (%s)", st, f.Detail)
	case CodeAnyEKUNotHonoured:
		fmt.Fprintf(&b, "%s rejects the client certificate: it does not accept anyExtendedKeyUsage in place of clientAuth", st)
	case CodeCAEKULacksClientAuth:
		fmt.Fprintf(&b, "%s rejects the chain: the CA certificate at depth %d has an EKU without clientAuth (%s)", st, f.Depth, f.Detail)
	case CodeKeyUsageNoDigitalSignature:
		fmt.Fprintf(&b, "%s rejects the client certificate: its KeyUsage lacks digitalSignature", st)
	case CodeNSCertTypeNotClient:
		fmt.Fprintf(&b, "%s rejects the client certificate: its Netscape certificate type excludes SSL client", st)
	case CodeCAsUnknown:
		fmt.Fprintf(&b, "%s applies CA certificates' EKUs to client chains, and those of %s are not known", st, subj)
	case CodeCertificateUnknown:
		fmt.Fprintf(&b, "%s presents a certificate whose EKU is not known, and the server verifies it (%s)", subj, f.Mode)
	case CodeStackUnknown:
		fmt.Fprintf(&b, "the server's TLS stack is not known, and stacks disagree: %s", f.Detail)
	case CodeStackVersionUnknown:
		fmt.Fprintf(&b, "%s's rule depends on its version (%s), which is not given", st, f.Detail)
	case CodeRuleNotVerified:
		fmt.Fprintf(&b, "no verified %s rule covers this: %s", st, f.Detail)
	case CodeRenewalDropsClientAuth:
		fmt.Fprintf(&b, "the renewal of %s's certificate on %s removes clientAuth, and %s will then reject it", subj, day(f.Date), st)
	case CodeLeafIsTrustAnchor:
		fmt.Fprintf(&b, "%s skips its end-entity checks because the leaf is itself a trust anchor", st)
	case CodeNotAffected:
		fmt.Fprintf(&b, "%s is documented as not affected by the clientAuth removal", subj)
	case CodeRenewalWindow:
		fmt.Fprintf(&b, "%s's certificate is renewed some time in the %d days from %s, and the answer depends on whether that has happened (%s)", subj, f.Depth, day(f.Date), f.Detail)
	case CodeBelowMinimumVersion:
		fmt.Fprintf(&b, "the negotiated %s is below the required minimum %s", f.Version, f.Detail)
	case CodeCheck:
		b.WriteString(f.Detail)
	case CodeInvalidInput:
		fmt.Fprintf(&b, "the scenario is not valid, so it is not evaluated: %s: %s", f.Subject, f.Detail)
	default:
		if !trustMessage(&b, f) {
			b.WriteString(f.Code.String())
		}
	}
	if f.Alert != 0 {
		fmt.Fprintf(&b, "; alert %d %s", uint8(f.Alert), f.Alert)
	}
	return b.String()
}

// String returns "code: message".
func (f Finding) String() string { return f.Code.String() + ": " + f.Message() }
