package capture

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"io"
	"math/big"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// A realistic recording: real crypto/tls handshakes, recorded once per
// process over net.Pipe, replayed as many short TCP connections with
// varied ports and sequence numbers, written as a pcap in memory.

// transcript is one recorded connection: each write, in order, with its
// direction.
type transcript []struct {
	fromClient bool
	data       []byte
}

type recorder struct {
	net.Conn
	mu         *sync.Mutex
	t          *transcript
	fromClient bool
}

func (r recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	*r.t = append(*r.t, struct {
		fromClient bool
		data       []byte
	}{r.fromClient, bytes.Clone(p)})
	r.mu.Unlock()
	return r.Conn.Write(p)
}

func selfSigned(tb testing.TB, cn string, eku []x509.ExtKeyUsage, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn, Organization: []string{"tlscompat test"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), ExtKeyUsage: eku, DNSNames: []string{"sbc.example.test"}}
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.KeyUsage = true, true, x509.KeyUsageCertSign
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return cert, key, der
}

var (
	transcriptsOnce sync.Once
	transcripts     []transcript
)

// recordHandshakes runs n real crypto/tls connections over net.Pipe: TLS 1.2
// with a CertificateRequest (the client presents a certificate), TLS 1.2
// without, and TLS 1.3, each with a request and a response of application
// data and close_notify.
func recordHandshakes(tb testing.TB, n int) []transcript {
	transcriptsOnce.Do(func() {
		ca, caKey, caDER := selfSigned(tb, "tlscompat bench CA", nil, nil, nil)
		_, srvKey, srvDER := selfSigned(tb, "sbc.example.test", []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, ca, caKey)
		_, cliKey, cliDER := selfSigned(tb, "genesys client", []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, ca, caKey)
		srvCert := tls.Certificate{Certificate: [][]byte{srvDER, caDER}, PrivateKey: srvKey}
		cliCert := tls.Certificate{Certificate: [][]byte{cliDER, caDER}, PrivateKey: cliKey}
		pool := x509.NewCertPool()
		pool.AddCert(ca)
		for i := range n {
			var mu sync.Mutex
			var tr transcript
			c, s := net.Pipe()
			scfg := &tls.Config{Certificates: []tls.Certificate{srvCert}, ClientCAs: pool, MaxVersion: tls.VersionTLS12, SessionTicketsDisabled: true}
			ccfg := &tls.Config{RootCAs: pool, ServerName: "sbc.example.test", Certificates: []tls.Certificate{cliCert}}
			switch i % 3 {
			case 0:
				scfg.ClientAuth = tls.RequireAndVerifyClientCert
			case 2:
				scfg.MaxVersion = tls.VersionTLS13
			}
			sc := tls.Server(recorder{s, &mu, &tr, false}, scfg)
			cc := tls.Client(recorder{c, &mu, &tr, true}, ccfg)
			done := make(chan error, 1)
			go func() {
				buf := make([]byte, 512)
				k, err := sc.Read(buf)
				if err == nil {
					_, err = sc.Write(bytes.Repeat([]byte("SIP/2.0 200 OK\r\n"), 40)[:k+64])
				}
				sc.Close()
				done <- err
			}()
			if _, err := cc.Write([]byte("OPTIONS sip:bob@sbc.example.test SIP/2.0\r\nVia: SIP/2.0/TLS 192.0.2.10\r\n\r\n")); err != nil {
				tb.Fatal(err)
			}
			io.Copy(io.Discard, cc)
			cc.Close()
			if err := <-done; err != nil {
				tb.Fatal(err)
			}
			transcripts = append(transcripts, tr)
		}
	})
	return transcripts
}

// realisticCapture replays the transcripts as conns TCP connections, conc
// of them interleaved at a time, with varied client ports and initial
// sequence numbers, as an Ethernet pcap with timestamps 20 µs apart.
func realisticCapture(tb testing.TB, conns, conc int) []byte {
	trs := recordHandshakes(tb, 300)
	var frames [][]byte
	seed := uint32(2463534242)
	rnd := func() uint32 { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed }
	server := netip.MustParseAddrPort("198.51.100.5:5061")
	for g := 0; g < conns; g += conc {
		var group [][]frame
		for i := g; i < min(conns, g+conc); i++ {
			client := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 16), byte(i >> 8)}), uint16(1024+i%64000))
			var turns []turn
			for _, w := range trs[i%len(trs)] {
				turns = append(turns, turn{w.fromClient, w.data})
			}
			fs := conversation(client, server, 1448, turns...)
			d0, d1 := rnd(), rnd()
			group = append(group, shiftSeq(shiftSeq(fs, client, d0-1000), server, d1-900000))
		}
		for k := 0; ; k++ {
			more := false
			for _, s := range group {
				if k < len(s) {
					frames = append(frames, s[k].ethernet())
					more = true
				}
			}
			if !more {
				break
			}
		}
	}
	return pcapFileMicro(linkEthernet, frames)
}

var (
	realisticOnce sync.Once
	realisticFile []byte
)

// manyConnections is the benchmark's many-connection capture: 30,000
// connections, 8 at a time.
func manyConnections(tb testing.TB) []byte {
	realisticOnce.Do(func() { realisticFile = realisticCapture(tb, 30000, 8) })
	return realisticFile
}

// singleConnection is a reader of a pcap of one TLS 1.2 connection (a
// recorded handshake) followed by total bytes of application data in
// records of 1443 bytes, one per 1448-byte segment, generated as it is read.
type singleConnection struct {
	head []byte // pcap header and the handshake's frames
	tmpl []byte // one application data packet record
	seq  uint32
	left int64
	pos  int
	cur  []byte
}

func newSingleConnection(tb testing.TB, total int64) *singleConnection {
	tr := recordHandshakes(tb, 300)[1] // TLS 1.2 without a CertificateRequest
	var turns []turn
	for _, w := range tr {
		turns = append(turns, turn{w.fromClient, w.data})
	}
	fs := conversation(cli, srv, 1448, turns...)
	fs = fs[:len(fs)-2] // no FINs
	var seq uint32
	for _, f := range fs {
		if f.src == srv {
			seq = f.seq + uint32(len(f.payload))
		}
	}
	var frames [][]byte
	for _, f := range fs {
		frames = append(frames, f.ethernet())
	}
	rec := make([]byte, 1448)
	rec[0], rec[1], rec[2], rec[3], rec[4] = recordApplicationData, 3, 3, 1443>>8, 1443&0xff
	app := pcapFileMicro(linkEthernet, [][]byte{frame{srv, cli, 0, tcpACK, rec}.ethernet()})[24:]
	return &singleConnection{head: pcapFileMicro(linkEthernet, frames), tmpl: app, seq: seq, left: total}
}

func (s *singleConnection) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if s.pos == len(s.cur) {
			switch {
			case s.head != nil:
				s.cur, s.head = s.head, nil
			case s.left > 0:
				binary.BigEndian.PutUint32(s.tmpl[16+14+20+4:], s.seq)
				s.seq += 1448
				s.left -= 1448
				s.cur = s.tmpl
			default:
				if n == 0 {
					return 0, io.EOF
				}
				return n, nil
			}
			s.pos = 0
		}
		k := copy(p[n:], s.cur[s.pos:])
		s.pos += k
		n += k
	}
	return n, nil
}

// TestRealisticCapture: the generated recording reads as it was made:
// every connection is TLS and settles, a third with a CertificateRequest
// and a client certificate, a third without, a third TLS 1.3.
func TestRealisticCapture(t *testing.T) {
	data := realisticCapture(t, 3000, 8)
	counts := map[CertRequest]int{}
	var st Stats
	for c, err := range Connections(bytes.NewReader(data), Options{Stats: &st}) {
		if err != nil {
			t.Fatal(err)
		}
		if c.Err != nil || c.Protocol != ProtocolTLS {
			t.Fatalf("%v: %v %v", c.Client, c.Protocol, c.Err)
		}
		counts[c.CertRequest]++
		if c.CertRequest == CertRequestYes && c.ClientCertificates.Len() != 2 {
			t.Errorf("%v: client certificates %d, want 2", c.Client, c.ClientCertificates.Len())
		}
	}
	if counts[CertRequestYes] != 1000 || counts[CertRequestNo] != 1000 || counts[CertRequestEncrypted] != 1000 {
		t.Errorf("answers %v, want 1000 each of yes, no, encrypted", counts)
	}
	if st.PeakFlows > 16 {
		t.Errorf("%d flows held at once, want at most the 8 interleaved and the next 8 handshakes", st.PeakFlows)
	}
}

// TestSingleConnectionGiB: a 1 GiB single-connection stream is read with
// less than 64 MiB of heap.
func TestSingleConnectionGiB(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 1 GiB")
	}
	src := newSingleConnection(t, 1<<30) // records the handshakes first
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.TotalAlloc
	var st Stats
	n := 0
	for c, err := range Connections(src, Options{WholeConnection: true, Stats: &st}) {
		if err != nil {
			t.Fatal(err)
		}
		if c.CertRequest != CertRequestNo || c.Err != nil || c.ServerBytes < 1<<30 {
			t.Errorf("CertRequest %v, server bytes %d, Err %v", c.CertRequest, c.ServerBytes, c.Err)
		}
		n++
	}
	runtime.ReadMemStats(&ms)
	// Everything allocated while reading bounds the peak heap from above.
	if alloc := ms.TotalAlloc - base; n != 1 || alloc > 64<<20 {
		t.Errorf("%d connections; %d bytes allocated reading 1 GiB, want < 64 MiB", n, alloc)
	} else {
		t.Logf("1 GiB single connection: %d bytes allocated in all (the peak heap is at most that); flows held %d bytes", alloc, st.PeakMemory)
	}
}

// BenchmarkCapture reads the realistic many-connection capture (30,000
// short connections, handshake-dominated) and the single-connection
// stream (64 MiB, generated while it is read) with Connections
// (streaming) and with Read (collects every connection). The bytes per op are the file's: every byte is read
// from the input and every packet decoded; application data record bodies
// are skipped by the TLS scan. allocs/pkt is the allocations per packet.
func BenchmarkCapture(b *testing.B) {
	many := manyConnections(b)
	b.Run("many-connections/Connections", func(b *testing.B) {
		benchConnections(b, func() io.Reader { return bytes.NewReader(many) }, int64(len(many)), Options{})
	})
	b.Run("many-connections/Read", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(many)))
		for b.Loop() {
			conns, err := Read(bytes.NewReader(many))
			if err != nil || len(conns) != 30000 {
				b.Fatal(len(conns), err)
			}
		}
	})
	const single = 64 << 20
	// Connections reports the connection once its handshake is settled;
	// later packets are read and decoded to TCP, not scanned.
	b.Run("single-connection-64MiB/Connections", func(b *testing.B) {
		size, _ := io.Copy(io.Discard, newSingleConnection(b, single))
		benchConnections(b, func() io.Reader { return newSingleConnection(b, single) }, size, Options{})
	})
	// WholeConnection follows the connection to its end: every record
	// header is read by the Scanner (the record bodies are skipped).
	b.Run("single-connection-64MiB/WholeConnection", func(b *testing.B) {
		size, _ := io.Copy(io.Discard, newSingleConnection(b, single))
		benchConnections(b, func() io.Reader { return newSingleConnection(b, single) }, size, Options{WholeConnection: true})
	})
}

func benchConnections(b *testing.B, open func() io.Reader, size int64, o Options) {
	b.ReportAllocs()
	b.SetBytes(size)
	var st Stats
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	packets := 0
	for b.Loop() {
		n := 0
		o.Stats = &st
		for _, err := range Connections(open(), o) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n == 0 {
			b.Fatal("no connections")
		}
		packets += st.Packets
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(packets), "allocs/pkt")
	b.ReportMetric(float64(st.PeakMemory), "peak-flow-bytes")
}

// BenchmarkTshark times tshark on the same many-connection capture,
// written to a file: `tshark -r file -Y tls.handshake.type==13`, the
// command that lists CertificateRequests, beside ReadFile on that file.
func BenchmarkTshark(b *testing.B) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		b.Fatal("tshark is not installed (apt-get install tshark)")
	}
	name := filepath.Join(b.TempDir(), "many-connections.pcap")
	data := manyConnections(b)
	if err := os.WriteFile(name, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Run("tshark", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			out, err := exec.Command(tshark, "-r", name, "-n", "-d", "tcp.port==5061,tls", "-Y", "tls.handshake.type==13").Output()
			if err != nil || len(out) == 0 {
				b.Fatal(err)
			}
		}
	})
	b.Run("capture.ReadFile", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			conns, err := ReadFile(name)
			if err != nil || len(conns) != 30000 {
				b.Fatal(err)
			}
		}
	})
}

// TestSteadyStateAllocs: reading allocates a constant (the read buffer,
// the flow table, the first flows of the pools), not per packet: a capture
// with ten times the connections and packets costs the same allocations.
func TestSteadyStateAllocs(t *testing.T) {
	small, large := realisticCapture(t, 300, 8), realisticCapture(t, 3000, 8)
	allocs := func(data []byte) (float64, int) {
		var st Stats
		a := testing.AllocsPerRun(5, func() {
			for _, err := range Connections(bytes.NewReader(data), Options{Stats: &st}) {
				if err != nil {
					t.Fatal(err)
				}
			}
		})
		return a, st.Packets
	}
	as, ps := allocs(small)
	al, pl := allocs(large)
	t.Logf("%d packets: %.0f allocations; %d packets: %.0f allocations", ps, as, pl, al)
	if al > as+16 {
		t.Errorf("%.0f allocations for %d packets, %.0f for %d: allocations grow with the packets", al, pl, as, ps)
	}
}
