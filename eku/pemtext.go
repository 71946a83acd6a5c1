package eku

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
)

// This file holds the fast path of the PEM scanner: base64 text laid out
// as RFC 7468, section 2 says generators write it ("Generators MUST wrap
// the base64-encoded lines so that each line consists of exactly 64
// characters except for the final line"), which is what OpenSSL, Go's
// encoding/pem and every common tool write. In that layout character c of
// the base64 text is at a fixed position (c/64 lines of 65 or 66 bytes,
// then c%64), and bytes 3g..3g+2 of the DER are the four characters
// 4g..4g+3 (base64 maps 4 characters to 3 bytes). So, once the whole text
// has been checked (every character in the alphabet, lines of 64, padding
// only at the end), any byte of the certificate can be decoded on its own.
//
// fastBlock finds a plain CERTIFICATE block and checks its text in one pass
// (layoutOf checks the text of a block nextBlock found). [ParsePEM] and
// [ParsePEMChain] then decode only the parts of a certificate that [Parse]
// reads (see sparseCert) and leave the names, keys, signatures and other
// extensions' values encoded; [ScanPEM] decodes the text line by line
// (pemText.decodeAll). Text in any other
// layout (other line lengths, spaces, tabs, headers before it, broken
// base64) takes the reference path, decodeBase64, which decides and
// reports every error; a checked text decodes there without error and to
// the same bytes, so both paths give the same results.

// b64Dec maps a base64 character to its 6-bit value; '=' maps to 0 (only
// the last group holds it, and its value is not used), anything else to
// 0xff.
var b64Dec = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(alphabet) {
		t[alphabet[i]] = byte(i)
	}
	t['='] = 0
	return t
}()

const (
	lanes1  = 0x0101_0101_0101_0101
	lanes80 = 0x8080_8080_8080_8080
)

// b64Good returns a word with bit 7 of each byte set where that byte of x
// is one of the 64 characters of the base64 alphabet (A-Z a-z 0-9 + /), if
// no byte of x is 0x80 or more (the caller checks that separately), tested
// eight bytes at a time: for bytes below 0x80 the additions cannot carry
// from one byte into the next.
func b64Good(x uint64) uint64 {
	l := x | 0x20*lanes1                                         // A-Z to a-z
	letter := (l + (0x80-'a')*lanes1) &^ (l + (0x7f-'z')*lanes1) // 'a' <= l <= 'z'
	digit := (x + (0x80-'0')*lanes1) &^ (x + (0x7f-'9')*lanes1)  // '0' <= x <= '9'
	notSign := (x | 0x04*lanes1) ^ '/'*lanes1 + 0x7f*lanes1      // bit 7 clear iff x is '+' or '/' (x|4 == '/')
	return letter | digit | ^notSign
}

// b64Line checks the 64 characters of a full line: it returns the AND of
// b64Good over its words and the OR of its words (for the high bits).
func b64Line(line *[64]byte) (good, or uint64) {
	w0, w1 := binary.LittleEndian.Uint64(line[0:]), binary.LittleEndian.Uint64(line[8:])
	w2, w3 := binary.LittleEndian.Uint64(line[16:]), binary.LittleEndian.Uint64(line[24:])
	w4, w5 := binary.LittleEndian.Uint64(line[32:]), binary.LittleEndian.Uint64(line[40:])
	w6, w7 := binary.LittleEndian.Uint64(line[48:]), binary.LittleEndian.Uint64(line[56:])
	good = b64Good(w0) & b64Good(w1) & b64Good(w2) & b64Good(w3) & b64Good(w4) & b64Good(w5) & b64Good(w6) & b64Good(w7)
	return good, w0 | w1 | w2 | w3 | w4 | w5 | w6 | w7
}

// pemText is base64 text in the RFC 7468 layout, checked by layoutOf or
// fastBlock.
type pemText struct {
	body   []byte // the text, from its first character to the end of its last line (a CR included)
	stride int    // bytes per full line: 64 characters and "\n" (65) or "\r\n" (66)
	groups int    // groups of four characters
	n      int    // decoded length
}

// layoutOf reports whether body (the base64 text of a block as nextBlock
// finds it: from the first line after the BEGIN line and any headers, up
// to the "\n" before the END line) is in the RFC 7468 layout and valid:
// full lines of exactly 64 characters, all ending in "\n" or all in
// "\r\n", then one line of 4 to 64 characters (a multiple of 4), every
// character in the base64 alphabet except one or two '=' of padding at
// the very end. For such text decodeBase64 succeeds and yields the bytes
// that pemText decodes.
func layoutOf(body []byte) (pemText, bool) {
	t := pemText{body: body, stride: 65}
	text := body
	if len(text) > 64 && text[64] == '\r' {
		t.stride = 66
	}
	if t.stride == 66 {
		// Every line ends in "\r\n"; the last one's "\n" is not in body.
		if text[len(text)-1] != '\r' {
			return pemText{}, false
		}
		text = text[:len(text)-1]
	}
	if len(text) == 0 {
		return pemText{}, false
	}
	full := (len(text) - 1) / t.stride
	last := len(text) - full*t.stride // 1..stride
	if last > 64 || last%4 != 0 {
		return pemText{}, false
	}
	good, or := uint64(lanes80), uint64(0)
	p := 0
	for range full {
		if p > len(text)-t.stride || t.stride < 65 {
			return pemText{}, false
		}
		g, o := b64Line((*[64]byte)(text[p : p+64]))
		good, or = good&g, or|o
		if text[p+t.stride-1] != '\n' || t.stride == 66 && text[p+64] != '\r' {
			return pemText{}, false
		}
		p += t.stride
	}
	pad, ok := lastLine(text[p:], good, or)
	if !ok {
		return pemText{}, false
	}
	t.groups = (full*64 + last) / 4
	t.n = t.groups*3 - pad
	return t, true
}

// lastLine checks the last line of base64 text (4 to 64 characters, a
// multiple of 4, without its line ending), given the results good and or
// of b64Line for the full lines before it: all its characters but the last
// group by words (a half word padded with valid characters), then the last
// group, which may end in "=" or "==". It returns the number of '='.
func lastLine(line []byte, good, or uint64) (pad int, ok bool) {
	last := len(line)
	if last < 4 || last > 64 || last%4 != 0 {
		return 0, false
	}
	k := 0
	for ; k+8 <= last-4; k += 8 {
		w := binary.LittleEndian.Uint64(line[k:])
		good, or = good&b64Good(w), or|w
	}
	if k < last-4 {
		w := uint64(binary.LittleEndian.Uint32(line[k:])) | 0x4141_4141<<32
		good, or = good&b64Good(w), or|w
	}
	g := line[last-4 : last]
	switch {
	case g[3] != '=':
	case g[2] == '=':
		pad = 2
	default:
		pad = 1
	}
	if !isB64(g[0]) || !isB64(g[1]) || pad < 2 && !isB64(g[2]) || pad == 0 && !isB64(g[3]) || (^good|or)&lanes80 != 0 {
		return 0, false
	}
	return pad, true
}

var (
	pemEndCert = []byte("\n-----END CERTIFICATE-----")
)

// fastBlock finds the next block at sc.pos, as nextBlock would, when it is
// a CERTIFICATE block in the common form: a "-----BEGIN CERTIFICATE-----"
// line (at sc.pos or after text without any "\n-----END "), base64 text in
// the RFC 7468 layout, and a "-----END CERTIFICATE-----" line. Then the
// first "\n-----END " after sc.pos is the one after the text (the BEGIN
// line and base64 text hold none), the BEGIN line is the last one before
// it, the text has no header lines (it has no ':'), and the block is the
// one nextBlock finds; the text is checked (as by layoutOf) on the way, in
// one pass. It reports false for anything else, and the caller uses
// nextBlock.
func (sc *PEMScanner) fastBlock(t *pemText) (pemBlock, bool) {
	data := sc.bundle
	rest := data[sc.pos:]
	at := bytes.Index(rest, pemCert)
	if at < 0 || at > 0 && (rest[at-1] != '\n' || bytes.Contains(rest[:at], pemEndNL)) {
		return pemBlock{}, false
	}
	begin := sc.pos + at
	r := begin + len(pemCert)
	switch {
	case r < len(data) && data[r] == '\n':
		r++
	case r < len(data)-1 && data[r] == '\r' && data[r+1] == '\n':
		r += 2
	default:
		return pemBlock{}, false
	}
	stride := 65
	if r < len(data)-65 && data[r+64] == '\r' {
		stride = 66
	}
	good, or := uint64(lanes80), uint64(0)
	p, full := r, 0
	for p < len(data)-stride && data[p+stride-1] == '\n' && data[p+stride] != '-' && (stride == 65 || data[p+64] == '\r') {
		g, o := b64Line((*[64]byte)(data[p : p+64]))
		good, or = good&g, or|o
		p += stride
		full++
	}
	j := bytes.IndexByte(data[p:min(len(data), p+stride)], '\n')
	if j < 0 {
		return pemBlock{}, false
	}
	nl := p + j // the '\n' before the END line
	textEnd := nl
	if stride == 66 {
		if textEnd == p || data[textEnd-1] != '\r' {
			return pemBlock{}, false
		}
		textEnd--
	}
	pad, ok := lastLine(data[p:textEnd], good, or)
	if !ok || !bytes.HasPrefix(data[nl:], pemEndCert) {
		return pemBlock{}, false
	}
	endLine := nl + len(pemEndCert)
	if line, next := pemLine(data[endLine:], 0); len(line) == 0 {
		*t = pemText{body: data[r:nl], stride: stride, groups: (full*64 + textEnd - p) / 4}
		t.n = t.groups*3 - pad
		return pemBlock{typ: data[begin+11 : begin+22], body: t.body, bodyOff: r, begin: begin, afterBad: nl + len(pemEndNL), afterOK: endLine + next}, true
	}
	return pemBlock{}, false
}

// isB64 reports whether c is in the base64 alphabet ('=' is not).
func isB64(c byte) bool { return b64Dec[c] != 0xff && c != '=' }

// group decodes the g-th group of four characters into dst[3g:3g+3].
func (t *pemText) group(dst []byte, g int) {
	p := g>>4*t.stride + g&15<<2
	if p < 0 || p > len(t.body)-4 || 3*g > len(dst)-3 {
		return // (not reached: for the compiler's bounds checks)
	}
	v := uint32(b64Dec[t.body[p]])<<18 | uint32(b64Dec[t.body[p+1]])<<12 | uint32(b64Dec[t.body[p+2]])<<6 | uint32(b64Dec[t.body[p+3]])
	dst[3*g], dst[3*g+1], dst[3*g+2] = byte(v>>16), byte(v>>8), byte(v)
}

// decodeAll decodes the whole text into dst (len(dst) >= 3*t.groups) and
// returns the decoded length.
func (t *pemText) decodeAll(dst []byte) int {
	full := t.groups / 16
	if t.groups%16 == 0 {
		full-- // the last line is decoded below: it may end in padding
	}
	for l := range full {
		base64.StdEncoding.Decode(dst[48*l:48*l+48], t.body[l*t.stride:l*t.stride+64]) // checked: cannot fail
	}
	for g := full * 16; g < t.groups; g++ {
		t.group(dst, g)
	}
	return t.n
}

// validBase64 reports whether body is base64 text encoding/pem decodes
// without error.
func validBase64(body []byte) bool {
	if _, ok := layoutOf(body); ok {
		return true
	}
	_, bad, _, _ := decodeBase64(body, nil)
	return bad < 0
}

// sparseLen is the room sparseCert needs: whole lines of 48 bytes.
func (t *pemText) sparseLen() int { return (t.groups + 15) / 16 * 48 }

// sparseCert decodes from t into der (t.sparseLen() bytes, zeroed) the bytes
// of the certificate that the reference parser (parseSlow) reads — the
// headers of Certificate, TBSCertificate, their fields and every
// Extension, the version, the first and last bytes of the signature, every
// extnID and critical flag, and the extnValues of extKeyUsage, keyUsage
// and basicConstraints — walking the structure as parseSlow does. It
// reports false where it does not follow parseSlow's walk (lengths over
// 65535, a version other than one byte, anything malformed); the caller
// then decodes the whole text.
//
// Where it reports true, Parse(der[:t.n]) gives the result Parse gives on
// the whole certificate: parseSlow reads nothing else (its walk is decided
// by the bytes decoded here, so it takes the same walk), and the fast path
// of Parse only answers with parseSlow's result (TestFastAgreesWithSlow,
// FuzzFastSlow).
func sparseCert(t *pemText, der []byte) bool {
	s := sparse{t: t, der: der, n: t.n}
	return s.walk()
}

type sparse struct {
	t      *pemText
	der    []byte
	n      int
	lo, hi int // der[lo:hi] is decoded (whole groups)
}

// need decodes der[from:to] (clipped to the decoded length). It is small
// enough to be inlined where the bytes are already decoded.
func (s *sparse) need(from, to int) {
	if from < s.lo || to > s.hi {
		s.decode(from, to)
	}
}

// decode is need for bytes not yet decoded. It keeps one run of decoded
// groups, extended while the walk moves forward by small steps
// (consecutive headers), so that no group is decoded twice there, and it
// decodes one group ahead, where the next header usually is. der has room
// for whole lines (48 bytes each).
func (s *sparse) decode(from, to int) {
	g := from / 3
	if from >= s.lo && from <= s.hi {
		g = s.hi / 3 // extend the run
	} else {
		s.lo = 3 * g // start a new run
	}
	t := s.t
	end := min((to+2)/3+1, t.groups)
	s.hi = 3 * end
	for g < end && g >= 0 {
		line := g >> 4
		stop := min(end, 16*line+16) // the groups of this line to decode
		ls := line * t.stride
		if 48*line > len(s.der)-48 {
			return // (not reached: der has room for whole lines)
		}
		dst := (*[48]byte)(s.der[48*line:])
		if ls <= len(t.body)-64 {
			src := (*[64]byte)(t.body[ls:])
			for ; g < stop; g++ {
				k := g & 15
				v := uint32(b64Dec[src[4*k]])<<18 | uint32(b64Dec[src[4*k+1]])<<12 | uint32(b64Dec[src[4*k+2]])<<6 | uint32(b64Dec[src[4*k+3]])
				dst[3*k], dst[3*k+1], dst[3*k+2] = byte(v>>16), byte(v>>8), byte(v)
			}
			continue
		}
		// The last line, shorter than 64 characters.
		for ; g < stop; g++ {
			k := g & 15
			p := ls + 4*k
			if p < 0 || p > len(t.body)-4 {
				return // (not reached)
			}
			v := uint32(b64Dec[t.body[p]])<<18 | uint32(b64Dec[t.body[p+1]])<<12 | uint32(b64Dec[t.body[p+2]])<<6 | uint32(b64Dec[t.body[p+3]])
			dst[3*k], dst[3*k+1], dst[3*k+2] = byte(v>>16), byte(v>>8), byte(v)
		}
	}
}

// hdr decodes and reads the header of the element with tag at der[i],
// inside der[:lim], as elemAny does (cryptobyte's length rules up to
// 65535 bytes); end < 0 if it is anything else.
func (s *sparse) hdr(i, lim int, tag byte) (body, end int) {
	if i < 0 || i >= lim || lim > s.n {
		return 0, -1
	}
	s.need(i, i+2)
	if d := s.der[:s.n]; i < len(d)-1 && d[i] == tag && d[i+1] < 0x80 {
		if end = i + 2 + int(d[i+1]); end <= lim {
			return i + 2, end
		}
		return 0, -1
	}
	s.need(i, i+4)
	return elemAny(s.der[:s.n], i, lim, tag)
}

func (s *sparse) walk() bool {
	d := s.der[:s.n]
	body, end := s.hdr(0, s.n, 0x30) // Certificate
	if end != s.n {
		return false
	}
	tbs, tbsEnd := s.hdr(body, end, 0x30)
	_, i := s.hdr(tbsEnd, end, 0x30) // signatureAlgorithm
	sig, sigEnd := s.hdr(i, end, 0x03)
	if tbsEnd < 0 || i < 0 || sigEnd <= sig {
		return false
	}
	s.need(sig, sig+1)
	s.need(sigEnd-1, sigEnd)

	i, version := tbs, byte(0)
	s.need(i, i+5)
	if i < tbsEnd && d[i] == 0xa0 {
		if tbsEnd-i < 5 || d[i+1] != 3 || d[i+2] != 0x02 || d[i+3] != 1 || d[i+4] > 2 {
			return false
		}
		version, i = d[i+4], i+5
	}
	// serialNumber, signature, issuer, validity, subject,
	// subjectPublicKeyInfo: their headers.
	for _, tag := range [...]byte{0x02, 0x30, 0x30, 0x30, 0x30, 0x30} {
		if _, i = s.hdr(i, tbsEnd, tag); i < 0 {
			return false
		}
	}
	if version == 0 {
		return true
	}
	for _, tag := range [...]byte{0x81, 0x82} { // issuerUniqueID, subjectUniqueID
		if i < tbsEnd {
			s.need(i, i+1)
			if d[i] == tag {
				if _, i = s.hdr(i, tbsEnd, tag); i < 0 {
					return false
				}
			}
		}
	}
	if version != 2 || i >= tbsEnd {
		return true
	}
	s.need(i, i+1)
	if d[i] != 0xa3 {
		return true
	}
	x, xEnd := s.hdr(i, tbsEnd, 0xa3)
	e, eEnd := s.hdr(x, xEnd, 0x30)
	if xEnd < 0 || eEnd < 0 {
		return false
	}
	for j := e; j < eEnd; {
		ext, extEnd := s.hdr(j, eEnd, 0x30)
		o, oEnd := s.hdr(ext, extEnd, 0x06)
		if extEnd < 0 || oEnd < 0 {
			return false
		}
		s.need(o, oEnd)
		k := oEnd
		if k < extEnd {
			s.need(k, k+3)
			if d[k] == 0x01 { // critical
				if extEnd-k < 3 || d[k+1] != 1 {
					return false
				}
				k += 3
			}
		}
		v, vEnd := s.hdr(k, extEnd, 0x04)
		if vEnd < 0 {
			return false
		}
		if oEnd-o == 3 && d[o] == 0x55 && d[o+1] == 0x1d {
			switch d[o+2] {
			case 37, 15, 19: // extKeyUsage, keyUsage, basicConstraints
				s.need(v, vEnd)
			}
		}
		j = extEnd
	}
	return true
}
