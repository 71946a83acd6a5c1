package tlsver

import "strings"

// Role is the side of a TLS connection a product plays. The zero value means
// unspecified.
type Role uint8

// The two TLS roles.
const (
	Client Role = 1 + iota // the side that sends ClientHello
	Server                 // the side that answers with ServerHello
)

var roleNames = [...]string{"", "client", "server"}

// String returns "client" or "server", "unspecified" for 0, and "role(0xNNNN)"
// otherwise; it never panics.
func (r Role) String() string {
	switch {
	case r == 0:
		return "unspecified"
	case int(r) < len(roleNames):
		return roleNames[r]
	}
	return "role(" + hex4(uint16(r)) + ")"
}

// ParseRole parses "client" or "server" (case-insensitive). The empty string
// gives 0.
func ParseRole(s string) (Role, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, nil
	}
	for i := 1; i < len(roleNames); i++ {
		if strings.EqualFold(t, roleNames[i]) {
			return Role(i), nil
		}
	}
	return 0, &ParseError{What: "role", Input: s, Msg: "expected \"client\" or \"server\""}
}

// MarshalText implements encoding.TextMarshaler.
func (r Role) MarshalText() ([]byte, error) {
	if r == 0 {
		return nil, nil
	}
	if int(r) >= len(roleNames) {
		return nil, &ParseError{What: "role", Input: r.String(), Msg: "not a known role"}
	}
	return []byte(roleNames[r]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseRole].
func (r *Role) UnmarshalText(b []byte) error {
	p, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = p
	return nil
}

// Protocol is the application protocol carried over TLS; vendor statements are
// often scoped to one ("HTTPS connections only; JDBC may still use TLS 1.0").
// The zero value means unspecified.
type Protocol uint8

// Protocols named by the data.
const (
	HTTPS Protocol = 1 + iota
	JDBC
	SIP
)

var protocolNames = [...]string{"", "HTTPS", "JDBC", "SIP"}

// String returns "HTTPS", "JDBC", "SIP", "unspecified" for 0 and
// "protocol(0xNNNN)" otherwise; it never panics.
func (p Protocol) String() string {
	switch {
	case p == 0:
		return "unspecified"
	case int(p) < len(protocolNames):
		return protocolNames[p]
	}
	return "protocol(" + hex4(uint16(p)) + ")"
}

// ParseProtocol parses "HTTPS", "JDBC" or "SIP" (case-insensitive). The empty
// string gives 0.
func ParseProtocol(s string) (Protocol, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, nil
	}
	for i := 1; i < len(protocolNames); i++ {
		if strings.EqualFold(t, protocolNames[i]) {
			return Protocol(i), nil
		}
	}
	return 0, &ParseError{What: "protocol", Input: s, Msg: "expected \"HTTPS\", \"JDBC\" or \"SIP\""}
}

// MarshalText implements encoding.TextMarshaler.
func (p Protocol) MarshalText() ([]byte, error) {
	if p == 0 {
		return nil, nil
	}
	if int(p) >= len(protocolNames) {
		return nil, &ParseError{What: "protocol", Input: p.String(), Msg: "not a known protocol"}
	}
	return []byte(protocolNames[p]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseProtocol].
func (p *Protocol) UnmarshalText(b []byte) error {
	q, err := ParseProtocol(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
