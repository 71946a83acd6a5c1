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
	"fmt"
	"math/big"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Probe connects to address (host:port; SIP over TLS on 5061 is TLS from the
// first byte) several times and reports which versions the server accepts
// and what it does about client certificates.
//
// Versions: one attempt per version offering only that version (crypto/tls
// with every cipher suite it implements; zcrypto with legacy suites when
// crypto/tls gets no ServerHello; a hand-made hello for SSL 3.0), up to
// [Options.Concurrency] at once. A version is accepted when the server
// answers with a ServerHello for it, even if the handshake fails later; it
// is refused only on a fatal alert, a close_notify, a clean close or a
// ServerHello for a lower version in answer to the ClientHello; anything
// else leaves it undecided ([Result.Untested], [Result.Undecided]).
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
// Errors (see [ErrAddress], [ErrOptions], [ErrUnreachable], [NetError]): a
// bad address, an Options field out of range, no attempt able to connect,
// or ctx ending (wrapped, so errors.Is(err, context.DeadlineExceeded)
// works). Every other failure is data in the Result ("unknown"/undecided
// with a reason). No goroutine outlives the call.
func Probe(ctx context.Context, address string, opts Options) (Result, error) {
	r := Result{Address: address}
	host, err := checkAddress(address)
	if err != nil {
		return r, err
	}
	if err := opts.check(); err != nil {
		return r, err
	}
	opts = opts.withDefaults()
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	p := &prober{addr: address, opts: opts, dialer: opts.Dialer, serverName: opts.ServerName}
	if p.serverName == "" && !opts.OmitServerName && net.ParseIP(host) == nil {
		p.serverName = strings.TrimSuffix(host, ".")
	}
	r.ServerName = p.serverName
	if err := ctxDone(ctx); err != nil {
		return r, p.ctxErr(err)
	}

	// 1. Versions, concurrently within the bound. The slots keep the
	// Result independent of completion order.
	var vs []tlsver.Version
	for v := tlsver.TLS13; v >= tlsver.SSL30; v-- {
		if opts.Versions.Has(v) {
			vs = append(vs, v)
		}
	}
	slots := make([][]Attempt, len(vs))
	sem := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	for i, v := range vs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			if ctx.Err() == nil {
				slots[i] = p.versionAttempts(ctx, v)
			}
		}()
	}
	wg.Wait()

	byVersion := map[tlsver.Version]Attempt{}
	var firstDialErr error
	reached := false
	for i, v := range vs {
		atts := slots[i]
		for _, a := range atts {
			if a.Network && firstDialErr == nil {
				firstDialErr = a.err
			}
			reached = reached || !a.Network
			if a.CertificateRequested && a.Method != MethodSSL3Hello {
				r.RequestedAt = r.RequestedAt.Add(v)
			}
		}
		r.Attempts = append(r.Attempts, atts...)
		if len(atts) == 0 {
			r.Untested = r.Untested.Add(v)
			r.Undecided = append(r.Undecided, VersionReason{v, "not tried: the probe was cancelled"})
			continue
		}
		a := atts[len(atts)-1]
		byVersion[v] = a
		refused := true
		for _, b := range atts {
			refused = refused && b.refused()
		}
		switch {
		case a.ServerHello:
			r.Versions = r.Versions.Add(v)
			if a.Method != MethodGo {
				r.Legacy = r.Legacy.Add(v)
			}
		case refused:
			r.Rejected = r.Rejected.Add(v)
		default:
			r.Untested = r.Untested.Add(v)
			var why []string
			for _, b := range atts {
				if b.Undecided {
					why = append(why, b.Method.String()+": "+b.Err)
				}
			}
			if len(why) == 0 {
				why = append(why, "the attempts disagree: "+attemptList(atts))
			}
			r.Undecided = append(r.Undecided, VersionReason{v, strings.Join(why, "; ")})
		}
	}
	r.Untested = r.Untested.Union(tlsver.Range(tlsver.SSL30, tlsver.TLS13).Difference(opts.Versions))
	if err := ctxDone(ctx); err != nil {
		return r, p.ctxErr(err)
	}
	if !reached && firstDialErr != nil {
		r.ClientAuthReason = "the server could not be reached"
		return r, &NetError{Address: address, Err: firstDialErr}
	}

	// 2. Client certificates at the highest version crypto/tls got through;
	// if the server gave no verdict there (a silent TLS 1.3 server), at the
	// next version down. When crypto/tls got through at no version, at the
	// highest version zcrypto got through (a legacy-only server).
	var base Attempt
	found := false
	silentNote := ""
	candidates := make([]Attempt, 0, 5)
	for _, m := range []Method{MethodGo, MethodZcrypto} {
		for v := tlsver.TLS13; v >= tlsver.TLS10; v-- {
			if a, ok := byVersion[v]; ok && a.Method == m && (a.OK || a.CertificateRequested) {
				candidates = append(candidates, a)
			}
		}
		if len(candidates) > 0 {
			break
		}
	}
	for _, a := range candidates {
		v := a.Version
		base, found = a, true
		r.clearClientAuth()
		r.ClientAuthVersion, r.ClientAuthMethod = v, a.Method
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
	case !found && !r.Versions.IsEmpty():
		r.ClientAuthReason = "no version completed a handshake with crypto/tls or zcrypto, so the CertificateRequest could not be seen"
	case !found && r.Untested.Intersect(opts.Versions).IsEmpty():
		r.ClientAuthReason = "the server refused every version tried"
	case !found:
		r.ClientAuthReason = "no ServerHello was seen; undecided: " + undecidedText(r.Undecided)
	case silentNote != "" && !strings.HasPrefix(silentNote, r.ClientAuthVersion.String()+": "):
		r.ClientAuthReason = silentNote + "decided " + r.ClientAuthReason
	}

	// 3. The given certificate.
	if opts.Certificate != nil && found {
		a := p.attempt(ctx, base.Method, base.Version, GivenCert, opts.Certificate)
		if err := ctxDone(ctx); err != nil {
			return r, p.ctxErr(err)
		}
		p.progress(a)
		r.Attempts = append(r.Attempts, a)
		r.WithCertificate = &a
	}
	if len(r.ServerChain) > 0 {
		r.ServerEKU, r.ServerEKUErr = eku.ParseChain(r.ServerChain)
	}
	return r, nil
}

// versionAttempts makes the attempts that decide version v: crypto/tls,
// then zcrypto with legacy suites when crypto/tls was refused for another
// reason than the version (TLS 1.0–1.2), or the SSL 3.0 hello.
func (p *prober) versionAttempts(ctx context.Context, v tlsver.Version) []Attempt {
	if v == tlsver.SSL30 {
		// crypto/tls cannot complete SSL 3.0 at all: an accepted SSL 3.0 is
		// always legacy.
		a := p.ssl3(ctx)
		p.progress(a)
		return []Attempt{a}
	}
	a := p.goAttempt(ctx, v, NoCert, nil)
	p.progress(a)
	// protocol_version (70) and a ServerHello for another version are
	// answers about the version; a timeout would only repeat; anything
	// else may be a cipher-suite mismatch that zcrypto's legacy suites
	// avoid.
	if a.ServerHello || a.Network || a.timeout || a.Alert == alertProtocolVersion || a.Selected != 0 || v > tlsver.TLS12 || ctx.Err() != nil {
		return []Attempt{a}
	}
	z := p.zcryptoAttempt(ctx, v, NoCert, nil)
	p.progress(z)
	return []Attempt{a, z}
}

// progress reports a to Options.Progress, one call at a time.
func (p *prober) progress(a Attempt) {
	if p.opts.Progress == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.opts.Progress(a)
}

// ctxErr wraps the context's error so that errors.Is sees it.
func (p *prober) ctxErr(err error) error {
	return fmt.Errorf("probe: %s: %w", p.addr, err)
}

// checkAddress checks that address is host:port with a usable port and
// returns the host.
func checkAddress(address string) (string, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return "", fmt.Errorf("probe: address %q: %w: %w", address, ErrAddress, err)
	}
	if host == "" {
		return "", fmt.Errorf("probe: address %q: %w: no host", address, ErrAddress)
	}
	if n, err := strconv.Atoi(port); err == nil {
		if n < 1 || n > 65535 {
			return "", fmt.Errorf("probe: address %q: %w: port %d out of range 1-65535", address, ErrAddress, n)
		}
		return host, nil
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return "", fmt.Errorf("probe: address %q: %w: port %q is neither a number nor a known service", address, ErrAddress, port)
	}
	return host, nil
}

func attemptList(atts []Attempt) string {
	var s []string
	for _, a := range atts {
		s = append(s, a.String())
	}
	return strings.Join(s, "; ")
}

func undecidedText(u []VersionReason) string {
	var s []string
	for _, x := range u {
		s = append(s, x.Version.String()+": "+x.Reason)
	}
	return strings.Join(s, "; ")
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
	k := methodVersion{base.Method, base.Version}
	r.ServerChain = p.chains[k]
	if !base.CertificateRequested {
		if base.OK {
			r.CertificateRequest, r.Required, r.Verified = No, No, No
			r.ClientAuth = policy.ClientAuthNone
			r.ClientAuthReason = "no CertificateRequest at " + base.Version.String()
			if base.Method == MethodZcrypto {
				r.ClientAuthReason += " (asked through zcrypto: crypto/tls could not complete a handshake with this server)"
			}
			return false, nil
		}
		r.ClientAuthReason = "the handshake at " + base.Version.String() + " failed before a CertificateRequest could arrive: " + base.String() + errSuffix(base)
		return false, nil
	}
	r.CertificateRequest = Yes
	cr := p.requests[k]
	r.AcceptableCAs, r.SignatureSchemes = cr.AcceptableCAs, cr.SignatureSchemes
	for _, dn := range cr.AcceptableCAs {
		r.AcceptableCANames = append(r.AcceptableCANames, dnString(dn))
	}
	switch {
	case base.OK:
		r.Required = No
	case base.Undecided:
		r.ClientAuthReason = "the attempt without a certificate was undecided: " + base.Err
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
	a := p.attempt(ctx, base.Method, base.Version, UntrustedCert, p.untrusted)
	if err := ctxDone(ctx); err != nil {
		return false, p.ctxErr(err)
	}
	p.progress(a)
	r.Attempts = append(r.Attempts, a)
	switch {
	case a.OK:
		r.Verified = No
	case a.Undecided || !a.CertificateRequested:
		r.ClientAuthReason = "the attempt with an untrusted certificate was undecided: " + a.String()
		if a.Err != "" {
			r.ClientAuthReason = "the attempt with an untrusted certificate was undecided: " + a.Err
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
	if base.Method == MethodZcrypto {
		r.ClientAuthReason += " (asked through zcrypto: crypto/tls could not complete a handshake with this server)"
	}
	return false, nil
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

// errSuffix returns ": " and a's error text, or "" if none.
func errSuffix(a Attempt) string {
	if a.Err == "" {
		return ""
	}
	return ": " + a.Err
}
