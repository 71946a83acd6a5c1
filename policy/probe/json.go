package probe

import (
	"crypto/tls"
	"crypto/x509"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// JSON forms. Members are snake_case; enumerations are their names
// (answers "yes"/"no"/"unknown", methods "crypto/tls"/"zcrypto"/
// "ssl3-hello", certificates "none"/"untrusted"/"given", client-auth modes
// and versions as policy and tlsver write them, signature schemes by their
// IANA names); certificates are base64 DER beside their parsed subject,
// issuer, validity and EKU; SNI is text. Members marked "derived" below are
// written for readers and ignored when decoding: a Result round-trips.

// ResultSchema is the JSON Schema (draft 2020-12) of a [Result]'s JSON
// form, schema/result.schema.json in this package.
//
//go:embed schema/result.schema.json
var ResultSchema []byte

var answerTokens = [...]string{Unknown: "unknown", Yes: "yes", No: "no"}

// MarshalText implements encoding.TextMarshaler: "yes", "no" or "unknown".
func (a Answer) MarshalText() ([]byte, error) {
	if int(a) >= len(answerTokens) {
		return nil, fmt.Errorf("probe: answer %d has no name", a)
	}
	return []byte(answerTokens[a]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Answer) UnmarshalText(b []byte) error {
	for i, n := range answerTokens {
		if n == string(b) {
			*a = Answer(i)
			return nil
		}
	}
	return fmt.Errorf("probe: unknown answer %q (want yes, no or unknown)", b)
}

var certKindTokens = [...]string{NoCert: "none", UntrustedCert: "untrusted", GivenCert: "given"}

// MarshalText implements encoding.TextMarshaler: "none", "untrusted" or
// "given".
func (k CertKind) MarshalText() ([]byte, error) {
	if int(k) >= len(certKindTokens) {
		return nil, fmt.Errorf("probe: certificate kind %d has no name", k)
	}
	return []byte(certKindTokens[k]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *CertKind) UnmarshalText(b []byte) error {
	for i, n := range certKindTokens {
		if n == string(b) {
			*k = CertKind(i)
			return nil
		}
	}
	return fmt.Errorf("probe: unknown certificate kind %q (want none, untrusted or given)", b)
}

// MarshalText implements encoding.TextMarshaler with the String form.
func (m Method) MarshalText() ([]byte, error) {
	if int(m) >= len(methodNames) || methodNames[m] == "" {
		return nil, fmt.Errorf("probe: method %d has no name", m)
	}
	return []byte(methodNames[m]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *Method) UnmarshalText(b []byte) error {
	for i, n := range methodNames {
		if n != "" && n == string(b) {
			*m = Method(i)
			return nil
		}
	}
	return fmt.Errorf("probe: unknown method %q (want crypto/tls, zcrypto or ssl3-hello)", b)
}

type attemptJSON struct {
	Version              tlsver.Version  `json:"version"`
	Method               Method          `json:"method"`
	Cert                 CertKind        `json:"cert"`
	ServerHello          bool            `json:"server_hello"`
	Selected             *tlsver.Version `json:"selected,omitempty"`
	CertificateRequested bool            `json:"certificate_requested"`
	OK                   bool            `json:"ok"`
	Ticket               bool            `json:"ticket"`
	Silent               bool            `json:"silent"`
	Alert                *int            `json:"alert,omitempty"`
	AlertName            string          `json:"alert_name,omitempty"` // derived
	Closed               bool            `json:"closed"`
	AfterHandshake       bool            `json:"after_handshake"`
	Undecided            bool            `json:"undecided"`
	Network              bool            `json:"network"`
	Error                string          `json:"error,omitempty"`
	Summary              string          `json:"summary"` // derived: String()
}

// MarshalJSON implements json.Marshaler.
func (a Attempt) MarshalJSON() ([]byte, error) {
	j := attemptJSON{
		Version: a.Version, Method: a.Method, Cert: a.Cert, ServerHello: a.ServerHello,
		CertificateRequested: a.CertificateRequested, OK: a.OK, Ticket: a.Ticket, Silent: a.Silent,
		Closed: a.Closed, AfterHandshake: a.AfterHandshake, Undecided: a.Undecided, Network: a.Network,
		Error: a.Err, Summary: a.String(),
	}
	if a.Selected != 0 {
		j.Selected = &a.Selected
	}
	if a.Alert != 0 {
		n := int(a.Alert)
		j.Alert, j.AlertName = &n, a.Alert.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler; unknown members are an error.
func (a *Attempt) UnmarshalJSON(b []byte) error {
	var j attemptJSON
	if err := strictUnmarshal(b, &j); err != nil {
		return fmt.Errorf("probe: attempt: %w", err)
	}
	*a = Attempt{
		Version: j.Version, Method: j.Method, Cert: j.Cert, ServerHello: j.ServerHello,
		CertificateRequested: j.CertificateRequested, OK: j.OK, Ticket: j.Ticket, Silent: j.Silent,
		Closed: j.Closed, AfterHandshake: j.AfterHandshake, Undecided: j.Undecided, Network: j.Network,
		Err: j.Error,
	}
	if j.Selected != nil {
		a.Selected = *j.Selected
	}
	if j.Alert != nil {
		if *j.Alert < 1 || *j.Alert > 255 {
			return fmt.Errorf("probe: attempt: alert %d out of range 1-255", *j.Alert)
		}
		a.Alert = policy.Alert(*j.Alert)
	}
	return nil
}

type versionReasonJSON struct {
	Version tlsver.Version `json:"version"`
	Reason  string         `json:"reason"`
}

type caJSON struct {
	Name string `json:"name"`
	DER  []byte `json:"der"`
}

// certJSON is a certificate: its DER and, derived, what crypto/x509 reads
// in it.
type certJSON struct {
	DER        []byte     `json:"der"`
	Subject    string     `json:"subject,omitempty"`
	Issuer     string     `json:"issuer,omitempty"`
	NotBefore  *time.Time `json:"not_before,omitempty"`
	NotAfter   *time.Time `json:"not_after,omitempty"`
	EKU        []string   `json:"eku,omitempty"`
	ParseError string     `json:"parse_error,omitempty"`
}

type resultJSON struct {
	Address            string                `json:"address"`
	SNI                string                `json:"sni,omitempty"`
	Versions           tlsver.Set            `json:"versions"`
	Rejected           tlsver.Set            `json:"rejected"`
	Untested           tlsver.Set            `json:"untested"`
	Undecided          []versionReasonJSON   `json:"undecided"`
	Legacy             tlsver.Set            `json:"legacy"`
	ClientAuthVersion  *tlsver.Version       `json:"client_auth_version,omitempty"`
	ClientAuthMethod   *Method               `json:"client_auth_method,omitempty"`
	CertificateRequest Answer                `json:"certificate_request"`
	RequestedAt        tlsver.Set            `json:"requested_at"`
	Required           Answer                `json:"required"`
	Verified           Answer                `json:"verified"`
	ClientAuth         policy.ClientAuthMode `json:"client_auth"`
	ClientAuthReason   string                `json:"client_auth_reason"`
	AcceptableCAs      []caJSON              `json:"acceptable_cas"`
	SignatureSchemes   []string              `json:"signature_schemes"`
	ServerChain        []certJSON            `json:"server_chain"`
	ServerChainError   string                `json:"server_chain_error,omitempty"` // derived
	WithCertificate    *Attempt              `json:"with_certificate,omitempty"`
	Attempts           []Attempt             `json:"attempts"`
	Complete           bool                  `json:"complete"` // derived: Complete()
}

// MarshalJSON implements json.Marshaler.
func (r Result) MarshalJSON() ([]byte, error) {
	j := resultJSON{
		Address: r.Address, SNI: r.ServerName, Versions: r.Versions, Rejected: r.Rejected, Untested: r.Untested,
		Undecided: []versionReasonJSON{}, Legacy: r.Legacy, CertificateRequest: r.CertificateRequest,
		RequestedAt: r.RequestedAt, Required: r.Required, Verified: r.Verified, ClientAuth: r.ClientAuth,
		ClientAuthReason: r.ClientAuthReason, AcceptableCAs: []caJSON{}, SignatureSchemes: []string{},
		ServerChain: []certJSON{}, WithCertificate: r.WithCertificate, Attempts: r.Attempts, Complete: r.Complete(),
	}
	if j.Attempts == nil {
		j.Attempts = []Attempt{}
	}
	for _, u := range r.Undecided {
		j.Undecided = append(j.Undecided, versionReasonJSON(u))
	}
	if r.ClientAuthVersion != 0 {
		j.ClientAuthVersion = &r.ClientAuthVersion
	}
	if r.ClientAuthMethod != 0 {
		j.ClientAuthMethod = &r.ClientAuthMethod
	}
	for i, der := range r.AcceptableCAs {
		name := dnString(der)
		if i < len(r.AcceptableCANames) {
			name = r.AcceptableCANames[i]
		}
		j.AcceptableCAs = append(j.AcceptableCAs, caJSON{Name: name, DER: der})
	}
	for _, s := range r.SignatureSchemes {
		j.SignatureSchemes = append(j.SignatureSchemes, schemeName(s))
	}
	for _, der := range r.ServerChain {
		j.ServerChain = append(j.ServerChain, certFacts(der))
	}
	if r.ServerEKUErr != nil {
		j.ServerChainError = r.ServerEKUErr.Error()
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler. Unknown members are an error;
// ServerEKU and ServerEKUErr are parsed again from the chain.
func (r *Result) UnmarshalJSON(b []byte) error {
	var j resultJSON
	if err := strictUnmarshal(b, &j); err != nil {
		return fmt.Errorf("probe: result: %w", err)
	}
	*r = Result{
		Address: j.Address, ServerName: j.SNI, Versions: j.Versions, Rejected: j.Rejected, Untested: j.Untested,
		Legacy: j.Legacy, CertificateRequest: j.CertificateRequest, RequestedAt: j.RequestedAt,
		Required: j.Required, Verified: j.Verified, ClientAuth: j.ClientAuth, ClientAuthReason: j.ClientAuthReason,
		WithCertificate: j.WithCertificate, Attempts: j.Attempts,
	}
	if len(r.Attempts) == 0 {
		r.Attempts = nil
	}
	for _, u := range j.Undecided {
		r.Undecided = append(r.Undecided, VersionReason(u))
	}
	if j.ClientAuthVersion != nil {
		r.ClientAuthVersion = *j.ClientAuthVersion
	}
	if j.ClientAuthMethod != nil {
		r.ClientAuthMethod = *j.ClientAuthMethod
	}
	for _, ca := range j.AcceptableCAs {
		r.AcceptableCAs = append(r.AcceptableCAs, ca.DER)
		r.AcceptableCANames = append(r.AcceptableCANames, ca.Name)
	}
	for i, n := range j.SignatureSchemes {
		s, err := parseScheme(n)
		if err != nil {
			return fmt.Errorf("probe: result: signature_schemes[%d]: %w", i, err)
		}
		r.SignatureSchemes = append(r.SignatureSchemes, s)
	}
	for i, c := range j.ServerChain {
		if len(c.DER) == 0 {
			return fmt.Errorf("probe: result: server_chain[%d]: no der", i)
		}
		r.ServerChain = append(r.ServerChain, c.DER)
	}
	if len(r.ServerChain) > 0 {
		r.ServerEKU, r.ServerEKUErr = eku.ParseChain(r.ServerChain)
	}
	return nil
}

// strictUnmarshal decodes b into v and rejects unknown members.
func strictUnmarshal(b []byte, v any) error {
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// certFacts parses der with crypto/x509 for the derived members.
func certFacts(der []byte) certJSON {
	c := certJSON{DER: der}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		c.ParseError = err.Error()
		return c
	}
	nb, na := cert.NotBefore.UTC(), cert.NotAfter.UTC()
	c.Subject, c.Issuer, c.NotBefore, c.NotAfter = cert.Subject.String(), cert.Issuer.String(), &nb, &na
	for _, u := range cert.ExtKeyUsage {
		if n, ok := ekuNames[u]; ok {
			c.EKU = append(c.EKU, n)
		} else {
			c.EKU = append(c.EKU, "eku("+strconv.Itoa(int(u))+")")
		}
	}
	for _, oid := range cert.UnknownExtKeyUsage {
		c.EKU = append(c.EKU, oid.String())
	}
	return c
}

// ekuNames are the RFC 5280 4.2.1.12 names, as package eku writes them.
var ekuNames = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny:             "anyExtendedKeyUsage",
	x509.ExtKeyUsageServerAuth:      "serverAuth",
	x509.ExtKeyUsageClientAuth:      "clientAuth",
	x509.ExtKeyUsageCodeSigning:     "codeSigning",
	x509.ExtKeyUsageEmailProtection: "emailProtection",
	x509.ExtKeyUsageTimeStamping:    "timeStamping",
	x509.ExtKeyUsageOCSPSigning:     "OCSPSigning",
	x509.ExtKeyUsageIPSECEndSystem:  "ipsecEndSystem",
	x509.ExtKeyUsageIPSECTunnel:     "ipsecTunnel",
	x509.ExtKeyUsageIPSECUser:       "ipsecUser",
}

// schemeNames are the IANA TLS SignatureScheme names (RFC 8446, 4.2.3).
var schemeNames = map[tls.SignatureScheme]string{
	tls.PKCS1WithSHA256: "rsa_pkcs1_sha256", tls.PKCS1WithSHA384: "rsa_pkcs1_sha384", tls.PKCS1WithSHA512: "rsa_pkcs1_sha512",
	tls.PSSWithSHA256: "rsa_pss_rsae_sha256", tls.PSSWithSHA384: "rsa_pss_rsae_sha384", tls.PSSWithSHA512: "rsa_pss_rsae_sha512",
	0x0809: "rsa_pss_pss_sha256", 0x080a: "rsa_pss_pss_sha384", 0x080b: "rsa_pss_pss_sha512",
	tls.ECDSAWithP256AndSHA256: "ecdsa_secp256r1_sha256", tls.ECDSAWithP384AndSHA384: "ecdsa_secp384r1_sha384",
	tls.ECDSAWithP521AndSHA512: "ecdsa_secp521r1_sha512", tls.Ed25519: "ed25519", 0x0808: "ed448",
	tls.PKCS1WithSHA1: "rsa_pkcs1_sha1", tls.ECDSAWithSHA1: "ecdsa_sha1",
	0x0303: "ecdsa_sha224", 0x0301: "rsa_pkcs1_sha224", 0x0202: "dsa_sha1", 0x0402: "dsa_sha256",
	0x0302: "dsa_sha224", 0x0502: "dsa_sha384", 0x0602: "dsa_sha512",
	0x081a: "ecdsa_brainpoolP256r1tls13_sha256", 0x081b: "ecdsa_brainpoolP384r1tls13_sha384",
	0x081c: "ecdsa_brainpoolP512r1tls13_sha512",
}

// schemeName returns the IANA name of s, or "0x0807" for one without.
func schemeName(s tls.SignatureScheme) string {
	if n, ok := schemeNames[s]; ok {
		return n
	}
	const hex = "0123456789abcdef"
	return "0x" + string([]byte{hex[s>>12&15], hex[s>>8&15], hex[s>>4&15], hex[s&15]})
}

func parseScheme(n string) (tls.SignatureScheme, error) {
	for s, name := range schemeNames {
		if name == n {
			return s, nil
		}
	}
	if len(n) == 6 && strings.HasPrefix(n, "0x") {
		if v, err := strconv.ParseUint(n[2:], 16, 16); err == nil {
			return tls.SignatureScheme(v), nil
		}
	}
	return 0, fmt.Errorf("unknown signature scheme %q", n)
}
