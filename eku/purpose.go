package eku

import (
	"fmt"
	"strconv"
)

//go:generate go run ./internal/gen -in internal/gen/purposes.csv -out purposes_gen.go

// Purpose is a key purpose (KeyPurposeId) that this package knows by name.
// RFC 5280, 4.2.1.12:
//
//	ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
//	KeyPurposeId ::= OBJECT IDENTIFIER
//
// The zero value is [Unknown]. The known purposes and their names, dotted
// OIDs and DER encodings come from one table, internal/gen/purposes.csv, from
// which purposes_gen.go is generated.
type Purpose uint8

// Unknown is the zero Purpose: an OID that is not in the table, or no purpose.
const Unknown Purpose = 0

// purposeInfo is one row of purposeTable.
type purposeInfo struct {
	name    string // text form, e.g. "serverAuth"
	oid     string // dotted form, e.g. "1.3.6.1.5.5.7.3.1"
	der     string // DER contents of the OBJECT IDENTIFIER (no tag, no length)
	zcrypto bool   // listed in zcrypto's EKU catalogue
}

// Known reports whether p is a purpose of the table (not [Unknown] and not
// out of range).
func (p Purpose) Known() bool { return p != Unknown && int(p) < numPurposes }

// String returns the name of p ("serverAuth", "clientAuth",
// "anyExtendedKeyUsage", ...). It returns "unknown" for [Unknown] and
// "Purpose(N)" for values outside the table; it never panics.
func (p Purpose) String() string {
	if int(p) < numPurposes {
		return purposeTable[p].name
	}
	return "Purpose(" + strconv.Itoa(int(p)) + ")"
}

// OID returns the dotted form of p's KeyPurposeId, for example
// "1.3.6.1.5.5.7.3.2" for [ClientAuth], or "" if p is not known.
func (p Purpose) OID() string {
	if int(p) < numPurposes {
		return purposeTable[p].oid
	}
	return ""
}

// AppendDER appends the DER contents (without tag and length) of p's
// KeyPurposeId to dst. It appends nothing if p is not known.
func (p Purpose) AppendDER(dst []byte) []byte {
	if int(p) < numPurposes {
		return append(dst, purposeTable[p].der...)
	}
	return dst
}

// MarshalText implements [encoding.TextMarshaler]. It returns the name, so a
// Purpose encodes to JSON as "clientAuth". Unknown and out-of-range values are
// an error, because they would not survive a round trip.
func (p Purpose) MarshalText() ([]byte, error) {
	if !p.Known() {
		return nil, fmt.Errorf("eku: cannot marshal %v", p)
	}
	return []byte(purposeTable[p].name), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]. It accepts what
// [ParsePurpose] accepts.
func (p *Purpose) UnmarshalText(text []byte) error {
	v, err := ParsePurpose(string(text))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// ParsePurpose returns the known purpose named s. It accepts the name
// ("clientAuth", matched case-insensitively) or the dotted OID
// ("1.3.6.1.5.5.7.3.2").
func ParsePurpose(s string) (Purpose, error) {
	for i := 1; i < numPurposes; i++ {
		if equalFold(purposeTable[i].name, s) || purposeTable[i].oid == s {
			return Purpose(i), nil
		}
	}
	return Unknown, fmt.Errorf("eku: unknown purpose %q", s)
}

// Purposes returns every known purpose in table order.
func Purposes() []Purpose {
	ps := make([]Purpose, 0, numPurposes-1)
	for i := 1; i < numPurposes; i++ {
		ps = append(ps, Purpose(i))
	}
	return ps
}

// PurposeFromDER returns the known purpose whose KeyPurposeId has the DER
// contents der (the OBJECT IDENTIFIER without tag and length), or [Unknown].
// It does not allocate.
func PurposeFromDER(der []byte) Purpose { return purposeFromDER(der) }

// equalFold reports whether the ASCII strings a and b are equal ignoring case.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
