package capture

import (
	"bytes"
	"net/netip"
	"os"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestScanNoAllocs: scanning a two-direction stream with a reused Scanner,
// and reading the result, does not allocate.
func TestScanNoAllocs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		certReq bool
		frag    int
		app     int
	}{
		{"handshake", true, 1 << 14, 0},
		{"fragmented handshake", true, 7, 0},
		{"1MiB application data", false, 1 << 14, 1 << 20},
		{"recorded tls12-certreq.pcap", true, 0, 0},
	} {
		var c2s, s2c []byte
		if tc.frag == 0 {
			c2s, s2c = streamsFromPcap(t, "testdata/tls12-certreq.pcap")
		} else {
			c2s, s2c = tls12Streams(tc.certReq, tc.frag, tc.app)
		}
		var s Scanner
		var sink CertRequest
		allocs := testing.AllocsPerRun(50, func() {
			s.Reset()
			s.Write(ServerToClient, s2c[:len(s2c)/2])
			s.Write(ServerToClient, s2c[len(s2c)/2:])
			s.Write(ClientToServer, c2s)
			c := s.Connection()
			sink = c.CertRequest
			for range c.CertificateRequest.SignatureSchemes() {
			}
			if tc.frag == 0 {
				if _, err := c.ServerCertificates.EKU(); err != nil {
					panic(err)
				}
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per scan, want 0", tc.name, allocs)
		}
		if want := map[bool]CertRequest{true: CertRequestYes, false: CertRequestNo}[tc.certReq]; sink != want {
			t.Errorf("%s: CertRequest %v, want %v", tc.name, sink, want)
		}
	}
}

// TestSSLv2HelloNoAllocs: an SSL 2.0-compatible ClientHello is scanned
// without allocating once the Scanner's buffer exists.
func TestSSLv2HelloNoAllocs(t *testing.T) {
	c2s := cat(sslv2Hello(0x0303, 10, 0, 32, 0), record(recordHandshake, certificateMsg()...))
	var s Scanner
	ok := false
	allocs := testing.AllocsPerRun(50, func() {
		s.Reset()
		s.Write(ClientToServer, c2s[:7])
		s.Write(ClientToServer, c2s[7:])
		c := s.Connection()
		ok = c.ClientHello.SSL2Compatible && c.ClientCertificateSent && c.Err == nil
	})
	if allocs != 0 || !ok {
		t.Errorf("%v allocations per scan (want 0); hello and Certificate seen: %v", allocs, ok)
	}
}

var benchSink Connection

// streamsFromPcap returns the two directions of the only connection of an
// in-order loopback capture (as recorded by testdata/record.sh).
func streamsFromPcap(tb testing.TB, name string) (c2s, s2c []byte) {
	f, err := os.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	src := newFileReader(f)
	if err := src.open(); err != nil {
		tb.Fatal(err)
	}
	var client netip.AddrPort
	for {
		link, _, data, err := src.next()
		if err != nil {
			break
		}
		var sg segment
		if decodePacket(link, data, &sg) != decodeOK {
			continue
		}
		if sg.flags&(tcpSYN|tcpACK) == tcpSYN {
			client = sg.src
		}
		if sg.src == client {
			c2s = append(c2s, sg.payload...)
		} else {
			s2c = append(s2c, sg.payload...)
		}
	}
	return c2s, s2c
}

// BenchmarkScan measures the record/handshake scan of both directions of a
// TLS 1.2 connection (bytes per op = both directions). In the "skip-"
// cases most bytes are application data record bodies, which the Scanner
// skips without reading: their MB/s measure skipping, not reading. The
// figures for bytes that are read are BenchmarkCapture's.
func BenchmarkScan(b *testing.B) {
	for _, bc := range []struct {
		name string
		frag int
		app  int
	}{
		{"handshake", 1 << 14, 0},
		{"handshake-frag64", 64, 0},
		{"skip-appdata-64KiB", 1 << 14, 32 << 10},
		{"skip-appdata-16MiB", 1 << 14, 8 << 20},
		{"recorded-tls12-certreq", 0, 0},
	} {
		var c2s, s2c []byte
		if bc.frag == 0 {
			c2s, s2c = streamsFromPcap(b, "testdata/tls12-certreq.pcap")
		} else {
			c2s, s2c = tls12Streams(true, bc.frag, bc.app)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c2s) + len(s2c)))
			var s Scanner
			for b.Loop() {
				s.Reset()
				s.Write(ServerToClient, s2c)
				s.Write(ClientToServer, c2s)
				benchSink = s.Connection()
			}
			if benchSink.CertRequest != CertRequestYes {
				b.Fatal(benchSink.CertRequest)
			}
		})
	}
}

// BenchmarkRecordLayer compares skipping application data records with
// this package's Scanner and with gopacket's layers.TLS, the record decoder a
// gopacket user would reach for. The bytes per op are record bodies that
// are skipped, not read (the Scanner reads only the 5-byte headers), so
// the MB/s say how fast records are skipped, not how fast bytes are read. Only application data is compared:
// layers.TLS v1.7.7 fails on a ServerHello ("Unknown TLS handshake type"), so
// it cannot answer the CertificateRequest question at all.
func BenchmarkRecordLayer(b *testing.B) {
	for _, bc := range []struct {
		name    string
		recSize int
		total   int
	}{
		{"16KiB-records-8MiB", 1 << 14, 8 << 20},
		{"1KiB-records-1MiB", 1 << 10, 1 << 20},
	} {
		stream := records(recordApplicationData, bc.recSize, make([]byte, bc.total))
		b.Run("capture/skip-"+bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(stream)))
			var s Scanner
			for b.Loop() {
				s.Reset()
				if err := s.Write(ServerToClient, stream); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("gopacket/skip-"+bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(stream)))
			for b.Loop() {
				var tls layers.TLS
				if err := tls.DecodeFromBytes(stream, gopacket.NilDecodeFeedback); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadCapture reads a committed pcap file from memory: file
// format, link/IP/TCP decoding, reassembly and the TLS scan.
func BenchmarkReadCapture(b *testing.B) {
	data, err := os.ReadFile("testdata/tls12-certreq.pcap")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		conns, err := Read(bytes.NewReader(data))
		if err != nil || len(conns) != 1 {
			b.Fatal(err)
		}
	}
}
