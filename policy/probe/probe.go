package probe

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Options configures [Probe]. The zero value probes SSL 3.0 through TLS 1.3
// with the default timeouts.
type Options struct {
	// Versions are the versions to try; empty means SSL 3.0 to TLS 1.3.
	Versions tlsver.Set
	// AttemptTimeout bounds each connection attempt; zero means 5 s.
	AttemptTimeout time.Duration
	// ReadTimeout is how long to wait after a TLS 1.3 handshake in which the
	// server asked for a certificate, for the server's verdict on it (a TLS
	// 1.3 server sends that verdict after the client's handshake has
	// returned): an alert or close rejects, a NewSessionTicket or data
	// accepts, and either ends the wait at once. Zero means 2 s. A server
	// that sends nothing within ReadTimeout gave no verdict
	// ([Attempt.Silent]): the probe then asks at TLS 1.2, or answers
	// "unknown".
	ReadTimeout time.Duration
	// ServerName is sent as SNI; empty sends none (an IP address target).
	ServerName string
	// Certificate, if set, is presented in one extra attempt at the highest
	// accepted version, and the outcome is reported in
	// [Result.WithCertificate]. Use it to ask "does the server accept this
	// client certificate?".
	Certificate *tls.Certificate
}

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
	// ServerHello reports that the server answered with a ServerHello for
	// Version (so it accepts the version), whatever happened later.
	ServerHello bool
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
	// one that is slow to reject: the attempt is inconclusive, not OK.
	Silent bool
	// Alert is the alert the server sent; zero if none. A close_notify
	// (wire value 0) is reported as Closed, not here.
	Alert policy.Alert
	// Closed reports that the server closed the connection without an alert
	// other than close_notify.
	Closed bool
	// AfterHandshake reports that the failure came after the client's
	// handshake had completed (TLS 1.3 client-certificate rejection).
	AfterHandshake bool
	// Err is the error text, if the attempt failed; empty otherwise.
	Err string
	// inconclusive marks dial errors, timeouts and cancellation.
	inconclusive bool
}

// String summarizes the attempt, e.g. "TLS 1.3 crypto/tls no certificate:
// requested, alert 116 after handshake".
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
	case a.inconclusive:
		s += "inconclusive"
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

// Result is what a probe found out about a TLS server.
type Result struct {
	// Address is the probed host:port.
	Address string
	// Versions are the versions the server accepted.
	Versions tlsver.Set
	// Rejected are the versions the server refused (alert or close in
	// response to a ClientHello offering only that version).
	Rejected tlsver.Set
	// Untested are the versions the probe could not decide (timeouts,
	// network errors) or was not asked to try.
	Untested tlsver.Set
	// Legacy are accepted versions that crypto/tls could not complete: SSL
	// 3.0 (seen through the probe's own SSL 3.0 hello), and TLS 1.0-1.2
	// where the server chose only old cipher suites (seen through zcrypto).
	Legacy tlsver.Set
	// ClientAuthVersion is the version the client-certificate questions
	// were asked at (the highest accepted version crypto/tls can complete).
	ClientAuthVersion tlsver.Version
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
	// Attempts lists every connection in order.
	Attempts []Attempt
}

// Probe connects to address (host:port; SIP over TLS on 5061 is TLS from the
// first byte) several times and reports which versions the server accepts
// and what it does about client certificates.
//
// Versions: one attempt per version offering only that version (crypto/tls
// with every cipher suite it implements; zcrypto with legacy suites when
// crypto/tls gets no ServerHello; a hand-made hello for SSL 3.0). A
// version counts as accepted when the server answers with a ServerHello for
// it, even if the handshake fails later for client-certificate reasons.
//
// Client certificates, at the highest version crypto/tls completed or got a
// CertificateRequest at: the attempt without a certificate shows whether a
// CertificateRequest is sent and whether a certificate is required; if it
// is requested, a second attempt presents a freshly generated self-signed
// certificate to see whether the server verifies. In TLS 1.3 the server's
// verdict arrives after the client's handshake has returned, so the probe
// reads for up to ReadTimeout: an alert or close is a rejection, a
// NewSessionTicket or data an acceptance. A TLS 1.3 server that sends none
// of these gave no verdict; the questions are then asked at TLS 1.2 if the
// server accepts it, and otherwise the mode is unknown.
//
// Probe returns an error only for bad arguments or when ctx ends; every
// other failure is data in the Result ("unknown" with a reason). Attempts
// run one after another, each bounded by AttemptTimeout; no goroutine
// outlives the call.
func Probe(ctx context.Context, address string, opts Options) (Result, error) {
	r := Result{Address: address}
	if address == "" {
		return r, errors.New("probe: empty address")
	}
	versions := opts.Versions
	if versions.IsEmpty() {
		versions = tlsver.Range(tlsver.SSL30, tlsver.TLS13)
	}
	p := &prober{addr: address, opts: opts}
	if p.opts.AttemptTimeout <= 0 {
		p.opts.AttemptTimeout = 5 * time.Second
	}
	if p.opts.ReadTimeout <= 0 {
		p.opts.ReadTimeout = 2 * time.Second
	}

	// 1. Versions, highest first (the highest is the one a client uses).
	byVersion := map[tlsver.Version]Attempt{}
	for v := tlsver.TLS13; v >= tlsver.SSL30; v-- {
		if !versions.Has(v) {
			continue
		}
		if err := ctxDone(ctx); err != nil {
			return r, fmt.Errorf("probe: %v", err)
		}
		var a Attempt
		switch {
		case v == tlsver.SSL30:
			// crypto/tls cannot complete SSL 3.0 at all: an accepted SSL
			// 3.0 is always legacy.
			if a = p.ssl3(ctx); a.ServerHello {
				r.Legacy = r.Legacy.Add(v)
			}
		default:
			a = p.goAttempt(ctx, v, NoCert, nil)
			// protocol_version (70) is a definite no; anything else may be
			// a cipher-suite mismatch that zcrypto's legacy suites avoid.
			if !a.ServerHello && !a.inconclusive && a.Alert != alertProtocolVersion && v <= tlsver.TLS12 {
				r.Attempts = append(r.Attempts, a)
				a = p.zcryptoAttempt(ctx, v)
				if a.ServerHello {
					r.Legacy = r.Legacy.Add(v)
				}
			}
		}
		if err := ctxDone(ctx); err != nil {
			return r, fmt.Errorf("probe: %v", err)
		}
		r.Attempts = append(r.Attempts, a)
		byVersion[v] = a
		switch {
		case a.ServerHello:
			r.Versions = r.Versions.Add(v)
		case a.inconclusive:
			r.Untested = r.Untested.Add(v)
		default:
			r.Rejected = r.Rejected.Add(v)
		}
		if a.CertificateRequested {
			r.RequestedAt = r.RequestedAt.Add(v)
		}
	}
	r.Untested = r.Untested.Union(tlsver.Range(tlsver.SSL30, tlsver.TLS13).Difference(versions))

	// 2. Client certificates at the highest version crypto/tls got through;
	// if the server gave no verdict there (a silent TLS 1.3 server), at the
	// next version down.
	var base Attempt
	found := false
	silentNote := ""
	for v := tlsver.TLS13; v >= tlsver.TLS10; v-- {
		a, ok := byVersion[v]
		if !ok || a.Method != MethodGo || !(a.OK || a.CertificateRequested) {
			continue
		}
		base, found = a, true
		r.clearClientAuth()
		r.ClientAuthVersion = v
		silent, err := p.clientAuth(ctx, &r, base)
		if err != nil {
			return r, err
		}
		if !silent {
			break
		}
		silentNote += v.String() + ": " + r.ClientAuthReason + "; "
	}
	switch {
	case !found:
		r.ClientAuthReason = "no version completed a handshake with crypto/tls, so the CertificateRequest could not be seen"
		if r.Versions.IsEmpty() {
			r.ClientAuthReason = "the server accepted none of the versions tried"
		}
	case silentNote != "" && !strings.HasPrefix(silentNote, r.ClientAuthVersion.String()+": "):
		r.ClientAuthReason = silentNote + "decided " + r.ClientAuthReason
	}

	// 3. The given certificate.
	if opts.Certificate != nil && found {
		a := p.goAttempt(ctx, base.Version, GivenCert, opts.Certificate)
		if err := ctxDone(ctx); err != nil {
			return r, fmt.Errorf("probe: %v", err)
		}
		r.Attempts = append(r.Attempts, a)
		r.WithCertificate = &a
	}
	if len(r.ServerChain) > 0 {
		r.ServerEKU, r.ServerEKUErr = eku.ParseChain(r.ServerChain)
	}
	return r, nil
}

// clearClientAuth resets what clientAuth fills in, before it asks again at
// a lower version.
func (r *Result) clearClientAuth() {
	r.CertificateRequest, r.Required, r.Verified = Unknown, Unknown, Unknown
	r.ClientAuth, r.ClientAuthReason = policy.ClientAuthUnknown, ""
	r.AcceptableCAs, r.AcceptableCANames, r.SignatureSchemes = nil, nil, nil
}

// clientAuth asks the client-certificate questions at base.Version, base
// being the attempt without a certificate. It reports silent when a TLS 1.3
// server gave no verdict on an attempt (Attempt.Silent), so the caller can
// ask again at a lower version.
func (p *prober) clientAuth(ctx context.Context, r *Result, base Attempt) (silent bool, err error) {
	r.ServerChain = p.chains[base.Version]
	if !base.CertificateRequested {
		if base.OK {
			r.CertificateRequest, r.Required, r.Verified = No, No, No
			r.ClientAuth = policy.ClientAuthNone
			r.ClientAuthReason = "no CertificateRequest at " + base.Version.String()
			return false, nil
		}
		r.ClientAuthReason = "the handshake at " + base.Version.String() + " failed before a CertificateRequest could arrive: " + base.String()
		return false, nil
	}
	r.CertificateRequest = Yes
	cr := p.requests[base.Version]
	r.AcceptableCAs, r.SignatureSchemes = cr.AcceptableCAs, cr.SignatureSchemes
	for _, dn := range cr.AcceptableCAs {
		r.AcceptableCANames = append(r.AcceptableCANames, dnString(dn))
	}
	switch {
	case base.OK:
		r.Required = No
	case base.inconclusive:
		r.ClientAuthReason = "the attempt without a certificate was inconclusive: " + base.Err
		return base.Silent, nil
	default:
		r.Required = Yes
	}

	if p.untrusted == nil {
		c, err := untrustedCert()
		if err != nil {
			r.ClientAuthReason = "could not generate the untrusted test certificate: " + err.Error()
			return false, nil
		}
		p.untrusted = c
	}
	a := p.goAttempt(ctx, base.Version, UntrustedCert, p.untrusted)
	if err := ctxDone(ctx); err != nil {
		return false, fmt.Errorf("probe: %v", err)
	}
	r.Attempts = append(r.Attempts, a)
	switch {
	case a.OK:
		r.Verified = No
	case a.inconclusive || !a.CertificateRequested:
		r.ClientAuthReason = "the attempt with an untrusted certificate was inconclusive: " + a.String()
		if a.Silent {
			r.ClientAuthReason = "the attempt with an untrusted certificate was inconclusive: " + a.Err
		}
		return a.Silent, nil
	default:
		r.Verified = Yes
	}
	switch {
	case r.Required == No && r.Verified == No:
		r.ClientAuth = policy.ClientAuthRequest
	case r.Required == Yes && r.Verified == No:
		r.ClientAuth = policy.ClientAuthRequireAny
	case r.Required == No && r.Verified == Yes:
		r.ClientAuth = policy.ClientAuthVerifyIfGiven
	default:
		r.ClientAuth = policy.ClientAuthRequireAndVerify
	}
	r.ClientAuthReason = fmt.Sprintf("at %s: CertificateRequest sent; without a certificate: %s; with an untrusted certificate: %s",
		base.Version, outcomeWord(base), outcomeWord(a))
	return false, nil
}

// alertText renders an alert as "alert 116 certificate_required".
func alertText(a policy.Alert) string {
	return "alert " + strconv.Itoa(int(a)) + " " + a.String()
}

func outcomeWord(a Attempt) string {
	switch {
	case a.OK:
		return "accepted"
	case a.Ticket:
		return "accepted (session ticket after the handshake)"
	case a.Alert != 0 && a.AfterHandshake:
		return "rejected (" + alertText(a.Alert) + " after the handshake)"
	case a.Alert != 0:
		return "rejected (" + alertText(a.Alert) + ")"
	case a.Closed:
		return "rejected (connection closed)"
	}
	return "rejected (" + a.Err + ")"
}

// dnString renders a DER distinguished name as text (RFC 2253 order), or as
// "invalid name" if it does not parse.
func dnString(der []byte) string {
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(der, &seq); err != nil || len(rest) != 0 {
		return "invalid name"
	}
	var n pkix.Name
	n.FillFromRDNSequence(&seq)
	return n.String()
}

// untrustedCert generates the self-signed client certificate (EKU
// clientAuth, KeyUsage digitalSignature) used to find out whether a server
// verifies what it receives.
func untrustedCert() (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "tlscompat probe (untrusted, self-signed)"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// ctxDone returns ctx's error, or context.DeadlineExceeded once ctx's
// deadline has passed (a connection deadline can fire just before ctx's own
// timer does).
func ctxDone(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}
