package probe

import (
	"bytes"
	"strconv"
	"strings"

	"golang.org/x/crypto/cryptobyte"
)

// The server's first flight, read by the probe itself: what a server
// answered to a ClientHello decides whether a version was accepted,
// refused, or left undecided, whichever client library made the attempt.
// The parser sees only the plaintext records before and including the
// ServerHello (RFC 8446, 5.1; RFC 5246, 6.2.1; RFC 6101, 5.2.1).

// answerKind classifies a server's first flight.
type answerKind uint8

const (
	// needMore: no decision yet; more bytes are needed.
	needMore answerKind = iota
	// gotServerHello: a complete ServerHello (or HelloRetryRequest).
	gotServerHello
	// gotFatalAlert: a fatal alert before any ServerHello.
	gotFatalAlert
	// gotCloseNotify: a close_notify alert before any ServerHello.
	gotCloseNotify
	// notTLS: the first bytes are not a TLS record.
	notTLS
	// malformed: TLS records that do not form a valid answer.
	malformed
)

// maxFlight bounds the bytes of the server's answer the parser keeps: a
// ServerHello with its extensions fits in far less (RFC 8446, 4.1.3), so
// an answer still undecided after this many bytes is left undecided.
const maxFlight = 1 << 14

// maxRecord is the largest record fragment a TLS 1.2 peer may send
// (2^14 + 2048, RFC 5246, 6.2.3).
const maxRecord = 1<<14 + 2048

// flightAnswer is what the parser made of the server's first bytes.
type flightAnswer struct {
	kind answerKind
	// version is the version the ServerHello selected: supported_versions
	// if present (RFC 8446, 4.2.1), else server_version.
	version uint16
	// hrr reports a HelloRetryRequest (RFC 8446, 4.1.3: a ServerHello with
	// the special random); its supported_versions selects TLS 1.3.
	hrr bool
	// alert is the fatal alert's description (gotFatalAlert).
	alert uint8
	// warnings counts warning alerts (other than close_notify) seen before
	// the decision.
	warnings int
	// detail says why for notTLS and malformed.
	detail string
}

// helloRetryRandom is the Random of a HelloRetryRequest (RFC 8446, 4.1.3).
var helloRetryRandom = []byte{
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
	0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
}

// parseFlight reads the server's first bytes b (everything received so far,
// from the first byte) and says what they are. It never panics and never
// allocates more than the detail text; it does not retain b.
func parseFlight(b []byte) flightAnswer {
	var ans flightAnswer
	var hs []byte // handshake bytes so far, across records
	var hsBuf [64]byte
	hs = hsBuf[:0]
	off := 0
	for {
		rest := b[off:]
		if len(rest) == 0 {
			return ans
		}
		// Content type and version are checked as soon as they arrive, so
		// that non-TLS text is recognised from its first bytes.
		typ := rest[0]
		if typ < 20 || typ > 24 {
			if off == 0 {
				return fail(ans, notTLS, "the answer is not TLS: "+quotePrefix(rest))
			}
			return fail(ans, malformed, "record at offset "+strconv.Itoa(off)+" has content type "+strconv.Itoa(int(typ)))
		}
		if len(rest) >= 2 && rest[1] != 3 {
			if off == 0 {
				return fail(ans, notTLS, "the answer is not TLS: "+quotePrefix(rest))
			}
			return fail(ans, malformed, "record at offset "+strconv.Itoa(off)+" has version major "+strconv.Itoa(int(rest[1])))
		}
		if len(rest) < 5 {
			return ans
		}
		n := int(rest[3])<<8 | int(rest[4])
		if n > maxRecord {
			return fail(ans, malformed, "record at offset "+strconv.Itoa(off)+" is "+strconv.Itoa(n)+" bytes long (more than 2^14+2048)")
		}
		if len(rest) < 5+n {
			return ans
		}
		frag := rest[5 : 5+n]
		switch typ {
		case 21: // alert
			if len(hs) > 0 {
				return fail(ans, malformed, "alert record at offset "+strconv.Itoa(off)+" interrupts a handshake message")
			}
			if n == 0 || n%2 != 0 {
				return fail(ans, malformed, "alert record at offset "+strconv.Itoa(off)+" is "+strconv.Itoa(n)+" bytes long")
			}
			for i := 0; i < n; i += 2 {
				level, desc := frag[i], frag[i+1]
				switch {
				case desc == 0 && (level == 1 || level == 2):
					ans.kind = gotCloseNotify
					return ans
				case level == 2:
					ans.kind, ans.alert = gotFatalAlert, desc
					return ans
				case level == 1:
					ans.warnings++
				default:
					return fail(ans, malformed, "alert at offset "+strconv.Itoa(off+5+i)+" has level "+strconv.Itoa(int(level)))
				}
			}
		case 22: // handshake
			if n == 0 {
				return fail(ans, malformed, "empty handshake record at offset "+strconv.Itoa(off))
			}
			hs = append(hs, frag...)
			if len(hs) >= 1 && hs[0] != 2 {
				return fail(ans, malformed, "the first handshake message is type "+strconv.Itoa(int(hs[0]))+", not ServerHello (2)")
			}
			if len(hs) >= 4 {
				l := int(hs[1])<<16 | int(hs[2])<<8 | int(hs[3])
				if l > maxFlight {
					return fail(ans, malformed, "ServerHello length "+strconv.Itoa(l)+" exceeds "+strconv.Itoa(maxFlight))
				}
				if len(hs) >= 4+l {
					return parseServerHello(ans, hs[4:4+l])
				}
			}
		default:
			return fail(ans, malformed, "record at offset "+strconv.Itoa(off)+" has content type "+strconv.Itoa(int(typ))+" before any ServerHello")
		}
		off += 5 + n
	}
}

// parseServerHello parses a ServerHello body (RFC 8446, 4.1.3; RFC 5246,
// 7.4.1.3; RFC 6101, 5.6.1.3, which has no extensions).
func parseServerHello(ans flightAnswer, body []byte) flightAnswer {
	s := cryptobyte.String(body)
	var (
		ver     uint16
		random  []byte
		sid     cryptobyte.String
		suite   uint16
		comp    uint8
		exts    cryptobyte.String
		version uint16
	)
	if !s.ReadUint16(&ver) || !s.ReadBytes(&random, 32) || !s.ReadUint8LengthPrefixed(&sid) ||
		!s.ReadUint16(&suite) || !s.ReadUint8(&comp) {
		return fail(ans, malformed, "truncated ServerHello")
	}
	version = ver
	if !s.Empty() {
		if !s.ReadUint16LengthPrefixed(&exts) || !s.Empty() {
			return fail(ans, malformed, "ServerHello extensions do not parse")
		}
		for !exts.Empty() {
			var (
				typ  uint16
				data cryptobyte.String
			)
			if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
				return fail(ans, malformed, "ServerHello extensions do not parse")
			}
			if typ == 43 { // supported_versions
				if !data.ReadUint16(&version) || !data.Empty() {
					return fail(ans, malformed, "ServerHello supported_versions does not parse")
				}
			}
		}
	}
	ans.kind, ans.version = gotServerHello, version
	ans.hrr = bytes.Equal(random, helloRetryRandom)
	return ans
}

func fail(ans flightAnswer, k answerKind, detail string) flightAnswer {
	ans.kind, ans.detail = k, detail
	return ans
}

// quotePrefix renders up to the first 32 bytes of b for a message: as
// quoted text when they are printable ("HTTP/1.1 400 Bad Request"), in
// hex otherwise.
func quotePrefix(b []byte) string {
	if len(b) > 32 {
		b = b[:32]
	}
	printable := true
	for _, c := range b {
		if (c < 0x20 || c > 0x7e) && c != '\r' && c != '\n' && c != '\t' {
			printable = false
			break
		}
	}
	if printable {
		s := strings.TrimRight(string(b), "\r\n")
		if i := strings.IndexAny(s, "\r\n"); i >= 0 {
			s = s[:i]
		}
		return strconv.Quote(s)
	}
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, hex[c>>4], hex[c&15])
	}
	return "bytes " + string(out)
}
