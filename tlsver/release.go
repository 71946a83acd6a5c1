package tlsver

import "strconv"

// Release is a Cisco-style product release: "10.6", "10.6(1)", "10.6(1)SU3".
// Major.Minor names the release train, the number in parentheses is the
// maintenance release and SU the service update. A release without
// parentheses ("11.5") names the whole train, as in the upgrade table's
// "current customer release" column. The zero value is not a release.
//
// Releases are totally ordered by [Release.Compare]: by major, minor,
// maintenance number (a bare train sorts before all its maintenance
// releases), then service update (the base release before SU1 before SU2).
type Release struct {
	Major, Minor uint16
	Maint        uint16 // meaningful when HasMaint
	HasMaint     bool
	SU           uint16 // 0 = no service update
}

// maxReleaseNumber bounds each number so that parsing cannot overflow.
const maxReleaseNumber = 9999

// ParseRelease parses a Cisco release string. Both "." and the German decimal
// comma separate major and minor ("10,6(1)SU3" is 10.6(1)SU3); "SU" is
// case-insensitive and may follow a space. Anything else is an error that
// names the offset: "11.5.1", "11.6SU1", "10.6(1)SU0", "12.x".
func ParseRelease(s string) (Release, error) {
	r, perr := scanRelease(s)
	if perr.msg != "" {
		return Release{}, &ParseError{What: "release", Input: s, Offset: perr.off, Msg: perr.msg}
	}
	return r, nil
}

// MustParseRelease is like [ParseRelease] but panics on error; for tests and
// package-level tables of literal releases.
func MustParseRelease(s string) Release {
	r, err := ParseRelease(s)
	if err != nil {
		panic(err)
	}
	return r
}

// readNum reads decimal digits at s[i:], returning the value and the new index.
func readNum(s string, i int) (n int, j int, ok bool) {
	j = i
	for j < len(s) && isDigit(s[j]) {
		n = n*10 + int(s[j]-'0')
		if n > maxReleaseNumber {
			return 0, j, false
		}
		j++
	}
	return n, j, j > i
}

// readField reads the number that must start at s[i:]; want is the error
// message when there is none.
func readField(s string, i int, want string) (n, j int, err scanErr) {
	n, j, ok := readNum(s, i)
	switch {
	case ok:
		return n, j, scanErr{}
	case j > i:
		return 0, j, scanErr{i, "number too large"}
	default:
		return 0, j, scanErr{i, want}
	}
}

func scanRelease(s string) (Release, scanErr) {
	var r Release
	i, end := trimSpace(s)
	if i == end {
		return r, scanErr{0, "empty release"}
	}
	s = s[:end]
	n, j, e := readField(s, i, "expected a release such as \"11.5(1)SU1\"")
	if e.msg != "" {
		return r, e
	}
	if n == 0 {
		return r, scanErr{i, "major release 0 is not a release"}
	}
	r.Major = uint16(n)
	i = j
	if i >= len(s) || (s[i] != '.' && s[i] != ',') {
		return r, scanErr{i, "expected \".\" and a minor number after the major release"}
	}
	i++
	if i < len(s) && lower(s[i]) == 'x' {
		return r, scanErr{i, "\"x\" is a pattern, not a release"}
	}
	if n, j, e = readField(s, i, "expected a minor number"); e.msg != "" {
		return r, e
	}
	r.Minor = uint16(n)
	i = j
	if i < len(s) && s[i] == '(' {
		i++
		if n, j, e = readField(s, i, "expected a maintenance number inside the parentheses"); e.msg != "" {
			return r, e
		}
		if j >= len(s) || s[j] != ')' {
			return r, scanErr{j, "expected \")\""}
		}
		r.Maint, r.HasMaint = uint16(n), true
		i = j + 1
		k := i
		if k < len(s) && s[k] == ' ' {
			k++
		}
		if k+1 < len(s) && lower(s[k]) == 's' && lower(s[k+1]) == 'u' {
			k += 2
			if n, j, e = readField(s, k, "expected a service update number after \"SU\""); e.msg != "" {
				return r, e
			}
			if n == 0 {
				return r, scanErr{k, "service updates start at SU1"}
			}
			r.SU = uint16(n)
			i = j
		}
	}
	if i < len(s) {
		switch {
		case s[i] == '.' || s[i] == ',':
			return r, scanErr{i, "a release has two numbers before the parentheses, as in \"11.5(1)\""}
		case lower(s[i]) == 's' && !r.HasMaint:
			return r, scanErr{i, "a service update needs a maintenance number, as in \"10.6(1)SU3\""}
		case lower(s[i]) == 'x':
			return r, scanErr{i, "\"x\" is a pattern, not a release"}
		}
		return r, scanErr{i, "unexpected " + quoteRest(s[i:])}
	}
	return r, scanErr{}
}

// IsZero reports whether r is the zero value (not a release).
func (r Release) IsZero() bool { return r == Release{} }

// IsTrain reports whether r names a whole release train ("11.5") rather than
// a maintenance release ("11.5(1)").
func (r Release) IsTrain() bool { return !r.IsZero() && !r.HasMaint }

// Train returns the release train r belongs to: 11.5(1)SU1 → 11.5.
func (r Release) Train() Release { return Release{Major: r.Major, Minor: r.Minor} }

// Compare returns -1, 0 or +1 as r sorts before, equal to or after o.
func (r Release) Compare(o Release) int {
	switch {
	case r.Major != o.Major:
		return cmpInt(r.Major, o.Major)
	case r.Minor != o.Minor:
		return cmpInt(r.Minor, o.Minor)
	case r.HasMaint != o.HasMaint:
		if !r.HasMaint {
			return -1
		}
		return 1
	case r.Maint != o.Maint:
		return cmpInt(r.Maint, o.Maint)
	}
	return cmpInt(r.SU, o.SU)
}

func cmpInt(a, b uint16) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// String returns the canonical form, "10.6(1)SU3", or "" for the zero value.
func (r Release) String() string {
	if r.IsZero() {
		return ""
	}
	return string(r.AppendText(nil))
}

// AppendText appends the canonical form of r to b.
func (r Release) AppendText(b []byte) []byte {
	if r.IsZero() {
		return b
	}
	b = strconv.AppendUint(b, uint64(r.Major), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(r.Minor), 10)
	if r.HasMaint {
		b = append(b, '(')
		b = strconv.AppendUint(b, uint64(r.Maint), 10)
		b = append(b, ')')
		if r.SU > 0 {
			b = append(b, 'S', 'U')
			b = strconv.AppendUint(b, uint64(r.SU), 10)
		}
	}
	return b
}

// MarshalText implements encoding.TextMarshaler with the canonical form.
func (r Release) MarshalText() ([]byte, error) { return r.AppendText(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseRelease].
func (r *Release) UnmarshalText(b []byte) error {
	p, err := ParseRelease(string(b))
	if err != nil {
		return err
	}
	*r = p
	return nil
}
