package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/tlsver"
)

// JSON forms. Enumerations are strings (their String forms); times are RFC
// 3339 with nanoseconds; version sets are tlsver's text form ("TLS
// 1.0–1.2"). A Scenario and an Outcome round-trip through JSON with every
// field; an Outcome's JSON adds each finding's "message" and "remedy_text",
// which are derived and ignored when decoding. Decoding is strict: a member
// the schema does not have is an error naming it (matching
// [ErrUnknownMember]), as in the tlsver matrix, and a decoded Scenario is
// validated ([Scenario.Validate]).

// UnmarshalJSON implements json.Unmarshaler: the JSON form of the package
// documentation, strictly (unknown members are errors), then
// [Scenario.Validate]. Every error matches [ErrInvalidScenario] and, but for
// JSON syntax errors, is a *[FieldError] naming the member
// ("client.chain.certs[0].eku[1]").
func (s *Scenario) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		return nil // as encoding/json does for null
	}
	if err := checkJSON(reflect.TypeFor[Scenario](), b); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			return invalidScenario(fe)
		}
		return fmt.Errorf("%w: %w", ErrInvalidScenario, err)
	}
	type plain Scenario // without this method
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidScenario, jsonFieldError(err))
	}
	v := Scenario(p)
	if fe := v.check(); fe != nil {
		return invalidScenario(fe)
	}
	*s = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (s Stack) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Stack) UnmarshalText(b []byte) error {
	v, err := ParseStack(string(b))
	*s = v
	return err
}

// MarshalText implements encoding.TextMarshaler.
func (m ClientAuthMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *ClientAuthMode) UnmarshalText(b []byte) error {
	v, err := ParseClientAuthMode(string(b))
	*m = v
	return err
}

// MarshalText implements encoding.TextMarshaler.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (v *Verdict) UnmarshalText(b []byte) error {
	for i, n := range verdictNames {
		if n == string(b) {
			*v = Verdict(i)
			return nil
		}
	}
	return unknownName("verdict", string(b))
}

// MarshalText implements encoding.TextMarshaler.
func (e Effect) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (e *Effect) UnmarshalText(b []byte) error {
	for i, n := range effectNames {
		if n == string(b) {
			*e = Effect(i)
			return nil
		}
	}
	return unknownName("effect", string(b))
}

// MarshalText implements encoding.TextMarshaler.
func (c Code) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Code) UnmarshalText(b []byte) error {
	v, err := ParseCode(string(b))
	*c = v
	return err
}

// MarshalText implements encoding.TextMarshaler.
func (r RemedyCode) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *RemedyCode) UnmarshalText(b []byte) error {
	for i, n := range remedyNames {
		if n == string(b) {
			*r = RemedyCode(i)
			return nil
		}
	}
	return unknownName("remedy", string(b))
}

var casNames = [...]string{"unknown", "complete", "permit-client-auth"}

// String returns "unknown", "complete" or "permit-client-auth".
func (c CAs) String() string {
	if int(c) < len(casNames) {
		return casNames[c]
	}
	return "cas(" + itoa(int(c)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (c CAs) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *CAs) UnmarshalText(b []byte) error {
	for i, n := range casNames {
		if n == string(b) {
			*c = CAs(i)
			return nil
		}
	}
	return unknownName("cas value", string(b))
}

// certJSON is the JSON form of Cert: "eku" is null when the extension is
// absent and a list of purpose names otherwise; "key_usage" likewise with
// KeyUsage bit names; "ns_cert_type" is the first octet or null.
type certJSON struct {
	Subject    string    `json:"subject,omitempty"`
	Issuer     string    `json:"issuer,omitempty"`
	EKU        *[]string `json:"eku"`
	OtherEKUs  int       `json:"other_ekus,omitempty"`
	KeyUsage   *[]string `json:"key_usage"`
	NSCertType *uint8    `json:"ns_cert_type,omitempty"`
	CA         bool      `json:"ca,omitempty"`
	NotBefore  string    `json:"not_before,omitempty"`
	NotAfter   string    `json:"not_after,omitempty"`
	DER        []byte    `json:"der,omitempty"`
}

// MarshalJSON implements json.Marshaler.
func (c Cert) MarshalJSON() ([]byte, error) {
	j := certJSON{Subject: c.Subject, OtherEKUs: c.OtherEKUs, CA: c.IsCA, DER: c.DER, Issuer: c.Issuer}
	if !c.NotAfter.IsZero() {
		j.NotAfter = c.NotAfter.UTC().Format(time.RFC3339Nano)
	}
	if c.HasEKU {
		names := []string{}
		for _, p := range c.EKU.AppendTo(nil) {
			names = append(names, p.String())
		}
		j.EKU = &names
	}
	if c.HasKeyUsage {
		names := []string{}
		for i := 0; i < 16; i++ {
			if c.KeyUsage&(1<<i) != 0 {
				names = append(names, eku.KeyUsage(1<<i).String())
			}
		}
		j.KeyUsage = &names
	}
	if c.HasNSCertType {
		v := c.NSCertType
		j.NSCertType = &v
	}
	if !c.NotBefore.IsZero() {
		j.NotBefore = c.NotBefore.UTC().Format(time.RFC3339Nano)
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler. A member the schema does not
// have is an error matching [ErrUnknownMember].
func (c *Cert) UnmarshalJSON(b []byte) error {
	if err := checkJSON(reflect.TypeFor[Cert](), b); err != nil {
		return errorf("certificate: %w", err)
	}
	var j certJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return errorf("certificate: %w", err)
	}
	*c = Cert{Subject: j.Subject, OtherEKUs: j.OtherEKUs, IsCA: j.CA, DER: j.DER, Issuer: j.Issuer}
	if j.NotAfter != "" {
		var err error
		if c.NotAfter, err = parseTime(j.NotAfter); err != nil {
			return errorf("certificate not_after: %v", err)
		}
	}
	if j.EKU != nil {
		c.HasEKU = true
		var ps []eku.Purpose
		for _, n := range *j.EKU {
			p, err := eku.ParsePurpose(n)
			if err != nil {
				return errorf("certificate eku: %w", err)
			}
			ps = append(ps, p)
		}
		c.EKU = eku.PurposeSetOf(ps...)
	}
	if j.KeyUsage != nil {
		c.HasKeyUsage = true
		for _, n := range *j.KeyUsage {
			bit, ok := keyUsageBit(n)
			if !ok {
				return errorf("certificate key_usage %q: %w", n, ErrUnknownName)
			}
			c.KeyUsage |= bit
		}
	}
	if j.NSCertType != nil {
		c.HasNSCertType, c.NSCertType = true, *j.NSCertType
	}
	if j.NotBefore != "" {
		var err error
		if c.NotBefore, err = parseTime(j.NotBefore); err != nil {
			return errorf("certificate not_before: %w", err)
		}
	}
	return nil
}

// keyUsageBit returns the bit named name as MarshalJSON writes it: the
// RFC 5280 name, or "0x200" and up for bits without one.
func keyUsageBit(name string) (eku.KeyUsage, bool) {
	for i := 0; i < 16; i++ {
		if strings.EqualFold(eku.KeyUsage(1<<i).String(), name) {
			return eku.KeyUsage(1 << i), true
		}
	}
	return 0, false
}

// findingJSON adds the derived texts.
type findingJSON struct {
	Finding
	Message    string `json:"message"`
	RemedyText string `json:"remedy_text,omitempty"`
}

// outcomeJSON is the JSON form of Outcome.
type outcomeJSON struct {
	Verdict   Verdict        `json:"verdict"`
	Version   tlsver.Version `json:"version,omitempty"`
	Alert     Alert          `json:"alert,omitempty"`
	AlertFrom Side           `json:"alert_from,omitempty"`
	Findings  []findingJSON  `json:"findings"`
}

// MarshalJSON implements json.Marshaler. Each finding carries its derived
// "message" and "remedy_text".
func (o Outcome) MarshalJSON() ([]byte, error) {
	j := outcomeJSON{Verdict: o.Verdict, Version: o.Version, Alert: o.Alert, AlertFrom: o.AlertFrom, Findings: []findingJSON{}}
	for _, f := range o.Findings() {
		j.Findings = append(j.Findings, findingJSON{Finding: f, Message: f.Message(), RemedyText: f.Remedy.String()})
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler; derived texts are ignored. A
// member the schema does not have is an error matching [ErrUnknownMember];
// a bad value is a *[FieldError] naming it.
func (o *Outcome) UnmarshalJSON(b []byte) error {
	if isJSONNull(b) {
		return nil
	}
	if err := checkJSON(reflect.TypeFor[Outcome](), b); err != nil {
		return errorf("outcome: %w", err)
	}
	var j outcomeJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return errorf("outcome: %w", jsonFieldError(err))
	}
	*o = Outcome{Verdict: j.Verdict, Version: j.Version, Alert: j.Alert, AlertFrom: j.AlertFrom}
	for _, f := range j.Findings {
		o.Add(f.Finding)
	}
	return nil
}

func isJSONNull(b []byte) bool { return strings.TrimSpace(string(b)) == "null" }

func parseTime(s string) (t time.Time, err error) {
	return time.Parse(time.RFC3339, s)
}

// versionFixJSON is the JSON form of VersionFix: the upgrade goal by name.
type versionFixJSON struct {
	Enable     tlsver.Set `json:"enable,omitempty"`
	EnableText string     `json:"enable_text,omitempty"`
	Upgrade    string     `json:"upgrade,omitempty"`
}

// MarshalJSON implements json.Marshaler; the upgrade goal is its name
// ("client-tls1.1").
func (f VersionFix) MarshalJSON() ([]byte, error) {
	j := versionFixJSON{Enable: f.Enable, EnableText: f.EnableText}
	if f.Upgrade != 0 {
		j.Upgrade = f.Upgrade.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *VersionFix) UnmarshalJSON(b []byte) error {
	var j versionFixJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*f = VersionFix{Enable: j.Enable, EnableText: j.EnableText}
	if j.Upgrade != "" {
		g, err := tlsver.ParseGoal(j.Upgrade)
		if err != nil {
			return fmt.Errorf("policy: version_fix upgrade: %w", err)
		}
		f.Upgrade = g
	}
	return nil
}
