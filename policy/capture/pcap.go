package capture

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
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

// Limits on what one packet may cost while reading a file.
const (
	maxPacket    = 1 << 18 // largest captured packet: libpcap's MAXIMUM_SNAPLEN
	maxPacketRun = 1 << 22 // most bytes read for one packet, with the blocks before it
)

// Defaults of Options.
const (
	// DefaultMemoryBudget is the memory budget when Options.MemoryBudget
	// is 0.
	DefaultMemoryBudget = 64 << 20
	// DefaultIdleTimeout is the idle timeout when Options.IdleTimeout is 0.
	DefaultIdleTimeout = 5 * time.Minute
)

// Options tune Connections. The zero value is ready to use.
type Options struct {
	// MemoryBudget bounds the bytes held for the TCP flows in progress
	// (reassembly buffers, plaintext handshake bytes, per-flow state),
	// estimated from the sizes of the structures and the capacities of the
	// buffers; 0 means DefaultMemoryBudget. When it is reached, the flows
	// idle the longest are released: a flow that carried data is reported
	// at once, with an Err wrapping ErrMemoryBudget (the answer is what was
	// seen so far, often CertRequestIncomplete), and counted in
	// Stats.Released; a flow that carried no data (a SYN without answer) is
	// counted in Stats.Dropped. Packets of a released flow that come later
	// start a flow in mid-stream. Per-flow limits hold whatever the budget:
	// 1 MiB of plaintext handshake bytes, 4 MiB or 4096 segments of
	// out-of-order data and 64 KiB of handshake stream kept to compare
	// retransmissions, per direction.
	MemoryBudget int64
	// IdleTimeout releases a flow whose last packet is older than this, in
	// capture time (the packets' timestamps); 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// WholeConnection reports each connection when its flow ends (FIN from
	// both sides with all data seen, RST, IdleTimeout, the budget, or the end
	// of the capture) instead of as soon as its handshake is settled (see
	// Connections). The byte counts and alerts then cover the whole
	// connection; the connection's state is held until then.
	WholeConnection bool
	// Stats, if not nil, is filled in while reading.
	Stats *Stats
}

// Stats counts what Connections saw. Released and Dropped are never
// silent: a released connection also carries ErrMemoryBudget in its Err.
type Stats struct {
	// Packets is the number of packets read; TCP the number of TCP
	// segments among them.
	Packets, TCP int
	// Connections is the number of connections reported; TLS, NotTLS and
	// Unrecognized split it by Protocol.
	Connections, TLS, NotTLS, Unrecognized int
	// Released counts connections reported before their end because the
	// memory budget was reached; Dropped counts flows without data (a SYN
	// and nothing more) forgotten for the same reason.
	Released, Dropped int
	// PeakMemory is the largest estimate of the bytes held for flows in
	// progress; PeakFlows the largest number of such flows.
	PeakMemory int64
	PeakFlows  int
}

// ErrMemoryBudget is wrapped by the Err of a connection released before its
// end because Options.MemoryBudget was reached.
var ErrMemoryBudget = errors.New("capture: memory budget reached")

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
// carried data, in the order of their first packet, each scanned as TLS
// unless its first bytes show another protocol (Connection.Protocol). It
// is Connections with Options.WholeConnection, collecting a Clone of each
// connection: its memory grows with the number of connections. To read
// large captures, range over Connections instead.
//
// The format is detected from the first four bytes; pcapng packets are
// decoded with the link type of their own interface.
// Link types: Ethernet (with VLAN tags), Linux cooked capture v1 and v2, BSD
// loopback (NULL, LOOP) and raw IP; IPv4 and IPv6. An IPv4 total length
// of 0 (a segment captured on its sender before TCP segmentation offload)
// means the captured length, as in Wireshark. TCP segments are
// reassembled per direction: retransmitted and overlapping bytes are
// dropped (and compared with the first copy while the handshake is in
// progress: see CertRequestConflict), out-of-order segments wait for the
// missing bytes, and a hole that never fills stops that direction with an
// error wrapping ErrGap. Sequence numbers are compared modulo 2^32 (RFC
// 9293, 3.4), so any 32-bit values are safe. The client is the side that
// sent the SYN or, when the capture starts mid-connection, the side whose
// first bytes are a ClientHello.
//
// A damaged file yields the connections read before the damage together with
// a *Error that names the packet and the file offset where reading it
// started. Packets longer than 256 KiB (libpcap's largest snap length) are
// refused, and at most 4 MiB of the file are read in search of one packet,
// so a hostile length field cannot make Read allocate more than that.
// Compressed (gzip) captures are refused: decompress them first. A parse
// error inside a connection is in that Connection's Err.
func Read(r io.Reader) ([]Connection, error) {
	var out []Connection
	for c, err := range Connections(r, Options{WholeConnection: true}) {
		if err != nil {
			sortConns(out)
			return out, err
		}
		out = append(out, c.Clone())
	}
	sortConns(out)
	return out, nil
}

func sortConns(cs []Connection) {
	slices.SortStableFunc(cs, func(a, b Connection) int { return a.FirstPacket - b.FirstPacket })
}

// Connections reads a pcap or pcapng capture (see Read for the formats and
// the reassembly) and yields each TCP connection that carried data as soon
// as what it shows is settled, and the others when their flow ends; a
// damaged file ends the sequence with (Connection{}, *Error).
//
// A connection is settled when both sides have sent ChangeCipherSpec (TLS
// 1.2 and earlier: the CertificateRequest, the client's Certificate and the
// server's reaction to it are then all seen), when either side sent a
// plaintext fatal alert, when both directions stopped on an error, or, in
// TLS 1.3, when both directions have sent two encrypted records. Later
// bytes of a settled connection are skipped: its ClientBytes, ServerBytes
// and alerts cover what was read until it was reported. A flow ends with
// FIN from both sides once all their data was seen, with RST, after
// Options.IdleTimeout without packets, when Options.MemoryBudget releases
// it, or at the end of the capture.
//
// The yielded Connection shares memory with the reader and is valid until
// the next iteration: call Clone to keep it. Reading allocates per
// connection only while flows are being created faster than they end;
// steady-state reading does not allocate per packet. The memory held is
// bounded by Options.MemoryBudget (plus a read buffer of 256 KiB, up to 4
// MiB for a large pcapng block), whatever the number of connections.
func Connections(r io.Reader, opts Options) iter.Seq2[Connection, error] {
	return func(yield func(Connection, error) bool) {
		f := newFileReader(r)
		if err := f.open(); err != nil {
			yield(Connection{}, &Error{What: "file header", Err: err})
			return
		}
		t := newTracker(opts, func(c Connection) bool { return yield(c, nil) })
		for !t.stop {
			start := f.offset()
			link, ts, data, err := f.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if t.finish() {
					yield(Connection{}, &Error{Packet: t.n + 1, Offset: start, Err: err})
				}
				return
			}
			t.packet(link, ts, data)
		}
		t.finish()
	}
}

// ReadPackets is Read for frames from any PacketSource, e.g. a pcapgo
// reader the caller opened itself. Every frame is decoded with the link type
// in its CaptureInfo.AncillaryData[0] (what a pcapgo.NgReader with
// WantMixedLinkType reports), else with the source's LinkType. An error from
// the source is returned as a *Error naming the packet. For files, Read is
// the better choice: it bounds what hostile length fields cost and names
// file offsets.
func ReadPackets(src PacketSource) ([]Connection, error) {
	var out []Connection
	var rerr error
	t := newTracker(Options{WholeConnection: true}, func(c Connection) bool {
		out = append(out, c.Clone())
		return true
	})
	fileLink := uint16(src.LinkType())
	for {
		data, ci, err := src.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			rerr = &Error{Packet: t.n + 1, Err: err}
			break
		}
		link := fileLink
		if len(ci.AncillaryData) > 0 {
			if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
				link = uint16(lt)
			}
		}
		t.packet(link, ci.Timestamp.UnixNano(), data)
	}
	t.finish()
	sortConns(out)
	return out, rerr
}
