package capture

import (
	"bytes"
	"encoding/binary"
	"net/netip"

	"golang.org/x/crypto/cryptobyte"
)

// Builders for hand-made TLS streams and captures used by the white-box tests,
// the fuzz seeds and the benchmarks.

func hsMsg(typ uint8, body func(b *cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	b.AddUint8(typ)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { body(b) })
	return b.BytesOrPanic()
}

func clientHello(legacy uint16, versions []uint16, sni string) []byte {
	return hsMsg(typeClientHello, func(b *cryptobyte.Builder) {
		b.AddUint16(legacy)
		b.AddBytes(make([]byte, 32))
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(make([]byte, 32)) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint16(0x1301); b.AddUint16(0xc02b) })
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			if sni != "" {
				b.AddUint16(extServerName)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
					b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
						b.AddUint8(0)
						b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(sni)) })
					})
				})
			}
			if versions != nil {
				b.AddUint16(extSupportedVersions)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
					b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
						for _, v := range versions {
							b.AddUint16(v)
						}
					})
				})
			}
		})
	})
}

func serverHello(legacy, selected uint16, hrr bool) []byte {
	return hsMsg(typeServerHello, func(b *cryptobyte.Builder) {
		b.AddUint16(legacy)
		if hrr {
			b.AddBytes(helloRetryRequestRandom[:])
		} else {
			b.AddBytes(bytes.Repeat([]byte{7}, 32))
		}
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {})
		b.AddUint16(0x1301)
		b.AddUint8(0)
		if selected != 0 {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddUint16(extSupportedVersions)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint16(selected) })
			})
		}
	})
}

func certificateMsg(ders ...[]byte) []byte {
	return hsMsg(typeCertificate, func(b *cryptobyte.Builder) {
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, d := range ders {
				b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(d) })
			}
		})
	})
}

func certRequestMsg(tls12 bool, types []byte, algs []uint16, cas ...[]byte) []byte {
	return hsMsg(typeCertificateRequest, func(b *cryptobyte.Builder) {
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(types) })
		if tls12 {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				for _, a := range algs {
					b.AddUint16(a)
				}
			})
		}
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, ca := range cas {
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(ca) })
			}
		})
	})
}

func serverHelloDone() []byte { return []byte{typeServerHelloDone, 0, 0, 0} }

// records wraps payload into records of content type typ, at most frag
// bytes each.
func records(typ uint8, frag int, payload []byte) []byte {
	if frag <= 0 {
		panic("records: frag must be positive")
	}
	var out []byte
	for len(payload) > 0 {
		n := min(frag, len(payload))
		out = append(out, typ, 3, 3, byte(n>>8), byte(n))
		out = append(out, payload[:n]...)
		payload = payload[n:]
	}
	return out
}

func record(typ uint8, payload ...byte) []byte { return records(typ, 1<<14, payload) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// caDN is the DER of the Name "CN=Test CA".
var caDN = []byte{0x30, 0x12, 0x31, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x07, 'T', 'e', 's', 't', ' ', 'C', 'A'}

// tls12Streams returns the two directions of a TLS 1.2 connection whose
// server requests a client certificate (certReq) or not, with handshake
// messages fragmented into records of frag bytes and appData bytes of
// application data each way in records of at most 16 KiB.
func tls12Streams(certReq bool, frag, appData int) (c2s, s2c []byte) {
	flight := cat(serverHello(0x0303, 0, false), certificateMsg([]byte("leaf-der"), []byte("ca-der")))
	if certReq {
		flight = cat(flight, certRequestMsg(true, []byte{1, 64}, []uint16{0x0403, 0x0804}, caDN))
	}
	flight = cat(flight, serverHelloDone())
	// An encrypted Finished that would be a huge CertificateRequest if it
	// were parsed as plaintext.
	finished := record(recordHandshake, 0x0d, 0xff, 0xff, 0xff, 1, 2, 3, 4)
	app := records(recordApplicationData, 1<<14, make([]byte, appData))
	s2c = cat(records(recordHandshake, frag, flight), record(recordChangeCipherSpec, 1), finished, app, record(recordAlert, 9, 9, 9, 9))
	c2s = cat(records(recordHandshake, frag, clientHello(0x0303, []uint16{0x0a0a, 0x0304, 0x0303}, "sbc.example.test")),
		records(recordHandshake, frag, certificateMsg()), record(recordHandshake, 16, 0, 0, 1, 0),
		record(recordChangeCipherSpec, 1), finished, app, record(recordAlert, 9, 9))
	return c2s, s2c
}

// --- TCP/IP frames and pcap files ---

type frame struct {
	src, dst netip.AddrPort
	seq      uint32
	flags    uint8
	payload  []byte
}

// ethernet builds an Ethernet II frame with an IPv4 or IPv6 header.
func (f frame) ethernet() []byte {
	var b []byte
	b = append(b, 1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1)
	if f.src.Addr().Is4() {
		b = append(b, 0x08, 0x00)
	} else {
		b = append(b, 0x86, 0xdd)
	}
	return append(b, f.ip()...)
}

func (f frame) ip() []byte {
	tcp := f.tcp()
	var b []byte
	if f.src.Addr().Is4() {
		b = append(b, 0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0)
		binary.BigEndian.PutUint16(b[2:], uint16(20+len(tcp)))
		s, d := f.src.Addr().As4(), f.dst.Addr().As4()
		b = append(append(b, s[:]...), d[:]...)
	} else {
		b = append(b, 0x60, 0, 0, 0, 0, 0, 6, 64)
		binary.BigEndian.PutUint16(b[4:], uint16(len(tcp)))
		s, d := f.src.Addr().As16(), f.dst.Addr().As16()
		b = append(append(b, s[:]...), d[:]...)
	}
	return append(b, tcp...)
}

func (f frame) tcp() []byte {
	b := make([]byte, 20, 20+len(f.payload))
	binary.BigEndian.PutUint16(b[0:], f.src.Port())
	binary.BigEndian.PutUint16(b[2:], f.dst.Port())
	binary.BigEndian.PutUint32(b[4:], f.seq)
	b[12] = 5 << 4
	b[13] = f.flags
	return append(b, f.payload...)
}

// pcapFile writes frames as a classic little-endian microsecond pcap file.
func pcapFile(link uint32, frames [][]byte) []byte {
	h := make([]byte, 24)
	binary.LittleEndian.PutUint32(h[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], 65535)
	binary.LittleEndian.PutUint32(h[20:], link)
	for i, fr := range frames {
		var r [16]byte
		binary.LittleEndian.PutUint32(r[0:], uint32(1700000000+i))
		binary.LittleEndian.PutUint32(r[8:], uint32(len(fr)))
		binary.LittleEndian.PutUint32(r[12:], uint32(len(fr)))
		h = append(append(h, r[:]...), fr...)
	}
	return h
}

// interleave alternates the frames of two sessions (a[0], b[0], a[1], ...),
// as two connections captured at the same time.
func interleave(a, b []frame) []frame {
	var fs []frame
	for i := range max(len(a), len(b)) {
		if i < len(a) {
			fs = append(fs, a[i])
		}
		if i < len(b) {
			fs = append(fs, b[i])
		}
	}
	return fs
}

// tcpSession turns two byte streams into frames: handshake, then the
// client's bytes, then the server's, each cut into segments of seg bytes,
// then FINs.
func tcpSession(client, server netip.AddrPort, c2s, s2c []byte, seg int) []frame {
	const cisn, sisn = 1000, 900000
	fs := []frame{
		{client, server, cisn, tcpSYN, nil},
		{server, client, sisn, tcpSYN | tcpACK, nil},
		{client, server, cisn + 1, tcpACK, nil},
	}
	split := func(src, dst netip.AddrPort, seq uint32, data []byte) {
		for off := 0; off < len(data); off += seg {
			fs = append(fs, frame{src, dst, seq + uint32(off), tcpACK, data[off:min(off+seg, len(data))]})
		}
	}
	split(client, server, cisn+1, c2s)
	split(server, client, sisn+1, s2c)
	fs = append(fs, frame{client, server, cisn + 1 + uint32(len(c2s)), tcpFIN | tcpACK, nil},
		frame{server, client, sisn + 1 + uint32(len(s2c)), tcpFIN | tcpACK, nil})
	return fs
}

func ethernetFrames(fs []frame) [][]byte {
	out := make([][]byte, len(fs))
	for i, f := range fs {
		out[i] = f.ethernet()
	}
	return out
}

type builder = cryptobyte.Builder
