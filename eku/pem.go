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
// Blocks are found exactly as encoding/pem.Decode finds them (the same
// line, header and END-line rules, quirks included; the tests compare the
// two on 1,559 real files and under fuzzing). Where encoding/pem silently
// skips a CERTIFICATE block — broken base64, an empty block, or text it does
// not read as a block — the scanner stops with a *[PEMError] giving the
// offset and the reason; a "-----BEGIN CERTIFICATE-----" line without its
// END line is an error too.
type PEMScanner struct {
	bundle []byte
	pos    int
	buf    []byte
	der    []byte
	start  int
	blocks int
	err    error
	ref    bool    // decode every block with decodeBase64 (the reference path; tests)
	text   pemText // the current block's text, if in the RFC 7468 layout
	sparse int     // certificates parseNext parsed from their sparse decoding (tests)
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
	pemEndNL = []byte("\n-----END ")
	pemDash  = []byte("-----")
	pemCert  = []byte("-----BEGIN CERTIFICATE-----")
)

// pemBlock is one block as encoding/pem.Decode finds it: its type, its
// base64 text (after any headers) at bodyOff, the offset of its BEGIN line,
// and where Decode resumes after it: after the END line when the base64 is
// valid, or right after "\n-----END " when Decode rejects the block.
type pemBlock struct {
	typ               []byte
	body              []byte
	bodyOff, begin    int
	afterOK, afterBad int
}

// nextBlock finds the next block at or after sc.pos exactly as
// encoding/pem.Decode does — the first "\n-----END " line, then the last
// BEGIN line before it, the type line, RFC 1421 headers (the lines with a
// colon), and the END line's type and trailing text — so that the scanner
// and encoding/pem agree on every bundle, quirks included (for example,
// Decode gives up on the rest of the data when a header line swallows the
// END line). It does not decode the base64; the caller does.
func (sc *PEMScanner) nextBlock() (pemBlock, bool) {
	data := sc.bundle
	r, trailer := sc.pos, 0
	for {
		if trailer < 0 || trailer > len(data)-r {
			return pemBlock{}, false
		}
		r += trailer
		rest := data[r:]
		endIdx := bytes.Index(rest, pemEndNL)
		if endIdx < 0 {
			return pemBlock{}, false
		}
		trailer = endIdx + len(pemEndNL)
		beginIdx := lastIndexBegin(rest[:endIdx])
		if beginIdx < 0 || (beginIdx > 0 && rest[beginIdx-1] != '\n') {
			continue
		}
		begin := r + beginIdx
		adv := beginIdx + len(pemBegin)
		r, endIdx, trailer = r+adv, endIdx-adv, trailer-adv
		typeLine, next := pemLine(data[r:], 0)
		r, endIdx, trailer = r+next, endIdx-next, trailer-next
		if !bytes.HasSuffix(typeLine, pemDash) {
			continue
		}
		typ := typeLine[:len(typeLine)-len(pemDash)]
		headers := false
		for {
			if r == len(data) {
				return pemBlock{}, false
			}
			line, next := pemLine(data[r:], 0)
			if bytes.IndexByte(line, ':') < 0 {
				break
			}
			headers = true
			r, endIdx, trailer = r+next, endIdx-next, trailer-next
		}
		if headers && endIdx < 0 {
			continue
		}
		endTrailer := data[r+trailer:]
		n := len(typ) + len(pemDash)
		if len(endTrailer) < n {
			continue
		}
		if !bytes.HasPrefix(endTrailer[:n], typ) || !bytes.HasSuffix(endTrailer[:n], pemDash) {
			continue
		}
		if line, _ := pemLine(endTrailer[n:], 0); len(line) != 0 {
			continue
		}
		b := pemBlock{typ: typ, body: data[r:r], bodyOff: r, begin: begin, afterBad: r + trailer}
		if endIdx > 0 {
			b.body = data[r : r+endIdx]
		}
		after := r + endIdx + len(pemEndNL) - 1
		_, next = pemLine(data[after:], 0)
		b.afterOK = after + next
		return b, true
	}
}

// Next advances to the next CERTIFICATE block and reports whether there is
// one. It returns false at the end of the bundle or on an error (see Err).
func (sc *PEMScanner) Next() bool {
	b, t, ok := sc.nextCert()
	if !ok || !sc.decode(b, t) {
		return false
	}
	sc.pos = b.afterOK
	return true
}

// nextCert finds the next CERTIFICATE block, skipping blocks of other
// types, and counts it. It returns false at the end of the bundle or on an
// error (see Err). t is the block's checked base64 text if it is in the
// RFC 7468 layout (layoutOf), else nil.
func (sc *PEMScanner) nextCert() (b pemBlock, t *pemText, ok bool) {
	sc.der = nil
	if sc.err != nil {
		return pemBlock{}, nil, false
	}
	if !sc.ref {
		if b, ok := sc.fastBlock(&sc.text); ok {
			sc.start = b.begin
			sc.blocks++
			return b, &sc.text, true
		}
	}
	for {
		b, ok := sc.nextBlock()
		if !ok {
			return pemBlock{}, nil, sc.unread()
		}
		if string(b.typ) != "CERTIFICATE" {
			// Skipped; where reading resumes depends, as in encoding/pem,
			// on whether its base64 is valid.
			if validBase64(b.body) {
				sc.pos = b.afterOK
			} else {
				sc.pos = b.afterBad
			}
			continue
		}
		sc.start = b.begin
		sc.blocks++
		if sc.ref {
			return b, nil, true
		}
		if sc.text, ok = layoutOf(b.body); ok {
			return b, &sc.text, true
		}
		return b, nil, true
	}
}

// parseNext finds the next CERTIFICATE block and parses it, for ParsePEM
// and ParsePEMChain. It returns ok false at the end of the bundle or on a
// scanner error (see Err), and err, Parse's error, for a block that holds
// no valid certificate. Text in the RFC 7468 layout is decoded only where
// Parse reads it (sparseCert); if that does not give a Set, the block is
// decoded whole and parsed again, so that results and errors are those of
// the reference path.
func (sc *PEMScanner) parseNext() (s Set, ok bool, err error) {
	b, t, ok := sc.nextCert()
	if !ok {
		return Set{}, false, nil
	}
	if t != nil {
		start := len(sc.buf)
		sc.grow(t.sparseLen())
		der := sc.buf[start : start+t.sparseLen()]
		clear(der) // the bytes left encoded read as zeros
		if sparseCert(t, der) {
			if s, err := Parse(der[:t.n]); err == nil {
				sc.der = der[:t.n]
				sc.buf = sc.buf[:start+t.n]
				sc.pos = b.afterOK
				sc.sparse++
				return s, true, nil
			}
		}
	}
	if !sc.decode(b, t) {
		return Set{}, false, nil
	}
	sc.pos = b.afterOK
	s, err = Parse(sc.der)
	return s, true, err
}

// lastIndexBegin is bytes.LastIndex(b, pemBegin), found by searching
// forward with bytes.Index, which is vectorised where LastIndex is not.
// pemBegin does not overlap itself (no proper suffix of it is a prefix), so
// the last match found forward is the last match.
func lastIndexBegin(b []byte) int {
	last := -1
	for i := 0; ; {
		j := bytes.Index(b[i:], pemBegin)
		if j < 0 {
			return last
		}
		last = i + j
		i = last + len(pemBegin)
	}
}

// unread ends the scan where encoding/pem finds no further block. A
// CERTIFICATE BEGIN line left in the unread text is an error: either its
// END line is missing, or the text does not form a block encoding/pem reads.
func (sc *PEMScanner) unread() bool {
	rest := sc.bundle[sc.pos:]
	for i := 0; ; {
		j := bytes.Index(rest[i:], pemCert)
		if j < 0 {
			sc.pos = len(sc.bundle)
			return false
		}
		at := i + j
		if at == 0 || rest[at-1] == '\n' {
			sc.start = sc.pos + at
			sc.blocks++
			if !bytes.Contains(rest[at:], []byte("\n-----END CERTIFICATE-----")) {
				return sc.fail(sc.start, "no -----END CERTIFICATE----- line", nil)
			}
			return sc.fail(sc.start, "a CERTIFICATE block encoding/pem does not read (malformed END line, or malformed PEM before it)", nil)
		}
		i = at + len(pemCert)
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

// isPEMSpace reports whether c is skipped inside base64 text, as encoding/pem
// and encoding/base64 skip it.
func isPEMSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// decodeBase64 decodes body as encoding/pem does (spaces, tabs and line
// breaks skipped; no data after padding) into out, or, with a nil out, only
// checks it. It returns the decoded length, and bad < 0 if body is valid;
// otherwise bad is the index of the offending byte among body's non-space
// bytes, with the reason and base64's error.
func decodeBase64(body, out []byte) (n, bad int, reason string, err error) {
	var chunk [512]byte // multiple of 4
	var scratch [384]byte
	filled, seen := 0, 0
	padded := false
	flush := func(final bool) bool {
		if filled == 0 {
			return true
		}
		if padded {
			bad, reason = seen-filled, "illegal base64 data (data after padding)"
			return false
		}
		dst := scratch[:]
		if out != nil {
			dst = out[n:]
		}
		m, derr := base64.StdEncoding.Decode(dst, chunk[:filled])
		if derr != nil {
			var ce base64.CorruptInputError
			bad, reason, err = seen-filled, "illegal base64 data", derr
			if errors.As(derr, &ce) {
				bad += int(ce)
			}
			return false
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
			return n, bad, reason, err
		}
	}
	if !flush(true) {
		return n, bad, reason, err
	}
	return n, -1, "", nil
}

// decode decodes the base64 text of b onto the end of sc.buf and sets
// sc.der; t is the text if it is in the RFC 7468 layout (checked), else nil.
func (sc *PEMScanner) decode(b pemBlock, t *pemText) bool {
	body, bodyOff := b.body, b.bodyOff
	sc.grow(base64.StdEncoding.DecodedLen(len(body)))
	start := len(sc.buf)
	if t != nil {
		n := t.decodeAll(sc.buf[start:cap(sc.buf)])
		sc.der = sc.buf[start : start+n]
		sc.buf = sc.buf[:start+n]
		return true
	}
	n, bad, reason, err := decodeBase64(body, sc.buf[start:cap(sc.buf)])
	if bad >= 0 {
		return sc.fail(sc.badOffset(body, bodyOff, bad), reason, err)
	}
	if n == 0 {
		return sc.fail(sc.start, "empty CERTIFICATE block", nil)
	}
	sc.der = sc.buf[start : start+n]
	sc.buf = sc.buf[:start+n]
	return true
}

// grow makes room for need more bytes in sc.buf, like append.
func (sc *PEMScanner) grow(need int) {
	if cap(sc.buf)-len(sc.buf) < need {
		grown := make([]byte, len(sc.buf), 2*cap(sc.buf)+need)
		copy(grown, sc.buf)
		sc.buf = grown
	}
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
// certificate to sets. The certificates are decoded onto buf (append
// semantics, as by [ScanPEM]); the Sets refer to that memory, and the grown
// buffer is returned. Only the bytes Parse reads are decoded when the text
// is in the RFC 7468 layout: the rest of each certificate's span in the
// buffer is zero (see the package documentation); use [ScanPEM] for the DER.
// With enough capacity in sets and buf (cap(buf) >= len(bundle) is enough),
// ParsePEM does not allocate. A bundle without certificates returns
// [ErrNoCertificate]; a bad block returns a *[PEMError] (wrapping the
// *[ParseError] when the DER inside is malformed).
func ParsePEM(bundle, buf []byte, sets []Set) ([]Set, []byte, error) {
	sc := ScanPEM(bundle, buf)
	return sc.parseAll(sets)
}

// parseAll is ParsePEM on sc.
func (sc *PEMScanner) parseAll(sets []Set) ([]Set, []byte, error) {
	found := false
	for {
		s, ok, err := sc.parseNext()
		if !ok {
			break
		}
		found = true
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
// [ParsePEM] does (decoding only what Parse reads), into a [Chain]. It does
// not allocate when cap(buf) >= len(bundle).
func ParsePEMChain(bundle, buf []byte) (Chain, []byte, error) {
	var c Chain
	sc := ScanPEM(bundle, buf)
	for {
		s, ok, err := sc.parseNext()
		if !ok {
			break
		}
		if c.n == MaxChainLen {
			return Chain{}, sc.Buffer(), errChainLen
		}
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
