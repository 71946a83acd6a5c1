package eku

import (
	"bytes"
	"encoding/base64"
	"errors"
)

// PEMScanner finds the CERTIFICATE blocks of a PEM bundle (RFC 7468) and
// decodes their base64 into a caller's buffer, without allocating when the
// buffer is large enough. Blocks of other types ("PRIVATE KEY", "TRUSTED
// CERTIFICATE", ...) and text between blocks are skipped.
//
//	sc := eku.ScanPEM(bundle, buf[:0])
//	for sc.Next() {
//		s, err := eku.Parse(sc.DER())
//		...
//	}
//	if err := sc.Err(); err != nil { ... } // *eku.PEMError
//
// Unlike encoding/pem, which silently skips a block whose base64 is broken,
// the scanner stops with a *[PEMError] giving the offset of the bad byte. A
// "-----BEGIN CERTIFICATE-----" line without its END line is an error too.
type PEMScanner struct {
	bundle []byte
	pos    int
	buf    []byte
	der    []byte
	start  int
	blocks int
	err    error
}

// ScanPEM returns a scanner over bundle that decodes into buf. The decoded
// certificates are appended to buf (like append: if its capacity is exceeded a
// larger array is allocated), so every DER returned stays valid while the
// scanner runs and afterwards; [PEMScanner.Buffer] returns the grown buffer
// for reuse. A buffer with capacity len(bundle) is always large enough.
func ScanPEM(bundle, buf []byte) PEMScanner {
	return PEMScanner{bundle: bundle, buf: buf}
}

// DER returns the certificate decoded by the last successful Next. It aliases
// the buffer.
func (sc *PEMScanner) DER() []byte { return sc.der }

// Offset returns the byte offset in the bundle of the current block's
// "-----BEGIN" line.
func (sc *PEMScanner) Offset() int { return sc.start }

// Block returns the 0-based index of the current CERTIFICATE block.
func (sc *PEMScanner) Block() int { return sc.blocks - 1 }

// Buffer returns the buffer holding every decoded certificate.
func (sc *PEMScanner) Buffer() []byte { return sc.buf }

// Err returns the error that stopped the scan, or nil at the clean end of the
// bundle.
func (sc *PEMScanner) Err() error { return sc.err }

var (
	pemBegin = []byte("-----BEGIN ")
	pemEnd   = []byte("-----END ")
	pemDash  = []byte("-----")
)

// Next advances to the next CERTIFICATE block and reports whether there is
// one. It returns false at the end of the bundle or on an error (see Err).
func (sc *PEMScanner) Next() bool {
	sc.der = nil
	if sc.err != nil {
		return false
	}
	for {
		i := bytes.Index(sc.bundle[sc.pos:], pemBegin)
		if i < 0 {
			sc.pos = len(sc.bundle)
			return false
		}
		begin := sc.pos + i
		sc.pos = begin + len(pemBegin)
		if begin > 0 && sc.bundle[begin-1] != '\n' {
			continue // as encoding/pem: BEGIN must start a line
		}
		line, next := pemLine(sc.bundle, sc.pos)
		if !bytes.HasSuffix(line, pemDash) {
			continue // not a BEGIN line
		}
		typ := line[:len(line)-len(pemDash)]
		end, after, ok := findEnd(sc.bundle, next, typ)
		if string(typ) != "CERTIFICATE" {
			if ok {
				sc.pos = after
			}
			continue
		}
		if !ok {
			sc.start = begin
			sc.blocks++
			return sc.fail(begin, "no -----END CERTIFICATE----- line", nil)
		}
		body := sc.bundle[next:end]
		bodyOff := next
		// RFC 1421 headers ("Proc-Type: 4,ENCRYPTED"), as encoding/pem reads
		// them: the lines from the start of the block that contain a colon.
		// The base64 text is everything after them (a blank line, if any,
		// is space); a line without a colon ends the headers even if it is
		// not blank.
		headers := false
		for len(body) > 0 {
			l, n := pemLine(body, 0)
			if bytes.IndexByte(l, ':') < 0 {
				break
			}
			headers = true
			body, bodyOff = body[n:], bodyOff+n
		}
		if headers && len(body) == 0 {
			// As encoding/pem: headers directly followed by the END line
			// (no line break between them) do not make a block.
			sc.pos = after
			continue
		}
		sc.start = begin
		sc.blocks++
		if !sc.decode(body, bodyOff) {
			return false
		}
		sc.pos = after
		return true
	}
}

func (sc *PEMScanner) fail(off int, reason string, err error) bool {
	sc.err = &PEMError{Offset: off, Block: sc.blocks - 1, Reason: reason, Err: err}
	sc.der = nil
	return false
}

// pemLine returns the line of b starting at i without its line ending and
// trailing spaces or tabs, and the index after the line ending. As
// encoding/pem's getLine: the line ending is "\n" or "\r\n"; a "\r" that
// is not followed by "\n" stays part of the line.
func pemLine(b []byte, i int) (line []byte, next int) {
	j := bytes.IndexByte(b[i:], '\n')
	if j < 0 {
		line, next = b[i:], len(b)
	} else {
		line, next = b[i:i+j], i+j+1
		if j > 0 && line[j-1] == '\r' {
			line = line[:j-1]
		}
	}
	return bytes.TrimRight(line, " \t"), next
}

// findEnd finds the line "-----END <typ>-----" at or after i, starting a
// line. It returns the index where that line starts (the end of the body),
// the index after it, and whether it was found.
func findEnd(b []byte, i int, typ []byte) (end, after int, ok bool) {
	for i <= len(b) {
		j := bytes.Index(b[i:], pemEnd)
		if j < 0 {
			return 0, 0, false
		}
		at := i + j
		i = at + len(pemEnd)
		if at > 0 && b[at-1] != '\n' {
			continue
		}
		line, next := pemLine(b, i)
		if len(line) == len(typ)+len(pemDash) && bytes.HasPrefix(line, typ) && bytes.HasSuffix(line, pemDash) {
			return at, next, true
		}
	}
	return 0, 0, false
}

// isPEMSpace reports whether c is skipped inside base64 text, as encoding/pem
// and encoding/base64 skip it.
func isPEMSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// decode decodes the base64 body (found at bodyOff in the bundle) onto the end
// of sc.buf and sets sc.der.
func (sc *PEMScanner) decode(body []byte, bodyOff int) bool {
	need := base64.StdEncoding.DecodedLen(len(body))
	if cap(sc.buf)-len(sc.buf) < need {
		grown := make([]byte, len(sc.buf), 2*cap(sc.buf)+need)
		copy(grown, sc.buf)
		sc.buf = grown
	}
	start := len(sc.buf)
	out := sc.buf[start:cap(sc.buf)]
	var chunk [512]byte // multiple of 4
	n, filled, seen := 0, 0, 0
	padded := false
	flush := func(final bool) bool {
		if filled == 0 {
			return true
		}
		if padded {
			// data after a padded quantum
			return sc.fail(sc.badOffset(body, bodyOff, seen-filled), "illegal base64 data (data after padding)", nil)
		}
		m, err := base64.StdEncoding.Decode(out[n:], chunk[:filled])
		if err != nil {
			var ce base64.CorruptInputError
			pos := seen - filled
			if errors.As(err, &ce) {
				pos += int(ce)
			}
			return sc.fail(sc.badOffset(body, bodyOff, pos), "illegal base64 data", err)
		}
		if !final && m != filled/4*3 {
			padded = true
		}
		n += m
		filled = 0
		return true
	}
	for _, c := range body {
		if isPEMSpace(c) {
			continue
		}
		chunk[filled] = c
		filled++
		seen++
		if filled == len(chunk) && !flush(false) {
			return false
		}
	}
	if !flush(true) {
		return false
	}
	if n == 0 {
		return sc.fail(sc.start, "empty CERTIFICATE block", nil)
	}
	sc.der = sc.buf[start : start+n]
	sc.buf = sc.buf[:start+n]
	return true
}

// badOffset returns the bundle offset of the k-th (0-based) non-space byte of
// body, clamped to the end of body.
func (sc *PEMScanner) badOffset(body []byte, bodyOff, k int) int {
	for i, c := range body {
		if isPEMSpace(c) {
			continue
		}
		if k == 0 {
			return bodyOff + i
		}
		k--
	}
	return bodyOff + len(body)
}

// ParsePEM parses every CERTIFICATE block of bundle, appending one Set per
// certificate to sets. The certificates are decoded onto buf as by
// [ScanPEM]; the Sets refer to that memory, and the grown buffer is returned.
// With enough capacity in sets and buf (cap(buf) >= len(bundle) is enough),
// ParsePEM does not allocate. A bundle without certificates returns
// [ErrNoCertificate]; a bad block returns a *[PEMError] (wrapping the
// *[ParseError] when the DER inside is malformed).
func ParsePEM(bundle, buf []byte, sets []Set) ([]Set, []byte, error) {
	sc := ScanPEM(bundle, buf)
	found := false
	for sc.Next() {
		found = true
		s, err := Parse(sc.DER())
		if err != nil {
			return sets, sc.Buffer(), &PEMError{Offset: sc.Offset(), Block: sc.Block(), Reason: "bad certificate", Err: err}
		}
		sets = append(sets, s)
	}
	if sc.Err() != nil {
		return sets, sc.Buffer(), sc.Err()
	}
	if !found {
		return sets, sc.Buffer(), ErrNoCertificate
	}
	return sets, sc.Buffer(), nil
}

// ParsePEMChain parses a PEM bundle holding a chain, leaf first, as
// [ParsePEM] does, into a [Chain]. It does not allocate when cap(buf) >=
// len(bundle).
func ParsePEMChain(bundle, buf []byte) (Chain, []byte, error) {
	var c Chain
	sc := ScanPEM(bundle, buf)
	for sc.Next() {
		if c.n == MaxChainLen {
			return Chain{}, sc.Buffer(), errChainLen
		}
		s, err := Parse(sc.DER())
		if err != nil {
			return Chain{}, sc.Buffer(), &PEMError{Offset: sc.Offset(), Block: sc.Block(), Reason: "bad certificate", Err: err}
		}
		c.sets[c.n] = s
		c.n++
	}
	if sc.Err() != nil {
		return Chain{}, sc.Buffer(), sc.Err()
	}
	if c.n == 0 {
		return Chain{}, sc.Buffer(), ErrNoCertificate
	}
	return c, sc.Buffer(), nil
}
