package policy

// Side names an endpoint of the handshake: which one sends an alert.
type Side uint8

// Sides. The zero value, [SideNone], means no alert is sent (a success)
// or the sender is not known.
const (
	SideNone Side = iota
	// SideClient: the client sends the alert (it rejects the server's
	// chain, or detects a downgrade).
	SideClient
	// SideServer: the server sends the alert (it rejects the client's
	// certificate, or shares no version with it).
	SideServer
	numSides
)

var sideNames = [numSides]string{"none", "client", "server"}

// String returns "none", "client" or "server".
func (s Side) String() string {
	if s < numSides {
		return sideNames[s]
	}
	return "side(" + itoa(int(s)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (s Side) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Side) UnmarshalText(b []byte) error {
	for i, n := range sideNames {
		if n == string(b) {
			*s = Side(i)
			return nil
		}
	}
	return errorf("unknown side %q", b)
}
