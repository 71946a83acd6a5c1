package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// fileReader reads pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html)
// and pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html)
// files from one buffer without allocating per packet: a packet's data is a
// slice of the buffer, valid until the next call. Of each pcapng interface
// it keeps 4 bytes (link type and timestamp resolution), whatever its
// options hold; other blocks (name resolution, statistics, secrets,
// comments) are skipped without being held.
type fileReader struct {
	r      io.Reader
	buf    []byte
	start  int   // first unread byte in buf
	end    int   // end of valid bytes in buf
	off    int64 // file offset of buf[0]
	eof    bool  // r returned io.EOF
	rerr   error // r's error other than io.EOF
	run    int64 // bytes consumed since the last packet
	ng     bool
	be     bool // big-endian (pcap: swapped magic; pcapng: section byte order)
	nano   bool // pcap: nanosecond timestamps
	link   uint16
	ifaces []ngIface
}

// ngIface is what is kept of a pcapng Interface Description Block.
type ngIface struct {
	link  uint16
	resol uint8 // if_tsresol: bit 7 set = power of 2, else power of 10
	snap  uint32
}

// maxInterfaces bounds the interfaces of one pcapng section (4 bytes each).
const maxInterfaces = 1 << 20

func newFileReader(r io.Reader) *fileReader {
	return &fileReader{r: r, buf: make([]byte, 256<<10)}
}

// offset returns the file offset of the next unread byte.
func (f *fileReader) offset() int64 { return f.off + int64(f.start) }

// fill makes at least n bytes available at buf[start:] unless the input
// ends first; it reports whether they are there.
func (f *fileReader) fill(n int) bool {
	for f.end-f.start < n {
		if f.eof || f.rerr != nil {
			return false
		}
		if f.start+n > len(f.buf) {
			if n > len(f.buf) {
				nb := make([]byte, max(n, 2*len(f.buf)))
				copy(nb, f.buf[f.start:f.end])
				f.buf = nb
			} else {
				copy(f.buf, f.buf[f.start:f.end])
			}
			f.off += int64(f.start)
			f.end -= f.start
			f.start = 0
		}
		k, err := f.r.Read(f.buf[f.end:])
		f.end += k
		if err == io.EOF {
			f.eof = true
		} else if err != nil {
			f.rerr = err
		}
	}
	return true
}

// short returns the error for input that ended inside a structure.
func (f *fileReader) short() error {
	if f.rerr != nil {
		return f.rerr
	}
	return io.ErrUnexpectedEOF
}

// skip consumes n bytes without holding them.
func (f *fileReader) skip(n int64) error {
	for n > 0 {
		if f.start == f.end && !f.fill(1) {
			return f.short()
		}
		k := min(n, int64(f.end-f.start))
		f.start += int(k)
		n -= k
	}
	return nil
}

func (f *fileReader) u16(b []byte) uint16 {
	if f.be {
		return binary.BigEndian.Uint16(b)
	}
	return binary.LittleEndian.Uint16(b)
}

func (f *fileReader) u32(b []byte) uint32 {
	if f.be {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

// open reads the file header and detects the format.
func (f *fileReader) open() error {
	if !f.fill(4) {
		return fmt.Errorf("reading the magic number: %w", f.short())
	}
	magic := f.buf[f.start : f.start+4]
	switch binary.LittleEndian.Uint32(magic) {
	case 0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1:
		if !f.fill(24) {
			return fmt.Errorf("pcap: %w", f.short())
		}
		h := f.buf[f.start : f.start+24]
		m := binary.LittleEndian.Uint32(h)
		f.be = m == 0xd4c3b2a1 || m == 0x4d3cb2a1
		f.nano = m == 0xa1b23c4d || m == 0x4d3cb2a1
		if v := f.u16(h[4:]); v != 2 {
			return fmt.Errorf("pcap: major version %d is not 2", v)
		}
		f.link = uint16(f.u32(h[20:]) & 0xffff) // the upper bits hold FCS information
		f.start += 24
		return nil
	case 0x0a0d0d0a:
		f.ng = true
		return f.sectionHeader()
	}
	if magic[0] == 0x1f && magic[1] == 0x8b {
		return errors.New("the file is gzip-compressed: decompress it first")
	}
	return fmt.Errorf("magic number % x is neither pcap nor pcapng", magic)
}

// sectionHeader reads a pcapng Section Header Block at buf[start:].
func (f *fileReader) sectionHeader() error {
	if !f.fill(12) {
		return fmt.Errorf("pcapng: Section Header Block: %w", f.short())
	}
	h := f.buf[f.start:]
	switch binary.LittleEndian.Uint32(h[8:]) {
	case 0x1a2b3c4d:
		f.be = false
	case 0x4d3c2b1a:
		f.be = true
	default:
		return errors.New("pcapng: Section Header Block: byte-order magic is neither 0x1a2b3c4d nor 0x4d3c2b1a")
	}
	n := f.u32(h[4:])
	if n < 28 || n%4 != 0 || n > maxPacketRun {
		return fmt.Errorf("pcapng: Section Header Block: length %d is not a multiple of 4 in 28..%d", n, maxPacketRun)
	}
	if !f.fill(16) {
		return fmt.Errorf("pcapng: Section Header Block: %w", f.short())
	}
	if v := f.u16(f.buf[f.start+12:]); v != 1 {
		return fmt.Errorf("pcapng: Section Header Block: major version %d is not 1", v)
	}
	f.ifaces = f.ifaces[:0]
	f.run += int64(n)
	return f.skip(int64(n))
}

// next returns the next packet: its link type, timestamp (nanoseconds since
// 1970, for idle timeouts) and data, valid until the next call. At the end
// of the file it returns io.EOF.
func (f *fileReader) next() (link uint16, ts int64, data []byte, err error) {
	f.run = 0
	if !f.ng {
		return f.nextPcap()
	}
	return f.nextNg()
}

func (f *fileReader) nextPcap() (uint16, int64, []byte, error) {
	if !f.fill(16) {
		if f.start == f.end && f.rerr == nil {
			return 0, 0, nil, io.EOF
		}
		return 0, 0, nil, fmt.Errorf("pcap: packet record header: %w", f.short())
	}
	h := f.buf[f.start : f.start+16]
	sec, frac := int64(f.u32(h)), int64(f.u32(h[4:]))
	caplen := f.u32(h[8:])
	if caplen > maxPacket {
		return 0, 0, nil, fmt.Errorf("pcap: captured length %d exceeds %d", caplen, maxPacket)
	}
	if !f.fill(16 + int(caplen)) {
		return 0, 0, nil, fmt.Errorf("pcap: packet data (%d bytes): %w", caplen, f.short())
	}
	data := f.buf[f.start+16 : f.start+16+int(caplen) : f.start+16+int(caplen)]
	f.start += 16 + int(caplen)
	if !f.nano {
		frac *= 1000
	}
	return f.link, sec*1e9 + frac, data, nil
}

// pcapng block types.
const (
	ngSectionHeader   = 0x0a0d0d0a
	ngInterface       = 1
	ngObsoletePacket  = 2
	ngSimplePacket    = 3
	ngEnhancedPacket  = 6
	ngMinBlock        = 12
	ngInterfaceOption = 9 // if_tsresol
)

func (f *fileReader) nextNg() (uint16, int64, []byte, error) {
	for {
		if !f.fill(8) {
			if f.start == f.end && f.rerr == nil {
				return 0, 0, nil, io.EOF
			}
			return 0, 0, nil, fmt.Errorf("pcapng: block header: %w", f.short())
		}
		typ := f.u32(f.buf[f.start:])
		if typ == ngSectionHeader {
			if err := f.sectionHeader(); err != nil {
				return 0, 0, nil, err
			}
			continue
		}
		n := int64(f.u32(f.buf[f.start+4:]))
		name := ngBlockName(typ)
		if n < ngMinBlock || n%4 != 0 {
			return 0, 0, nil, fmt.Errorf("pcapng: %s: length %d is not a multiple of 4 of at least 12", name, n)
		}
		if f.run+n > maxPacketRun {
			return 0, 0, nil, fmt.Errorf("pcapng: no complete packet within %d bytes (a %d-byte %s)", maxPacketRun, n, name)
		}
		f.run += n
		switch typ {
		case ngInterface, ngObsoletePacket, ngSimplePacket, ngEnhancedPacket:
		default:
			if err := f.skip(n); err != nil {
				return 0, 0, nil, fmt.Errorf("pcapng: %s: %w", name, err)
			}
			continue
		}
		if !f.fill(int(n)) {
			return 0, 0, nil, fmt.Errorf("pcapng: %s: %w", name, f.short())
		}
		b := f.buf[f.start+8 : f.start+int(n)-4]
		f.start += int(n)
		if typ == ngInterface {
			if err := f.iface(b); err != nil {
				return 0, 0, nil, err
			}
			continue
		}
		return f.packet(typ, b)
	}
}

func ngBlockName(typ uint32) string {
	switch typ {
	case ngInterface:
		return "Interface Description Block"
	case ngObsoletePacket:
		return "Packet Block"
	case ngSimplePacket:
		return "Simple Packet Block"
	case ngEnhancedPacket:
		return "Enhanced Packet Block"
	}
	return fmt.Sprintf("block type 0x%08x", typ)
}

// iface reads the body of an Interface Description Block.
func (f *fileReader) iface(b []byte) error {
	if len(b) < 8 {
		return errors.New("pcapng: Interface Description Block: shorter than 8 bytes")
	}
	if len(f.ifaces) >= maxInterfaces {
		return fmt.Errorf("pcapng: more than %d Interface Description Blocks in a section", maxInterfaces)
	}
	in := ngIface{link: f.u16(b), snap: f.u32(b[4:]), resol: 6}
	for o := b[8:]; len(o) >= 4; {
		code, l := f.u16(o), int(f.u16(o[2:]))
		if code == 0 || 4+l > len(o) {
			break
		}
		if code == ngInterfaceOption && l >= 1 {
			in.resol = o[4]
		}
		o = o[min(len(o), 4+(l+3)&^3):]
	}
	f.ifaces = append(f.ifaces, in)
	return nil
}

// packet returns the packet of an Enhanced, Simple or obsolete Packet Block
// body.
func (f *fileReader) packet(typ uint32, b []byte) (uint16, int64, []byte, error) {
	name := ngBlockName(typ)
	var id, caplen uint32
	var tsHigh, tsLow uint32
	var data []byte
	switch typ {
	case ngEnhancedPacket, ngObsoletePacket:
		if len(b) < 20 {
			return 0, 0, nil, fmt.Errorf("pcapng: %s: shorter than 20 bytes", name)
		}
		if typ == ngEnhancedPacket {
			id = f.u32(b)
		} else {
			id = uint32(f.u16(b))
		}
		tsHigh, tsLow, caplen = f.u32(b[4:]), f.u32(b[8:]), f.u32(b[12:])
		data = b[20:]
	case ngSimplePacket:
		if len(b) < 4 {
			return 0, 0, nil, fmt.Errorf("pcapng: %s: shorter than 4 bytes", name)
		}
		caplen = f.u32(b)
		data = b[4:]
	}
	if int(id) >= len(f.ifaces) {
		return 0, 0, nil, fmt.Errorf("pcapng: %s: interface %d is not described (%d interfaces)", name, id, len(f.ifaces))
	}
	in := f.ifaces[id]
	if typ == ngSimplePacket && in.snap != 0 {
		caplen = min(caplen, in.snap)
	}
	if caplen > maxPacket {
		if typ != ngSimplePacket {
			return 0, 0, nil, fmt.Errorf("pcapng: %s: captured length %d exceeds %d", name, caplen, maxPacket)
		}
		caplen = maxPacket
	}
	if uint64(caplen) > uint64(len(data)) {
		if typ != ngSimplePacket {
			return 0, 0, nil, fmt.Errorf("pcapng: %s: captured length %d exceeds the block", name, caplen)
		}
		caplen = uint32(len(data))
	}
	return in.link, ngTime(uint64(tsHigh)<<32|uint64(tsLow), in.resol), data[:caplen:caplen], nil
}

// ngTime converts a pcapng timestamp to nanoseconds (sub-second precision
// of binary resolutions is dropped: it serves idle timeouts only).
func ngTime(ts uint64, resol uint8) int64 {
	e := uint(resol & 0x7f)
	if resol&0x80 != 0 {
		if e >= 64 {
			return 0
		}
		return int64(ts>>e) * 1e9
	}
	for ; e > 9; e-- {
		ts /= 10
	}
	for ; e < 9; e++ {
		ts *= 10
	}
	return int64(ts)
}
