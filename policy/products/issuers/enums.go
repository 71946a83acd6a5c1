package issuers

import "strconv"

// Kind says who published a source.
type Kind uint8

// Source kinds. The wire names (String, JSON) are stable.
const (
	KindUnknown Kind = iota
	// KindVendor: the CA or provider itself.
	KindVendor
	// KindRootProgram: a root program's policy (Chrome).
	KindRootProgram
	// KindThirdParty: a reseller, integrator or press page quoting or
	// reporting the vendor; weaker than KindVendor.
	KindThirdParty
	numKinds
)

var kindNames = [numKinds]string{"unknown", "vendor", "root-program", "third-party"}

// Scope says which certificates a cut-over applies to.
type Scope uint8

// Scopes. The wire names are stable.
const (
	ScopeUnknown Scope = iota
	// ScopeDefault: from the cut-over, certificates carry no clientAuth
	// unless the subscriber opts in.
	ScopeDefault
	// ScopeHardStop: from the cut-over, no certificate carries clientAuth,
	// opted in or not.
	ScopeHardStop
	// ScopeSubordinateCA: (root programs) subordinate CAs disclosed from the
	// cut-over must assert only serverAuth.
	ScopeSubordinateCA
	// ScopeSubscriber: (root programs) leaf certificates issued from the
	// cut-over must assert only serverAuth.
	ScopeSubscriber
	numScopes
)

var scopeNames = [numScopes]string{"unknown", "default", "hard-stop", "subordinate-ca", "subscriber"}

// Direction is a provider's call direction: outbound, the provider calls
// the customer (it is the TLS client); inbound, the customer calls the
// provider (it is the TLS server).
type Direction uint8

// Directions. The wire names are stable.
const (
	DirectionUnknown Direction = iota
	// Outbound: the provider calls the customer; it is the TLS client.
	Outbound
	// Inbound: the customer calls the provider; it is the TLS server.
	Inbound
	numDirections
)

var directionNames = [numDirections]string{"unknown", "outbound", "inbound"}

// Role is the TLS role a provider plays in a direction.
type Role uint8

// Roles. The wire names are stable.
const (
	RoleUnknown Role = iota
	// RoleClient: the provider opens the TLS connection and presents a
	// certificate only when asked.
	RoleClient
	// RoleServer: the provider accepts the TLS connection and presents its
	// certificate.
	RoleServer
	numRoles
)

var roleNames = [numRoles]string{"unknown", "client", "server"}

// Answer is a three-valued answer; the zero value is Unknown.
type Answer uint8

// Answers. The wire names are stable.
const (
	AnswerUnknown Answer = iota
	// Yes: the data says so.
	Yes
	// No: the data says not.
	No
	numAnswers
)

var answerNames = [numAnswers]string{"unknown", "yes", "no"}

func name[T ~uint8](names []string, v T, kind string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return kind + "(" + strconv.Itoa(int(v)) + ")"
}

func parse[T ~uint8](names []string, s, kind string) (T, error) {
	for i, n := range names {
		if n == s {
			return T(i), nil
		}
	}
	return 0, &SchemaError{Msg: "unknown " + kind + " " + strconv.Quote(s)}
}

// String returns "vendor", "root-program", "third-party" or "unknown".
func (k Kind) String() string { return name(kindNames[:], k, "kind") }

// String returns "default", "hard-stop", "subordinate-ca", "subscriber" or "unknown".
func (s Scope) String() string { return name(scopeNames[:], s, "scope") }

// String returns "outbound", "inbound" or "unknown".
func (d Direction) String() string { return name(directionNames[:], d, "direction") }

// String returns "client", "server" or "unknown".
func (r Role) String() string { return name(roleNames[:], r, "role") }

// String returns "yes", "no" or "unknown".
func (a Answer) String() string { return name(answerNames[:], a, "answer") }

// ParseKind returns the Kind named s.
func ParseKind(s string) (Kind, error) { return parse[Kind](kindNames[:], s, "kind") }

// ParseScope returns the Scope named s.
func ParseScope(s string) (Scope, error) { return parse[Scope](scopeNames[:], s, "scope") }

// ParseDirection returns the Direction named s.
func ParseDirection(s string) (Direction, error) {
	return parse[Direction](directionNames[:], s, "direction")
}

// ParseRole returns the Role named s.
func ParseRole(s string) (Role, error) { return parse[Role](roleNames[:], s, "role") }

// ParseAnswer returns the Answer named s.
func ParseAnswer(s string) (Answer, error) { return parse[Answer](answerNames[:], s, "answer") }

// MarshalText returns the wire name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText parses the wire name.
func (k *Kind) UnmarshalText(b []byte) (err error) { *k, err = ParseKind(string(b)); return }

// MarshalText returns the wire name.
func (s Scope) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses the wire name.
func (s *Scope) UnmarshalText(b []byte) (err error) { *s, err = ParseScope(string(b)); return }

// MarshalText returns the wire name.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses the wire name.
func (d *Direction) UnmarshalText(b []byte) (err error) { *d, err = ParseDirection(string(b)); return }

// MarshalText returns the wire name.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText parses the wire name.
func (r *Role) UnmarshalText(b []byte) (err error) { *r, err = ParseRole(string(b)); return }

// MarshalText returns the wire name.
func (a Answer) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText parses the wire name.
func (a *Answer) UnmarshalText(b []byte) (err error) { *a, err = ParseAnswer(string(b)); return }
