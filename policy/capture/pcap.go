package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// PacketSource is a source of captured link-layer frames for ReadPackets.
// The pcap and pcapng readers of github.com/gopacket/gopacket/pcapgo
// (*pcapgo.Reader, *pcapgo.NgReader) satisfy it.
type PacketSource interface {
	ReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error)
	LinkType() layers.LinkType
}

// Limits of TCP reassembly per direction: out-of-order data kept while
// waiting for the missing bytes.
const (
	maxPendingBytes    = 4 << 20
	maxPendingSegments = 4096
)

// ReadFile reads a pcap or pcapng file (detected from its first bytes) and
// returns the TCP connections that carried data, in the order of their first
// packet. See Read.
func ReadFile(name string) ([]Connection, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	conns, err := Read(f)
	if err != nil {
		return conns, fmt.Errorf("%s: %w", name, err)
	}
	return conns, nil
}

// Read reads a pcap or pcapng capture and returns the TCP connections that
// carried data, in the order of their first packet, each scanned as TLS.
// The format is detected from the first four bytes; the file is read with
// the pure-Go readers of github.com/gopacket/gopacket/pcapgo, and in pcapng
// each packet is decoded with the link type of its own interface.
// Link types: Ethernet (with VLAN tags), Linux cooked capture v1 and v2, BSD
// loopback (NULL, LOOP) and raw IP; IPv4 and IPv6. An IPv4 total length
// of 0 (a segment captured on its sender before TCP segmentation offload)
// means the captured length, as in Wireshark. TCP segments are
// reassembled per direction: retransmitted and overlapping bytes are
// dropped, out-of-order segments wait for the missing bytes, and a hole that
// never fills stops that direction with an error wrapping ErrGap. The client
// is the side that sent the SYN or, when the capture starts mid-connection,
// the side whose first bytes are a ClientHello.
//
// A damaged file yields the connections read before the damage together with
// a *Error that names the packet and the file offset where reading it
// started, and wraps the pcapgo reader's error (for a truncated file,
// io.ErrUnexpectedEOF). Packets longer than 256 KiB (libpcap's largest snap
// length) are refused, and at most 4 MiB of the file are read in search of
// one packet, so a hostile length field cannot make Read allocate more than
// a small multiple of that. Compressed (gzip) captures are refused:
// decompress them first. A parse error inside a connection is in that
// Connection's Err.
func Read(r io.Reader) ([]Connection, error) {
	cr := &countingReader{r: r, limit: maxPacketRun}
	br := bufio.NewReaderSize(cr, 16<<10)
	src, err := openPcap(br)
	if err != nil {
		return nil, &Error{What: "file header", Err: err}
	}
	var t tracker
	for {
		start := cr.n - int64(br.Buffered())
		cr.limit = cr.n + maxPacketRun
		link, data, err := src.next()
		if err == io.EOF {
			break
		}
		if err == nil && len(data) > maxPacket {
			err = fmt.Errorf("%s: captured length %d exceeds %d", src.format(), len(data), maxPacket)
		}
		if err != nil {
			if cr.hit {
				err = fmt.Errorf("%s: no complete packet within %d bytes (a damaged length field?)", src.format(), maxPacketRun)
			}
			return t.finish(), &Error{Packet: t.n + 1, Offset: start, Err: err}
		}
		t.packet(link, data)
	}
	return t.finish(), nil
}

// Limits on what one packet may cost while reading a file.
const (
	maxPacket    = 1 << 18 // largest captured packet: libpcap's MAXIMUM_SNAPLEN
	maxPacketRun = 1 << 22 // most bytes read for one packet, with the blocks before it
)

var errTooLong = errors.New("read limit reached")

// countingReader counts the bytes pulled from r and refuses to pull more
// than limit. Read subtracts what its bufio.Reader still buffers to get the
// offset pcapgo has reached: pcapgo reads through that same bufio.Reader
// (bufio.NewReader returns a *bufio.Reader of sufficient size unchanged).
type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
	hit   bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n >= c.limit {
		c.hit = true
		return 0, errTooLong
	}
	if int64(len(p)) > c.limit-c.n {
		p = p[:c.limit-c.n]
	}
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}

// pcapSource is a pcapgo reader of either format.
type pcapSource struct {
	pcap *pcapgo.Reader
	ng   *pcapgo.NgReader
}

// openPcap detects the format from the magic number and opens the matching
// pcapgo reader.
func openPcap(br *bufio.Reader) (src pcapSource, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("pcapgo panicked: %v", p)
		}
	}()
	magic, err := br.Peek(4)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return src, fmt.Errorf("reading the magic number: %w", err)
	}
	switch binary.LittleEndian.Uint32(magic) {
	case 0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1:
		r, err := pcapgo.NewReader(br)
		if err != nil {
			return src, fmt.Errorf("pcap: %w", noEOF(err))
		}
		if r.Snaplen() > maxPacket {
			// pcapgo accepts packets up to the file's snap length; a
			// hostile one would let a packet claim gigabytes.
			r.SetSnaplen(maxPacket)
		}
		src.pcap = r
	case 0x0a0d0d0a:
		r, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			return src, fmt.Errorf("pcapng: %w", noEOF(err))
		}
		src.ng = r
	default:
		if magic[0] == 0x1f && magic[1] == 0x8b {
			return src, errors.New("the file is gzip-compressed: decompress it first")
		}
		return src, fmt.Errorf("magic number % x is neither pcap nor pcapng", magic)
	}
	return src, nil
}

func (s pcapSource) format() string {
	if s.ng != nil {
		return "pcapng"
	}
	return "pcap"
}

// next returns the next packet and its link type. The data is valid until
// the next call. A panic in pcapgo on a damaged file becomes an error.
func (s pcapSource) next() (link uint16, data []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			link, data, err = 0, nil, fmt.Errorf("pcapgo panicked: %v", p)
		}
	}()
	var ci gopacket.CaptureInfo
	if s.pcap != nil {
		data, ci, err = s.pcap.ReadPacketData()
		switch {
		case err == nil || (err == io.EOF && ci.CaptureLength == 0):
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			// pcapgo sets the lengths once the record header is read.
			if ci.CaptureLength > 0 {
				err = fmt.Errorf("pcap: packet data (%d bytes): %w", ci.CaptureLength, io.ErrUnexpectedEOF)
			} else {
				err = fmt.Errorf("pcap: packet record header: %w", io.ErrUnexpectedEOF)
			}
		default:
			err = fmt.Errorf("pcap: %w", err)
		}
		return uint16(s.pcap.LinkType()), data, err
	}
	data, ci, err = s.ng.ReadPacketData()
	if err != nil {
		if err != io.EOF {
			err = fmt.Errorf("pcapng: %w", err)
		}
		return 0, nil, err
	}
	if len(ci.AncillaryData) > 0 {
		if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
			link = uint16(lt)
		}
	}
	return link, data, nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// ReadPackets is Read for frames from any PacketSource, e.g. a pcapgo
// reader the caller opened itself. Every frame is decoded with the link type
// in its CaptureInfo.AncillaryData[0] (what a pcapgo.NgReader with
// WantMixedLinkType reports), else with the source's LinkType. An error from
// the source is returned as a *Error naming the packet. For files, Read is
// the better choice: it bounds what hostile length fields cost and names
// file offsets.
func ReadPackets(src PacketSource) ([]Connection, error) {
	var t tracker
	fileLink := uint16(src.LinkType())
	for {
		data, ci, err := src.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			return t.finish(), &Error{Packet: t.n + 1, Err: err}
		}
		link := fileLink
		if len(ci.AncillaryData) > 0 {
			if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
				link = uint16(lt)
			}
		}
		t.packet(link, data)
	}
	return t.finish(), nil
}

type flowKey struct{ a, b netip.AddrPort }

type tracker struct {
	n     int // packets seen
	conns map[flowKey]*tcpConn
	order []*tcpConn
	seg   segment
}

// tcpConn is one TCP connection; half[0] carries client->server bytes.
type tcpConn struct {
	client, server netip.AddrPort
	roleKnown      bool
	first, last    int
	half           [2]tcpHalf
	closed         bool
	data           bool
	sc             Scanner
}

type tcpHalf struct {
	started      bool
	syn          bool
	isn          uint32
	next         uint32
	pending      []pendingSegment
	pendingBytes int
	stopped      bool
}

type pendingSegment struct {
	seq     uint32
	data    []byte
	missing int // bytes cut by the snap length after data
}

func (t *tracker) packet(link uint16, data []byte) {
	t.n++
	if decodePacket(link, data, &t.seg) != decodeOK {
		return
	}
	sg := &t.seg
	key := flowKey{sg.src, sg.dst}
	if key.b.Addr().Less(key.a.Addr()) || (key.a.Addr() == key.b.Addr() && key.b.Port() < key.a.Port()) {
		key.a, key.b = key.b, key.a
	}
	if t.conns == nil {
		t.conns = make(map[flowKey]*tcpConn)
	}
	c := t.conns[key]
	synOnly := sg.flags&(tcpSYN|tcpACK) == tcpSYN
	if c != nil && synOnly && c.roleKnown && c.client == sg.src {
		// A new SYN on a finished connection, or with another initial
		// sequence number, starts a new connection on the same ports.
		if h := &c.half[0]; c.closed || (h.syn && h.isn != sg.seq) {
			c = nil
		}
	}
	if c == nil {
		c = &tcpConn{first: t.n}
		t.conns[key] = c
		t.order = append(t.order, c)
	}
	c.last = t.n
	if !c.roleKnown {
		switch {
		case sg.flags&tcpSYN != 0:
			c.setRole(sg.src, sg.dst, sg.flags&tcpACK == 0)
		case len(sg.payload) > 0:
			c.setRole(sg.src, sg.dst, guessClient(sg.payload, sg.src, sg.dst))
		default:
			return
		}
	}
	dir := ClientToServer
	if sg.src != c.client {
		dir = ServerToClient
	}
	if sg.flags&(tcpFIN|tcpRST) != 0 {
		c.closed = true
	}
	c.sc.packet = t.n
	c.half[dir-1].segment(&c.sc, dir, sg)
	if len(sg.payload) > 0 {
		c.data = true
	}
}

func (c *tcpConn) setRole(src, dst netip.AddrPort, srcIsClient bool) {
	c.roleKnown = true
	if srcIsClient {
		c.client, c.server = src, dst
	} else {
		c.client, c.server = dst, src
	}
}

// guessClient decides from the first payload seen whether its sender is the
// client: a ClientHello (also in SSL 2.0 framing) says yes, a ServerHello no; otherwise the side with
// the higher (ephemeral) port is taken as the client.
func guessClient(p []byte, src, dst netip.AddrPort) bool {
	if len(p) >= 3 && p[0]&0x80 != 0 && p[2] == 1 {
		return true // SSL 2.0-compatible CLIENT-HELLO
	}
	if len(p) >= 6 && p[0] == recordHandshake && p[1] == 3 {
		switch p[5] {
		case typeClientHello:
			return true
		case typeServerHello:
			return false
		}
	}
	return src.Port() > dst.Port()
}

// segment reassembles one direction and feeds in-order bytes to the Scanner.
func (h *tcpHalf) segment(sc *Scanner, dir Direction, sg *segment) {
	seq, p := sg.seq, sg.payload
	if sg.flags&tcpSYN != 0 {
		if !h.syn {
			h.syn, h.isn = true, sg.seq
			if !h.started {
				// A SYN captured after data (timestamps out of order)
				// must not rewind the stream.
				h.started, h.next = true, sg.seq+1
			}
		}
		seq++ // data on a SYN (TCP Fast Open) follows the SYN's sequence number
	}
	if len(p) == 0 || h.stopped {
		return
	}
	if !h.started {
		h.started, h.next = true, seq
	}
	if !h.deliver(sc, dir, seq, p) {
		if len(h.pending) >= maxPendingSegments || h.pendingBytes+len(p) > maxPendingBytes {
			h.stopped = true
			sc.gap(dir, int64(int32(h.lowestPending(seq)-h.next)), "")
			return
		}
		h.pending = append(h.pending, pendingSegment{seq, append([]byte(nil), p...), sg.missing})
		h.pendingBytes += len(p)
		return
	}
	if sg.missing > 0 {
		h.snapped(sc, dir, sg.missing)
		return
	}
	// Drain waiting segments that now connect.
	for progress := true; progress && len(h.pending) > 0; {
		progress = false
		for i := 0; i < len(h.pending); i++ {
			ps := h.pending[i]
			if int32(ps.seq-h.next) > 0 {
				continue
			}
			h.deliver(sc, dir, ps.seq, ps.data)
			h.pendingBytes -= len(ps.data)
			h.pending = append(h.pending[:i], h.pending[i+1:]...)
			if ps.missing > 0 {
				h.snapped(sc, dir, ps.missing)
				return
			}
			progress = true
			i--
		}
	}
}

// snapped stops a direction at a segment cut by the capture's snap length.
func (h *tcpHalf) snapped(sc *Scanner, dir Direction, missing int) {
	h.stopped = true
	h.pending = nil
	sc.gap(dir, int64(missing), "a packet is cut by the capture's snap length")
}

// deliver feeds the part of (seq, p) that continues the stream, dropping
// bytes already delivered. It reports false if p starts beyond the next
// expected byte.
func (h *tcpHalf) deliver(sc *Scanner, dir Direction, seq uint32, p []byte) bool {
	d := int32(seq - h.next)
	if d > 0 {
		return false
	}
	if int(-d) >= len(p) {
		return true // retransmission of bytes already seen
	}
	p = p[-d:]
	sc.Write(dir, p)
	h.next += uint32(len(p))
	return true
}

func (h *tcpHalf) lowestPending(seq uint32) uint32 {
	low := seq
	for _, ps := range h.pending {
		if int32(ps.seq-low) < 0 {
			low = ps.seq
		}
	}
	return low
}

// finish reports gaps that never filled and builds the results.
func (t *tracker) finish() []Connection {
	var out []Connection
	for _, c := range t.order {
		if !c.data {
			continue
		}
		for i := range c.half {
			h := &c.half[i]
			if len(h.pending) > 0 && !h.stopped {
				h.stopped = true
				c.sc.packet = 0
				c.sc.gap(Direction(i+1), int64(int32(h.lowestPending(h.pending[0].seq)-h.next)), "")
			}
		}
		conn := c.sc.Connection()
		conn.Client, conn.Server = c.client, c.server
		conn.FirstPacket, conn.LastPacket = c.first, c.last
		out = append(out, conn)
	}
	return out
}
