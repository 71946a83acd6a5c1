package policy

import (
	"errors"
	"fmt"
)

// Errors callers decide on. Every error this package returns starts with
// "policy: " and wraps its cause with %w, so errors.Is and errors.As see
// through it:
//
//   - [ErrInvalidScenario] is matched by every error of [Scenario.Validate]
//     and of decoding a Scenario from JSON (json.Unmarshal, which validates
//     what it decodes). The error is also a *[FieldError] naming the field.
//   - [ErrUnknownMember] is matched when JSON input (a Scenario, an Outcome, a
//     Cert) has a member the schema does not have; the *[FieldError] names
//     it ("client.chain.certs[0].isuer").
//   - [ErrUnknownName] is matched when a wire name is not known: a stack,
//     client-auth mode, finding code, verdict, effect, remedy or CAs value
//     (ParseStack, ParseClientAuth, ParseCode, the UnmarshalText methods).
//   - [eku.ErrNoCertificate] is matched by [ChainFromPEM] when the input
//     holds no certificate; a malformed certificate wraps the parser's error
//     (an *eku.ParseError or a crypto/x509 error).
var (
	ErrInvalidScenario = errors.New("policy: invalid scenario")
	ErrUnknownMember   = errors.New("unknown member")
	ErrUnknownName     = errors.New("unknown name")
)

// FieldError reports a field of a Scenario or Outcome that is out of range,
// inconsistent or not in the schema. Field is the field's path in the JSON
// form ("client.renewal.window_days", "client.chain.certs[1].eku").
type FieldError struct {
	Field string
	Msg   string
	// Err is the cause: [ErrUnknownMember], a parse error, or nil.
	Err error
}

// Error returns "<field>: <msg>[: <cause>]"; the package's errors put
// "policy: " (and "policy: invalid scenario: ") in front.
func (e *FieldError) Error() string {
	s := e.Field + ": " + e.Msg
	if e.Err != nil && e.Err != ErrUnknownMember {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

// invalidScenario wraps a field error so that it matches ErrInvalidScenario.
func invalidScenario(fe *FieldError) error {
	return fmt.Errorf("%w: %w", ErrInvalidScenario, fe)
}

// errorf formats an error with the "policy: " prefix; %w wraps as in
// fmt.Errorf.
func errorf(format string, a ...any) error {
	return fmt.Errorf("policy: "+format, a...)
}

// unknownName is the error for a wire name the package does not know.
func unknownName(what, name string) error {
	return fmt.Errorf("policy: %s %q: %w", what, name, ErrUnknownName)
}
