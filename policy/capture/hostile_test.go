package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSequenceHalfSpace is the input that used to panic
// ("slice bounds out of range [-2147483648:]"): a 166-byte pcap with two
// segments of one direction whose sequence numbers are 2^31 apart. Read
// must answer, not panic: the second segment lies half the sequence space
// away, which RFC 9293's modular comparison does not count as behind, so it
// waits for a hole that never fills.
func TestSequenceHalfSpace(t *testing.T) {
	t.Parallel()
	const s0 = 0x1234
	fs := []frame{
		{cli, srv, s0, tcpACK, []byte{recordHandshake}},
		{cli, srv, s0 + 1 + 1<<31, tcpACK, []byte{3}},
	}
	file := pcapFile(linkEthernet, ethernetFrames(fs))
	if len(file) != 166 {
		t.Fatalf("file is %d bytes, want the 166 of the report", len(file))
	}
	for _, seqs := range [][2]uint32{{s0, s0 + 1 + 1<<31}, {s0, s0 + 1<<31}, {0xffffffff, 0x7fffffff}, {0, 1 << 31}, {1 << 31, 0}} {
		fs[0].seq, fs[1].seq = seqs[0], seqs[1]
		conns, err := Read(bytes.NewReader(pcapFile(linkEthernet, ethernetFrames(fs))))
		if err != nil || len(conns) != 1 {
			t.Fatalf("seqs %#x: %d connections, %v", seqs, len(conns), err)
		}
		if c := conns[0]; c.CertRequest.Known() {
			t.Errorf("seqs %#x: CertRequest %v from one byte", seqs, c.CertRequest)
		}
	}
}

// shiftSeq adds delta to the sequence numbers of one side's frames.
func shiftSeq(fs []frame, from netip.AddrPort, delta uint32) []frame {
	out := slices.Clone(fs)
	for i := range out {
		if out[i].src == from {
			out[i].seq += delta
		}
	}
	return out
}

// TestSequenceWrap: streams whose sequence numbers wrap past 2^32 in the
// middle of the handshake, in order and shuffled, give the in-order answer.
func TestSequenceWrap(t *testing.T) {
	t.Parallel()
	c2s, s2c := tls12Streams(true, 1<<14, 3000)
	base := tcpSession(cli, srv, c2s, s2c, 97)
	for _, delta := range []uint32{0, 0xffffffff - 1000, 0xffffffff - 900000 - 500, 1 << 31, 0x7fffffff} {
		fs := shiftSeq(shiftSeq(base, cli, delta), srv, delta)
		rev := slices.Clone(fs)
		slices.Reverse(rev[3 : len(rev)-2])
		for name, frames := range map[string][]frame{"in order": fs, "reversed": rev} {
			conns, err := Read(bytes.NewReader(pcapFile(linkEthernet, ethernetFrames(frames))))
			if err != nil || len(conns) != 1 {
				t.Fatalf("delta %#x %s: %d connections, %v", delta, name, len(conns), err)
			}
			if c := conns[0]; c.CertRequest != CertRequestYes || c.Err != nil || c.ServerBytes != int64(len(s2c)) {
				t.Errorf("delta %#x %s: CertRequest %v, server bytes %d, Err %v", delta, name, c.CertRequest, c.ServerBytes, c.Err)
			}
		}
	}
}

// TestConflictingRetransmission: a second copy of the server's flight whose
// CertificateRequest type byte differs (ServerKeyExchange instead) would
// give "yes" or "no" depending on which copy comes first. Both orders must
// answer CertRequestConflict with ErrConflict, and an identical copy must
// not.
func TestConflictingRetransmission(t *testing.T) {
	t.Parallel()
	cr := certRequestMsg(true, []byte{1, 64}, []uint16{0x0403, 0x0804}, caDN)
	flight := record(recordHandshake, cat(serverHello(0x0303, 0, false), certificateMsg([]byte("leaf-der")), cr, serverHelloDone())...)
	finished := record(recordHandshake, 20, 0, 0, 1, 0)
	fs := conversation(cli, srv, 1<<14,
		turn{true, record(recordHandshake, clientHello(0x0303, nil, "sbc.example.test")...)},
		turn{false, flight},
		turn{true, cat(record(recordHandshake, certificateMsg()...), record(recordChangeCipherSpec, 1), finished)},
		turn{false, cat(record(recordChangeCipherSpec, 1), finished)})
	i := slices.IndexFunc(fs, func(f frame) bool { return f.src == srv && len(f.payload) > 0 })
	orig := fs[i]
	at := bytes.Index(orig.payload, cr)
	if at < 0 {
		t.Fatal("no CertificateRequest in the first server segment")
	}
	other := orig
	other.payload = slices.Clone(orig.payload)
	other.payload[at] = typeServerKeyExchange
	for _, tc := range []struct {
		name  string
		first frame
		then  frame
		want  CertRequest
	}{
		{"original first", orig, other, CertRequestConflict},
		{"altered first", other, orig, CertRequestConflict},
		{"identical copy", orig, orig, CertRequestYes},
		{"altered only", other, other, CertRequestNo},
	} {
		frames := slices.Concat(fs[:i], []frame{tc.first, tc.then}, fs[i+1:])
		conns, err := Read(bytes.NewReader(pcapFile(linkEthernet, ethernetFrames(frames))))
		if err != nil || len(conns) != 1 {
			t.Fatalf("%s: %d connections, %v", tc.name, len(conns), err)
		}
		c := conns[0]
		if c.CertRequest != tc.want || (tc.want == CertRequestConflict) != errors.Is(c.Err, ErrConflict) {
			t.Errorf("%s: CertRequest %v, Err %v; want %v", tc.name, c.CertRequest, c.Err, tc.want)
		}
		if tc.want == CertRequestConflict {
			var e *Error
			if !errors.As(c.Err, &e) || e.Dir != ServerToClient || e.Offset != int64(at) {
				t.Errorf("%s: error %v does not name server->client byte %d", tc.name, c.Err, at)
			}
		}
	}
}

// TestNotTLS: a plaintext SIP/TCP connection is reported as not TLS (its
// first bytes), beside a TLS connection; a connection seen from its middle
// whose bytes are not TLS is unrecognized, not "not TLS".
func TestNotTLS(t *testing.T) {
	t.Parallel()
	sip := []byte("OPTIONS sip:bob@sbc.example.test SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.10:50000\r\n\r\n")
	c2s, s2c := tls12Streams(true, 1<<14, 0)
	cliB := netip.MustParseAddrPort("192.0.2.10:50001")
	cliC := netip.MustParseAddrPort("192.0.2.10:50002")
	fs := slices.Concat(tcpSession(cli, srv, sip, []byte("SIP/2.0 200 OK\r\n\r\n"), 60),
		tcpSession(cliB, srv, c2s, s2c, 500),
		tcpSession(cliC, srv, sip, nil, 60)[3:])
	var st Stats
	var got []string
	for c, err := range Connections(bytes.NewReader(pcapFile(linkEthernet, ethernetFrames(fs))), Options{Stats: &st}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, c.Client.String()+" "+c.Protocol.String()+" "+c.CertRequest.String()+" "+string(c.FirstBytes))
		if c.Protocol != ProtocolTLS && (c.CertRequest != CertRequestUnknown || c.Err != nil || c.ClientHello.Seen) {
			t.Errorf("%v: %v CertRequest %v Err %v", c.Client, c.Protocol, c.CertRequest, c.Err)
		}
	}
	want := []string{
		"192.0.2.10:50000 not-tls unknown " + string(sip[:32]),
		"192.0.2.10:50001 tls yes ",
		"192.0.2.10:50002 unrecognized unknown " + string(sip[:32]),
	}
	slices.Sort(got) // streaming reports in the order the connections settle or end
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if st.TLS != 1 || st.NotTLS != 1 || st.Unrecognized != 1 || st.Connections != 3 {
		t.Errorf("stats %+v: want 1 TLS, 1 not TLS, 1 unrecognized", st)
	}
}

// pcapFileMicro is pcapFile with timestamps 10 µs apart (pcapFile's are a
// second apart, which would make the idle timeout release flows).
func pcapFileMicro(link uint32, frames [][]byte) []byte {
	b := pcapFile(link, nil)
	for i, fr := range frames {
		var r [16]byte
		binary.LittleEndian.PutUint32(r[0:], uint32(1700000000+i/100000))
		binary.LittleEndian.PutUint32(r[4:], uint32(i%100000*10))
		binary.LittleEndian.PutUint32(r[8:], uint32(len(fr)))
		binary.LittleEndian.PutUint32(r[12:], uint32(len(fr)))
		b = append(append(b, r[:]...), fr...)
	}
	return b
}

// clientPort returns the i-th of many client endpoints.
func clientPort(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), uint16(1024+i%60000))
}

// manyFlows builds capture shapes in memory: many short TLS connections
// (conc of them in progress at any time), a SYN flood, connections that
// send a ClientHello and nothing more, and a pcapng with one Interface
// Description Block per packet.
func manyFlows(shape string, n, conc int) []byte {
	c2s, s2c := tls12Streams(true, 1<<14, 200)
	var frames [][]byte
	switch shape {
	case "short-connections":
		for g := 0; g < n; g += conc {
			var group [][]frame
			for i := g; i < min(n, g+conc); i++ {
				group = append(group, tcpSession(clientPort(i), srv, c2s, s2c, 1400))
			}
			for k := 0; ; k++ {
				any := false
				for _, s := range group {
					if k < len(s) {
						frames = append(frames, s[k].ethernet())
						any = true
					}
				}
				if !any {
					break
				}
			}
		}
	case "syn-flood":
		for i := range n {
			frames = append(frames, frame{clientPort(i), srv, uint32(i * 7919), tcpSYN, nil}.ethernet())
		}
	case "clienthello-only":
		hello := record(recordHandshake, clientHello(0x0303, []uint16{0x0304, 0x0303}, "sbc.example.test")...)
		for i := range n {
			frames = append(frames, frame{clientPort(i), srv, 5000, tcpSYN, nil}.ethernet(),
				frame{clientPort(i), srv, 5001, tcpACK, hello}.ethernet())
		}
	}
	return pcapFileMicro(linkEthernet, frames)
}

// interfaceFlood is a pcapng whose every packet comes with its own
// Interface Description Block (with a 200-byte name option).
func interfaceFlood(n int) []byte {
	le := binary.LittleEndian
	block := func(typ uint32, body []byte) []byte {
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
		b := le.AppendUint32(nil, typ)
		b = le.AppendUint32(b, uint32(12+len(body)))
		b = append(b, body...)
		return le.AppendUint32(b, uint32(12+len(body)))
	}
	out := block(0x0a0d0d0a, []byte{0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	name := le.AppendUint16(le.AppendUint16(nil, 2), 200)
	name = append(name, bytes.Repeat([]byte{'i'}, 200)...)
	syn := frame{cli, srv, 1, tcpSYN, nil}.ethernet()
	for i := range n {
		out = append(out, block(1, slices.Concat([]byte{1, 0, 0, 0, 0, 0, 4, 0}, name))...)
		epb := le.AppendUint32(nil, uint32(i))
		epb = le.AppendUint32(epb, 0)
		epb = le.AppendUint32(epb, uint32(i))
		epb = le.AppendUint32(epb, uint32(len(syn)))
		epb = le.AppendUint32(epb, uint32(len(syn)))
		out = append(out, block(6, append(epb, syn...))...)
	}
	return out
}

// peakHeap reads data with Connections and returns the largest heap in
// use above the heap before reading (data included in neither), sampled as
// connections are reported and at the end.
func peakHeap(t *testing.T, data []byte, o Options) (peak uint64, st Stats) {
	t.Helper()
	o.Stats = &st
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	sample := func() {
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > base && ms.HeapAlloc-base > peak {
			peak = ms.HeapAlloc - base
		}
	}
	n := 0
	for _, err := range Connections(bytes.NewReader(data), o) {
		if err != nil {
			t.Fatal(err)
		}
		if n%1024 == 0 {
			sample()
		}
		n++
	}
	sample()
	return peak, st
}

// TestHeapPerFileByte: on every capture shape, built in memory, the heap
// held while reading stays below 8 bytes per byte of the file, and the
// flows in progress stay within the memory budget.
func TestHeapPerFileByte(t *testing.T) {
	if testing.Short() {
		t.Skip("builds captures of tens of MB")
	}
	for _, tc := range []struct {
		name string
		data []byte
		o    Options
	}{
		{"20000 short connections, 50 at a time", manyFlows("short-connections", 20000, 50), Options{}},
		{"20000 short connections, all at once", manyFlows("short-connections", 20000, 20000), Options{}},
		{"whole connections, 2000 at once", manyFlows("short-connections", 2000, 2000), Options{WholeConnection: true}},
		{"200000 SYNs", manyFlows("syn-flood", 200000, 0), Options{}},
		{"50000 ClientHellos", manyFlows("clienthello-only", 50000, 0), Options{}},
		{"100000 pcapng interfaces", interfaceFlood(100000), Options{}},
		{"budget 1 MiB, 20000 at once", manyFlows("short-connections", 20000, 20000), Options{MemoryBudget: 1 << 20}},
	} {
		peak, st := peakHeap(t, tc.data, tc.o)
		ratio := float64(peak) / float64(len(tc.data))
		t.Logf("%s: file %.1f MB, peak heap %.1f MB (%.2f bytes per file byte), stats %+v",
			tc.name, float64(len(tc.data))/1e6, float64(peak)/1e6, ratio, st)
		if ratio >= 8 {
			t.Errorf("%s: %.2f bytes of heap per file byte, want < 8", tc.name, ratio)
		}
		budget := tc.o.MemoryBudget
		if budget == 0 {
			budget = DefaultMemoryBudget
		}
		if st.PeakMemory > budget+maxPacketRun {
			t.Errorf("%s: flows held %d bytes, budget %d", tc.name, st.PeakMemory, budget)
		}
		// The Go heap also holds garbage until the collector runs (at
		// least 4 MB with GOGC=100), the read buffer, and map tables that
		// do not shrink (sized for the most flows held at once): measured
		// live after GC, 3.8 MB with a 1 MiB budget.
		if tc.o.MemoryBudget > 0 && (st.Released == 0 || uint64(peak) > uint64(2*budget)+16<<20) {
			t.Errorf("%s: budget %d: released %d, peak heap %d", tc.name, budget, st.Released, peak)
		}
	}
}

// TestBudgetReported: connections released by the budget say so.
func TestBudgetReported(t *testing.T) {
	t.Parallel()
	data := manyFlows("short-connections", 300, 300)
	var st Stats
	released := 0
	for c, err := range Connections(bytes.NewReader(data), Options{MemoryBudget: 64 << 10, Stats: &st}) {
		if err != nil {
			t.Fatal(err)
		}
		if errors.Is(c.Err, ErrMemoryBudget) {
			released++
			if !strings.Contains(c.Err.Error(), "memory budget of 65536 bytes reached") || c.CertRequest == CertRequestYes && c.Protocol != ProtocolTLS {
				t.Errorf("%v: %v", c.Client, c.Err)
			}
		}
	}
	if released == 0 || released != st.Released {
		t.Errorf("%d connections carry ErrMemoryBudget, Stats.Released %d; want the same, > 0", released, st.Released)
	}
}

// TestMutatedCaptures runs FuzzReadFields' mutator over the committed
// captures with 3000 pseudo-random mutation sequences and, for every TCP
// packet of every capture, the flip of the sequence number's top bit that
// used to panic: reading must neither panic nor fail.
func TestMutatedCaptures(t *testing.T) {
	t.Parallel()
	caps := parsedCaptures(t)
	check := func(fc fuzzCapture, ops []byte) {
		pkts := mutateFields(fc.pkts, ops)
		frames := make([][]byte, len(pkts))
		for i, p := range pkts {
			frames[i] = p.data
		}
		conns, err := Read(bytes.NewReader(pcapFile(uint32(fc.link), frames)))
		if err != nil {
			t.Fatalf("ops %x: %v", ops, err)
		}
		for _, c := range conns {
			exercise(c)
		}
	}
	for _, fc := range caps {
		for i := range fc.pkts {
			check(fc, []byte{byte(i), 3, 0, 0, 0, 0})
		}
	}
	seed := uint32(88172645)
	for range 3000 {
		ops := make([]byte, 6*(1+seed%4))
		for j := range ops {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			ops[j] = byte(seed)
		}
		check(caps[int(seed>>8)%len(caps)], ops)
	}
}

// TestStreamingAgreesWithRead: on every committed capture and on a TLS 1.3
// HelloRetryRequest with middlebox ChangeCipherSpecs, streaming
// (Connections reports at the settled handshake) gives the answers of Read
// (whole connections).
func TestStreamingAgreesWithRead(t *testing.T) {
	t.Parallel()
	inputs := map[string][]byte{}
	files, _ := filepath.Glob("testdata/*.pcap*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = b
	}
	inputs["hrr"] = pcapFile(linkEthernet, ethernetFrames(conversation(cli, srv, 1460,
		turn{true, cat(record(recordHandshake, clientHello(0x0303, []uint16{0x0304, 0x0303}, "first")...), record(recordChangeCipherSpec, 1))},
		turn{false, cat(record(recordHandshake, serverHello(0x0303, 0x0304, true)...), record(recordChangeCipherSpec, 1))},
		turn{true, record(recordHandshake, clientHello(0x0303, []uint16{0x0304}, "second")...)},
		turn{false, record(recordAlert, 2, 47)})))
	key := func(c Connection) string {
		return fmt.Sprintf("%v %v %v %v %q %v %d %d", c.Client, c.CertRequest, c.Version, c.ClientHello.Offered(), c.ClientHello.ServerName,
			c.ClientCertificateSent, c.ClientCertificates.Len(), c.ServerCertificates.Len())
	}
	for name, data := range inputs {
		whole, err := Read(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var want, got []string
		for _, c := range whole {
			want = append(want, key(c))
		}
		for c, err := range Connections(bytes.NewReader(data), Options{}) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, key(c))
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: streaming\n%q\nRead\n%q", name, got, want)
		}
	}
}

// TestIdleTimeout: a flow without packets for longer than IdleTimeout (in
// capture time) is reported and released while the capture goes on.
func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	c2s, _ := tls12Streams(true, 1<<14, 0)
	cliB := netip.MustParseAddrPort("192.0.2.10:50001")
	// A: a ClientHello and silence; B: a whole connection, one frame per
	// second of capture time (pcapFile).
	a := tcpSession(cli, srv, c2s[:100], nil, 100)[:4]
	c2sB, s2cB := tls12Streams(false, 1<<14, 0)
	fs := slices.Concat(a, tcpSession(cliB, srv, c2sB, s2cB, 200))
	var order []string
	for c, err := range Connections(bytes.NewReader(pcapFile(linkEthernet, ethernetFrames(fs))), Options{IdleTimeout: 3 * time.Second, WholeConnection: true}) {
		if err != nil {
			t.Fatal(err)
		}
		order = append(order, fmt.Sprintf("%v %v last %d", c.Client, c.CertRequest, c.LastPacket))
	}
	if len(order) != 2 || !strings.HasPrefix(order[0], cli.String()+" incomplete capture last 4") {
		t.Errorf("reported %q; want A (incomplete, last packet 4) first, released by the idle timeout", order)
	}
}

// TestBreak: a caller may stop ranging over Connections at any point,
// also before a damaged file's error.
func TestBreak(t *testing.T) {
	t.Parallel()
	data := manyFlows("short-connections", 20, 5)
	for _, stopAt := range []int{1, 3, 20} {
		n := 0
		for range Connections(bytes.NewReader(data[:len(data)-7]), Options{}) {
			n++
			if n == stopAt {
				break
			}
		}
		if n != stopAt {
			t.Errorf("stopped at %d, want %d", n, stopAt)
		}
	}
}

// TestClosedFlowsReleased: connections closed by FIN from both sides are
// released even when the capture holds no final ACK, also when whole
// connections are reported (Read's mode): the flows held stay few.
func TestClosedFlowsReleased(t *testing.T) {
	t.Parallel()
	data := manyFlows("short-connections", 2000, 10)
	var st Stats
	n := 0
	for c, err := range Connections(bytes.NewReader(data), Options{WholeConnection: true, Stats: &st}) {
		if err != nil || c.Err != nil {
			t.Fatal(err, c.Err)
		}
		n++
	}
	if n != 2000 || st.PeakFlows > 10+closeWait {
		t.Errorf("%d connections, %d flows held at once; want 2000 and at most %d", n, st.PeakFlows, 10+closeWait)
	}
}
