package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// readSource returns every packet (link type and a copy of the data) that
// Read's file reader yields for data.
func readSource(t *testing.T, data []byte) (links []uint16, pkts []string) {
	t.Helper()
	src := newFileReader(bytes.NewReader(data))
	if err := src.open(); err != nil {
		t.Fatalf("open: %v", err)
	}
	for {
		link, _, p, err := src.next()
		if err == io.EOF {
			return links, pkts
		}
		if err != nil {
			t.Fatalf("next: %v", err)
		}
		links, pkts = append(links, link), append(pkts, string(p))
	}
}

// TestPcapngMixedLinkTypes: each pcapng packet is decoded with the link type
// of its own interface. Two interfaces (Ethernet, raw IP) carry one TLS
// connection each; Read finds both.
func TestPcapngMixedLinkTypes(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&buf, pcapgo.NgInterface{Name: "eth0", LinkType: layers.LinkTypeEthernet}, pcapgo.DefaultNgWriterOptions)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := w.AddInterface(pcapgo.NgInterface{Name: "tun0", LinkType: layers.LinkType(linkRaw), TimestampResolution: 9})
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	write := func(iface int, data []byte) {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(data), Length: len(data), InterfaceIndex: iface}, data); err != nil {
			t.Fatal(err)
		}
	}
	c2s, s2c := tls12Streams(true, 1<<14, 0)
	cli2 := netip.MustParseAddrPort("198.51.100.7:41000")
	for _, f := range tcpSession(cli, srv, c2s, s2c, 500) {
		write(0, f.ethernet())
	}
	c2s, s2c = tls12Streams(false, 1<<14, 0)
	for _, f := range tcpSession(cli2, srv, c2s, s2c, 500) {
		write(raw, f.ip())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	links, _ := readSource(t, buf.Bytes())
	if len(links) == 0 || links[0] != linkEthernet || links[len(links)-1] != linkRaw {
		t.Errorf("link types %v, want Ethernet first and raw IP last", links)
	}
	conns, err := Read(bytes.NewReader(buf.Bytes()))
	if err != nil || len(conns) != 2 {
		t.Fatalf("Read: %d connections, %v", len(conns), err)
	}
	ng, err := pcapgo.NewNgReader(bytes.NewReader(buf.Bytes()), pcapgo.NgReaderOptions{WantMixedLinkType: true})
	if err != nil {
		t.Fatal(err)
	}
	if viaSource, err := ReadPackets(ng); err != nil || len(viaSource) != 2 {
		t.Errorf("ReadPackets(NgReader with WantMixedLinkType): %d connections, %v", len(viaSource), err)
	}
	for i, want := range []struct {
		client netip.AddrPort
		cr     CertRequest
	}{{cli, CertRequestYes}, {cli2, CertRequestNo}} {
		if c := conns[i]; c.Client != want.client || c.CertRequest != want.cr || c.Err != nil {
			t.Errorf("connection %d: client %v CertRequest %v Err %v; want %v %v", i, c.Client, c.CertRequest, c.Err, want.client, want.cr)
		}
	}
}

// TestBigEndianAndSimpleBlocks: a big-endian pcap, and a big-endian pcapng
// with a Simple Packet Block and an obsolete Packet Block.
func TestBigEndianAndSimpleBlocks(t *testing.T) {
	t.Parallel()
	be := binary.BigEndian
	pcap := be.AppendUint32(nil, 0xa1b2c3d4)
	pcap = be.AppendUint16(pcap, 2)
	pcap = be.AppendUint16(pcap, 4)
	pcap = append(pcap, make([]byte, 8)...)
	pcap = be.AppendUint32(pcap, 65535)
	pcap = be.AppendUint32(pcap, 101)
	pcap = be.AppendUint32(pcap, 1000)
	pcap = be.AppendUint32(pcap, 5)
	pcap = be.AppendUint32(pcap, 3)
	pcap = be.AppendUint32(pcap, 3)
	pcap = append(pcap, "abc"...)
	if links, pkts := readSource(t, pcap); len(pkts) != 1 || pkts[0] != "abc" || links[0] != 101 {
		t.Errorf("big-endian pcap: %v %q", links, pkts)
	}

	shb := ngBlock(0x0a0d0d0a, []byte{0x1a, 0x2b, 0x3c, 0x4d, 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	idb := ngBlock(1, []byte{0, 228, 0, 0, 0, 0, 0, 4})
	spb := ngBlock(3, append(be.AppendUint32(nil, 2), "hi"...))
	obsolete := ngBlock(2, append([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3}, "old"...))
	links, pkts := readSource(t, bytes.Join([][]byte{shb, idb, spb, obsolete}, nil))
	if len(pkts) != 2 || pkts[0] != "hi" || pkts[1] != "old" || links[0] != 228 || links[1] != 228 {
		t.Errorf("big-endian pcapng: %v %q", links, pkts)
	}
}

// ngBlock builds a big-endian pcapng block.
func ngBlock(typ uint32, body []byte) []byte {
	be := binary.BigEndian
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	b := be.AppendUint32(nil, typ)
	b = be.AppendUint32(b, uint32(12+len(body)))
	b = append(b, body...)
	return be.AppendUint32(b, uint32(12+len(body)))
}

// countingReader counts the bytes read from r.
type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}

// zeros is an endless stream of zero bytes.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// TestHostileLengths: length fields claiming gigabytes are refused before
// the bytes are read (pcap), or after at most maxPacketRun bytes of the
// file (pcapng), even when the input never ends; the errors name the packet.
// Not parallel: it measures allocation.
func TestHostileLengths(t *testing.T) {
	// pcap with snap length 2^32-1 and a packet claiming 1 GiB.
	good := pcapFile(linkEthernet, ethernetFrames(tcpSession(cli, srv, []byte{22, 3, 3, 0, 0}, nil, 100)))
	hostile := bytes.Clone(good[:24+16])
	binary.LittleEndian.PutUint32(hostile[16:], 0xffffffff)
	binary.LittleEndian.PutUint32(hostile[24+8:], 1<<30)
	binary.LittleEndian.PutUint32(hostile[24+12:], 1<<30)

	// pcapng: an Enhanced Packet Block claiming 2 GiB of data, then an
	// endless stream.
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriter(&buf, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: 4, Length: 4}, []byte("abcd")); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	ng := bytes.Clone(buf.Bytes())
	epb := binary.LittleEndian.AppendUint32(nil, 6)
	epb = binary.LittleEndian.AppendUint32(epb, 0x7ffffff0)
	epb = append(epb, make([]byte, 12)...)
	epb = binary.LittleEndian.AppendUint32(epb, 0x7fffffff) // captured length
	epb = binary.LittleEndian.AppendUint32(epb, 0x7fffffff)

	for _, tc := range []struct {
		name    string
		r       io.Reader
		want    string
		packet  int
		maxRead int64 // most bytes Read may take from the input
	}{
		{"pcap snap length 4 GiB, packet 1 GiB", io.MultiReader(bytes.NewReader(hostile), &zeros{}),
			"capture: packet 1 at file byte 24: pcap: captured length 1073741824 exceeds 262144", 1, 1 << 17},
		{"pcapng packet 2 GiB", io.MultiReader(bytes.NewReader(ng), bytes.NewReader(epb), &zeros{}),
			"capture: packet 2 at file byte " + strconv.Itoa(len(ng)) + ": pcapng: no complete packet within 4194304 bytes (a 2147483632-byte Enhanced Packet Block)", 2, 1 << 17},
		{"pcapng packet 2 GiB, short file", io.MultiReader(bytes.NewReader(ng), bytes.NewReader(epb)),
			"capture: packet 2 at file byte " + strconv.Itoa(len(ng)) + ": pcapng: no complete packet within 4194304 bytes", 2, 1 << 17},
	} {
		in := &countingReader{r: tc.r, limit: 1 << 40}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Read(in)
		runtime.ReadMemStats(&after)
		var e *Error
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || !errors.As(err, &e) || e.Packet != tc.packet {
			t.Errorf("%s: Read() error = %v, want prefix %q (packet %d)", tc.name, err, tc.want, tc.packet)
		}
		if in.n > tc.maxRead {
			t.Errorf("%s: Read took %d bytes of the input, want at most %d", tc.name, in.n, tc.maxRead)
		}
		// The reader's buffer (256 KiB) grows only for a block it has to
		// hold, at most maxPacketRun; length fields are checked before.
		// What matters is that it is nowhere near the gigabytes the length
		// fields claim.
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(10*tc.maxRead+1<<20); got > limit {
			t.Errorf("%s: Read allocated %d bytes, want at most %d", tc.name, got, limit)
		}
		t.Logf("%s: %v; read %d bytes, allocated %d", tc.name, err, in.n, after.TotalAlloc-before.TotalAlloc)
	}
}

// TestPcapngSections: a second section (in the other byte order) starts
// with no interfaces; a packet of an undescribed interface is an error that
// names it.
func TestPcapngSections(t *testing.T) {
	t.Parallel()
	le := binary.LittleEndian
	leBlock := func(typ uint32, body []byte) []byte {
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
		b := le.AppendUint32(nil, typ)
		b = le.AppendUint32(b, uint32(12+len(body)))
		return le.AppendUint32(append(b, body...), uint32(12+len(body)))
	}
	epb := func(iface uint32, data string) []byte {
		b := le.AppendUint32(nil, iface)
		b = append(b, make([]byte, 8)...)
		b = le.AppendUint32(b, uint32(len(data)))
		b = le.AppendUint32(b, uint32(len(data)))
		return leBlock(6, append(b, data...))
	}
	shbLE := leBlock(0x0a0d0d0a, []byte{0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	// if_tsresol 9 (nanoseconds) as an option of the interface.
	idbLE := leBlock(1, []byte{101, 0, 0, 0, 0, 0, 1, 0, 9, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0})
	shbBE := ngBlock(0x0a0d0d0a, []byte{0x1a, 0x2b, 0x3c, 0x4d, 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	idbBE := ngBlock(1, []byte{0, 228, 0, 0, 0, 0, 0, 4})
	file := slices.Concat(shbLE, idbLE, epb(0, "one"), shbBE, idbBE, ngBlock(3, append(binary.BigEndian.AppendUint32(nil, 3), "two"...)))
	links, pkts := readSource(t, file)
	if !slices.Equal(links, []uint16{101, 228}) || !slices.Equal(pkts, []string{"one", "two"}) {
		t.Errorf("links %v packets %q", links, pkts)
	}
	bad := slices.Concat(shbLE, idbLE, epb(0, "one"), shbLE, epb(0, "two"))
	_, err := Read(bytes.NewReader(bad))
	var e *Error
	if err == nil || !strings.Contains(err.Error(), "pcapng: Enhanced Packet Block: interface 0 is not described (0 interfaces)") || !errors.As(err, &e) || e.Packet != 2 {
		t.Errorf("packet of an interface of the previous section: %v", err)
	}
}
