package probe

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"syscall"
	"time"

	ztls "github.com/zmap/zcrypto/tls"
	"golang.org/x/crypto/cryptobyte"

	"github.com/tlscompat/tlscompat/internal/ctxconn"
	"github.com/tlscompat/tlscompat/internal/tlsalert"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

type prober struct {
	addr       string
	serverName string
	dialer     Dialer
	opts       Options
	untrusted  *tls.Certificate

	mu       sync.Mutex // guards chains and requests (version attempts run concurrently)
	chains   map[methodVersion][][]byte
	requests map[methodVersion]*tls.CertificateRequestInfo
}

// methodVersion keys what an attempt without a certificate saw.
type methodVersion struct {
	m Method
	v tlsver.Version
}

// record keeps the chain and CertificateRequest an attempt without a
// certificate saw, for the client-certificate questions.
func (p *prober) record(v tlsver.Version, m Method, chain [][]byte, cri *tls.CertificateRequestInfo) {
	if len(chain) == 0 && cri == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.chains == nil {
		p.chains = map[methodVersion][][]byte{}
		p.requests = map[methodVersion]*tls.CertificateRequestInfo{}
	}
	k := methodVersion{m, v}
	if len(chain) > 0 {
		p.chains[k] = chain
	}
	if cri != nil {
		p.requests[k] = cri
	}
}

// attempt makes an attempt at v with method m (crypto/tls or zcrypto).
func (p *prober) attempt(ctx context.Context, m Method, v tlsver.Version, kind CertKind, cert *tls.Certificate) Attempt {
	if m == MethodZcrypto {
		return p.zcryptoAttempt(ctx, v, kind, cert)
	}
	return p.goAttempt(ctx, v, kind, cert)
}

// watchConn is the attempt's connection as the client library sees it. It
// keeps the server's first bytes until parseFlight decides what they are,
// so that the version verdict rests on what the server sent and not on a
// library's error text, and it ends the attempt once the server has sent
// more than the byte budget. Reads happen on one goroutine at a time.
type watchConn struct {
	net.Conn
	budget  int64 // bytes the server may still send
	n       int64 // bytes received
	prefix  []byte
	ans     flightAnswer
	decided bool
}

// Read reads from the connection, feeding the first bytes to parseFlight.
func (w *watchConn) Read(b []byte) (int, error) {
	if w.budget <= 0 {
		return 0, errSizeLimit
	}
	if int64(len(b)) > w.budget {
		b = b[:w.budget]
	}
	n, err := w.Conn.Read(b)
	w.n += int64(n)
	w.budget -= int64(n)
	if n > 0 && !w.decided {
		room := maxFlight - len(w.prefix)
		w.prefix = append(w.prefix, b[:min(n, room)]...)
		w.ans = parseFlight(w.prefix)
		switch {
		case w.ans.kind != needMore:
			w.decided = true
		case len(w.prefix) >= maxFlight:
			w.ans = fail(w.ans, malformed, "no ServerHello or alert in the first 16 KiB of the answer")
			w.decided = true
		}
		if w.decided {
			w.prefix = nil
		}
	}
	return n, err
}

// conn dials with the attempt's timeout and ties the connection to ctx:
// cancellation sets a past deadline, unblocking any read or write. The
// returned release function must be called before the attempt returns; it
// waits for the watcher goroutine, so none outlives the attempt.
func (p *prober) conn(ctx context.Context) (*watchConn, context.Context, func(), error) {
	actx, cancel := context.WithTimeout(ctx, p.opts.AttemptTimeout)
	c, err := p.dialer.DialContext(actx, "tcp", p.addr)
	if err != nil {
		cancel()
		return nil, nil, nil, err
	}
	if c == nil {
		cancel()
		return nil, nil, nil, errors.New("dialer returned no connection and no error")
	}
	dl, _ := actx.Deadline()
	_ = c.SetDeadline(dl)
	stop := ctxconn.Watch(actx, c)
	release := func() {
		stop()
		c.Close()
		cancel()
	}
	return &watchConn{Conn: c, budget: p.opts.MaxBytes}, actx, release, nil
}

// dialFailed fills a for an attempt that could not connect.
func dialFailed(a *Attempt, err error) {
	a.Err, a.Network, a.Undecided, a.err = err.Error(), true, true, err
}

// allGoSuites is every TLS 1.0–1.2 suite crypto/tls implements, secure and
// insecure, so that a version is not reported as refused just because the
// default list lacks the server's suites.
var allGoSuites = func() []uint16 {
	var ids []uint16
	for _, s := range tls.CipherSuites() {
		ids = append(ids, s.ID)
	}
	for _, s := range tls.InsecureCipherSuites() {
		ids = append(ids, s.ID)
	}
	return ids
}()

// goAttempt offers only version v with crypto/tls and presents cert (nil:
// an empty Certificate) when asked.
func (p *prober) goAttempt(ctx context.Context, v tlsver.Version, kind CertKind, cert *tls.Certificate) Attempt {
	a := Attempt{Version: v, Method: MethodGo, Cert: kind}
	raw, actx, release, err := p.conn(ctx)
	if err != nil {
		dialFailed(&a, err)
		return a
	}
	defer release()
	var (
		chain [][]byte
		cri   *tls.CertificateRequestInfo
	)
	cfg := &tls.Config{
		MinVersion:         uint16(v),
		MaxVersion:         uint16(v),
		ServerName:         p.serverName,
		InsecureSkipVerify: true, // the probe reports the chain; it does not judge it
		VerifyConnection: func(cs tls.ConnectionState) error {
			chain = chain[:0]
			for _, c := range cs.PeerCertificates {
				chain = append(chain, c.Raw)
			}
			return nil
		},
		GetClientCertificate: func(info *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			a.CertificateRequested = true
			cri = info
			if cert == nil {
				return &tls.Certificate{}, nil
			}
			return cert, nil
		},
	}
	if v <= tlsver.TLS12 {
		cfg.CipherSuites = allGoSuites
	}
	var tickets *ticketWatch
	if v == tlsver.TLS13 {
		// A session cache makes crypto/tls offer psk_key_exchange_modes, so
		// servers send NewSessionTickets, and tells us when one arrives.
		tickets = &ticketWatch{raw: raw}
		cfg.ClientSessionCache = tickets
	}
	c := tls.Client(raw, cfg)
	err = c.HandshakeContext(actx)
	if kind == NoCert {
		p.record(v, MethodGo, chain, cri)
	}
	if err != nil {
		classify(&a, raw, err, actx)
		return a
	}
	a.ServerHello, a.Selected = true, v
	if v < tlsver.TLS13 || !a.CertificateRequested {
		a.OK = true
		return a
	}
	// TLS 1.3: the server checks the client's Certificate after the client's
	// handshake returned. Its verdict is an alert or close (rejected), or a
	// NewSessionTicket or application data (accepted: servers send tickets
	// only after the client's certificate flight has passed). Wait for one.
	rd := time.Now().Add(p.opts.ReadTimeout)
	if dl, ok := actx.Deadline(); ok && dl.Before(rd) {
		rd = dl
	}
	_ = raw.SetReadDeadline(rd)
	var buf [1]byte
	_, err = c.Read(buf[:])
	var ne net.Error
	switch {
	case err == nil:
		a.OK = true // the server sent application data: it accepted
	case tickets.got && errors.As(err, &ne) && ne.Timeout():
		a.OK, a.Ticket = true, true
	case errors.As(err, &ne) && ne.Timeout() && actx.Err() == nil:
		// Neither ticket, data nor alert: an accepting server without
		// tickets looks like this, and so does a slow one. Not a verdict.
		a.Silent, a.Undecided = true, true
		a.Err = "no ticket, data or alert within " + p.opts.ReadTimeout.String() + " after the handshake"
	default:
		classify(&a, raw, err, actx)
		a.AfterHandshake = true
	}
	return a
}

// ticketWatch is the ClientSessionCache of a TLS 1.3 attempt. It never
// offers a session (every attempt is a full handshake, so the server asks
// for a certificate again) and records the first NewSessionTicket; the
// pending read is then ended by a past deadline on the raw connection. Put
// runs on the goroutine reading the connection.
type ticketWatch struct {
	raw net.Conn
	got bool
}

// Get never finds a session.
func (w *ticketWatch) Get(string) (*tls.ClientSessionState, bool) { return nil, false }

// Put notes that a ticket arrived and ends the wait for the verdict.
func (w *ticketWatch) Put(string, *tls.ClientSessionState) {
	if !w.got {
		w.got = true
		_ = w.raw.SetReadDeadline(time.Now())
	}
}

// classify decides what a failed attempt showed, from what the server sent
// (the watchConn's parse of its first bytes) and the client library's
// error:
//
//   - Before any ServerHello, only a fatal alert, a close_notify or a clean
//     close (EOF with nothing received) is a refusal; a ServerHello for a
//     lower version is a refusal of the version offered (the server chose
//     another, RFC 5246, E.1).
//   - After the ServerHello, an alert (read by the library, encrypted or
//     not) or a clean close is the server's verdict on the handshake.
//   - Anything else — non-TLS bytes, malformed records, warning alerts, a
//     reset, a timeout, a size limit, an error of the client library —
//     decides nothing: the attempt is Undecided and Err says why.
func classify(a *Attempt, w *watchConn, err error, actx context.Context) {
	a.Err = err.Error()
	ans := w.ans
	if ans.kind == gotServerHello {
		sel := tlsver.Version(ans.version)
		a.Selected = sel
		a.ServerHello = a.ServerHello || sel == a.Version
	}
	timedOut := false
	var ne net.Error
	if actx.Err() != nil || (errors.As(err, &ne) && ne.Timeout()) {
		timedOut = true
	}
	undecided := func(why string) {
		a.Undecided, a.timeout = true, timedOut
		switch {
		case timedOut:
			// The library's words for a deadline vary with which timer
			// fired first; the reason does not.
			a.Err = why
		case why != "":
			a.Err = why + " (" + err.Error() + ")"
		}
	}
	if !a.ServerHello {
		switch ans.kind {
		case gotFatalAlert:
			a.Alert = policy.Alert(ans.alert)
			return
		case gotCloseNotify:
			a.Closed = true
			return
		case gotServerHello:
			if a.Selected < a.Version {
				return // refused: the server chose a lower version
			}
			undecided("the server answered with a " + a.Selected.String() + " ServerHello to a hello offering only " + a.Version.String())
			return
		case notTLS, malformed:
			undecided(ans.detail)
			return
		}
		// needMore: nothing decisive arrived.
		switch {
		case errors.Is(err, errSizeLimit):
			undecided("size limit reached")
		case timedOut:
			undecided("no answer before the attempt's deadline")
		case ans.warnings > 0:
			undecided("only warning alerts before the connection ended")
		case w.n == 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)):
			a.Closed = true // a clean close in answer to the ClientHello
		case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
			undecided("connection reset without an answer")
		case w.n > 0:
			undecided("the answer ended in the middle of a record")
		default:
			undecided("")
		}
		return
	}
	// After the ServerHello: the library read the rest.
	if n, ok := tlsalert.Remote(err); ok {
		if n == 0 { // close_notify
			a.Closed = true
		} else {
			a.Alert = policy.Alert(n)
		}
		return
	}
	switch {
	case errors.Is(err, errSizeLimit):
		undecided("size limit reached after the ServerHello")
	case timedOut:
		undecided("no answer before the attempt's deadline")
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		a.Closed = true
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		undecided("connection reset after the ServerHello")
	default:
		undecided("")
	}
}

// refused reports whether the attempt is a refusal of its version: a fatal
// alert, a close_notify or clean close, or a ServerHello for a lower
// version, in answer to the ClientHello.
func (a Attempt) refused() bool {
	return !a.ServerHello && !a.Undecided && (a.Alert != 0 || a.Closed || (a.Selected != 0 && a.Selected < a.Version))
}

// legacySuites are offered by the zcrypto and SSL 3.0 attempts: the old
// RSA, DHE and ECDHE suites (RC4, DES, 3DES, export, Camellia, CCM, CBC, GCM),
// most of which crypto/tls no longer implements. Only the ServerHello's
// version matters, so implementing the chosen suite is not needed.
var legacySuites = []uint16{
	0xc02f, 0xc02b, 0xc030, 0xc02c, 0xc013, 0xc009, 0xc014, 0xc00a, 0xc012, 0xc008, 0xc011, 0xc007,
	0x009e, 0x009f, 0x0033, 0x0039, 0x0016, 0x0032, 0x0038, 0x0013, 0x0067, 0x006b, 0x0040, 0x006a,
	0x009c, 0x009d, 0x002f, 0x0035, 0x003c, 0x003d, 0x000a, 0x0005, 0x0004, 0x0041, 0x0084, 0x0045, 0x0088,
	0x0009, 0x0015, 0x0012, 0x0003, 0x0006, 0x0008, 0x0011, 0x0014, 0x0062, 0x0064,
	0xc0ac, 0xc0ad, 0xc0ae, 0xc0af, 0xc09c, 0xc09d, 0xc09e, 0xc09f, // AES-CCM
	0xc072, 0xc073, 0xc076, 0xc077, 0x00be, 0x00c4, 0x00ba, 0x00c0, // Camellia
	0xccaa, 0xc023, 0xc024, 0xc027, 0xc028, // DHE-RSA-CHACHA20, ECDHE CBC-SHA2
	0x00ff, // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
}

// zcryptoAttempt offers only version v (TLS 1.0–1.2) with zcrypto and the
// legacy suites, and presents cert (nil: an empty Certificate) when asked.
// It reports whether a ServerHello for v came back and, when zcrypto
// implements the suite the server chose, the rest of the handshake: the
// client-certificate questions of a legacy-only server are asked this way.
func (p *prober) zcryptoAttempt(ctx context.Context, v tlsver.Version, kind CertKind, cert *tls.Certificate) Attempt {
	a := Attempt{Version: v, Method: MethodZcrypto, Cert: kind}
	raw, actx, release, err := p.conn(ctx)
	if err != nil {
		dialFailed(&a, err)
		return a
	}
	defer release()
	var cri *tls.CertificateRequestInfo
	cfg := &ztls.Config{
		MinVersion:         uint16(v),
		MaxVersion:         uint16(v),
		ServerName:         p.serverName,
		InsecureSkipVerify: true,
		CipherSuites:       legacySuites,
		ForceSuites:        true,
		ClientDSAEnabled:   true,
		GetClientCertificate: func(info *ztls.CertificateRequestInfo) (*ztls.Certificate, error) {
			a.CertificateRequested = true
			cri = &tls.CertificateRequestInfo{AcceptableCAs: info.AcceptableCAs, Version: info.Version}
			for _, s := range info.SignatureSchemes {
				cri.SignatureSchemes = append(cri.SignatureSchemes, tls.SignatureScheme(s))
			}
			if cert == nil {
				return &ztls.Certificate{}, nil
			}
			return &ztls.Certificate{Certificate: cert.Certificate, PrivateKey: cert.PrivateKey}, nil
		},
	}
	c := ztls.Client(raw, cfg)
	err = c.HandshakeContext(actx)
	if kind == NoCert {
		var chain [][]byte
		for _, pc := range c.ConnectionState().PeerCertificates {
			chain = append(chain, pc.Raw)
		}
		p.record(v, MethodZcrypto, chain, cri)
	}
	if err != nil {
		classify(&a, raw, err, actx)
		return a
	}
	a.ServerHello, a.Selected, a.OK = true, v, true
	return a
}

// ssl3 sends an SSL 3.0 ClientHello and reads the answer until parseFlight
// decides what it is.
func (p *prober) ssl3(ctx context.Context) Attempt {
	a := Attempt{Version: tlsver.SSL30, Method: MethodSSL3Hello}
	raw, actx, release, err := p.conn(ctx)
	if err != nil {
		dialFailed(&a, err)
		return a
	}
	defer release()
	hello, err := ssl3ClientHello()
	if err != nil {
		a.Err, a.Undecided = err.Error(), true
		return a
	}
	if _, err := raw.Write(hello); err != nil {
		classify(&a, raw, err, actx)
		return a
	}
	var buf [1024]byte
	for !raw.decided {
		if _, err := raw.Read(buf[:]); err != nil {
			classify(&a, raw, err, actx)
			return a
		}
	}
	switch {
	case raw.ans.kind == gotServerHello && raw.ans.version == uint16(tlsver.SSL30):
		a.ServerHello, a.Selected = true, tlsver.SSL30
		return a
	case raw.ans.kind == gotFatalAlert:
		err = errors.New("fatal alert " + policy.Alert(raw.ans.alert).String())
	case raw.ans.kind == gotCloseNotify:
		err = errors.New("close_notify")
	default:
		err = errors.New("the answer to the SSL 3.0 hello is not an SSL 3.0 ServerHello")
	}
	classify(&a, raw, err, actx)
	return a
}

// ssl3ClientHello builds an SSL 3.0 ClientHello record (RFC 6101, 5.6.1.2)
// offering legacySuites, no compression and no extensions.
func ssl3ClientHello() ([]byte, error) {
	var random [32]byte
	if _, err := rand.Read(random[:]); err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddUint8(22)     // ContentType handshake
	b.AddUint16(0x300) // ProtocolVersion
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint8(1) // HandshakeType client_hello
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddUint16(0x300) // client_version
			b.AddBytes(random[:])
			b.AddUint8(0) // session_id: empty
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				for _, s := range legacySuites {
					b.AddUint16(s)
				}
			})
			b.AddUint8(1) // compression_methods: null
			b.AddUint8(0)
		})
	})
	return b.Bytes()
}

// alertProtocolVersion is the alert a server sends for a version it does
// not speak.
const alertProtocolVersion policy.Alert = 70
