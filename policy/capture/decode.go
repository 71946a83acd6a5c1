package capture

import (
	"encoding/binary"
	"net/netip"
)

// Link types (https://www.tcpdump.org/linktypes.html), as in
// github.com/gopacket/gopacket/layers.LinkType.
const (
	linkNull     = 0   // BSD loopback: 4-byte address family, host byte order
	linkEthernet = 1   // Ethernet II
	linkRaw      = 101 // raw IPv4 or IPv6
	linkLoop     = 108 // OpenBSD loopback: address family, network byte order
	linkLinuxSLL = 113 // Linux cooked capture v1 ("any" device)
	linkIPv4     = 228
	linkIPv6     = 229
	linkSLL2     = 276 // Linux cooked capture v2
)

// TCP flags.
const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpACK = 0x10
)

// segment is one decoded TCP segment.
type segment struct {
	src, dst netip.AddrPort
	seq      uint32
	flags    uint8
	payload  []byte
	// missing counts payload bytes the IP header announces but the capture
	// does not hold (cut by the snap length).
	missing int
}

// decodeResult says why a packet was not a TCP segment (for statistics);
// "" means it was one.
type decodeResult string

const (
	decodeOK       decodeResult = ""
	notIP          decodeResult = "not IPv4 or IPv6"
	notTCP         decodeResult = "not TCP"
	ipFragment     decodeResult = "IP fragment (not reassembled)"
	truncated      decodeResult = "truncated header"
	unsupportedDLT decodeResult = "unsupported link type"
)

// decodePacket decodes a link-layer frame down to TCP. It does not allocate.
func decodePacket(link uint16, b []byte, seg *segment) decodeResult {
	var etherType uint16
	switch link {
	case linkEthernet:
		if len(b) < 14 {
			return truncated
		}
		etherType = binary.BigEndian.Uint16(b[12:])
		b = b[14:]
		for etherType == 0x8100 || etherType == 0x88a8 { // VLAN tags
			if len(b) < 4 {
				return truncated
			}
			etherType = binary.BigEndian.Uint16(b[2:])
			b = b[4:]
		}
	case linkNull, linkLoop:
		if len(b) < 4 {
			return truncated
		}
		af := binary.LittleEndian.Uint32(b)
		if link == linkLoop || af > 0xffff {
			af = binary.BigEndian.Uint32(b)
		}
		b = b[4:]
		switch af {
		case 2:
			etherType = 0x0800
		case 10, 24, 28, 30: // AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, Darwin
			etherType = 0x86dd
		default:
			return notIP
		}
	case linkLinuxSLL:
		if len(b) < 16 {
			return truncated
		}
		etherType = binary.BigEndian.Uint16(b[14:])
		b = b[16:]
	case linkSLL2:
		if len(b) < 20 {
			return truncated
		}
		etherType = binary.BigEndian.Uint16(b[0:])
		b = b[20:]
	case linkRaw, linkIPv4, linkIPv6:
		if len(b) < 1 {
			return truncated
		}
		switch b[0] >> 4 {
		case 4:
			etherType = 0x0800
		case 6:
			etherType = 0x86dd
		default:
			return notIP
		}
	default:
		return unsupportedDLT
	}
	var src, dst netip.Addr
	switch etherType {
	case 0x0800:
		if len(b) < 20 || b[0]>>4 != 4 {
			return truncated
		}
		ihl := int(b[0]&0x0f) * 4
		total := int(binary.BigEndian.Uint16(b[2:]))
		if total == 0 {
			// TCP segmentation offload: the sending host captured the
			// segment before the NIC cut it and filled in the length
			// (Wireshark's ip.tso_support does the same).
			total = len(b)
		}
		if ihl < 20 || total < ihl || len(b) < ihl {
			return truncated
		}
		missing := 0
		if total < len(b) {
			b = b[:total] // drop Ethernet padding
		} else {
			missing = total - len(b)
		}
		if frag := binary.BigEndian.Uint16(b[6:]); frag&0x3fff != 0 {
			return ipFragment
		}
		if b[9] != 6 {
			return notTCP
		}
		src = netip.AddrFrom4([4]byte(b[12:16]))
		dst = netip.AddrFrom4([4]byte(b[16:20]))
		b = b[ihl:]
		seg.missing = missing
	case 0x86dd:
		if len(b) < 40 || b[0]>>4 != 6 {
			return truncated
		}
		plen := int(binary.BigEndian.Uint16(b[4:]))
		next := b[6]
		src = netip.AddrFrom16([16]byte(b[8:24]))
		dst = netip.AddrFrom16([16]byte(b[24:40]))
		b = b[40:]
		seg.missing = 0
		if plen < len(b) {
			b = b[:plen]
		} else {
			seg.missing = plen - len(b)
		}
		for next != 6 {
			switch next {
			case 0, 43, 60: // hop-by-hop, routing, destination options
				if len(b) < 8 {
					return truncated
				}
				l := (int(b[1]) + 1) * 8
				if len(b) < l {
					return truncated
				}
				next, b = b[0], b[l:]
			case 44:
				return ipFragment
			default:
				return notTCP
			}
		}
	default:
		return notIP
	}
	// TCP header (RFC 9293, 3.1).
	if len(b) < 20 {
		return truncated
	}
	off := int(b[12]>>4) * 4
	if off < 20 || len(b) < off {
		return truncated
	}
	*seg = segment{
		src:     netip.AddrPortFrom(src, binary.BigEndian.Uint16(b[0:])),
		dst:     netip.AddrPortFrom(dst, binary.BigEndian.Uint16(b[2:])),
		seq:     binary.BigEndian.Uint32(b[4:]),
		flags:   b[13],
		payload: b[off:],
		missing: seg.missing,
	}
	return decodeOK
}
