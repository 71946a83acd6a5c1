package capture

import (
	"strconv"

	"github.com/tlscompat/tlscompat/policy"
)

// Direction names one direction of a TCP connection. The zero value is unknown.
type Direction uint8

// Directions.
const (
	ClientToServer Direction = 1 + iota
	ServerToClient
)

// String returns "client->server", "server->client" or "unknown direction".
func (d Direction) String() string {
	switch d {
	case ClientToServer:
		return "client->server"
	case ServerToClient:
		return "server->client"
	}
	return "unknown direction"
}

// CertRequest answers the question of the Genesys BYOC Cloud notice for one
// connection: did the server send a CertificateRequest handshake message?
// The zero value, CertRequestUnknown, is also the answer when the server's
// records could not be parsed (see Connection.Err).
type CertRequest uint8

// Answers. Only CertRequestYes and CertRequestNo are facts about what the
// server sent; the others say why the capture cannot tell.
const (
	CertRequestUnknown CertRequest = iota
	// CertRequestYes: the server sent a CertificateRequest (TLS 1.2 and
	// earlier, where it is plaintext).
	CertRequestYes
	// CertRequestNo: the server's first flight ended with ServerHelloDone
	// and contained no CertificateRequest.
	CertRequestNo
	// CertRequestEncrypted: TLS 1.3 was negotiated; the CertificateRequest,
	// if any, travels encrypted after the ServerHello and no passive capture
	// can see it. Ask the server with the active probe (package policy/probe).
	CertRequestEncrypted
	// CertRequestResumed: the handshake resumed a session (abbreviated
	// handshake); such a handshake never carries a CertificateRequest, so it
	// says nothing about the server's full-handshake configuration.
	CertRequestResumed
	// CertRequestNotReached: the handshake ended with an alert before the
	// server's first flight was complete.
	CertRequestNotReached
	// CertRequestIncomplete: the capture ends (or has a gap) before the
	// server's first flight was complete.
	CertRequestIncomplete
	// CertRequestConflict: two copies of the same TCP bytes of the
	// handshake differ (a conflicting retransmission); which one the peer
	// read is not in the capture (Connection.Err wraps ErrConflict).
	CertRequestConflict
)

var certRequestNames = [...]string{
	CertRequestUnknown:    "unknown",
	CertRequestYes:        "yes",
	CertRequestNo:         "no",
	CertRequestEncrypted:  "cannot be seen (TLS 1.3 encrypts it)",
	CertRequestResumed:    "cannot be seen (resumed session)",
	CertRequestNotReached: "not reached (handshake aborted by an alert)",
	CertRequestIncomplete: "incomplete capture",
	CertRequestConflict:   "cannot be seen (conflicting copies of the same TCP bytes)",
}

// String returns "yes", "no", "cannot be seen (TLS 1.3 encrypts it)", ...
func (c CertRequest) String() string {
	if int(c) < len(certRequestNames) {
		return certRequestNames[c]
	}
	return "CertRequest(" + strconv.Itoa(int(c)) + ")"
}

// Known reports whether the answer is a fact (yes or no) rather than a
// reason why the capture cannot tell.
func (c CertRequest) Known() bool { return c == CertRequestYes || c == CertRequestNo }

// AlertLevel is the level byte of a TLS alert (RFC 5246, 7.2). The zero value
// means unknown, which is also the level of an encrypted alert.
type AlertLevel uint8

// Alert levels, with their wire values.
const (
	AlertWarning AlertLevel = 1
	AlertFatal   AlertLevel = 2
)

// String returns "warning", "fatal", "unknown" or the number.
func (l AlertLevel) String() string {
	switch l {
	case 0:
		return "unknown"
	case AlertWarning:
		return "warning"
	case AlertFatal:
		return "fatal"
	}
	return "level(" + strconv.Itoa(int(l)) + ")"
}

// AlertRecord is one alert record seen on the wire (or one alert of a record
// that holds several): its level, its description (a policy.Alert) and
// where it was.
type AlertRecord struct {
	// Encrypted reports that the alert record was sent after encryption
	// started; its level and description are then not visible.
	Encrypted bool
	Level     AlertLevel
	// Description is the alert's description byte; zero with a non-zero
	// Level is close_notify (see policy.Alert.WireName).
	Description policy.Alert
	// Record is the 1-based number of the record in its direction; Offset
	// the byte offset of that record in the direction's stream.
	Record int
	Offset int64
}

// String returns "fatal handshake_failure", "warning close_notify" or
// "encrypted alert".
func (a AlertRecord) String() string {
	if a.Encrypted {
		return "encrypted alert"
	}
	return a.Level.String() + " " + a.Description.WireName()
}

// CertificateType is a ClientCertificateType of a TLS 1.2 CertificateRequest
// (RFC 5246, 7.4.4; RFC 8422, 5.5), as its wire value. Zero is not assigned.
type CertificateType uint8

var certificateTypeNames = map[CertificateType]string{
	1: "rsa_sign", 2: "dss_sign", 3: "rsa_fixed_dh", 4: "dss_fixed_dh",
	5: "rsa_ephemeral_dh", 6: "dss_ephemeral_dh", 20: "fortezza_dms",
	64: "ecdsa_sign", 65: "rsa_fixed_ecdh", 66: "ecdsa_fixed_ecdh",
	67: "gost_sign256", 68: "gost_sign512",
}

// String returns the RFC name ("ecdsa_sign") or "certificate_type(N)".
func (t CertificateType) String() string {
	if s, ok := certificateTypeNames[t]; ok {
		return s
	}
	return "certificate_type(" + strconv.Itoa(int(t)) + ")"
}

// Protocol says what a TCP connection's first bytes are. The zero value is
// ProtocolTLS.
type Protocol uint8

// Protocols.
const (
	// ProtocolTLS: the first bytes are a TLS record (or an SSL
	// 2.0-compatible ClientHello); the connection is scanned as TLS.
	ProtocolTLS Protocol = iota
	// ProtocolNotTLS: the capture holds the start of the stream (its SYN)
	// and the first bytes are not TLS: plaintext SIP ("OPTIONS sip:...
	// SIP/2.0"), HTTP and so on. It is not counted as a TLS connection.
	ProtocolNotTLS
	// ProtocolUnrecognized: the first bytes seen are not TLS, but the
	// capture does not hold the start of the stream (it began mid-connection,
	// the flow was released by the memory budget, or no bytes arrived in
	// order): it may be TLS whose records are cut.
	ProtocolUnrecognized
)

var protocolNames = [...]string{ProtocolTLS: "tls", ProtocolNotTLS: "not-tls", ProtocolUnrecognized: "unrecognized"}

// String returns "tls", "not-tls" or "unrecognized".
func (p Protocol) String() string {
	if int(p) < len(protocolNames) {
		return protocolNames[p]
	}
	return "Protocol(" + strconv.Itoa(int(p)) + ")"
}
