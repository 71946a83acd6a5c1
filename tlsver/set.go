package tlsver

import (
	"iter"
	"math/bits"
	"strings"
)

// Set is a set of known versions as a bitset: bit i stands for the i-th of
// SSL 3.0, TLS 1.0, TLS 1.1, TLS 1.2, TLS 1.3. The zero value is the empty set.
// A Set is a small value; all its methods are allocation-free.
type Set uint8

// all is the set of every known version.
const all Set = 1<<numVersions - 1

// SetOf returns the set holding the known versions among vs; unknown versions
// are ignored.
func SetOf(vs ...Version) Set {
	var s Set
	for _, v := range vs {
		s = s.Add(v)
	}
	return s
}

// Range returns the set of known versions v with lo <= v <= hi, the shape of a
// MinVersion/MaxVersion configuration. It is empty when lo > hi.
func Range(lo, hi Version) Set {
	var s Set
	for i := range numVersions {
		v := versionTable[i].v
		if v >= lo && v <= hi {
			s |= 1 << i
		}
	}
	return s
}

// All returns the set of every version this package knows (SSL 3.0 to TLS 1.3).
func All() Set { return all }

// Has reports whether v is in s.
func (s Set) Has(v Version) bool {
	i := v.index()
	return i >= 0 && s&(1<<i) != 0
}

// Add returns s with v added; an unknown v leaves s unchanged.
func (s Set) Add(v Version) Set {
	if i := v.index(); i >= 0 {
		return s | 1<<i
	}
	return s
}

// Remove returns s without v.
func (s Set) Remove(v Version) Set {
	if i := v.index(); i >= 0 {
		return s &^ (1 << i)
	}
	return s
}

// Union returns the versions in s or t.
func (s Set) Union(t Set) Set { return (s | t) & all }

// Intersect returns the versions in both s and t.
func (s Set) Intersect(t Set) Set { return s & t & all }

// Difference returns the versions in s that are not in t.
func (s Set) Difference(t Set) Set { return s &^ t & all }

// IsEmpty reports whether s holds no version.
func (s Set) IsEmpty() bool { return s&all == 0 }

// Len returns the number of versions in s.
func (s Set) Len() int { return bits.OnesCount8(uint8(s & all)) }

// Min returns the lowest version in s, or 0 if s is empty.
func (s Set) Min() Version {
	if s&all == 0 {
		return 0
	}
	return versionTable[bits.TrailingZeros8(uint8(s&all))].v
}

// Max returns the highest version in s, or 0 if s is empty.
func (s Set) Max() Version {
	if s&all == 0 {
		return 0
	}
	return versionTable[7-bits.LeadingZeros8(uint8(s&all))].v
}

// MaxAtMost returns the highest version in s that is not above v, or 0.
func (s Set) MaxAtMost(v Version) Version {
	return s.Intersect(Range(0, v)).Max()
}

// Contiguous reports whether s has no gaps: every version between Min and Max
// is in s. The empty set is contiguous.
func (s Set) Contiguous() bool {
	if s.IsEmpty() {
		return true
	}
	return Range(s.Min(), s.Max()) == s&all
}

// Versions returns an iterator over the versions in s, lowest first.
func (s Set) Versions() iter.Seq[Version] {
	return func(yield func(Version) bool) {
		for i := range numVersions {
			if s&(1<<i) != 0 && !yield(versionTable[i].v) {
				return
			}
		}
	}
}

// setStrings holds String() of every Set, computed once, so String does not
// allocate.
var setStrings = func() (t [1 << numVersions]string) {
	for i := range t {
		t[i] = formatSet(Set(i))
	}
	return t
}()

// String returns a readable form: runs of three or more consecutive TLS
// versions as a range ("TLS 1.0–1.2", with an en dash), other versions listed
// ("TLS 1.1, 1.2", "TLS 1.0, 1.2"), SSL 3.0 named separately ("SSL 3.0, TLS
// 1.0–1.2"), and "none" for the empty set. It does not allocate.
func (s Set) String() string { return setStrings[s&all] }

func formatSet(s Set) string {
	if s.IsEmpty() {
		return "none"
	}
	var parts []string
	if s.Has(SSL30) {
		parts = append(parts, "SSL 3.0")
	}
	var tls []string
	for i := 1; i < numVersions; {
		if s&(1<<i) == 0 {
			i++
			continue
		}
		j := i
		for j+1 < numVersions && s&(1<<(j+1)) != 0 {
			j++
		}
		if j-i >= 2 {
			tls = append(tls, versionTable[i].short+"–"+versionTable[j].short)
		} else {
			for k := i; k <= j; k++ {
				tls = append(tls, versionTable[k].short)
			}
		}
		i = j + 1
	}
	if len(tls) > 0 {
		parts = append(parts, "TLS "+strings.Join(tls, ", "))
	}
	return strings.Join(parts, ", ")
}

// MarshalText implements encoding.TextMarshaler with the String form.
func (s Set) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseSet].
func (s *Set) UnmarshalText(b []byte) error {
	p, err := ParseSet(string(b))
	if err != nil {
		return err
	}
	*s = p
	return nil
}

// ParseSet parses a list of versions and ranges, as written by [Set.String]
// or by people: "TLS 1.0–1.2", "TLS 1.0-1.2", "TLS 1.1, 1.2", "1.0, 1.1, 1.2",
// the German "1,0, 1,1, 1,2", "TLSv1.2 TLSv1.3", "TLS 1.0 .. TLS 1.2",
// "SSL 3.0, TLS 1.0–1.2". Items are separated by commas, semicolons, slashes,
// "+" or spaces; a range is two versions joined by "-", "–" or "..".
// "none" and the empty string give the empty set.
func ParseSet(s string) (Set, error) {
	start, end := trimSpace(s)
	body := s[start:end]
	if body == "" || strings.EqualFold(body, "none") {
		return 0, nil
	}
	var set Set
	i := 0
	// prefix carries "TLS" over to bare numbers after it ("TLS 1.1, 1.2").
	for {
		v, n, perr := scanVersion(body[i:])
		if perr.msg != "" {
			return 0, &ParseError{What: "version set", Input: s, Offset: start + i + perr.off, Msg: perr.msg}
		}
		i += n
		j := skipSpaces(body, i)
		if rl := rangeSep(body[j:]); rl > 0 {
			k := skipSpaces(body, j+rl)
			hi, m, perr := scanVersion(body[k:])
			if perr.msg != "" {
				return 0, &ParseError{What: "version set", Input: s, Offset: start + k + perr.off, Msg: perr.msg}
			}
			if hi < v {
				return 0, &ParseError{What: "version set", Input: s, Offset: start + k, Msg: "range ends (" + hi.String() + ") below its start (" + v.String() + ")"}
			}
			set |= Range(v, hi)
			i = k + m
		} else {
			set = set.Add(v)
		}
		i = skipSpaces(body, i)
		if i == len(body) {
			return set, nil
		}
		switch body[i] {
		case ',', ';', '/', '+':
			i = skipSpaces(body, i+1)
			if i == len(body) {
				return 0, &ParseError{What: "version set", Input: s, Offset: start + i, Msg: "expected a version after the separator"}
			}
		default:
			if i > 0 && !isSpace(body[i-1]) {
				return 0, &ParseError{What: "version set", Input: s, Offset: start + i, Msg: "unexpected " + quoteRest(body[i:]) + "; separate versions with commas"}
			}
		}
	}
}

func quoteRest(s string) string {
	if len(s) > 16 {
		s = s[:16] + "…"
	}
	return "\"" + s + "\""
}

func skipSpaces(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// rangeSep returns the length of a range separator at the start of s, or 0.
func rangeSep(s string) int {
	switch {
	case strings.HasPrefix(s, "–"), strings.HasPrefix(s, "—"):
		return len("–")
	case strings.HasPrefix(s, ".."):
		return 2
	case strings.HasPrefix(s, "-"):
		return 1
	case hasPrefixFold(s, "to "):
		return 3
	}
	return 0
}
