package policy

import (
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// Stack is the TLS implementation whose rules an endpoint follows when it
// checks a peer's certificate. The zero value, [UnknownStack], means the
// stack is not known; [Evaluate] then answers only what every modelled stack
// agrees on.
type Stack uint8

// Stacks. The wire names (String, JSON) are stable.
const (
	UnknownStack Stack = iota
	// OpenSSL3 is OpenSSL 3.x (and applications built on it: Kamailio,
	// OpenSIPS, Asterisk/PJSIP, FreeSWITCH/sofia-sip).
	OpenSSL3
	// GnuTLS is GnuTLS verifying the way gnutls-serv does; the client
	// certificate purpose is checked only from 3.8.13 (set StackVersion).
	GnuTLS
	// GoCryptoTLS is Go crypto/tls with crypto/x509.
	GoCryptoTLS
	// JavaJSSE is SunJSSE with the default PKIX trust manager.
	JavaJSSE
	// NSS is Mozilla NSS with the default SSL_AuthCertificate hook.
	NSS
	// MbedTLS is Mbed TLS (2.28 tested; 3.x/4.x have the same check by
	// source).
	MbedTLS
	// Schannel is Windows Schannel / HTTP.sys (documentation only).
	Schannel
	numStacks
)

// String returns the stable wire name ("openssl3", "gnutls", "go", "java",
// "nss", "mbedtls", "schannel", "unknown"), or "stack(N)" for a value out of
// range.
func (s Stack) String() string {
	if s == UnknownStack {
		return "unknown"
	}
	if r := s.rules(); r != nil {
		return r.name
	}
	return "stack(" + itoa(int(s)) + ")"
}

// Title returns a human-readable name such as "OpenSSL 3".
func (s Stack) Title() string {
	if s == UnknownStack {
		return "an unknown TLS stack"
	}
	if r := s.rules(); r != nil {
		return r.title
	}
	return s.String()
}

// ParseStack returns the Stack whose wire name is s.
func ParseStack(s string) (Stack, error) {
	for st := UnknownStack; st < numStacks; st++ {
		if st.String() == s {
			return st, nil
		}
	}
	return 0, unknownName("stack", s)
}

// ClientAuthMode is what a TLS server does about client certificates (not to
// be confused with eku.ClientAuth, the clientAuth purpose). The five modes
// from none to require-and-verify are the semantic ones real stacks have;
// the stack-specific settings map onto them (see [OpenSSLMode], [JavaMode],
// [GnuTLSServMode] and the profiles in policy/products). [ClientAuthVerifies]
// stands for "verify-if-given or require-and-verify" where a document does
// not say which. The zero value, [ClientAuthUnknown], means not known.
type ClientAuthMode uint8

// Client-certificate modes.
const (
	ClientAuthUnknown ClientAuthMode = iota
	// ClientAuthNone: no CertificateRequest is sent.
	ClientAuthNone
	// ClientAuthRequest: a certificate is requested; none, or any
	// certificate, is accepted without verification (Go RequestClientCert,
	// openssl s_server -verify without -verify_return_error, gnutls-serv
	// default, mbedTLS OPTIONAL).
	ClientAuthRequest
	// ClientAuthRequireAny: a certificate must be sent but is not verified
	// (Go RequireAnyClientCert, gnutls-serv --require-client-cert).
	ClientAuthRequireAny
	// ClientAuthVerifyIfGiven: no certificate is accepted, but a certificate
	// that is sent is verified (Go VerifyClientCertIfGiven, OpenSSL
	// SSL_VERIFY_PEER, Java setWantClientAuth).
	ClientAuthVerifyIfGiven
	// ClientAuthRequireAndVerify: a certificate must be sent and is
	// verified (Go RequireAndVerifyClientCert, OpenSSL SSL_VERIFY_PEER |
	// SSL_VERIFY_FAIL_IF_NO_PEER_CERT, Java setNeedClientAuth, mbedTLS
	// REQUIRED).
	ClientAuthRequireAndVerify
	// ClientAuthVerifies: a certificate is requested and one that is sent
	// is verified, but whether a missing one fails is not documented
	// (verify-if-given or require-and-verify). Evaluate answers where the
	// two agree, which they do whenever the client sends a certificate.
	ClientAuthVerifies
	numClientAuth
)

var clientAuthNames = [numClientAuth]string{
	ClientAuthUnknown:          "unknown",
	ClientAuthNone:             "none",
	ClientAuthRequest:          "request",
	ClientAuthRequireAny:       "require-any",
	ClientAuthVerifyIfGiven:    "verify-if-given",
	ClientAuthRequireAndVerify: "require-and-verify",
	ClientAuthVerifies:         "verifies",
}

// String returns the stable wire name ("none", "request", "require-any",
// "verify-if-given", "require-and-verify", "verifies", "unknown").
func (m ClientAuthMode) String() string {
	if m < numClientAuth {
		return clientAuthNames[m]
	}
	return "client-auth(" + itoa(int(m)) + ")"
}

// ParseClientAuthMode returns the ClientAuthMode whose wire name is s.
func ParseClientAuthMode(s string) (ClientAuthMode, error) {
	for i, n := range clientAuthNames {
		if n == s {
			return ClientAuthMode(i), nil
		}
	}
	return 0, unknownName("client-auth mode", s)
}

// Requests reports whether the mode sends a CertificateRequest.
func (m ClientAuthMode) Requests() bool { return m >= ClientAuthRequest && m < numClientAuth }

// Requires reports whether the mode fails a handshake without a client
// certificate.
func (m ClientAuthMode) Requires() bool {
	return m == ClientAuthRequireAny || m == ClientAuthRequireAndVerify
}

// Verifies reports whether the mode verifies a client certificate it
// receives.
func (m ClientAuthMode) Verifies() bool {
	return m == ClientAuthVerifyIfGiven || m == ClientAuthRequireAndVerify || m == ClientAuthVerifies
}

// Server is an endpoint in the TLS server role.
//
// Versions may be given directly, or looked up in the [tlsver] matrix from
// Product and Release at the scenario's instant (Versions empty and Product
// set). A matrix answer's provenance becomes a finding's evidence.
type Server struct {
	// Name labels the endpoint in messages ("customer SBC").
	Name string `json:"name,omitempty"`
	// Product and Release name a row of the tlsver matrix ("Salesforce",
	// "production"); used when Versions is empty.
	Product string `json:"product,omitempty"`
	Release string `json:"release,omitempty"`
	// Versions are the protocol versions the server accepts. Empty with no
	// Product means "not known": Evaluate then reports versions-unknown and
	// the verdict is Unknown unless another step fails.
	Versions tlsver.Set `json:"versions,omitempty"`
	// ClientAuth is what the server does about client certificates; the
	// zero value, ClientAuthUnknown, makes Evaluate answer only what every
	// mode agrees on.
	ClientAuth ClientAuthMode `json:"client_auth"`
	// Stack is the TLS implementation that checks client certificates.
	Stack Stack `json:"stack"`
	// StackVersion is the stack's version where rules change between
	// versions ("3.7.9" for GnuTLS); empty when not known.
	StackVersion string `json:"stack_version,omitempty"`
	// AcceptedCAs are the distinguished names the server lists in its
	// CertificateRequest, if known, in RFC 2253 form as pkix.Name.String
	// writes them (what policy/probe reports). When the server verifies
	// and the client's chain names none of them (no certificate's subject
	// or issuer), Evaluate answers unknown with code issuer-not-listed:
	// trust is not modelled, but the servers tested list exactly the CAs
	// they trust and reject such a chain (OpenSSL and Go with alert 48
	// unknown_ca, Java with 46).
	AcceptedCAs []string `json:"accepted_cas,omitempty"`
	// Trust is the server's store for client certificates; nil means not
	// known (see the package documentation, "Trust").
	Trust *Trust `json:"trust,omitempty"`
	// Chain is the certificate chain the server presents, checked by the
	// client against [Client].Trust; nil means not known and not checked.
	Chain *Chain `json:"chain,omitempty"`
	// VersionFix is the change the endpoint's documentation offers when no
	// version is shared (see [VersionFix]); zero: none documented.
	VersionFix VersionFix `json:"version_fix,omitzero"`
	// Profile names the built-in profile or configuration mapping the
	// endpoint came from; Evidence cites where that mapping is documented.
	Profile  string   `json:"profile,omitempty"`
	Evidence Evidence `json:"evidence,omitzero"`
}

// VersionFix is what an endpoint's documentation says restores a shared
// version when negotiation fails. A profile sets it; the engine turns it
// into the failure's [Remedy].
type VersionFix struct {
	// Enable are versions the endpoint can be configured to add (for
	// example through a registry setting). When negotiation fails and the
	// peer speaks one of them, the remedy is enable-versions with
	// EnableText as its target.
	Enable     tlsver.Set `json:"enable,omitempty"`
	EnableText string     `json:"enable_text,omitempty"`
	// Upgrade is the tlsver upgrade goal whose target release restores a
	// shared version, for an endpoint whose versions come from a data row
	// (Product and Release) and all lie below the peer's: the remedy is
	// upgrade to [tlsver.Matrix.UpgradeTarget]. Zero: no upgrade path.
	Upgrade tlsver.Goal `json:"upgrade,omitempty"`
}

// Client is an endpoint in the TLS client role.
type Client struct {
	// Name labels the endpoint in messages ("Genesys Cloud BYOC Cloud").
	Name string `json:"name,omitempty"`
	// Product and Release name a row of the tlsver matrix ("UCCX",
	// "11.0(1)"); used when Versions is empty.
	Product string `json:"product,omitempty"`
	Release string `json:"release,omitempty"`
	// Versions are the protocol versions the client offers. Empty with no
	// Product means "not known", as for [Server].
	Versions tlsver.Set `json:"versions,omitempty"`
	// Stack is the client's TLS implementation. It matters only for version
	// sets with gaps (TLS 1.0 and 1.2 without 1.1), which stacks negotiate
	// differently (see tlsver.NegotiateStacks); zero means not known.
	Stack Stack `json:"stack,omitempty"`
	// Chain is the certificate chain the client presents when asked; nil,
	// or a chain with no certificates that is not Opaque, means the client
	// sends an empty Certificate.
	Chain *Chain `json:"chain,omitempty"`
	// WithholdsUnsuitable reports whether the client's stack sends no
	// certificate at all when its leaf does not permit clientAuth.
	WithholdsUnsuitable bool `json:"withholds_unsuitable,omitempty"`
	// Renewal describes when the certificate is replaced and what the
	// issuer puts into certificates issued later; nil if not modelled.
	Renewal *Renewal `json:"renewal,omitempty"`
	// Trust is the client's store for the server's chain; nil means not
	// known (see the package documentation, "Trust").
	Trust *Trust `json:"trust,omitempty"`
	// ServerName is the name the client dials and checks against the
	// server certificate's SANs (a SIP trunk's FQDN); empty means no name
	// check.
	ServerName string `json:"server_name,omitempty"`
	// RemedyForEKU is the remedy offered when the server rejects the
	// client's certificate for its EKU (eku-lacks-client-auth and kin).
	// Zero means [RemedyPrivateCAClientCert]; a profile whose vendor issues
	// no certificate with clientAuth says [RemedyStopRequestingClientCerts].
	RemedyForEKU RemedyCode `json:"remedy_for_eku,omitempty"`
	// Notes are findings the endpoint's documentation states (for example
	// CodeNotAffected with the vendor's statement as evidence); Evaluate
	// adds them to every outcome after its own findings.
	Notes []Finding `json:"notes,omitempty"`
	// VersionFix as for [Server].
	VersionFix VersionFix `json:"version_fix,omitzero"`
	// Profile and Evidence as for [Server].
	Profile  string   `json:"profile,omitempty"`
	Evidence Evidence `json:"evidence,omitzero"`
}

// Renewal models certificate replacement over time, so that [Timeline] can
// say when a renewal changes the outcome.
type Renewal struct {
	// At is when the current certificate is replaced (zero: not planned).
	At time.Time `json:"at,omitzero"`
	// EveryDays is the interval in days between later renewals (zero:
	// the certificate is renewed once, at At).
	EveryDays int `json:"every_days,omitempty"`
	// WindowDays, when positive, says that each renewal happens at some
	// instant in [At, At+WindowDays days) and the day is not known (Genesys
	// announced "the week of 2026-03-09": products.GenesysRenewalWindowDays).
	// Inside the window, where the old and the renewed certificate give
	// different answers, Evaluate answers Unknown (code renewal-window).
	// Zero: the renewal happens exactly at At.
	WindowDays int `json:"window_days,omitempty"`
	// DropsClientAuthFrom is the issuer's cut-over: certificates issued at
	// or after this instant carry no clientAuth (zero: no change).
	DropsClientAuthFrom time.Time `json:"drops_client_auth_from,omitzero"`
	// Issuer, when set, is the CA (DN, RFC 2253 form) that certificates
	// issued from the renewal chain to, when the renewal changes it (a
	// provider moving to a new CA): the verifier must trust it. Empty: the
	// renewed certificate chains as the current one.
	Issuer string `json:"issuer,omitempty"`
	// Evidence cites the documents that announce the cut-over and the
	// renewal.
	Evidence Evidence `json:"evidence,omitzero"`
}

// Scenario is one handshake to predict: a client connecting to a server at an
// instant, in a protocol context.
type Scenario struct {
	// Name labels the scenario in tables and golden files.
	Name   string `json:"name,omitempty"`
	Client Client `json:"client"`
	Server Server `json:"server"`
	// At is the instant of the handshake; dated data (a peer dropping TLS
	// 1.0, a certificate renewal) is read at this instant.
	At time.Time `json:"at"`
	// Protocol is the application context where the data depends on it
	// (tlsver.HTTPS, tlsver.JDBC, tlsver.SIP); zero means unspecified.
	Protocol tlsver.Protocol `json:"protocol,omitzero"`
}
