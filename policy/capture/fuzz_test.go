package capture

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tlscompat/tlscompat/tlsver"
)

// exercise calls every accessor of a Connection; none may panic.
func exercise(c Connection) string {
	s := c.CertRequest.String() + c.Version.String() + c.ClientHello.Offered().String()
	for range c.ServerCertificates.All() {
	}
	c.ServerCertificates.EKU()
	c.ClientCertificates.EKU()
	for range c.CertificateRequest.CertificateTypes() {
	}
	for range c.CertificateRequest.SignatureSchemes() {
	}
	for dn := range c.CertificateRequest.Authorities() {
		s += string(dn[:0])
	}
	_ = c.CertificateRequest.AuthorityNames()
	for a := range c.ServerAlerts.All() {
		s += a.String()
	}
	for a := range c.ClientAlerts.All() {
		s += a.String()
	}
	if c.Err != nil {
		s += c.Err.Error()
	}
	return s
}

// outcome is what must not depend on how the bytes were cut into writes.
type outcome struct {
	CertRequest                CertRequest
	Version                    tlsver.Version
	Offered                    tlsver.Set
	SNI                        string
	ServerCerts, ClientCerts   int
	CAs                        int
	ServerAlerts, ClientAlerts int
	ClientBytes, ServerBytes   int64
	Err                        string
}

func outcomeOf(c Connection) outcome {
	o := outcome{
		CertRequest: c.CertRequest, Version: c.Version, Offered: c.ClientHello.Offered(),
		SNI: string(c.ClientHello.ServerName), ServerCerts: c.ServerCertificates.Len(),
		ClientCerts: c.ClientCertificates.Len(), CAs: c.CertificateRequest.NumAuthorities(),
		ServerAlerts: c.ServerAlerts.Len(), ClientAlerts: c.ClientAlerts.Len(),
		ClientBytes: c.ClientBytes, ServerBytes: c.ServerBytes,
	}
	if c.Err != nil {
		o.Err = c.Err.Error()
	}
	return o
}

// FuzzScan checks that the record/handshake scanner never panics and gives
// the same result whether each direction is written at once or in chunks.
func FuzzScan(f *testing.F) {
	for _, certReq := range []bool{true, false} {
		c2s, s2c := tls12Streams(certReq, 50, 100)
		f.Add(c2s, s2c, uint16(7))
	}
	f.Add(cat(record(recordHandshake, clientHello(0x0303, []uint16{0x0304, 0x0303}, "x")...), record(recordChangeCipherSpec, 1),
		record(recordHandshake, clientHello(0x0303, []uint16{0x0304}, "y")...)),
		cat(record(recordHandshake, serverHello(0x0303, 0x0304, true)...), record(recordChangeCipherSpec, 1),
			record(recordHandshake, serverHello(0x0303, 0x0304, false)...), record(recordApplicationData, 1, 2, 3)), uint16(3))
	f.Add([]byte{}, cat(record(recordHandshake, serverHello(0x0301, 0, false)...),
		record(recordHandshake, certRequestMsg(false, []byte{1}, nil, caDN)...), record(recordAlert, 2, 40)), uint16(1))
	f.Add([]byte("GET / HTTP/1.1\r\n"), []byte{22, 3, 3, 0xff, 0xff}, uint16(2))
	f.Add(cat(sslv2Hello(0x0301, 3, 16, 16, 0), record(recordHandshake, certificateMsg()...)),
		record(recordHandshake, cat(serverHello(0x0301, 0, false), certRequestMsg(false, []byte{1}, nil), serverHelloDone())...), uint16(4))
	f.Fuzz(func(t *testing.T, c2s, s2c []byte, chunk uint16) {
		whole, err := ScanStreams(c2s, s2c)
		if (err == nil) != (whole.Err == nil) {
			t.Fatalf("ScanStreams error %v but Connection.Err %v", err, whole.Err)
		}
		exercise(whole)
		var s Scanner
		n := int(chunk%512) + 1
		feed(&s, ServerToClient, s2c, n)
		feed(&s, ClientToServer, c2s, n)
		parts := s.Connection()
		if diff := cmp.Diff(outcomeOf(whole), outcomeOf(parts)); diff != "" {
			t.Fatalf("whole vs chunks of %d (-whole +chunks):\n%s", n, diff)
		}
	})
}

// FuzzRead checks that the capture-file path (pcap/pcapng, link, IP, TCP,
// reassembly) never panics on damaged files.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.pcap*")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	c2s, s2c := tls12Streams(true, 100, 10)
	f.Add(pcapFile(linkEthernet, ethernetFrames(tcpSession(cli, srv, c2s, s2c, 37))))
	tso := ethernetFrames(tcpSession(cli, srv, c2s, s2c, 3000))
	for _, e := range tso {
		e[16], e[17] = 0, 0 // IPv4 total length 0 (TCP segmentation offload)
	}
	f.Add(pcapFile(linkEthernet, tso))
	f.Fuzz(func(t *testing.T, data []byte) {
		conns, err := Read(bytes.NewReader(data))
		if err != nil && len(data) < 4 && conns != nil {
			t.Fatalf("connections without a file header")
		}
		for _, c := range conns {
			exercise(c)
			if c.FirstPacket < 1 || c.LastPacket < c.FirstPacket {
				t.Fatalf("packets %d..%d", c.FirstPacket, c.LastPacket)
			}
		}
	})
}

// fuzzPacket is one TCP packet of a committed capture, with the offsets of
// its TCP header and payload, for FuzzReadFields.
type fuzzPacket struct {
	data           []byte
	tcpOff, payOff int
}

// fuzzCapture is a committed capture parsed into packets of one link type.
type fuzzCapture struct {
	link uint16
	pkts []fuzzPacket
}

var (
	fuzzCapturesOnce sync.Once
	fuzzCaptures     []fuzzCapture
)

// parsedCaptures parses every capture in testdata into TCP packets.
func parsedCaptures(tb testing.TB) []fuzzCapture {
	fuzzCapturesOnce.Do(func() {
		files, _ := filepath.Glob("testdata/*.pcap*")
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				tb.Fatal(err)
			}
			fr := newFileReader(bytes.NewReader(b))
			if err := fr.open(); err != nil {
				tb.Fatal(err)
			}
			var fc fuzzCapture
			for {
				link, _, data, err := fr.next()
				if err != nil {
					break
				}
				var sg segment
				if decodePacket(link, data, &sg) != decodeOK || (len(fc.pkts) > 0 && link != fc.link) {
					continue
				}
				fc.link = link
				pay := cap(data) - cap(sg.payload)
				tcp := -1
				for l := 20; l <= 60 && pay-l >= 0; l += 4 {
					if int(data[pay-l+12]>>4)*4 == l {
						tcp = pay - l
						break
					}
				}
				if tcp >= 0 {
					fc.pkts = append(fc.pkts, fuzzPacket{bytes.Clone(data), tcp, pay})
				}
			}
			fuzzCaptures = append(fuzzCaptures, fc)
		}
	})
	return fuzzCaptures
}

// mutateFields applies the mutations that ops encodes, 6 bytes each
// (packet, field, 32-bit value), to the fields of parsed packets: TCP
// sequence numbers, flags and data offset, the IP length, TLS record and
// handshake lengths, payload bytes and lengths, and the packets' order.
func mutateFields(pkts []fuzzPacket, ops []byte) []fuzzPacket {
	pkts = slices.Clone(pkts)
	for ; len(ops) >= 6 && len(pkts) > 0; ops = ops[6:] {
		i := int(ops[0]) % len(pkts)
		v := binary.BigEndian.Uint32(ops[2:])
		p := pkts[i]
		p.data = bytes.Clone(p.data)
		tcp, pay := p.data[p.tcpOff:], p.data[p.payOff:]
		seq := binary.BigEndian.Uint32(tcp[4:])
		switch ops[1] % 14 {
		case 0:
			seq = v
		case 1:
			seq += v
		case 2: // near another packet's sequence number
			q := pkts[int(v)%len(pkts)]
			seq = binary.BigEndian.Uint32(q.data[q.tcpOff+4:]) + uint32(int16(v>>16))
		case 3:
			seq ^= 1 << 31
		case 4:
			tcp[13] = byte(v)
		case 5:
			tcp[12] = byte(v) & 0xf0
		case 6: // IPv4 total length or IPv6 payload length
			if ip := p.data[:p.tcpOff]; len(ip) >= 20 && ip[len(ip)-20]>>4 == 4 {
				binary.BigEndian.PutUint16(ip[len(ip)-18:], uint16(v))
			} else if len(ip) >= 40 {
				binary.BigEndian.PutUint16(ip[len(ip)-36:], uint16(v))
			}
		case 7:
			if len(pay) > 0 {
				p.data = p.data[:p.payOff+int(v)%len(pay)]
			}
		case 8: // a TLS record length at the start of the payload
			if len(pay) >= 5 {
				binary.BigEndian.PutUint16(pay[3:], uint16(v))
			}
		case 9: // the handshake length of the first message
			if len(pay) >= 9 {
				pay[6], pay[7], pay[8] = byte(v>>16), byte(v>>8), byte(v)
			}
		case 10:
			if len(pay) > 0 {
				pay[int(v>>8)%len(pay)] = byte(v)
			}
		case 11:
			pkts = slices.Insert(pkts, int(v)%len(pkts), p)
			continue
		case 12:
			pkts = slices.Delete(pkts, i, i+1)
			continue
		case 13:
			j := int(v) % len(pkts)
			pkts[i], pkts[j] = pkts[j], pkts[i]
			continue
		}
		binary.BigEndian.PutUint32(tcp[4:], seq)
		pkts[i] = p
	}
	return pkts
}

// FuzzReadFields is the structure-aware companion of FuzzRead: it parses
// the committed captures into packets and mutates their fields (sequence
// numbers, flags, lengths, record and handshake lengths, order) as the
// fuzzer's bytes say, then reads the result with Read and Connections. A
// mutator of this kind found the sequence-number panic of
// TestSequenceHalfSpace where byte-level mutation of whole files did not.
func FuzzReadFields(f *testing.F) {
	caps := parsedCaptures(f)
	f.Add(uint8(0), []byte{})
	f.Add(uint8(7), []byte{5, 3, 0, 0, 0, 0})                     // flip the top bit of a sequence number
	f.Add(uint8(3), []byte{6, 2, 0, 0, 0, 9, 7, 13, 0, 0, 0, 6})  // near another packet, then reorder
	f.Add(uint8(12), []byte{4, 8, 0, 0, 0xff, 0xff})              // a record length
	f.Add(uint8(8), []byte{9, 11, 0, 0, 0, 3, 9, 10, 0, 0, 4, 1}) // a duplicate, then a conflicting byte
	f.Fuzz(func(t *testing.T, file uint8, ops []byte) {
		fc := caps[int(file)%len(caps)]
		pkts := mutateFields(fc.pkts, ops)
		frames := make([][]byte, len(pkts))
		for i, p := range pkts {
			frames[i] = p.data
		}
		data := pcapFile(uint32(fc.link), frames)
		conns, err := Read(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Read of a well-formed file: %v", err)
		}
		for _, c := range conns {
			exercise(c)
			if c.FirstPacket < 1 || c.LastPacket < c.FirstPacket || c.LastPacket > len(pkts) {
				t.Fatalf("packets %d..%d of %d", c.FirstPacket, c.LastPacket, len(pkts))
			}
			if c.Protocol != ProtocolTLS && c.CertRequest.Known() {
				t.Fatalf("%v connection with CertRequest %v", c.Protocol, c.CertRequest)
			}
		}
		n := 0
		for c, err := range Connections(bytes.NewReader(data), Options{MemoryBudget: 16 << 10}) {
			if err != nil {
				t.Fatal(err)
			}
			exercise(c)
			n++
		}
		if (n == 0) != (len(conns) == 0) {
			t.Fatalf("Connections reported %d connections, Read %d", n, len(conns))
		}
	})
}

// tlsRecords cuts a stream into its TLS records (header and body); bytes
// after the last whole record are one more piece.
func tlsRecords(s []byte) [][]byte {
	var out [][]byte
	for len(s) >= recordHeaderLen {
		n := recordHeaderLen + int(s[3])<<8 | int(s[4])
		if n > len(s) {
			break
		}
		out = append(out, s[:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

var (
	fuzzStreamsOnce sync.Once
	fuzzStreams     [][2][][]byte // per capture: the client's and the server's records
)

// mutateRecords applies the mutations that ops encodes, 6 bytes each
// (direction and record, field, 32-bit value), to the records of two
// streams: content type, version, record length, handshake type and
// length, a body byte, truncation, duplication, removal and order.
func mutateRecords(dirs [2][][]byte, ops []byte) [2][][]byte {
	dirs = [2][][]byte{slices.Clone(dirs[0]), slices.Clone(dirs[1])}
	for ; len(ops) >= 6; ops = ops[6:] {
		d := int(ops[0] & 1)
		recs := dirs[d]
		if len(recs) == 0 {
			continue
		}
		i := int(ops[0]>>1) % len(recs)
		v := binary.BigEndian.Uint32(ops[2:])
		r := bytes.Clone(recs[i])
		switch ops[1] % 11 {
		case 0:
			if len(r) > 0 {
				r[0] = byte(v)
			}
		case 1:
			if len(r) >= 3 {
				r[1], r[2] = byte(v>>8), byte(v)
			}
		case 2:
			if len(r) >= 5 {
				r[3], r[4] = byte(v>>8), byte(v)
			}
		case 3:
			if len(r) >= 6 {
				r[5] = byte(v)
			}
		case 4:
			if len(r) >= 9 {
				r[6], r[7], r[8] = byte(v>>16), byte(v>>8), byte(v)
			}
		case 5:
			if len(r) > 0 {
				r[int(v>>8)%len(r)] = byte(v)
			}
		case 6:
			if len(r) > 0 {
				r = r[:int(v)%len(r)]
			}
		case 7:
			dirs[d] = slices.Insert(recs, int(v)%len(recs), r)
			continue
		case 8:
			dirs[d] = slices.Delete(recs, i, i+1)
			continue
		case 9:
			j := int(v) % len(recs)
			recs[i], recs[j] = recs[j], recs[i]
			continue
		case 10: // a record moved to the other direction
			dirs[d] = slices.Delete(recs, i, i+1)
			dirs[1-d] = append(dirs[1-d], r)
			continue
		}
		recs[i] = r
	}
	return dirs
}

// FuzzScanFields is the structure-aware companion of FuzzScan: it cuts the
// streams of the committed captures into TLS records and mutates their
// fields (content types, versions, record and handshake lengths, bodies,
// order) as the fuzzer's bytes say. The Scanner must not panic and must
// give the same result whether each direction is written at once or in
// chunks.
func FuzzScanFields(f *testing.F) {
	fuzzStreamsOnce.Do(func() {
		files, _ := filepath.Glob("testdata/*.pcap")
		for _, name := range files {
			c2s, s2c := streamsFromPcap(f, name)
			fuzzStreams = append(fuzzStreams, [2][][]byte{tlsRecords(c2s), tlsRecords(s2c)})
		}
	})
	f.Add(uint8(0), uint16(7), []byte{})
	f.Add(uint8(1), uint16(100), []byte{3, 2, 0, 0, 0xff, 0xff})              // a server record length
	f.Add(uint8(2), uint16(3), []byte{5, 4, 0, 0x10, 0, 0, 2, 9, 0, 0, 0, 1}) // a handshake length, then reorder
	f.Fuzz(func(t *testing.T, file uint8, chunk uint16, ops []byte) {
		dirs := mutateRecords(fuzzStreams[int(file)%len(fuzzStreams)], ops)
		c2s, s2c := bytes.Join(dirs[0], nil), bytes.Join(dirs[1], nil)
		whole, _ := ScanStreams(c2s, s2c)
		exercise(whole)
		var s Scanner
		n := int(chunk%512) + 1
		feed(&s, ServerToClient, s2c, n)
		feed(&s, ClientToServer, c2s, n)
		if diff := cmp.Diff(outcomeOf(whole), outcomeOf(s.Connection())); diff != "" {
			t.Fatalf("whole vs chunks of %d (-whole +chunks):\n%s", n, diff)
		}
	})
}
