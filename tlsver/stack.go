package tlsver

// Negotiator is the version-negotiation behaviour of a TLS implementation,
// where it departs from the RFC behaviour [Negotiate] models (the
// implementation itself, as policy sees it, is policy.Stack). Use
// [NegotiateStacks] when you know the
// implementations on both sides; the differences only show for version
// sets with gaps (TLS 1.0 and 1.2 without 1.1, or TLS 1.3 without 1.2),
// which configuration files and product tables do produce.
type Negotiator uint8

// Stacks whose negotiation is modelled. Each was checked against the real
// implementation by handshakes over every pair of TLS 1.0–1.3 subsets in
// this package's tests (OpenSSL 3.0, GnuTLS 3.7, JDK 17, Go 1.26).
const (
	// RFCStack follows RFC 5246 and RFC 8446 to the letter: a client sends
	// supported_versions only when it offers TLS 1.3; a server that
	// supports TLS 1.3, or whose highest is TLS 1.2, marks an answer below
	// its highest version with the downgrade sentinel (RFC 8446, 4.1.3: TLS
	// 1.3 servers MUST, TLS 1.2 servers SHOULD); a TLS 1.3 client checks
	// both sentinels and a client whose highest is TLS 1.2 checks the TLS
	// 1.1 one. It is the zero value and what [Negotiate] uses.
	RFCStack Negotiator = iota
	// GoStack is Go's crypto/tls. It behaves as RFCStack; its
	// configuration (MinVersion, MaxVersion) cannot express gaps.
	GoStack
	// OpenSSLStack is OpenSSL 3. As a client it reduces a set with gaps to
	// its lowest contiguous run ([Set.OpenSSLClientEffective]) and checks
	// the sentinel on any answer below its own highest version, so a client
	// whose highest is TLS 1.1 aborts on a marked TLS 1.0 answer. As a
	// server it marks a TLS 1.1 or lower answer only when TLS 1.2 is
	// enabled, so {1.0, 1.1, 1.3} answers a {1.1, 1.2} client unmarked.
	OpenSSLStack
	// GnuTLSStack is GnuTLS 3.7. As a client with TLS 1.2 disabled it does
	// not offer TLS 1.3 together with lower versions: {1.0, 1.3} behaves as
	// {1.0} ({1.3} alone stays TLS 1.3). As a server it behaves as RFCStack.
	GnuTLSStack
	// JavaStack is Java JSSE (checked with JDK 17; the behaviour dates from
	// JDK 11). As a client it always sends supported_versions with its
	// enabled versions, also without TLS 1.3, so every server since 2018
	// picks the highest common version and gaps in the client's set do not
	// matter: {1.0, 1.2} gets TLS 1.0 from a {1.0, 1.1} server. As a server
	// it marks answers as RFCStack does, whatever gaps its set has.
	JavaStack
)

var stackNames = [...]string{"RFC 8446", "Go crypto/tls", "OpenSSL 3", "GnuTLS 3.7", "Java JSSE"}

// String returns the stack's name, such as "OpenSSL 3"; it never panics.
func (s Negotiator) String() string {
	if int(s) < len(stackNames) {
		return stackNames[s]
	}
	return "stack(" + hex4(uint16(s)) + ")"
}

// clientBehavior is how a client stack builds its ClientHello and checks
// the answer.
type clientBehavior struct {
	alwaysSupportedVersions bool // supported_versions also without TLS 1.3
	checksSentinelAt11      bool // checks DOWNGRD\x00 on a TLS 1.0 answer when its highest is TLS 1.1
}

func (s Negotiator) client() clientBehavior {
	switch s {
	case OpenSSLStack:
		return clientBehavior{checksSentinelAt11: true}
	case JavaStack:
		return clientBehavior{alwaysSupportedVersions: true}
	}
	return clientBehavior{}
}

// clientEffective is the set the client really offers when configured with
// c.
func (s Negotiator) clientEffective(c Set) Set {
	switch s {
	case OpenSSLStack:
		return c.OpenSSLClientEffective()
	case GnuTLSStack:
		if c.Has(TLS13) && !c.Has(TLS12) && c != SetOf(TLS13) {
			return c.Remove(TLS13)
		}
	}
	return c
}

// sentinelNeedsTLS12 reports whether the server stack marks a TLS 1.1 or
// lower answer only when it has TLS 1.2 enabled (instead of when its highest
// version is at least TLS 1.2).
func (s Negotiator) sentinelNeedsTLS12() bool { return s == OpenSSLStack }

// NegotiateStacks is [Negotiate] for a client on clientStack and a server on
// serverStack: it applies the stacks' departures from the RFC (see [Negotiator]).
// Negotiation.Client is the set the client really offers, which differs
// from client for OpenSSL and GnuTLS clients with gaps.
// NegotiateStacks(c, RFCStack, s, RFCStack) equals Negotiate(c, s). It does
// not allocate.
func NegotiateStacks(client Set, clientStack Negotiator, server Set, serverStack Negotiator) Negotiation {
	return negotiate(clientStack.clientEffective(client&all), server, true, clientStack.client(), serverStack.sentinelNeedsTLS12())
}
