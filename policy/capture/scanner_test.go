package capture

import (
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/tlsver"
)

// feed writes a stream in chunks of n bytes.
func feed(s *Scanner, dir Direction, b []byte, n int) {
	for len(b) > 0 {
		k := min(n, len(b))
		s.Write(dir, b[:k])
		b = b[k:]
	}
}

// TestScanSplits scans the same TLS 1.2 connection with handshake messages
// fragmented over records of many sizes and records cut across writes at
// many sizes: the answer must not change.
func TestScanSplits(t *testing.T) {
	t.Parallel()
	for _, certReq := range []bool{true, false} {
		for _, frag := range []int{1, 3, 7, 64, 1 << 14} {
			c2s, s2c := tls12Streams(certReq, frag, 40000)
			for _, chunk := range []int{1, 2, 5, 13, 100, 4096, 1 << 20} {
				var s Scanner
				feed(&s, ServerToClient, s2c, chunk)
				feed(&s, ClientToServer, c2s, chunk)
				c := s.Connection()
				want := CertRequestNo
				if certReq {
					want = CertRequestYes
				}
				if c.Err != nil || c.CertRequest != want || c.Version != tlsver.TLS12 ||
					string(c.ClientHello.ServerName) != "sbc.example.test" ||
					c.ClientHello.Offered() != tlsver.SetOf(tlsver.TLS12, tlsver.TLS13) ||
					c.ServerCertificates.Len() != 2 || !c.ClientCertificateSent || c.ClientCertificates.Len() != 0 {
					t.Fatalf("certReq=%v frag=%d chunk=%d: got CertRequest %v Version %v SNI %q offered %v certs %d client cert %v/%d err %v",
						certReq, frag, chunk, c.CertRequest, c.Version, c.ClientHello.ServerName, c.ClientHello.Offered(),
						c.ServerCertificates.Len(), c.ClientCertificateSent, c.ClientCertificates.Len(), c.Err)
				}
				if certReq {
					if got := c.CertificateRequest.AuthorityNames(); !slices.Equal(got, []string{"CN=Test CA"}) {
						t.Fatalf("AuthorityNames() = %q", got)
					}
					if got := slices.Collect(c.CertificateRequest.SignatureSchemes()); !slices.Equal(got, []tls.SignatureScheme{tls.ECDSAWithP256AndSHA256, tls.PSSWithSHA256}) {
						t.Fatalf("SignatureSchemes() = %v", got)
					}
					if got := slices.Collect(c.CertificateRequest.CertificateTypes()); !slices.Equal(got, []CertificateType{1, 64}) {
						t.Fatalf("CertificateTypes() = %v", got)
					}
				}
				var ders []string
				for _, d := range c.ServerCertificates.All() {
					ders = append(ders, string(d))
				}
				if !slices.Equal(ders, []string{"leaf-der", "ca-der"}) {
					t.Fatalf("server certificates %q", ders)
				}
				if c.ServerAlerts.Len() != 1 || c.ClientAlerts.Len() != 1 {
					t.Fatalf("alerts: server %d client %d, want one encrypted alert each", c.ServerAlerts.Len(), c.ClientAlerts.Len())
				}
				if c.ServerBytes != int64(len(s2c)) || c.ClientBytes != int64(len(c2s)) {
					t.Fatalf("bytes %d/%d, want %d/%d", c.ClientBytes, c.ServerBytes, len(c2s), len(s2c))
				}
			}
		}
	}
}

// TestHostile feeds malformed and unusual streams. Each must give a clear
// error naming the structure and position, or the right answer, never a panic.
func TestHostile(t *testing.T) {
	t.Parallel()
	ch := record(recordHandshake, clientHello(0x0303, nil, "a")...)
	sh12 := serverHello(0x0303, 0, false)
	tests := []struct {
		name, reason string
		c2s, s2c     []byte
		want         CertRequest
		wantErr      string // substring of the error; "" = no error
		wantDir      Direction
		wantRecord   int
		wantOffset   int64
	}{
		{name: "empty", reason: "nothing captured", want: CertRequestIncomplete},
		{name: "truncated record", reason: "the capture stops inside the server's flight",
			c2s: ch, s2c: record(recordHandshake, sh12...)[:20], want: CertRequestIncomplete},
		{name: "truncated header", reason: "the capture stops inside a record header",
			c2s: ch, s2c: cat(record(recordHandshake, sh12...), []byte{22, 3}), want: CertRequestIncomplete},
		{name: "huge record length", reason: "a record longer than 2^14+2048 is not TLS",
			s2c: []byte{22, 3, 3, 0xff, 0xff, 0}, want: CertRequestUnknown,
			wantErr: "length 65535 exceeds 18432", wantDir: ServerToClient, wantRecord: 1, wantOffset: 0},
		{name: "huge handshake length", reason: "a handshake message of 16 MiB is refused before it is buffered",
			s2c: cat(record(recordHandshake, sh12...), record(recordHandshake, 11, 0xff, 0xff, 0xff, 0)), want: CertRequestUnknown,
			wantErr: "Certificate at handshake byte 42: length 16777215 exceeds", wantDir: ServerToClient, wantRecord: 2, wantOffset: 47},
		{name: "not TLS", reason: "an HTTP request is not a TLS record",
			c2s: []byte("GET / HTTP/1.1\r\n\r\n"), want: CertRequestIncomplete,
			wantErr: "client->server record 1 at byte 0: record header: content type 71 is not TLS", wantDir: ClientToServer, wantRecord: 1},
		{name: "SSLv2 hello truncated", reason: "an SSL 2.0-compatible CLIENT-HELLO cut by the end of the capture",
			c2s: []byte{0x80, 0x2e, 0x01, 0x03, 0x01, 0, 0x15}, want: CertRequestIncomplete},
		{name: "SSLv2 hello bad lengths", reason: "the SSL 2.0 CLIENT-HELLO's lengths must add up",
			c2s: sslv2Hello(0x0301, 3, 0, 16, 1), want: CertRequestIncomplete,
			wantErr: "client->server record 1 at byte 0: SSL 2.0 CLIENT-HELLO: lengths do not add up", wantDir: ClientToServer, wantRecord: 1},
		{name: "SSLv2 hello bad challenge", reason: "an SSL 2.0 challenge has 16 to 32 bytes",
			c2s: sslv2Hello(0x0301, 3, 0, 8, 0), want: CertRequestIncomplete,
			wantErr: "malformed challenge_length", wantDir: ClientToServer, wantRecord: 1},
		{name: "SSL 2.0 proper", reason: "an SSL 2.0 (not TLS) CLIENT-HELLO is named, not misparsed",
			c2s: sslv2Hello(0x0002, 3, 0, 16, 0), want: CertRequestIncomplete,
			wantErr: "SSL 2.0 CLIENT-HELLO: version 0x0002 is not TLS", wantDir: ClientToServer, wantRecord: 1},
		{name: "SSLv2 server hello", reason: "SSL 2.0 framing from the server is SSL 2.0 itself",
			s2c: []byte{0x80, 0x2e, 0x04, 0x00, 0x01, 0, 0x15}, want: CertRequestUnknown,
			wantErr: "SSL 2.0 record format", wantDir: ServerToClient, wantRecord: 1},
		{name: "bad record version", reason: "major version 4 does not exist",
			s2c: []byte{22, 4, 0, 0, 1, 0}, want: CertRequestUnknown, wantErr: "version 0x0400 is not TLS", wantDir: ServerToClient, wantRecord: 1},
		{name: "second record bad", reason: "the error names the second record and its offset",
			s2c: cat(record(recordHandshake, sh12...), []byte{99, 3, 3, 0, 0}), want: CertRequestUnknown,
			wantErr: "server->client record 2 at byte 47: record header: content type 99", wantDir: ServerToClient, wantRecord: 2, wantOffset: 47},
		{name: "bad session id", reason: "legacy_session_id longer than 32",
			c2s: record(recordHandshake, hsMsg(typeClientHello, func(b *builder) {
				b.AddUint16(0x0303)
				b.AddBytes(make([]byte, 32))
				b.AddUint8(40)
				b.AddBytes(make([]byte, 40))
			})...), want: CertRequestIncomplete,
			wantErr: "ClientHello at handshake byte 0: malformed legacy_session_id", wantDir: ClientToServer, wantRecord: 1},
		{name: "truncated CA list", reason: "a DistinguishedName longer than the list",
			s2c:  cat(record(recordHandshake, sh12...), record(recordHandshake, 13, 0, 0, 10, 1, 1, 0, 2, 4, 3, 0, 2, 0, 9)),
			want: CertRequestUnknown, wantErr: "CertificateRequest at handshake byte 42: malformed DistinguishedName", wantDir: ServerToClient, wantRecord: 2, wantOffset: 47},
		{name: "CertificateRequest without algorithms", reason: "TLS 1.2 requires supported_signature_algorithms",
			s2c:  cat(record(recordHandshake, sh12...), record(recordHandshake, 13, 0, 0, 4, 1, 1, 0, 0)),
			want: CertRequestUnknown, wantErr: "malformed supported_signature_algorithms", wantDir: ServerToClient, wantRecord: 2, wantOffset: 47},
		{name: "empty certificate", reason: "an ASN.1Cert of length 0",
			s2c:  cat(record(recordHandshake, sh12...), record(recordHandshake, 11, 0, 0, 6, 0, 0, 3, 0, 0, 0)),
			want: CertRequestUnknown, wantErr: "Certificate at handshake byte 42: malformed ASN.1Cert", wantDir: ServerToClient, wantRecord: 2, wantOffset: 47},
		{name: "ServerHelloDone with body", reason: "ServerHelloDone is empty",
			s2c:  cat(record(recordHandshake, sh12...), record(recordHandshake, 14, 0, 0, 1, 0)),
			want: CertRequestUnknown, wantErr: "ServerHelloDone at handshake byte 42: malformed body", wantDir: ServerToClient, wantRecord: 2, wantOffset: 47},
		{name: "handshake flood", reason: "more than 1 MiB of plaintext handshake is refused",
			s2c:  records(recordHandshake, 1<<14, bytes.Repeat([]byte{0, 0, 0, 0}, 300000)),
			want: CertRequestUnknown, wantErr: "more than 1048576 plaintext handshake bytes", wantDir: ServerToClient, wantRecord: 65, wantOffset: 64 * (5 + 1<<14)},
		{name: "resumed", reason: "an abbreviated handshake: ServerHello then ChangeCipherSpec",
			c2s: ch, s2c: cat(record(recordHandshake, sh12...), record(recordChangeCipherSpec, 1), record(recordHandshake, 20, 0, 0, 12)),
			want: CertRequestResumed},
		{name: "refused by client", reason: "the client aborts before the server's flight is complete",
			c2s: cat(ch, record(recordAlert, 2, 70)), s2c: record(recordHandshake, sh12...), want: CertRequestNotReached},
		{name: "TLS 1.0 request", reason: "TLS 1.0 CertificateRequests have no signature algorithms",
			s2c: cat(record(recordHandshake, serverHello(0x0301, 0, false)...),
				record(recordHandshake, certRequestMsg(false, []byte{1}, nil)...), record(recordHandshake, serverHelloDone()...)),
			want: CertRequestYes},
		{name: "zero-length records", reason: "empty records are skipped",
			s2c:  cat(record(recordApplicationData), record(recordHandshake, sh12...), record(recordHandshake), record(recordHandshake, serverHelloDone()...)),
			want: CertRequestNo},
		{name: "unknown handshake types", reason: "unknown messages are skipped",
			s2c:  cat(record(recordHandshake, sh12...), record(recordHandshake, 99, 0, 0, 2, 1, 2), record(recordHandshake, serverHelloDone()...)),
			want: CertRequestNo},
		{name: "heartbeat", reason: "heartbeat records are skipped",
			s2c:  cat(record(recordHandshake, sh12...), record(recordHeartbeat, 1, 0, 0), record(recordHandshake, serverHelloDone()...)),
			want: CertRequestNo},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ScanStreams(tc.c2s, tc.s2c)
			if c.CertRequest != tc.want {
				t.Errorf("%s: CertRequest = %v, want %v", tc.reason, c.CertRequest, tc.want)
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("%s: ScanStreams() error = %v", tc.reason, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("%s: ScanStreams() error = %v, want it to contain %q", tc.reason, err, tc.wantErr)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if e.Dir != tc.wantDir || (tc.wantRecord != 0 && e.Record != tc.wantRecord) || e.Offset != tc.wantOffset {
				t.Errorf("%s: error at %v record %d byte %d, want %v record %d byte %d", tc.reason, e.Dir, e.Record, e.Offset, tc.wantDir, tc.wantRecord, tc.wantOffset)
			}
		})
	}
}

// sslv2Hello builds an SSL 2.0-compatible CLIENT-HELLO (RFC 5246, E.2) with
// specs cipher specs, the given session ID and challenge lengths, and extra
// bytes after them that msg_length covers.
func sslv2Hello(version uint16, specs, sid, challenge, extra int) []byte {
	b := []byte{0, 0, 1, byte(version >> 8), byte(version), 0, byte(3 * specs), 0, byte(sid), 0, byte(challenge)}
	for i := range specs {
		b = append(b, 0, 0, byte(i+1))
	}
	b = append(b, make([]byte, sid+challenge+extra)...)
	b[0], b[1] = 0x80|byte((len(b)-2)>>8), byte(len(b)-2)
	return b
}

// TestSSLv2CompatibleHello: an SSL 2.0-compatible CLIENT-HELLO (RFC 5246,
// E.2), as old clients send, offers LegacyVersion; the TLS records that
// follow it are scanned as usual. tshark (TestTsharkAgrees) found that the
// scanner used to refuse it.
func TestSSLv2CompatibleHello(t *testing.T) {
	t.Parallel()
	for _, chunk := range []int{1, 3, 1 << 20} {
		var s Scanner
		s2c := cat(record(recordHandshake, serverHello(0x0301, 0, false)...), record(recordHandshake, certRequestMsg(false, []byte{1}, nil)...),
			record(recordHandshake, serverHelloDone()...))
		feed(&s, ServerToClient, s2c, chunk)
		feed(&s, ClientToServer, cat(sslv2Hello(0x0301, 5, 16, 32, 0), record(recordHandshake, certificateMsg()...)), chunk)
		c := s.Connection()
		if c.Err != nil || !c.ClientHello.Seen || !c.ClientHello.SSL2Compatible || c.ClientHello.Offered() != tlsver.SetOf(tlsver.TLS10) ||
			c.CertRequest != CertRequestYes || !c.ClientCertificateSent || c.Version != tlsver.TLS10 {
			t.Errorf("chunk %d: Err %v, ClientHello %+v, offered %v, CertRequest %v, client Certificate %v, Version %v; "+
				"want an SSL 2.0-compatible hello offering TLS 1.0, a request, an empty client Certificate",
				chunk, c.Err, c.ClientHello, c.ClientHello.Offered(), c.CertRequest, c.ClientCertificateSent, c.Version)
		}
	}
	// Cut before its end, it is not a ClientHello (yet).
	hello := sslv2Hello(0x0303, 2, 0, 32, 0)
	c, err := ScanStreams(hello[:len(hello)-1], nil)
	if err != nil || c.ClientHello.Seen || !c.ClientHello.Offered().IsEmpty() {
		t.Errorf("truncated: ClientHello %+v, offered %v, err %v; want none seen, no error", c.ClientHello, c.ClientHello.Offered(), err)
	}
	if c, err := ScanStreams(hello, nil); err != nil || c.ClientHello.Offered() != tlsver.SetOf(tlsver.TLS12) {
		t.Errorf("whole: offered %v, err %v; want TLS 1.2", c.ClientHello.Offered(), err)
	}
}

// TestTLS13HelloRetry: HelloRetryRequest, middlebox-compatibility
// ChangeCipherSpec records on both sides, a second plaintext ClientHello
// after the client's ChangeCipherSpec, then encrypted records.
func TestTLS13HelloRetry(t *testing.T) {
	t.Parallel()
	c2s := cat(record(recordHandshake, clientHello(0x0303, []uint16{0x0304, 0x0303}, "first")...),
		record(recordChangeCipherSpec, 1),
		record(recordHandshake, clientHello(0x0303, []uint16{0x0304}, "second")...),
		records(recordApplicationData, 1<<14, make([]byte, 100)))
	s2c := cat(record(recordHandshake, serverHello(0x0303, 0x0304, true)...),
		record(recordChangeCipherSpec, 1),
		record(recordHandshake, serverHello(0x0303, 0x0304, false)...),
		records(recordApplicationData, 1<<14, make([]byte, 3000)))
	c, err := ScanStreams(c2s, s2c)
	if err != nil {
		t.Fatal(err)
	}
	if c.CertRequest != CertRequestEncrypted || c.Version != tlsver.TLS13 || !c.ServerHello.HelloRetryRequest ||
		string(c.ClientHello.ServerName) != "second" || c.ClientHello.Offered() != tlsver.SetOf(tlsver.TLS13) {
		t.Errorf("got CertRequest %v, Version %v, HRR %v, SNI %q, offered %v; want encrypted, TLS 1.3, HRR, second ClientHello",
			c.CertRequest, c.Version, c.ServerHello.HelloRetryRequest, c.ClientHello.ServerName, c.ClientHello.Offered())
	}
	// Only a HelloRetryRequest and then the capture ends: not answerable.
	c, _ = ScanStreams(c2s[:10], record(recordHandshake, serverHello(0x0303, 0x0304, true)...))
	if c.CertRequest != CertRequestIncomplete || c.Version != 0 {
		t.Errorf("HRR only: CertRequest %v Version %v, want incomplete and unknown", c.CertRequest, c.Version)
	}
}

// TestAlerts: plaintext alerts split over records, many alerts, encrypted ones.
func TestAlerts(t *testing.T) {
	t.Parallel()
	s2c := cat(record(recordAlert, 1), record(recordAlert, 0), record(recordAlert, 2, 116, 1, 0, 2, 40, 2, 42, 2, 43))
	c, err := ScanStreams(nil, s2c)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for a := range c.ServerAlerts.All() {
		got = append(got, a.String())
	}
	want := []string{"warning close_notify", "fatal certificate_required", "warning close_notify", "fatal handshake_failure"}
	if !slices.Equal(got, want) || c.ServerAlerts.Len() != 6 {
		t.Errorf("alerts %q (Len %d), want %q (Len 6)", got, c.ServerAlerts.Len(), want)
	}
	if a, ok := c.ServerAlerts.Fatal(); !ok || a.Description != 116 || a.Record != 3 || a.Offset != 12 {
		t.Errorf("Fatal() = %+v, %v; want certificate_required in record 3 at byte 12", a, ok)
	}
	if c.CertRequest != CertRequestNotReached {
		t.Errorf("CertRequest = %v, want not reached", c.CertRequest)
	}
}

// TestScannerReuse: after Reset the Scanner gives the same answer.
func TestScannerReuse(t *testing.T) {
	t.Parallel()
	c2s, s2c := tls12Streams(true, 100, 10)
	var s Scanner
	for i := range 3 {
		s.Reset()
		s.Write(ServerToClient, s2c)
		s.Write(ClientToServer, c2s)
		if c := s.Connection(); c.CertRequest != CertRequestYes || c.Err != nil {
			t.Fatalf("round %d: %v %v", i, c.CertRequest, c.Err)
		}
	}
	if err := s.Write(Direction(7), []byte{1}); err == nil {
		t.Error("Write with an invalid direction: no error")
	}
}

var (
	cli = netip.MustParseAddrPort("192.0.2.10:50000")
	srv = netip.MustParseAddrPort("198.51.100.5:5061")
)

// TestTCPReassembly cuts a connection into segments and shuffles,
// duplicates and overlaps them: the answer must be the in-order one.
func TestTCPReassembly(t *testing.T) {
	t.Parallel()
	c2s, s2c := tls12Streams(true, 1<<14, 5000)
	base := tcpSession(cli, srv, c2s, s2c, 300)
	overlap := func(fs []frame) []frame {
		// Re-send every data segment as two halves that overlap the original.
		var out []frame
		for _, f := range fs {
			out = append(out, f)
			if n := len(f.payload); n > 10 {
				g := f
				g.seq += uint32(n / 3)
				g.payload = f.payload[n/3:]
				out = append(out, g)
			}
		}
		return out
	}
	tests := []struct {
		name   string
		frames func() []frame
	}{
		{"in order", func() []frame { return base }},
		{"reversed data", func() []frame {
			fs := slices.Clone(base[:3])
			data := slices.Clone(base[3 : len(base)-2])
			slices.Reverse(data)
			return append(append(fs, data...), base[len(base)-2:]...)
		}},
		{"every segment twice", func() []frame {
			var fs []frame
			for _, f := range base {
				fs = append(fs, f, f)
			}
			return fs
		}},
		{"overlapping retransmissions", func() []frame { return overlap(base) }},
		{"SYN-ACK captured after the server's first data", func() []frame {
			// Found by TestTsharkAgrees: the late SYN-ACK used to rewind
			// the server's stream and leave a gap.
			fs := slices.Clone(base)
			synack := fs[1]
			i := slices.IndexFunc(fs, func(f frame) bool { return f.src == srv && len(f.payload) > 0 })
			return slices.Insert(slices.Delete(fs, 1, 2), i, synack)
		}},
		{"pairs swapped", func() []frame {
			fs := slices.Clone(base)
			for i := 3; i+1 < len(fs)-2; i += 2 {
				fs[i], fs[i+1] = fs[i+1], fs[i]
			}
			return fs
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conns, err := Read(bytes.NewReader(pcapFile(linkEthernet, ethernetFrames(tc.frames()))))
			if err != nil {
				t.Fatal(err)
			}
			if len(conns) != 1 {
				t.Fatalf("%d connections, want 1", len(conns))
			}
			c := conns[0]
			if c.Client != cli || c.Server != srv || c.CertRequest != CertRequestYes || c.Err != nil ||
				c.ClientBytes != int64(len(c2s)) || c.ServerBytes != int64(len(s2c)) {
				t.Errorf("client %v server %v CertRequest %v bytes %d/%d err %v; want %v %v yes %d/%d",
					c.Client, c.Server, c.CertRequest, c.ClientBytes, c.ServerBytes, c.Err, cli, srv, len(c2s), len(s2c))
			}
		})
	}
}

// TestTSOZeroLength: segments captured on the sending host with TCP
// segmentation offload have IPv4 total length 0 (the NIC fills it in);
// like Wireshark, Read takes the captured length. Found by TestTsharkAgrees:
// such packets used to be dropped as truncated.
func TestTSOZeroLength(t *testing.T) {
	t.Parallel()
	c2s, s2c := tls12Streams(true, 1<<14, 30000)
	eth := ethernetFrames(tcpSession(cli, srv, c2s, s2c, 9000))
	for _, e := range eth {
		e[14+2], e[14+3] = 0, 0
	}
	conns, err := Read(bytes.NewReader(pcapFile(linkEthernet, eth)))
	if err != nil || len(conns) != 1 {
		t.Fatalf("Read: %d connections, %v", len(conns), err)
	}
	if c := conns[0]; c.CertRequest != CertRequestYes || c.Err != nil || c.ClientBytes != int64(len(c2s)) || c.ServerBytes != int64(len(s2c)) {
		t.Errorf("CertRequest %v, bytes %d/%d, Err %v; want yes, %d/%d, no error", c.CertRequest, c.ClientBytes, c.ServerBytes, c.Err, len(c2s), len(s2c))
	}
}

// TestTCPGap drops one server segment: the server direction stops with an
// error wrapping ErrGap naming the missing byte count, and the answer is
// "incomplete".
func TestTCPGap(t *testing.T) {
	t.Parallel()
	c2s, s2c := tls12Streams(true, 1<<14, 0)
	fs := tcpSession(cli, srv, c2s, s2c, 50)
	var kept []frame
	dropped := false
	for _, f := range fs {
		if !dropped && f.src == srv && len(f.payload) > 0 && f.seq > 900001 {
			dropped = true // the second server segment
			continue
		}
		kept = append(kept, f)
	}
	conns, err := Read(bytes.NewReader(pcapFile(linkEthernet, ethernetFrames(kept))))
	if err != nil || len(conns) != 1 {
		t.Fatalf("Read: %d connections, %v", len(conns), err)
	}
	c := conns[0]
	if c.CertRequest != CertRequestIncomplete || !errors.Is(c.Err, ErrGap) || !strings.Contains(c.Err.Error(), "50 bytes missing") {
		t.Errorf("CertRequest %v, Err %v; want incomplete and a 50-byte gap", c.CertRequest, c.Err)
	}
}

// TestLinkTypes: the same connection over every supported link type, IPv4
// and IPv6, and two interleaved connections plus port reuse in one file.
func TestLinkTypes(t *testing.T) {
	t.Parallel()
	c2s, s2c := tls12Streams(false, 1<<14, 100)
	cli6 := netip.MustParseAddrPort("[2001:db8::1]:40000")
	srv6 := netip.MustParseAddrPort("[2001:db8::2]:5061")
	wrap := map[string]struct {
		link uint32
		f    func(f frame) []byte
	}{
		"ethernet": {linkEthernet, frame.ethernet},
		"vlan": {linkEthernet, func(f frame) []byte {
			e := f.ethernet()
			return cat(e[:12], []byte{0x81, 0x00, 0, 7}, e[12:])
		}},
		"raw": {linkRaw, frame.ip},
		"null": {linkNull, func(f frame) []byte {
			af := uint32(2)
			if f.src.Addr().Is6() {
				af = 30
			}
			return binary.LittleEndian.AppendUint32(nil, af)
		}},
		"sll": {linkLinuxSLL, func(f frame) []byte {
			h := make([]byte, 16)
			e := f.ethernet()
			copy(h[14:], e[12:14])
			return cat(h, e[14:])
		}},
		"sll2": {linkSLL2, func(f frame) []byte {
			h := make([]byte, 20)
			e := f.ethernet()
			copy(h[0:], e[12:14])
			return cat(h, e[14:])
		}},
	}
	for name, w := range wrap {
		for _, pair := range [][2]netip.AddrPort{{cli, srv}, {cli6, srv6}} {
			t.Run(name+"/"+pair[0].Addr().String(), func(t *testing.T) {
				var frames [][]byte
				for _, f := range tcpSession(pair[0], pair[1], c2s, s2c, 700) {
					b := w.f(f)
					if name == "null" {
						b = append(b, f.ip()...)
					}
					frames = append(frames, b)
				}
				conns, err := Read(bytes.NewReader(pcapFile(w.link, frames)))
				if err != nil || len(conns) != 1 {
					t.Fatalf("Read: %d connections, %v", len(conns), err)
				}
				if c := conns[0]; c.CertRequest != CertRequestNo || c.Client != pair[0] || c.Err != nil {
					t.Errorf("CertRequest %v client %v err %v", c.CertRequest, c.Client, c.Err)
				}
			})
		}
	}
}

func TestSeveralConnections(t *testing.T) {
	t.Parallel()
	c2sA, s2cA := tls12Streams(true, 1<<14, 100)
	c2sB, s2cB := tls12Streams(false, 1<<14, 100)
	cliB := netip.MustParseAddrPort("192.0.2.10:50001")
	a := tcpSession(cli, srv, c2sA, s2cA, 500)
	b := tcpSession(cliB, srv, c2sB, s2cB, 500)
	// Interleave A and B, then reuse A's ports for a connection like B.
	fs := interleave(a, b)
	again := tcpSession(cli, srv, c2sB, s2cB, 500)
	for i := range again {
		again[i].seq += 77777 // new initial sequence numbers
	}
	fs = append(fs, again...)
	// A capture started mid-connection: no SYN; the ClientHello decides.
	mid := tcpSession(netip.MustParseAddrPort("192.0.2.10:50002"), srv, c2sA, s2cA, 500)[3:]
	slices.Reverse(mid[:2]) // the server's bytes come first in the file
	fs = append(fs, mid...)
	conns, err := Read(bytes.NewReader(pcapFile(linkEthernet, ethernetFrames(fs))))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range conns {
		got = append(got, c.Client.String()+" "+c.CertRequest.String())
		if c.Err != nil {
			t.Errorf("%v: %v", c.Client, c.Err)
		}
	}
	want := []string{"192.0.2.10:50000 yes", "192.0.2.10:50001 no", "192.0.2.10:50000 no", "192.0.2.10:50002 yes"}
	if !slices.Equal(got, want) {
		t.Errorf("connections %q, want %q", got, want)
	}
}

// TestBadFiles: damaged capture files give errors that say where.
func TestBadFiles(t *testing.T) {
	t.Parallel()
	good := pcapFile(linkEthernet, ethernetFrames(tcpSession(cli, srv, []byte{22, 3, 3, 0, 0}, nil, 100)))
	huge := slices.Clone(good)
	binary.LittleEndian.PutUint32(huge[24+8:], 1<<30)
	for _, tc := range []struct {
		name   string
		data   []byte
		want   string
		packet int
	}{
		{"empty", nil, "capture: file header: reading the magic number: unexpected EOF", 0},
		{"bad magic", []byte("GIF89a........................"), "capture: file header: magic number 47 49 46 38 is neither pcap nor pcapng", 0},
		{"gzip", []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0}, "capture: file header: the file is gzip-compressed: decompress it first", 0},
		{"short header", good[:10], "capture: file header: pcap: unexpected EOF", 0},
		{"truncated packet", good[:len(good)-3], "capture: packet 6 at file byte 379: pcap: packet data (", 6},
		{"truncated record header", good[:379+7], "capture: packet 6 at file byte 379: pcap: packet record header: unexpected EOF", 6},
		{"huge packet", huge, "capture: packet 1 at file byte 24: pcap: captured length 1073741824 exceeds 262144", 1},
		{"pcapng bad byte order", []byte{0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 1, 2, 3, 4}, "capture: file header: pcapng: Section Header Block: byte-order magic is neither 0x1a2b3c4d nor 0x4d3c2b1a", 0},
	} {
		_, err := Read(bytes.NewReader(tc.data))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: Read() error = %v, want %q", tc.name, err, tc.want)
		}
		var e *Error
		if !errors.As(err, &e) || e.Packet != tc.packet {
			t.Errorf("%s: Read() error %#v is not a *capture.Error for packet %d", tc.name, err, tc.packet)
		}
	}
}

// TestSnapLength: a capture taken with a small snap length (tcpdump -s 120)
// cuts the server's flight; the error says so.
func TestSnapLength(t *testing.T) {
	t.Parallel()
	c2s, s2c := tls12Streams(true, 1<<14, 0)
	var frames [][]byte
	for _, f := range tcpSession(cli, srv, c2s, s2c, 1000) {
		e := f.ethernet()
		frames = append(frames, e[:min(len(e), 120)])
	}
	conns, err := Read(bytes.NewReader(pcapFile(linkEthernet, frames)))
	if err != nil || len(conns) != 1 {
		t.Fatalf("Read: %d connections, %v", len(conns), err)
	}
	c := conns[0]
	if c.CertRequest != CertRequestIncomplete || !errors.Is(c.Err, ErrGap) || !strings.Contains(c.Err.Error(), "snap length") {
		t.Errorf("CertRequest %v, Err %v; want incomplete, snap length", c.CertRequest, c.Err)
	}
}

// TestTLS13EarlyChangeCipherSpec: in middlebox mode a client may send its
// ChangeCipherSpec right after the first ClientHello (RFC 8446, D.4); the
// second ClientHello after a HelloRetryRequest is still plaintext, and so is
// the server's alert before it has keys. (Wireshark 4.0 takes that
// ClientHello for encrypted; see TestTsharkAgrees.)
func TestTLS13EarlyChangeCipherSpec(t *testing.T) {
	t.Parallel()
	fs := conversation(cli, srv, 1460,
		turn{true, cat(record(recordHandshake, clientHello(0x0303, []uint16{0x0304, 0x0303}, "first")...), record(recordChangeCipherSpec, 1))},
		turn{false, cat(record(recordHandshake, serverHello(0x0303, 0x0304, true)...), record(recordChangeCipherSpec, 1))},
		turn{true, record(recordHandshake, clientHello(0x0303, []uint16{0x0304}, "second")...)},
		turn{false, record(recordAlert, 2, 47)})
	conns, err := Read(bytes.NewReader(pcapFile(linkEthernet, ethernetFrames(fs))))
	if err != nil || len(conns) != 1 {
		t.Fatalf("Read: %d connections, %v", len(conns), err)
	}
	c := conns[0]
	a, fatal := c.ServerAlerts.Fatal()
	if c.Err != nil || string(c.ClientHello.ServerName) != "second" || c.ClientHello.Offered() != tlsver.SetOf(tlsver.TLS13) ||
		!c.ServerHello.HelloRetryRequest || !fatal || a.Description != 47 || c.CertRequest != CertRequestNotReached {
		t.Errorf("SNI %q offered %v HRR %v fatal alert %v %v CertRequest %v Err %v; want the second ClientHello, "+
			"a plaintext illegal_parameter, not reached", c.ClientHello.ServerName, c.ClientHello.Offered(),
			c.ServerHello.HelloRetryRequest, fatal, a, c.CertRequest, c.Err)
	}
}
