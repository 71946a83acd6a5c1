package capture

import (
	"bytes"
	"os"
	"path/filepath"
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
