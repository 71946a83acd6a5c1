package probe

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"io"
	"net"
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
	addr      string
	opts      Options
	untrusted *tls.Certificate
	chains    map[tlsver.Version][][]byte
	requests  map[tlsver.Version]*tls.CertificateRequestInfo
}

// conn dials with the attempt's timeout and ties the connection to ctx:
// cancellation sets a past deadline, unblocking any read or write. The
// returned release function must be called before the attempt returns; it
// waits for the watcher goroutine, so none outlives the attempt.
func (p *prober) conn(ctx context.Context) (net.Conn, context.Context, func(), error) {
	actx, cancel := context.WithTimeout(ctx, p.opts.AttemptTimeout)
	var d net.Dialer
	c, err := d.DialContext(actx, "tcp", p.addr)
	if err != nil {
		cancel()
		return nil, nil, nil, err
	}
	dl, _ := actx.Deadline()
	_ = c.SetDeadline(dl)
	stop := ctxconn.Watch(actx, c)
	release := func() {
		stop()
		c.Close()
		cancel()
	}
	return c, actx, release, nil
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
		a.Err, a.inconclusive = err.Error(), true
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
		ServerName:         p.opts.ServerName,
		InsecureSkipVerify: true, // the probe reports the chain; it does not judge it
		VerifyConnection: func(cs tls.ConnectionState) error {
			if cs.Version == uint16(v) {
				a.ServerHello = true
			}
			chain = chain[:0]
			for _, c := range cs.PeerCertificates {
				chain = append(chain, c.Raw)
			}
			return nil
		},
		GetClientCertificate: func(info *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			a.CertificateRequested = true
			if info.Version == uint16(v) {
				a.ServerHello = true
			}
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
	if p.chains == nil {
		p.chains = map[tlsver.Version][][]byte{}
		p.requests = map[tlsver.Version]*tls.CertificateRequestInfo{}
	}
	if len(chain) > 0 && kind == NoCert {
		p.chains[v] = chain
	}
	if cri != nil && kind == NoCert {
		p.requests[v] = cri
	}
	if err != nil {
		classify(&a, err, actx)
		return a
	}
	a.ServerHello = true
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
		a.Silent, a.inconclusive = true, true
		a.Err = "no ticket, data or alert within " + p.opts.ReadTimeout.String() + " after the handshake"
	default:
		classify(&a, err, actx)
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

// classify fills Alert/Closed/Err from a failed attempt's error.
func classify(a *Attempt, err error, actx context.Context) {
	a.Err = err.Error()
	if n, ok := tlsalert.Remote(err); ok {
		if n == 0 { // close_notify
			a.Closed = true
		} else {
			a.Alert = policy.Alert(n)
		}
		return
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		a.Closed = true
		return
	}
	var ne net.Error
	if actx.Err() != nil || (errors.As(err, &ne) && ne.Timeout()) {
		a.inconclusive = true
	}
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
// legacy suites, and reports whether a ServerHello for v came back.
func (p *prober) zcryptoAttempt(ctx context.Context, v tlsver.Version) Attempt {
	a := Attempt{Version: v, Method: MethodZcrypto}
	raw, actx, release, err := p.conn(ctx)
	if err != nil {
		a.Err, a.inconclusive = err.Error(), true
		return a
	}
	defer release()
	cfg := &ztls.Config{
		MinVersion:         uint16(v),
		MaxVersion:         uint16(v),
		ServerName:         p.opts.ServerName,
		InsecureSkipVerify: true,
		CipherSuites:       legacySuites,
		ForceSuites:        true,
		ClientDSAEnabled:   true,
	}
	c := ztls.Client(raw, cfg)
	err = c.HandshakeContext(actx)
	if log := c.GetHandshakeLog(); log != nil && log.ServerHello != nil && uint16(log.ServerHello.Version) == uint16(v) {
		a.ServerHello = true
	}
	if err != nil {
		classify(&a, err, actx)
		return a
	}
	a.OK = true
	return a
}

// ssl3 sends an SSL 3.0 ClientHello and reads the answer.
func (p *prober) ssl3(ctx context.Context) Attempt {
	a := Attempt{Version: tlsver.SSL30, Method: MethodSSL3Hello}
	raw, actx, release, err := p.conn(ctx)
	if err != nil {
		a.Err, a.inconclusive = err.Error(), true
		return a
	}
	defer release()
	hello, err := ssl3ClientHello()
	if err != nil {
		a.Err, a.inconclusive = err.Error(), true
		return a
	}
	if _, err := raw.Write(hello); err != nil {
		classify(&a, err, actx)
		return a
	}
	// Read up to one record header and its body (a ServerHello is small;
	// the first record is all that is needed).
	var hdr [5]byte
	if _, err := io.ReadFull(raw, hdr[:]); err != nil {
		classify(&a, err, actx)
		return a
	}
	n := int(hdr[3])<<8 | int(hdr[4])
	body := make([]byte, n)
	if _, err := io.ReadFull(raw, body); err != nil {
		classify(&a, err, actx)
		return a
	}
	ans, err := parseSSL3Answer(append(hdr[:], body...))
	if err != nil {
		a.Err = err.Error()
		return a
	}
	switch {
	case ans.isAlert && ans.alert == 0: // close_notify
		a.Closed = true
		a.Err = "close_notify"
	case ans.isAlert:
		a.Alert = ans.alert
		a.Err = "alert"
	case ans.version == uint16(tlsver.SSL30):
		a.ServerHello = true
	default:
		a.Err = "server answered with " + tlsver.Version(ans.version).String()
	}
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

// ssl3Answer is the first record a server sent in answer to a ClientHello.
type ssl3Answer struct {
	isAlert bool         // the answer is an alert
	alert   policy.Alert // its description
	version uint16       // ServerHello server_version, if a ServerHello
}

// errSSL3Answer is returned for a first record that is neither an alert nor a
// ServerHello.
var errSSL3Answer = errors.New("probe: answer to the SSL 3.0 hello is neither an alert nor a ServerHello")

// parseSSL3Answer parses the first record a server sent: an Alert record or
// a Handshake record starting with a ServerHello.
//
//	struct { ContentType type; ProtocolVersion version; uint16 length; opaque fragment[length]; } TLSPlaintext;
//	struct { AlertLevel level; AlertDescription description; } Alert;
//	struct { HandshakeType msg_type; uint24 length; ProtocolVersion server_version; ... } Handshake/ServerHello;
func parseSSL3Answer(rec []byte) (ssl3Answer, error) {
	s := cryptobyte.String(rec)
	var (
		typ      uint8
		recVer   uint16
		fragment cryptobyte.String
	)
	if !s.ReadUint8(&typ) || !s.ReadUint16(&recVer) || !s.ReadUint16LengthPrefixed(&fragment) || !s.Empty() {
		return ssl3Answer{}, errors.New("probe: malformed record in answer to the SSL 3.0 hello (offset 0)")
	}
	switch typ {
	case 21: // alert
		var level, desc uint8
		if !fragment.ReadUint8(&level) || !fragment.ReadUint8(&desc) {
			return ssl3Answer{}, errors.New("probe: truncated alert in answer to the SSL 3.0 hello (offset 5)")
		}
		return ssl3Answer{isAlert: true, alert: policy.Alert(desc)}, nil
	case 22: // handshake
		var (
			msgType uint8
			ver     uint16
		)
		if !fragment.ReadUint8(&msgType) || msgType != 2 {
			return ssl3Answer{}, errSSL3Answer
		}
		// The ServerHello may continue in a later record; only its first
		// two bytes are needed, so read the length and then the version.
		var l uint32
		if !fragment.ReadUint24(&l) || !fragment.ReadUint16(&ver) {
			return ssl3Answer{}, errors.New("probe: truncated ServerHello in answer to the SSL 3.0 hello (offset 9)")
		}
		return ssl3Answer{version: ver}, nil
	}
	return ssl3Answer{}, errSSL3Answer
}
