package tlsver

// Rule says which version negotiation mechanism decided a [Negotiation].
type Rule uint8

// The two negotiation mechanisms. The zero value means no rule applied (a side
// had no versions).
const (
	// LegacyVersion is the TLS ≤ 1.2 mechanism (RFC 5246, appendix E.1): the
	// client sends its highest version in ClientHello.client_version (capped at
	// 0x0303 by a TLS 1.3 client); the server answers with the highest version
	// it supports that is not above it; the client aborts with a
	// protocol_version alert if it does not support the answer.
	LegacyVersion Rule = 1 + iota
	// SupportedVersions is the TLS 1.3 mechanism (RFC 8446, 4.2.1): the client
	// lists every version it supports in the supported_versions extension and
	// a TLS 1.3 server picks the highest one it also supports.
	SupportedVersions
)

var ruleNames = [...]string{"", "legacy_version (TLS ≤ 1.2)", "supported_versions (TLS 1.3)"}

// String returns a short name of the rule; it never panics.
func (r Rule) String() string {
	if int(r) < len(ruleNames) && r != 0 {
		return ruleNames[r]
	}
	return "rule(" + hex4(uint16(r)) + ")"
}

// Failure is the reason a [Negotiation] found no version. The zero value,
// NoFailure, means the handshake agrees on a version.
type Failure uint8

// Reasons a negotiation fails.
const (
	NoFailure Failure = iota
	// ClientNoVersions: the client has no version enabled.
	ClientNoVersions
	// ServerNoVersions: the server has no version enabled.
	ServerNoVersions
	// ServerTooNew: every version the server supports is above the version
	// the client offers; the server sends a protocol_version alert.
	ServerTooNew
	// ClientRejectsAnswer: the server answers with a version below the
	// client's offer that the client does not support (a gap in the client's
	// set, or a TLS 1.3-only client meeting a TLS ≤ 1.2 server); the client
	// sends a protocol_version alert.
	ClientRejectsAnswer
	// DowngradeDetected: the server picked a version below its own highest
	// (it has a gap at the client's offer) and, as RFC 8446, 4.1.3 asks,
	// marked ServerHello.random with the downgrade sentinel; a client that
	// supports TLS 1.3 (for a TLS 1.2 or lower answer) or whose highest is
	// TLS 1.2 (for a TLS 1.1 or lower answer) sees it and aborts with an
	// illegal_parameter alert.
	DowngradeDetected
	// NoCommonVersion: the client lists its versions in supported_versions
	// and none is in the server's set; the server sends a protocol_version
	// alert.
	NoCommonVersion
)

var failureNames = [...]string{"none", "client has no versions", "server has no versions", "server too new", "client rejects answer", "downgrade detected", "no common version"}

// String returns a short name of the failure; it never panics.
func (f Failure) String() string {
	if int(f) < len(failureNames) {
		return failureNames[f]
	}
	return "failure(" + hex4(uint16(f)) + ")"
}

// Negotiation is the outcome of [Negotiate]. It is a plain value; building it
// does not allocate. Use [Negotiation.String] or [Negotiation.Err] for the
// sentence a person acts on.
type Negotiation struct {
	Client, Server Set // the inputs

	// OK reports whether the handshake agrees on a version; Version is that
	// version (0 when !OK).
	OK      bool
	Version Version

	// Rule is the mechanism that decided the outcome.
	Rule Rule
	// Offered is the legacy_version the client sent in its ClientHello (its
	// highest version, capped at TLS 1.2 when it offers TLS 1.3).
	Offered Version
	// Answer is the version the server chose, also when the client then
	// rejected it (ClientRejectsAnswer); 0 if the server chose none.
	Answer Version
	// Failure says why there is no version; NoFailure when OK.
	Failure Failure
}

// Negotiate predicts the version a client supporting the versions in client
// and a server supporting those in server agree on, the way real stacks do it
// (checked against crypto/tls, OpenSSL and GnuTLS in this package's tests):
//
//   - A client without TLS 1.3 sends its highest version as legacy_version
//     (the TLS ≤ 1.2 rule, RFC 5246 appendix E.1): the server answers with its
//     highest version not above it, and the client aborts if that version is
//     not in its set. So gaps matter: client {1.0, 1.2} and server {1.1} fail.
//   - A client with TLS 1.3 sends legacy_version TLS 1.2 and lists all its
//     versions in supported_versions (RFC 8446, 4.2.1). The server picks the
//     highest version in both sets, or fails if there is none. This holds
//     for servers configured without TLS 1.3 too: every TLS implementation
//     since 2018 reads the extension. For a server implementation that
//     predates it, use [NegotiateLegacyServer].
//   - A server that answers below its own highest version marks the answer
//     with the RFC 8446, 4.1.3 downgrade sentinel (for TLS 1.2 if it supports
//     TLS 1.3; for TLS 1.1 or lower if it supports TLS 1.2), and a client
//     that supports TLS 1.3, or whose highest is TLS 1.2, aborts on it
//     ([DowngradeDetected]): client {1.0, 1.3} and server {1.0, 1.2} fail,
//     although both have TLS 1.0.
//
// Model boundaries: Negotiate models RFC behaviour (Go's crypto/tls behaves
// so). Real stacks depart from it for sets with gaps — OpenSSL and GnuTLS
// clients offer less than configured, Java clients always send
// supported_versions, OpenSSL servers mark fewer answers as downgrades — and
// [NegotiateStacks] models those departures. Version intolerance of broken
// servers and fallback retries (TLS_FALLBACK_SCSV) are not modelled.
// Negotiate does not allocate.
func Negotiate(client, server Set) Negotiation {
	return negotiate(client, server, true, clientBehavior{}, false)
}

// NegotiateLegacyServer is [Negotiate] for a server implementation that
// predates TLS 1.3 and ignores supported_versions (Exchange 2010, Java 7,
// OpenSSL 1.0.x): a TLS 1.3 client's legacy_version TLS 1.2 decides, so a
// client {1.0, 1.3} fails against a server {1.0, 1.1} that answers TLS 1.1.
// Such a server sends no downgrade sentinel. server must not hold TLS 1.3; if
// it does, the result is that of [Negotiate].
func NegotiateLegacyServer(client, server Set) Negotiation {
	return negotiate(client, server, server&all&(1<<4) != 0, clientBehavior{}, false)
}

// negotiate is the model behind Negotiate, NegotiateLegacyServer and
// NegotiateStacks: modern says the server reads supported_versions; cb is
// the client stack's behaviour; sentinelNeedsTLS12 the server stack's rule
// for the TLS 1.1 sentinel.
func negotiate(client, server Set, modern bool, cb clientBehavior, sentinelNeedsTLS12 bool) Negotiation {
	client &= all
	server &= all
	n := Negotiation{Client: client, Server: server}
	if client.IsEmpty() {
		n.Failure = ClientNoVersions
		return n
	}
	if server.IsEmpty() {
		n.Failure = ServerNoVersions
		return n
	}
	n.Offered = client.Max()
	if n.Offered > TLS12 {
		n.Offered = TLS12 // RFC 8446, 4.1.2: legacy_version = 0x0303
	}
	if modern && (client.Has(TLS13) || cb.alwaysSupportedVersions) {
		n.Rule = SupportedVersions
		n.Answer = client.Intersect(server).Max()
		if n.Answer == 0 {
			n.Failure = NoCommonVersion
			return n
		}
	} else {
		n.Rule = LegacyVersion
		n.Answer = server.MaxAtMost(n.Offered)
		switch {
		case n.Answer == 0:
			n.Failure = ServerTooNew
			return n
		case !client.Has(n.Answer):
			n.Failure = ClientRejectsAnswer
			return n
		}
	}
	if modern && downgradeSentinel(server, n.Answer, sentinelNeedsTLS12) && clientChecksSentinel(client, n.Answer, cb.checksSentinelAt11) {
		n.Failure = DowngradeDetected
		return n
	}
	n.OK = true
	n.Version = n.Answer
	return n
}

// downgradeSentinel reports whether a server supporting server marks a
// ServerHello for version v as a downgrade (RFC 8446, 4.1.3): TLS 1.3 servers
// negotiating TLS 1.2, and servers whose highest version is TLS 1.2 or 1.3
// negotiating TLS 1.1 or lower (TLS 1.3 servers MUST, TLS 1.2 servers SHOULD;
// Go and Java do). needsTLS12 is OpenSSL's rule for the latter: only with TLS
// 1.2 enabled.
func downgradeSentinel(server Set, v Version, needsTLS12 bool) bool {
	switch {
	case v == TLS12:
		return server.Has(TLS13)
	case v <= TLS11 && needsTLS12:
		return server.Has(TLS12)
	case v <= TLS11:
		return server.Max() >= TLS12
	}
	return false
}

// clientChecksSentinel reports whether a client supporting client aborts on a
// sentinel for version v: TLS 1.3 clients check any answer up to TLS 1.2,
// TLS 1.2 clients answers up to TLS 1.1 (RFC 8446, 4.1.3; Go, Java), and with
// at11 (OpenSSL, which checks any answer below its own highest) TLS 1.1
// clients a TLS 1.0 answer.
func clientChecksSentinel(client Set, v Version, at11 bool) bool {
	switch {
	case client.Has(TLS13):
		return v <= TLS12
	case client.Max() == TLS12:
		return v <= TLS11
	case at11 && client.Max() == TLS11:
		return v < TLS11
	}
	return false
}

// String returns the outcome as a sentence: "TLS 1.2 (supported_versions (TLS
// 1.3))" when OK, otherwise the reason in terms a person acts on, as
// [Negotiation.Err] reports it.
func (n Negotiation) String() string {
	if n.OK {
		return n.Version.String() + " (" + n.Rule.String() + ")"
	}
	return n.reason()
}

// Err returns nil if the negotiation agrees on a version, otherwise a
// [*NegotiationError] whose message says why and what would fix it.
func (n Negotiation) Err() error {
	if n.OK {
		return nil
	}
	return &NegotiationError{N: n}
}

// NegotiationError is the error form of a failed [Negotiation].
type NegotiationError struct{ N Negotiation }

// Error returns "tlsver: no common TLS version: " followed by the reason.
func (e *NegotiationError) Error() string { return "tlsver: no common TLS version: " + e.N.reason() }

// offers describes what the client offers: "only TLS 1.0" or "at most TLS 1.2 (TLS 1.0, 1.2)".
func offers(client Set, offered Version, rule Rule) string {
	if client.Has(TLS13) || rule == SupportedVersions {
		return client.String() + " in supported_versions, with legacy_version " + offered.String()
	}
	if client.Len() == 1 {
		return "only " + offered.String()
	}
	return "at most " + offered.String() + " (client supports " + client.String() + ")"
}

func (n Negotiation) reason() string {
	switch n.Failure {
	case NoFailure:
		if n.OK {
			return "agreed on " + n.Version.String()
		}
		return "not negotiated"
	case ClientNoVersions:
		return "the client has no TLS version enabled"
	case ServerNoVersions:
		return "the server has no TLS version enabled"
	case ServerTooNew:
		return "client offers " + offers(n.Client, n.Offered, n.Rule) + "; server's lowest is " + n.Server.Min().String() +
			" — enable " + n.Server.Min().String() + " or later on the client, or " + n.Offered.String() + " on the server"
	case ClientRejectsAnswer:
		s := "client offers " + offers(n.Client, n.Offered, n.Rule) + "; server answers " + n.Answer.String() +
			", its highest version not above " + n.Offered.String() + ", which the client does not support, so the client aborts"
		if n.Client.Has(TLS13) && !n.Server.Has(TLS13) {
			s += " (the server does not speak TLS 1.3)"
		}
		return s + " — enable " + n.Answer.String() + " on the client, or a version the client supports on the server (" + n.Client.String() + ")"
	case NoCommonVersion:
		return "client offers " + n.Client.String() + " in supported_versions; server supports " + n.Server.String() +
			" — no version in common; enable one of the client's versions on the server or one of the server's on the client"
	case DowngradeDetected:
		return "client offers " + offers(n.Client, n.Offered, n.Rule) + "; server (" + n.Server.String() + ") answers " + n.Answer.String() +
			", below its own highest, and marks it as a downgrade (RFC 8446, 4.1.3), so the client aborts — give both a common version above " +
			n.Answer.String() + " (enable " + n.Server.Max().String() + " on the client, or one of the client's higher versions on the server)"
	}
	return "failure " + n.Failure.String()
}

// OpenSSLClientEffective returns the versions an OpenSSL client actually uses
// when configured with s: OpenSSL (ssl_get_min_max_version) reduces a set
// with gaps, such as -no_tls1_1 with TLS 1.0 and 1.2 enabled, to its lowest
// contiguous run. Contiguous sets are returned unchanged.
func (s Set) OpenSSLClientEffective() Set {
	s &= all
	if s.IsEmpty() {
		return s
	}
	lo := s.Min()
	hi := lo
	for v := lo + 1; s.Has(v); v++ {
		hi = v
	}
	return Range(lo, hi)
}
