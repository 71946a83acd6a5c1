package probe

import (
	"crypto/tls"
	"strconv"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Answer is a yes/no/unknown answer. The zero value is [Unknown].
type Answer uint8

// Answers.
const (
	Unknown Answer = iota
	Yes
	No
)

var answerNames = [...]string{Unknown: "unknown", Yes: "yes", No: "no"}

// String returns "yes", "no" or "unknown".
func (a Answer) String() string {
	if int(a) < len(answerNames) {
		return answerNames[a]
	}
	return "answer(" + strconv.Itoa(int(a)) + ")"
}

// CertKind says which certificate an attempt presented when asked.
type CertKind uint8

// Certificates presented by attempts.
const (
	// NoCert: an empty Certificate message (the attempt offers no
	// certificate).
	NoCert CertKind = iota
	// UntrustedCert: a self-signed certificate generated for this probe
	// (EKU clientAuth), which no server can chain to a trusted root.
	UntrustedCert
	// GivenCert: [Options.Certificate].
	GivenCert
)

var certKindNames = [...]string{NoCert: "no certificate", UntrustedCert: "untrusted certificate", GivenCert: "given certificate"}

// String returns "no certificate", "untrusted certificate" or "given
// certificate".
func (k CertKind) String() string {
	if int(k) < len(certKindNames) {
		return certKindNames[k]
	}
	return "cert-kind(" + strconv.Itoa(int(k)) + ")"
}

// Method says which client implementation made an attempt.
type Method uint8

// Attempt methods.
const (
	// MethodGo is crypto/tls (complete handshakes, TLS 1.0–1.3).
	MethodGo Method = 1 + iota
	// MethodZcrypto is github.com/zmap/zcrypto/tls offering legacy cipher
	// suites it may not implement (ForceSuites); it is used for TLS 1.0–1.2
	// when crypto/tls got no ServerHello, and only the ServerHello counts.
	MethodZcrypto
	// MethodSSL3Hello is this package's own SSL 3.0 ClientHello (neither
	// crypto/tls nor zcrypto speak SSL 3.0 any more); only the ServerHello
	// counts.
	MethodSSL3Hello
)

var methodNames = [...]string{MethodGo: "crypto/tls", MethodZcrypto: "zcrypto", MethodSSL3Hello: "ssl3-hello"}

// String returns "crypto/tls", "zcrypto" or "ssl3-hello".
func (m Method) String() string {
	if int(m) < len(methodNames) && methodNames[m] != "" {
		return methodNames[m]
	}
	return "method(" + strconv.Itoa(int(m)) + ")"
}

// Attempt is one connection the probe made.
type Attempt struct {
	// Version is the only version offered.
	Version tlsver.Version
	// Method is the client implementation.
	Method Method
	// Cert is what the attempt presented when asked for a certificate.
	Cert CertKind
	// ServerHello reports that the server answered with a ServerHello (or
	// a HelloRetryRequest) selecting Version, so it accepts the version,
	// whatever happened later. The probe reads the ServerHello itself.
	ServerHello bool
	// Selected is the version the server's ServerHello selected, if one
	// arrived; a lower version than Version is a refusal of Version.
	Selected tlsver.Version
	// CertificateRequested reports that a CertificateRequest arrived.
	CertificateRequested bool
	// OK reports that the handshake completed and, in TLS 1.3 after a
	// CertificateRequest, that the server then accepted: it sent a
	// NewSessionTicket (see Ticket) or application data.
	OK bool
	// Ticket reports that, in TLS 1.3 after a CertificateRequest, the
	// server's acceptance was seen as a NewSessionTicket. Servers send
	// tickets only once the client's certificate flight has passed (Go,
	// OpenSSL, GnuTLS and Java JSSE do).
	Ticket bool
	// Silent reports that, in TLS 1.3 after a CertificateRequest, the server
	// sent nothing — no ticket, no data, no alert — within ReadTimeout. A
	// server that accepts but sends no tickets looks like that, and so does
	// one that is slow to reject: the attempt is undecided, not OK.
	Silent bool
	// Alert is the fatal alert the server sent; zero if none. A close_notify
	// (wire value 0) is reported as Closed, not here.
	Alert policy.Alert
	// Closed reports that the server closed the connection cleanly (a
	// close_notify, or the end of the stream with nothing unfinished)
	// without another alert.
	Closed bool
	// AfterHandshake reports that the failure came after the client's
	// handshake had completed (TLS 1.3 client-certificate rejection).
	AfterHandshake bool
	// Undecided reports that the attempt decided nothing beyond what
	// ServerHello says: it failed without the server saying no (timeout,
	// reset, non-TLS bytes, malformed records, warning alerts, the size
	// limit, a network failure, an error of the client library). Err says
	// why.
	Undecided bool
	// Network reports that the attempt could not connect (dial, DNS,
	// routing); the server was never reached. Network implies Undecided.
	Network bool
	// Err is the error text, if the attempt failed; empty otherwise.
	Err string

	err     error // the dial error, for NetError
	timeout bool  // ended by a deadline: retrying with zcrypto would wait again
}

// String summarizes the attempt, e.g. "TLS 1.3 crypto/tls no certificate:
// requested, alert 116 certificate_required after handshake".
func (a Attempt) String() string {
	s := a.Version.String() + " " + a.Method.String() + " " + a.Cert.String() + ": "
	if a.CertificateRequested {
		s += "requested, "
	}
	switch {
	case a.OK:
		s += "ok"
	case a.Alert != 0:
		s += alertText(a.Alert)
	case a.Closed:
		s += "closed"
	case a.Silent:
		s += "silent after handshake"
	case a.Network:
		s += "network failure"
	case a.Undecided && a.ServerHello:
		s += "server hello, then undecided"
	case a.Undecided:
		s += "undecided"
	case a.Selected != 0 && a.Selected != a.Version:
		s += "server hello for " + a.Selected.String()
	case a.ServerHello:
		s += "server hello"
	default:
		s += "failed"
	}
	if !a.OK && a.AfterHandshake {
		s += " after handshake"
	}
	return s
}

// VersionReason says why a version stayed undecided.
type VersionReason struct {
	// Version is the undecided version.
	Version tlsver.Version
	// Reason says what its attempts saw ("crypto/tls: no answer before the
	// attempt's deadline").
	Reason string
}

// Result is what a probe found out about a TLS server.
type Result struct {
	// Address is the probed host:port.
	Address string
	// ServerName is the SNI the attempts sent; empty if none.
	ServerName string
	// Versions are the versions the server accepted: it answered a
	// ClientHello offering only that version with a ServerHello for it.
	Versions tlsver.Set
	// Rejected are the versions the server refused: it answered a
	// ClientHello offering only that version with a fatal alert, a
	// close_notify, a clean close, or a ServerHello for a lower version.
	Rejected tlsver.Set
	// Untested are the versions the probe could not decide (see Undecided)
	// or was not asked to try. Versions, Rejected and Untested partition
	// SSL 3.0–TLS 1.3.
	Untested tlsver.Set
	// Undecided says, for each version tried but not decided, why (highest
	// version first).
	Undecided []VersionReason
	// Legacy are accepted versions that crypto/tls could not complete: SSL
	// 3.0 (seen through the probe's own SSL 3.0 hello), and TLS 1.0-1.2
	// where the server chose only old cipher suites (seen through zcrypto).
	Legacy tlsver.Set
	// ClientAuthVersion is the version the client-certificate questions
	// were asked at (the highest accepted version crypto/tls can complete).
	ClientAuthVersion tlsver.Version
	// ClientAuthMethod is the library that asked them: crypto/tls, or
	// zcrypto when crypto/tls could complete no handshake (a legacy-only
	// server whose cipher suites only zcrypto implements); zero if the
	// questions were not asked.
	ClientAuthMethod Method
	// CertificateRequest reports whether the server sent a
	// CertificateRequest at ClientAuthVersion.
	CertificateRequest Answer
	// RequestedAt are the versions at which a CertificateRequest was seen.
	RequestedAt tlsver.Set
	// Required reports whether a handshake without a certificate fails.
	Required Answer
	// Verified reports whether an untrusted certificate is rejected.
	Verified Answer
	// ClientAuth is the mode derived from the three answers above.
	ClientAuth policy.ClientAuthMode
	// ClientAuthReason explains ClientAuth, or why it is unknown.
	ClientAuthReason string
	// AcceptableCAs are the distinguished names (DER) the
	// CertificateRequest lists; AcceptableCANames the same as text.
	AcceptableCAs     [][]byte
	AcceptableCANames []string
	// SignatureSchemes are the schemes the CertificateRequest allows.
	SignatureSchemes []tls.SignatureScheme
	// ServerChain is the certificate chain the server sent (DER, leaf first).
	ServerChain [][]byte
	// ServerEKU is ServerChain's EKU facts; ServerEKUErr is set if the chain
	// could not be parsed.
	ServerEKU    eku.Chain
	ServerEKUErr error
	// WithCertificate is the attempt with [Options.Certificate], if given.
	WithCertificate *Attempt
	// Attempts lists every connection in order: the version attempts from
	// the highest version down (a zcrypto retry after the crypto/tls attempt
	// it follows), then the client-certificate attempts.
	Attempts []Attempt
}

// Complete reports whether every version from SSL 3.0 to TLS 1.3 was
// decided (accepted or refused) and the client-certificate mode is known:
// the probe left no question open.
func (r Result) Complete() bool {
	return r.Untested.IsEmpty() && r.ClientAuth != policy.ClientAuthUnknown
}

// alertText renders an alert as "alert 116 certificate_required".
func alertText(a policy.Alert) string {
	return "alert " + strconv.Itoa(int(a)) + " " + a.String()
}
