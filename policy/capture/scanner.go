package capture

import (
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"strconv"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Record content types (RFC 8446, 5.1).
const (
	recordChangeCipherSpec = 20
	recordAlert            = 21
	recordHandshake        = 22
	recordApplicationData  = 23
	recordHeartbeat        = 24
)

// Limits that keep hostile input from costing memory.
const (
	recordHeaderLen = 5
	// maxRecordLen is the largest TLSCiphertext.length (RFC 5246, 6.2.3).
	maxRecordLen = 1<<14 + 2048
	// maxHandshakeLen bounds one handshake message; real certificate chains
	// are a few KiB.
	maxHandshakeLen = 1 << 18
	// maxHandshakeBytes bounds the plaintext handshake bytes kept per direction.
	maxHandshakeBytes = 1 << 20
	// maxAlerts is the number of alerts kept per direction; more are counted.
	maxAlerts = 4
)

// Error is a parse failure. In a connection's stream it names the
// direction, the record, the byte offset and the packet; reading a capture
// file it has no direction and names the packet and the file offset, and Err
// is the file reader's error.
type Error struct {
	// Dir is the direction of the stream; 0 for an error in the capture
	// file itself.
	Dir Direction
	// Record is the 1-based number of the record in Dir (0 when no record
	// is involved, as for a TCP gap).
	Record int
	// Offset is the byte offset in Dir's stream where the malformed
	// structure (record header or record) starts; for an error in the
	// capture file, the file offset where reading the packet started (0
	// when unknown).
	Offset int64
	// Packet is the 1-based packet number in the capture file whose bytes
	// completed the structure, or that could not be read; 0 for raw
	// streams and for the file header.
	Packet int
	// What names the structure and the problem, e.g.
	// "CertificateRequest: malformed certificate_authorities".
	What string
	// Err is the cause: a sentinel callers test with errors.Is (ErrGap),
	// ErrConflict, ErrMemoryBudget), or, for an error in the capture file,
	// the file reader's error (io.ErrUnexpectedEOF for a truncated file);
	// else nil.
	Err error
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// Error returns "capture: server->client record 3 at byte 517 (packet 6): ..."
// for a stream, and "capture: packet 17 at file byte 1234: ..." for the
// capture file.
func (e *Error) Error() string {
	b := []byte("capture: ")
	if e.Dir == 0 {
		switch {
		case e.Packet > 0:
			b = append(b, "packet "...)
			b = strconv.AppendInt(b, int64(e.Packet), 10)
			if e.Offset > 0 {
				b = append(b, " at file byte "...)
				b = strconv.AppendInt(b, e.Offset, 10)
			}
		case e.What == "":
			b = append(b, "file"...)
		}
		if e.What != "" {
			if e.Packet > 0 {
				b = append(b, ": "...)
			}
			b = append(b, e.What...)
		}
		if e.Err != nil {
			b = append(b, ": "...)
			b = append(b, e.Err.Error()...)
		}
		return string(b)
	}
	b = append(b, e.Dir.String()...)
	if e.Record > 0 {
		b = append(b, " record "...)
		b = strconv.AppendInt(b, int64(e.Record), 10)
	}
	b = append(b, " at byte "...)
	b = strconv.AppendInt(b, e.Offset, 10)
	if e.Packet > 0 {
		b = append(b, " (packet "...)
		b = strconv.AppendInt(b, int64(e.Packet), 10)
		b = append(b, ')')
	}
	b = append(b, ": "...)
	b = append(b, e.What...)
	return string(b)
}

// ErrGap is wrapped by the error of a direction whose TCP stream has a gap:
// bytes that never appear in the capture.
var ErrGap = errors.New("capture: TCP stream has a gap")

// Alerts holds the alerts one side sent, in order. The first few are kept;
// Len counts all of them.
type Alerts struct {
	list  [maxAlerts]AlertRecord
	n     int
	fatal bool // a plaintext fatal alert was seen
}

// Len returns the number of alerts seen (possibly more than All yields).
func (a Alerts) Len() int { return a.n }

// All yields the kept alerts in order.
func (a Alerts) All() iter.Seq[AlertRecord] {
	return func(yield func(AlertRecord) bool) {
		for i := 0; i < min(a.n, maxAlerts); i++ {
			if !yield(a.list[i]) {
				return
			}
		}
	}
}

// Fatal returns the first plaintext fatal alert.
func (a Alerts) Fatal() (AlertRecord, bool) {
	for al := range a.All() {
		if !al.Encrypted && al.Level == AlertFatal {
			return al, true
		}
	}
	return AlertRecord{}, false
}

func (a *Alerts) add(al AlertRecord) {
	if a.n < maxAlerts {
		a.list[a.n] = al
	}
	a.n++
	if !al.Encrypted && al.Level == AlertFatal {
		a.fatal = true
	}
}

// side is the record- and handshake-layer state of one direction.
type side struct {
	dir   Direction
	off   int64 // bytes consumed by the parser
	total int64 // bytes written, including those after an error
	rec   int   // records started

	hdr  [recordHeaderLen]byte
	hdrN int

	typ      uint8 // content type of the current record
	remain   int   // body bytes of the current record still to come
	recOff   int64 // offset of the current record's header
	opaque   bool  // current record is encrypted
	alert    [2]byte
	alertN   int
	ccs      bool // ChangeCipherSpec sent
	hs       []byte
	hsPos    int
	stopped  bool
	gap      bool
	conflict bool
	err      *Error

	// facts
	alerts        Alerts
	certs         Certificates
	certsSeen     bool
	helloDone     bool
	ccsBeforeDone bool
	opaqueRecords int
}

// Scanner scans both directions of one TLS connection, record by record,
// without allocating once its buffer has grown to the connection's
// plaintext handshake size. Feed each direction's bytes in stream order with
// Write, in any interleaving, then read the result with Connection.
//
// The zero Scanner is ready to use. Reset prepares it for another connection
// and keeps its buffers; results of the previous connection share memory with
// those buffers and become invalid.
type Scanner struct {
	client, server side
	ch             ClientHello
	sh             ServerHello
	certReq        CertificateRequest
	packet         int // current packet number, for errors (capture path)
}

// Reset clears the Scanner for a new connection, keeping its buffers.
func (s *Scanner) Reset() {
	ch, sh := s.client.hs[:0], s.server.hs[:0]
	*s = Scanner{}
	s.client.hs, s.server.hs = ch, sh
}

func (s *Scanner) sideOf(dir Direction) *side {
	switch dir {
	case ClientToServer:
		s.client.dir = ClientToServer
		return &s.client
	case ServerToClient:
		s.server.dir = ServerToClient
		return &s.server
	}
	return nil
}

// dirSide returns the side of direction index i (0 client, 1 server).
func (s *Scanner) dirSide(i int) *side {
	if i == 0 {
		return &s.client
	}
	return &s.server
}

// decided reports whether retransmitted copies of d's bytes no longer need
// to be compared: d sent ChangeCipherSpec (what follows is encrypted, and
// the peer has read the handshake before it), or d has a gap or a
// conflict. A direction stopped by a parse error is not decided: a
// differing copy of its bytes still shows a conflict.
func (d *side) decided(s *Scanner) bool {
	return d.gap || d.conflict || d.ccs
}

// settled reports whether the connection's visible handshake is over (see
// Connections).
func (s *Scanner) settled() bool {
	c, v := &s.client, &s.server
	switch {
	case c.stopped && v.stopped:
		return true
	case c.alerts.fatal || v.alerts.fatal:
		return true
	case s.tls13():
		// A HelloRetryRequest is followed by a second ClientHello; after a
		// TLS 1.3 ServerHello, wait for encrypted records both ways.
		return s.sh.Seen && c.opaqueRecords >= 2 && v.opaqueRecords >= 2
	}
	return c.ccs && v.ccs
}

// conflict stops a direction in which two copies of the same TCP bytes
// differ, at stream offset pos.
func (s *Scanner) conflict(dir Direction, pos int64) {
	d := s.sideOf(dir)
	if d.stopped && d.conflict {
		return
	}
	d.stopped = true
	d.conflict = true
	d.err = &Error{Dir: dir, Offset: pos, Packet: s.packet, Err: ErrConflict,
		What: "two copies of the same TCP bytes differ (a conflicting retransmission): the handshake cannot be read"}
}

// ErrConflict is wrapped by the error of a direction in which two copies of
// the same TCP sequence numbers carry different bytes while the handshake
// is in progress: which copy the peer used is not in the capture, so the
// answer is CertRequestConflict.
var ErrConflict = errors.New("capture: conflicting copies of the same TCP bytes")

// tls13 reports whether the connection negotiates TLS 1.3 as far as seen: a
// ServerHello choosing it, or a HelloRetryRequest (which exists only in 1.3).
func (s *Scanner) tls13() bool {
	return s.sh.Version == tlsver.TLS13 || s.sh.HelloRetryRequest
}

// Write scans the next bytes of one direction. It returns the direction's
// error once its bytes cannot be parsed; later Writes to that direction
// are ignored and return the same error.
func (s *Scanner) Write(dir Direction, p []byte) error {
	d := s.sideOf(dir)
	if d == nil {
		return errors.New("capture: Write with unknown direction " + strconv.Itoa(int(dir)))
	}
	d.total += int64(len(p))
	if d.stopped {
		if d.err != nil {
			return d.err
		}
		return nil
	}
	for len(p) > 0 && !d.stopped {
		if d.remain == 0 && !s.header(d, &p) {
			continue
		}
		n := min(d.remain, len(p))
		s.body(d, p[:n])
		p = p[n:]
		d.remain -= n
		d.off += int64(n)
	}
	if d.err != nil {
		return d.err
	}
	return nil
}

// header consumes a record header from *p, or the part of one that is there.
// It reports whether a full header was read.
func (s *Scanner) header(d *side, p *[]byte) bool {
	var h []byte
	start := d.off - int64(d.hdrN)
	if d.hdrN == 0 && len(*p) >= recordHeaderLen {
		h = (*p)[:recordHeaderLen]
		*p = (*p)[recordHeaderLen:]
		d.off += recordHeaderLen
	} else {
		n := copy(d.hdr[d.hdrN:], *p)
		d.hdrN += n
		*p = (*p)[n:]
		d.off += int64(n)
		if d.hdrN < recordHeaderLen {
			return false
		}
		h = d.hdr[:]
		d.hdrN = 0
	}
	d.rec++
	d.recOff = start
	typ, length := h[0], int(h[3])<<8|int(h[4])
	switch {
	case typ&0x80 != 0 && d.rec == 1 && d.dir == ClientToServer:
		return s.sslv2Header(d, h)
	case typ&0x80 != 0 && d.rec == 1:
		s.fail(d, "record header: SSL 2.0 record format is not supported")
		return false
	case typ < recordChangeCipherSpec || typ > recordHeartbeat:
		s.fail(d, fmt.Sprintf("record header: content type %d is not TLS", typ))
		return false
	case h[1] != 3:
		s.fail(d, fmt.Sprintf("record header: version 0x%02x%02x is not TLS", h[1], h[2]))
		return false
	case length > maxRecordLen:
		s.fail(d, fmt.Sprintf("record header: length %d exceeds %d", length, maxRecordLen))
		return false
	}
	d.typ = typ
	d.remain = length
	// After ChangeCipherSpec, TLS 1.2 and earlier encrypt every record. In
	// TLS 1.3 the ChangeCipherSpec is a compatibility no-op and encrypted
	// records all have the outer type application_data.
	d.opaque = typ == recordApplicationData || (d.ccs && !s.tls13())
	switch {
	case typ == recordChangeCipherSpec:
		d.ccs = true
		if !d.helloDone {
			d.ccsBeforeDone = true
		}
	case d.opaque:
		d.opaqueRecords++
		if typ == recordAlert {
			d.alerts.add(AlertRecord{Encrypted: true, Record: d.rec, Offset: d.recOff})
		}
	}
	return true
}

// recordSSLv2Hello is the pseudo content type of an SSL 2.0-compatible
// ClientHello record; it is never a TLS content type.
const recordSSLv2Hello = 0x80

// sslv2Header handles the first client record when it has the 2-byte SSL 2.0
// header of an SSL 2.0-compatible CLIENT-HELLO (RFC 5246, E.2; RFC 6176
// forbids sending it, old clients still do):
//
//	uint16 msg_length;  // high bit set; the bytes after these two
//	uint8 msg_type;     // 1: CLIENT-HELLO
//	Version version;    // the highest version the client supports
//	uint16 cipher_spec_length, session_id_length, challenge_length;
//	...
//
// h is the record's first five bytes (header, msg_type and version). The
// rest of the message is buffered and checked by sslv2Hello.
func (s *Scanner) sslv2Header(d *side, h []byte) bool {
	length := int(h[0]&0x7f)<<8 | int(h[1])
	switch {
	case h[2] != 1:
		s.fail(d, fmt.Sprintf("record header: SSL 2.0 message type %d is not CLIENT-HELLO", h[2]))
		return false
	case h[3] != 3:
		s.fail(d, fmt.Sprintf("SSL 2.0 CLIENT-HELLO: version 0x%02x%02x is not TLS", h[3], h[4]))
		return false
	case length < 3+6 || length > maxRecordLen:
		s.fail(d, fmt.Sprintf("SSL 2.0 CLIENT-HELLO: length %d is not in %d..%d", length, 3+6, maxRecordLen))
		return false
	}
	d.typ = recordSSLv2Hello
	d.remain = length - 3
	d.opaque = false
	d.hs = append(d.hs[:0], h[3], h[4]) // the version, for sslv2Hello
	return true
}

// sslv2Hello parses the buffered body of an SSL 2.0-compatible CLIENT-HELLO
// after its version field, which sslv2Header put first in d.hs.
func (s *Scanner) sslv2Hello(d *side) {
	version, b := tlsver.Version(d.hs[0])<<8|tlsver.Version(d.hs[1]), d.hs[2:]
	d.hs = d.hs[:0]
	specs := int(b[0])<<8 | int(b[1])
	sid := int(b[2])<<8 | int(b[3])
	challenge := int(b[4])<<8 | int(b[5])
	switch {
	case specs == 0 || specs%3 != 0:
		s.fail(d, "SSL 2.0 CLIENT-HELLO: malformed cipher_spec_length")
	case sid != 0 && sid != 16:
		s.fail(d, "SSL 2.0 CLIENT-HELLO: malformed session_id_length")
	case challenge < 16 || challenge > 32:
		s.fail(d, "SSL 2.0 CLIENT-HELLO: malformed challenge_length")
	case 6+specs+sid+challenge != len(b):
		s.fail(d, "SSL 2.0 CLIENT-HELLO: lengths do not add up to msg_length")
	default:
		s.ch = ClientHello{Seen: true, LegacyVersion: version, SSL2Compatible: true}
	}
}

// body handles the next bytes of the current record's body.
func (s *Scanner) body(d *side, b []byte) {
	if d.opaque {
		return
	}
	switch d.typ {
	case recordSSLv2Hello:
		d.hs = append(d.hs, b...)
		if len(b) == d.remain {
			s.sslv2Hello(d)
		}
	case recordAlert:
		for _, c := range b {
			d.alert[d.alertN] = c
			d.alertN++
			if d.alertN == 2 {
				d.alertN = 0
				d.alerts.add(AlertRecord{Level: AlertLevel(d.alert[0]), Description: policy.Alert(d.alert[1]), Record: d.rec, Offset: d.recOff})
			}
		}
	case recordHandshake:
		if len(d.hs)+len(b) > maxHandshakeBytes {
			s.fail(d, "handshake: more than "+strconv.Itoa(maxHandshakeBytes)+" plaintext handshake bytes")
			return
		}
		d.hs = append(d.hs, b...)
		s.messages(d)
	}
}

// messages parses the complete handshake messages buffered in d.hs.
func (s *Scanner) messages(d *side) {
	for !d.stopped {
		m := d.hs[d.hsPos:]
		if len(m) < 4 {
			return
		}
		n := int(m[1])<<16 | int(m[2])<<8 | int(m[3])
		if n > maxHandshakeLen {
			s.fail(d, fmt.Sprintf("%s at handshake byte %d: length %d exceeds %d", msgName(m[0]), d.hsPos, n, maxHandshakeLen))
			return
		}
		if len(m) < 4+n {
			return
		}
		pos := d.hsPos
		d.hsPos += 4 + n
		if field := s.message(d, m[0], m[4:4+n:4+n]); field != "" {
			s.fail(d, fmt.Sprintf("%s at handshake byte %d: malformed %s", msgName(m[0]), pos, field))
		}
	}
}

// message handles one handshake message and returns the malformed field, if any.
func (s *Scanner) message(d *side, typ uint8, body []byte) string {
	server := d.dir == ServerToClient
	switch typ {
	case typeClientHello:
		if !server {
			return parseClientHello(body, &s.ch)
		}
	case typeServerHello:
		if server {
			_, field := parseServerHello(body, &s.sh)
			return field
		}
	case typeCertificate:
		if s.tls13() {
			return "" // cannot be plaintext in TLS 1.3
		}
		d.certsSeen = true
		return parseCertificate(body, &d.certs)
	case typeCertificateRequest:
		if server && !s.tls13() {
			tls12 := !s.sh.Seen || s.sh.Version >= tlsver.TLS12
			return parseCertificateRequest(body, tls12, &s.certReq)
		}
	case typeServerHelloDone:
		if server {
			if len(body) != 0 {
				return "body (ServerHelloDone is empty)"
			}
			d.helloDone = true
		}
	}
	return ""
}

func msgName(t uint8) string {
	switch t {
	case typeClientHello:
		return "ClientHello"
	case typeServerHello:
		return "ServerHello"
	case typeNewSessionTicket:
		return "NewSessionTicket"
	case typeCertificate:
		return "Certificate"
	case typeServerKeyExchange:
		return "ServerKeyExchange"
	case typeCertificateRequest:
		return "CertificateRequest"
	case typeServerHelloDone:
		return "ServerHelloDone"
	}
	return "handshake message type " + strconv.Itoa(int(t))
}

func (s *Scanner) fail(d *side, what string) {
	d.stopped = true
	d.err = &Error{Dir: d.dir, Record: d.rec, Offset: d.recOff, Packet: s.packet, What: what}
}

// gap stops a direction whose TCP stream is missing bytes; why, if not
// empty, says why they are missing.
func (s *Scanner) gap(dir Direction, missing int64, why string) {
	d := s.sideOf(dir)
	if d.stopped {
		return
	}
	d.stopped = true
	d.gap = true
	d.err = &Error{Dir: dir, Offset: d.off, Packet: s.packet, Err: ErrGap,
		What: fmt.Sprintf("TCP stream has a gap: %d bytes missing", missing)}
	if why != "" {
		d.err.What += " (" + why + ")"
	}
}

// Connection returns what was seen so far. Its byte slices and iterators
// share memory with the Scanner and are valid until Reset. It does not
// allocate.
func (s *Scanner) Connection() Connection {
	c := Connection{
		ClientHello:            s.ch,
		ServerHello:            s.sh,
		CertificateRequest:     s.certReq,
		ServerCertificates:     s.server.certs,
		ClientCertificates:     s.client.certs,
		ClientCertificateSent:  s.client.certsSeen,
		ServerChangeCipherSpec: s.server.ccs,
		ClientAlerts:           s.client.alerts,
		ServerAlerts:           s.server.alerts,
		ClientBytes:            s.client.total,
		ServerBytes:            s.server.total,
	}
	if s.sh.Seen {
		c.Version = s.sh.Version
	}
	switch {
	case s.server.err != nil:
		c.Err = s.server.err
	case s.client.err != nil:
		c.Err = s.client.err
	}
	srv := &s.server
	_, clientFatal := s.client.alerts.Fatal()
	_, serverFatal := srv.alerts.Fatal()
	switch {
	case s.server.conflict || s.client.conflict:
		c.CertRequest = CertRequestConflict
	case s.sh.Seen && s.sh.Version == tlsver.TLS13:
		c.CertRequest = CertRequestEncrypted
	case s.certReq.Seen:
		c.CertRequest = CertRequestYes
	case srv.helloDone:
		c.CertRequest = CertRequestNo
	case s.sh.Seen && srv.ccsBeforeDone:
		c.CertRequest = CertRequestResumed
	case srv.err != nil && !srv.gap:
		c.CertRequest = CertRequestUnknown
	case serverFatal || clientFatal:
		c.CertRequest = CertRequestNotReached
	default:
		c.CertRequest = CertRequestIncomplete
	}
	return c
}

// Connection is what a capture shows about one TLS connection, and the answer
// to the Genesys notice's question in CertRequest. Byte slices share memory
// with the Scanner that produced it.
type Connection struct {
	// Client and Server are the TCP endpoints; zero for raw streams.
	Client, Server netip.AddrPort
	// FirstPacket and LastPacket are the 1-based numbers of the connection's
	// first and last packets in the capture file; zero for raw streams.
	FirstPacket, LastPacket int

	// CertRequest answers: did the server send a CertificateRequest?
	CertRequest CertRequest
	// Version is the negotiated version from the ServerHello; zero if none
	// was seen.
	Version tlsver.Version

	ClientHello ClientHello
	ServerHello ServerHello
	// ServerCertificates is the server's chain (TLS 1.2 and earlier; in TLS
	// 1.3 it is encrypted and Len is 0).
	ServerCertificates Certificates
	// CertificateRequest holds the request's contents when CertRequest is
	// CertRequestYes.
	CertificateRequest CertificateRequest
	// ClientCertificateSent reports whether the client sent a plaintext
	// Certificate message (TLS 1.2 and earlier); ClientCertificates is its
	// chain, empty when the client had no certificate to offer.
	ClientCertificateSent bool
	ClientCertificates    Certificates

	// ServerChangeCipherSpec reports whether the server sent
	// ChangeCipherSpec. In a full TLS 1.2 (or earlier) handshake it comes
	// after the client's Certificate and Finished: the server accepted the
	// client's flight, certificate or none.
	ServerChangeCipherSpec bool

	ClientAlerts, ServerAlerts Alerts
	// ClientBytes and ServerBytes count the bytes of each direction (TCP
	// payload, without retransmissions), including any after an error.
	ClientBytes, ServerBytes int64

	// Err is the first parse error (server direction first), or nil. A
	// connection with an error still reports what was seen before it.
	Err error

	// Protocol says whether the connection's first bytes are TLS. Only
	// ProtocolTLS connections are scanned; the others report Client,
	// Server, the packets, the byte counts and FirstBytes.
	Protocol Protocol
	// FirstBytes holds up to 32 of the first bytes of a connection that is
	// not TLS (ProtocolNotTLS, ProtocolUnrecognized), from the side that
	// spoke first; nil for TLS.
	FirstBytes []byte
}

// Clone returns a copy of c that shares no memory with the Scanner or the
// reader that produced it.
func (c Connection) Clone() Connection {
	c.ClientHello.ServerName = cloneBytes(c.ClientHello.ServerName)
	c.ServerCertificates.list = cloneBytes(c.ServerCertificates.list)
	c.ClientCertificates.list = cloneBytes(c.ClientCertificates.list)
	r := &c.CertificateRequest
	r.types, r.sigAlgs, r.cas = cloneBytes(r.types), cloneBytes(r.sigAlgs), cloneBytes(r.cas)
	c.FirstBytes = cloneBytes(c.FirstBytes)
	return c
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

// ScanStreams scans the two directions of one TCP stream, already
// reassembled, and returns what they show. It is the same as Writing both
// into a new Scanner (server direction first, so that the client's records
// are read knowing the negotiated version) and returns Connection().Err.
func ScanStreams(clientToServer, serverToClient []byte) (Connection, error) {
	var s Scanner
	s.Write(ServerToClient, serverToClient)
	s.Write(ClientToServer, clientToServer)
	c := s.Connection()
	return c, c.Err
}
