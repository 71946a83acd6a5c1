package policy

import (
	"strconv"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// MaxRenewalDays is the largest [Renewal.EveryDays] and [Renewal.WindowDays]
// a Scenario may have: 36,525 days (100 years of 365.25 days). Renewal
// arithmetic is exact in whole seconds for any value up to it, over any
// instants a Scenario may hold.
const MaxRenewalDays = 36525

// Validate reports whether s is a valid scenario: every enumeration in
// range, every version set made of known versions, every instant within
// ±2^62 seconds of 1970 (the JSON form, RFC 3339, writes only the years
// 0000-9999: json.Marshal reports others), renewal periods and windows in
// [0, MaxRenewalDays] with a window shorter than the period, and each
// certificate's extension data consistent with its presence flags (no EKU
// purposes when HasEKU is false, ...). The error
// matches [ErrInvalidScenario] and is a *[FieldError] naming the field by
// its JSON path ("client.renewal.window_days").
//
// [Evaluate] and [Timeline] check the same conditions and, for an invalid
// scenario, answer Unknown with one finding of code invalid-input naming the
// field, rather than an answer computed from values out of range; decoding
// a Scenario from JSON returns this error.
func (s Scenario) Validate() error {
	if fe := s.check(); fe != nil {
		return invalidScenario(fe)
	}
	return nil
}

// check is Validate without the wrapping; it does not allocate for a valid
// scenario.
func (s *Scenario) check() *FieldError {
	if !instantOK(s.At) {
		return badInstant("at", s.At)
	}
	if s.Protocol > tlsver.SIP {
		return &FieldError{Field: "protocol", Msg: "not a known protocol (" + s.Protocol.String() + ")"}
	}
	c := &s.Client
	if !setOK(c.Versions) {
		return &FieldError{Field: "client.versions", Msg: "holds bits of no known version"}
	}
	if c.Stack >= numStacks {
		return &FieldError{Field: "client.stack", Msg: "not a known stack (" + c.Stack.String() + ")"}
	}
	if ch := c.Chain; ch != nil {
		if ch.CAs > CAsPermitClientAuth {
			return &FieldError{Field: "client.chain.cas", Msg: "not a known value (" + ch.CAs.String() + ")"}
		}
		for i := range ch.Certs {
			if fe := checkCert(&ch.Certs[i], i); fe != nil {
				return fe
			}
		}
	}
	if r := c.Renewal; r != nil {
		if fe := checkRenewal(r); fe != nil {
			return fe
		}
	}
	v := &s.Server
	if !setOK(v.Versions) {
		return &FieldError{Field: "server.versions", Msg: "holds bits of no known version"}
	}
	if v.Stack >= numStacks {
		return &FieldError{Field: "server.stack", Msg: "not a known stack (" + v.Stack.String() + ")"}
	}
	if v.ClientAuth >= numClientAuth {
		return &FieldError{Field: "server.client_auth", Msg: "not a known mode (" + v.ClientAuth.String() + ")"}
	}
	return nil
}

func checkRenewal(r *Renewal) *FieldError {
	if !instantOK(r.At) {
		return badInstant("client.renewal.at", r.At)
	}
	if !instantOK(r.DropsClientAuthFrom) {
		return badInstant("client.renewal.drops_client_auth_from", r.DropsClientAuthFrom)
	}
	if r.EveryDays < 0 || r.EveryDays > MaxRenewalDays {
		return &FieldError{Field: "client.renewal.every_days", Msg: strconv.Itoa(r.EveryDays) + " is out of range (0 to " + strconv.Itoa(MaxRenewalDays) + " days)"}
	}
	if r.WindowDays < 0 || r.WindowDays > MaxRenewalDays {
		return &FieldError{Field: "client.renewal.window_days", Msg: strconv.Itoa(r.WindowDays) + " is out of range (0 to " + strconv.Itoa(MaxRenewalDays) + " days)"}
	}
	if r.EveryDays > 0 && r.WindowDays >= r.EveryDays {
		return &FieldError{Field: "client.renewal.window_days", Msg: strconv.Itoa(r.WindowDays) + " days is not shorter than every_days (" + strconv.Itoa(r.EveryDays) + "): the windows of successive renewals would overlap"}
	}
	return nil
}

func checkCert(c *Cert, i int) *FieldError {
	path := func(f string) string { return "client.chain.certs[" + strconv.Itoa(i) + "]." + f }
	switch {
	case !instantOK(c.NotBefore):
		return badInstant(path("not_before"), c.NotBefore)
	case c.OtherEKUs < 0:
		return &FieldError{Field: path("other_ekus"), Msg: "negative count " + strconv.Itoa(c.OtherEKUs)}
	case !c.HasEKU && (!c.EKU.IsEmpty() || c.OtherEKUs != 0):
		return &FieldError{Field: path("eku"), Msg: "purposes are set but HasEKU is false (the extension is absent)"}
	case !c.HasKeyUsage && c.KeyUsage != 0:
		return &FieldError{Field: path("key_usage"), Msg: "bits are set but HasKeyUsage is false (the extension is absent)"}
	case !c.HasNSCertType && c.NSCertType != 0:
		return &FieldError{Field: path("ns_cert_type"), Msg: "a value is set but HasNSCertType is false (the extension is absent)"}
	}
	return nil
}

// instantOK reports whether t is zero (not set) or within the range of
// instants renewal arithmetic supports: ±2^62 seconds (about 1.46e11 years)
// from the Unix epoch.
func instantOK(t time.Time) bool {
	if t.IsZero() {
		return true
	}
	u := t.Unix()
	return u >= -maxRenewalUnix && u <= maxRenewalUnix
}

func badInstant(field string, t time.Time) *FieldError {
	return &FieldError{Field: field, Msg: "year " + strconv.Itoa(t.Year()) + " is outside the range of instants the model supports (±2^62 seconds from 1970)"}
}

func setOK(s tlsver.Set) bool { return s&^tlsver.All() == 0 }
