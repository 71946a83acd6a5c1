package eku

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Facts is what a parsed [Set] says about one certificate, as plain data
// that does not refer to the certificate's DER: the Extended Key Usage
// extension (RFC 5280, 4.2.1.12), the KeyUsage extension (4.2.1.3) and the
// basicConstraints cA flag (4.2.1.9). [Set.Facts] makes one.
//
// Its JSON form has snake_case members, purposes and KeyUsage bits as
// names, and an empty array rather than null for empty lists:
//
//	{"eku_present":true,"critical":false,"purposes":["serverAuth"],
//	 "oids":["1.3.6.1.5.5.7.3.1"],"key_usage_present":true,
//	 "key_usage":["digitalSignature"],"basic_constraints_present":true,"ca":false}
//
// Decoding is strict: an unknown member, an unknown purpose or bit name, an
// OID that is not in dotted form, and members that contradict each other
// (purposes that are not those listed in oids, a critical flag, purposes or
// OIDs without the extension, KeyUsage bits without the KeyUsage extension,
// cA without basicConstraints) are errors naming the member.
type Facts struct {
	// EKUPresent reports whether the certificate has the Extended Key Usage
	// extension ([Set.Present]).
	EKUPresent bool `json:"eku_present"`
	// Critical reports whether that extension is marked critical.
	Critical bool `json:"critical"`
	// Purposes is the set of listed KeyPurposeIds that this package knows
	// ([Set.Purposes]).
	Purposes PurposeSet `json:"purposes"`
	// OIDs lists every KeyPurposeId in certificate order, known or not, in
	// dotted form ("1.3.6.1.5.5.7.3.1"); see [AppendOID] for the form of an
	// OID with an arc of 64 bits or more. It is nil when none is listed.
	OIDs []string `json:"oids"`
	// KeyUsagePresent reports whether the certificate has the KeyUsage
	// extension; KeyUsage holds its bits.
	KeyUsagePresent bool     `json:"key_usage_present"`
	KeyUsage        KeyUsage `json:"key_usage"`
	// BasicConstraintsPresent reports whether the certificate has the
	// basicConstraints extension; CA holds its cA flag.
	BasicConstraintsPresent bool `json:"basic_constraints_present"`
	CA                      bool `json:"ca"`
}

// Facts returns what s says as a [Facts] value. Unlike [Parse] and the
// methods of Set, it allocates: a string for each listed KeyPurposeId.
func (s Set) Facts() Facts {
	f := Facts{EKUPresent: s.Present(), Critical: s.Critical(), Purposes: s.Purposes()}
	if n := s.Len(); n > 0 {
		f.OIDs = make([]string, 0, n)
		var buf []byte
		for it := s.OIDs(); it.Next(); {
			buf = it.AppendText(buf[:0])
			f.OIDs = append(f.OIDs, string(buf))
		}
	}
	f.KeyUsage, f.KeyUsagePresent = s.KeyUsage()
	f.CA, f.BasicConstraintsPresent = s.BasicConstraints()
	return f
}

// Permits reports whether the certificate the facts describe may be used for
// p under RFC 5280, 4.2.1.12, with the meaning of [Set.Permits]: an absent
// extension permits every purpose, anyExtendedKeyUsage permits every
// purpose, and otherwise p must be listed.
func (f Facts) Permits(p Purpose) bool {
	return !f.EKUPresent || f.Purposes.Has(Any) || f.Purposes.Has(p)
}

// factsJSON has Facts' fields without its methods.
type factsJSON Facts

// MarshalJSON implements [json.Marshaler]. Empty lists encode as [].
func (f Facts) MarshalJSON() ([]byte, error) {
	j := factsJSON(f)
	if j.OIDs == nil {
		j.OIDs = []string{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements [json.Unmarshaler], strictly (see [Facts]). An
// empty oids array gives nil OIDs, as [Set.Facts] does.
func (f *Facts) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // error: json: unknown field "name"
	var j factsJSON
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("eku: Facts: %w", err)
	}
	if len(j.OIDs) == 0 {
		j.OIDs = nil
	}
	if err := Facts(j).check(); err != nil {
		return fmt.Errorf("eku: Facts: %w", err)
	}
	*f = Facts(j)
	return nil
}

// check reports members that contradict each other or are malformed.
func (f Facts) check() error {
	if !f.EKUPresent {
		switch {
		case f.Critical:
			return errors.New(`member "critical" is true but "eku_present" is false`)
		case !f.Purposes.IsEmpty():
			return errors.New(`member "purposes" is not empty but "eku_present" is false`)
		case len(f.OIDs) > 0:
			return errors.New(`member "oids" is not empty but "eku_present" is false`)
		}
	}
	var known PurposeSet
	for i, oid := range f.OIDs {
		if !dottedOID(oid) {
			return fmt.Errorf(`member "oids": element %d: %q is not a dotted OID`, i, oid)
		}
		for _, p := range Purposes() {
			if p.OID() == oid {
				known.add(p)
			}
		}
	}
	if known != f.Purposes {
		return fmt.Errorf(`member "purposes" is [%v] but the known purposes in "oids" are [%v]`, f.Purposes, known)
	}
	if !f.KeyUsagePresent && f.KeyUsage != 0 {
		return errors.New(`member "key_usage" is not empty but "key_usage_present" is false`)
	}
	if !f.BasicConstraintsPresent && f.CA {
		return errors.New(`member "ca" is true but "basic_constraints_present" is false`)
	}
	return nil
}

// dottedOID reports whether s is in the form [AppendOID] writes: arcs in
// decimal without leading zeros separated by dots, at least two, the first
// 0, 1 or 2; or "invalid-oid:" and lowercase hexadecimal bytes.
func dottedOID(s string) bool {
	if hex, ok := strings.CutPrefix(s, "invalid-oid:"); ok {
		if len(hex) == 0 || len(hex)%2 != 0 {
			return false
		}
		for i := 0; i < len(hex); i++ {
			if c := hex[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
		return true
	}
	if len(s) < 3 || s[0] < '0' || s[0] > '2' || s[1] != '.' {
		return false
	}
	arc := 0 // digits in the current arc
	for i := 2; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			if arc == 0 {
				return false
			}
			arc = 0
		case '0' <= c && c <= '9':
			if arc == 1 && s[i-1] == '0' {
				return false // leading zero
			}
			arc++
		default:
			return false
		}
	}
	return arc > 0
}
