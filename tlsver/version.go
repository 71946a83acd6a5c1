package tlsver

import "strconv"

// Version is a TLS protocol version as its two-byte wire value
// (ProtocolVersion in RFC 8446, 4.1.2; legacy_version in RFC 5246, 7.4.1.2).
// The zero value means "no version" (unknown or none negotiated).
type Version uint16

// The versions this package knows, with their wire values.
const (
	SSL30 Version = 0x0300 // SSL 3.0, RFC 6101
	TLS10 Version = 0x0301 // TLS 1.0, RFC 2246
	TLS11 Version = 0x0302 // TLS 1.1, RFC 4346
	TLS12 Version = 0x0303 // TLS 1.2, RFC 5246
	TLS13 Version = 0x0304 // TLS 1.3, RFC 8446
)

// versionTable is the one table for the version vocabulary: the bit index in
// a Set is the position in this table.
var versionTable = [...]struct {
	v     Version
	name  string // String()
	short string // the number alone, used in Set strings ("1.2")
}{
	{SSL30, "SSL 3.0", "3.0"},
	{TLS10, "TLS 1.0", "1.0"},
	{TLS11, "TLS 1.1", "1.1"},
	{TLS12, "TLS 1.2", "1.2"},
	{TLS13, "TLS 1.3", "1.3"},
}

// numVersions is the number of known versions and the width of a Set.
const numVersions = len(versionTable)

// index returns the table position of v, or -1 if v is not known.
func (v Version) index() int {
	if v >= SSL30 && v <= TLS13 {
		return int(v - SSL30)
	}
	return -1
}

// Known reports whether v is one of SSL 3.0, TLS 1.0, 1.1, 1.2 or 1.3.
func (v Version) Known() bool { return v.index() >= 0 }

// String returns "SSL 3.0" or "TLS 1.x" for known versions, "none" for the zero
// value, and the wire value as "0x%04X" for anything else. It never panics.
func (v Version) String() string {
	if i := v.index(); i >= 0 {
		return versionTable[i].name
	}
	if v == 0 {
		return "none"
	}
	return hex4(uint16(v))
}

// hex4 formats u as "0x%04X" without fmt.
func hex4(u uint16) string {
	const digits = "0123456789ABCDEF"
	b := [6]byte{'0', 'x', digits[u>>12&0xF], digits[u>>8&0xF], digits[u>>4&0xF], digits[u&0xF]}
	return string(b[:])
}

// MarshalText implements encoding.TextMarshaler with the String form.
// Unknown versions are rejected so that what is written can be read back.
func (v Version) MarshalText() ([]byte, error) {
	if !v.Known() {
		return nil, &ParseError{What: "version", Input: v.String(), Msg: "not a known TLS version"}
	}
	return []byte(v.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseVersion].
func (v *Version) UnmarshalText(b []byte) error {
	p, err := ParseVersion(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// ParseVersion parses the spellings people write for a TLS or SSL version,
// case-insensitively and ignoring surrounding spaces:
//
//	"TLS 1.2", "TLSv1.2", "TLS1.2", "tls1_2", "TLS_1_2", "TLS-1.2", "TLS12",
//	"VersionTLS12" (Go), "TLSv1" (OpenSSL's name for TLS 1.0), "1.2",
//	"1,2" (decimal comma, as in German text), "0x0303" (wire value),
//	"SSLv3", "SSL 3.0", "SSL3", "ssl3_0", "VersionSSL30".
//
// A bare "3.x" is rejected as ambiguous (it can be a wire notation for TLS
// 1.x-1 or SSL 3.0). The error is a [*ParseError] that names the offset.
func ParseVersion(s string) (Version, error) {
	start, end := trimSpace(s)
	v, n, perr := scanVersion(s[start:end])
	if perr.msg != "" {
		return 0, &ParseError{What: "version", Input: s, Offset: start + perr.off, Msg: perr.msg}
	}
	if start+n != end {
		return 0, &ParseError{What: "version", Input: s, Offset: start + n, Msg: "unexpected " + strconv.Quote(s[start+n:end]) + " after " + v.String()}
	}
	return v, nil
}

// ParseError is the error returned for a malformed version, version set or
// release string. Offset is the byte offset in Input where the problem is.
type ParseError struct {
	What   string // "version", "version set" or "release"
	Input  string
	Offset int
	Msg    string
}

// Error returns "tlsver: parsing <what> "<input>": at offset N: <msg>".
func (e *ParseError) Error() string {
	return "tlsver: parsing " + e.What + " " + strconv.Quote(e.Input) + ": at offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// scanErr is an allocation-free error description used inside the scanners.
type scanErr struct {
	off int
	msg string
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimSpace(s string) (start, end int) {
	start, end = 0, len(s)
	for start < end && isSpace(s[start]) {
		start++
	}
	for end > start && isSpace(s[end-1]) {
		end--
	}
	return start, end
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix p,
// ignoring case.
func hasPrefixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if lower(s[i]) != p[i] {
			return false
		}
	}
	return true
}

// scanVersion reads one version from the start of s (no leading space) and
// returns it with the number of bytes consumed. It stops before anything that
// cannot continue a version, so that set parsing can use it.
func scanVersion(s string) (Version, int, scanErr) {
	if s == "" {
		return 0, 0, scanErr{0, "empty version"}
	}
	// Wire value.
	if hasPrefixFold(s, "0x") {
		n := 2
		var u uint32
		for n < len(s) && n < 7 && hexVal(s[n]) >= 0 {
			u = u<<4 | uint32(hexVal(s[n]))
			n++
		}
		if n != 6 {
			return 0, 0, scanErr{0, "a wire value needs four hex digits, as in 0x0303"}
		}
		v := Version(u)
		if !v.Known() {
			return 0, 0, scanErr{0, "wire value " + hex4(uint16(u)) + " is not SSL 3.0 or TLS 1.0-1.3"}
		}
		return v, n, scanErr{}
	}
	i := 0
	proto := byte(0) // 't' for TLS, 's' for SSL, 0 for a bare number
	switch {
	case hasPrefixFold(s, "versiontls"):
		proto, i = 't', len("versiontls")
	case hasPrefixFold(s, "versionssl"):
		proto, i = 's', len("versionssl")
	case hasPrefixFold(s, "tls"):
		proto, i = 't', 3
	case hasPrefixFold(s, "ssl"):
		proto, i = 's', 3
	}
	if proto != 0 {
		// separators: "TLS 1.2", "TLS_1_2", "TLS-1.2", "TLSv1.2", "TLS v1.2"
		for i < len(s) && (s[i] == ' ' || s[i] == '_' || s[i] == '-') {
			i++
		}
		if i < len(s) && (s[i] == 'v' || s[i] == 'V') {
			i++
		}
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	if i >= len(s) || !isDigit(s[i]) {
		if proto == 0 {
			return 0, 0, scanErr{0, "expected a version such as \"TLS 1.2\", \"1.2\" or \"0x0303\""}
		}
		return 0, 0, scanErr{i, "expected a version number"}
	}
	// major
	major := int(s[i] - '0')
	majorOff := i
	i++
	minor := -1
	switch {
	case i < len(s) && isDigit(s[i]) && proto != 0:
		// compact form "TLS12", "SSL30"
		minor = int(s[i] - '0')
		i++
	case i+1 < len(s) && (s[i] == '.' || s[i] == ',' || s[i] == '_') && isDigit(s[i+1]):
		minor = int(s[i+1] - '0')
		i += 2
	}
	if i < len(s) && isDigit(s[i]) {
		return 0, 0, scanErr{i, "version numbers have one digit each"}
	}
	switch proto {
	case 't':
		if major != 1 {
			return 0, 0, scanErr{majorOff, "TLS versions are 1.0 to 1.3"}
		}
		if minor == -1 {
			minor = 0 // "TLSv1" is TLS 1.0 in OpenSSL's and Java's spelling
		}
	case 's':
		if major != 3 {
			if major == 2 {
				return 0, 0, scanErr{majorOff, "SSL 2.0 is not supported (its hello has no version field this package models)"}
			}
			return 0, 0, scanErr{majorOff, "SSL versions are 3.0 only"}
		}
		if minor == -1 {
			minor = 0
		}
		if minor != 0 {
			return 0, 0, scanErr{majorOff, "SSL versions are 3.0 only"}
		}
		return SSL30, i, scanErr{}
	default:
		if minor == -1 {
			return 0, 0, scanErr{majorOff, "a bare number needs a minor version, as in \"1.2\""}
		}
		if major == 3 {
			return 0, 0, scanErr{majorOff, "\"3." + string(rune('0'+minor)) + "\" is ambiguous (wire notation or SSL 3.0); write \"SSL 3.0\", \"TLS 1.x\" or \"0x030N\""}
		}
		if major != 1 {
			return 0, 0, scanErr{majorOff, "TLS versions are 1.0 to 1.3"}
		}
	}
	if minor > 3 {
		return 0, 0, scanErr{majorOff, "TLS versions are 1.0 to 1.3"}
	}
	return TLS10 + Version(minor), i, scanErr{}
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
