package policy

import (
	"strings"

	"github.com/tlscompat/tlscompat/tlsver"
)

// This file decides the version step of Evaluate. For contiguous version
// sets every TLS stack negotiates alike (tlsver's tests check it for every
// stack pair), so tlsver.Negotiate decides. For sets with gaps (TLS 1.0 and
// 1.2 without 1.1; TLS 1.3 without 1.2) stacks differ, and the endpoints'
// stacks decide through tlsver.NegotiateStacks; a side whose stack is not
// known, or not modelled for negotiation (NSS, Mbed TLS, Schannel), is tried
// with every modelled behaviour, and if they disagree the step is unknown.

// Candidate behaviours for a side whose stack is not known: the client
// behaviours that differ, and the server behaviours that differ.
var (
	clientCandidates = [...]tlsver.Negotiator{tlsver.RFCStack, tlsver.OpenSSLStack, tlsver.GnuTLSStack, tlsver.JavaStack}
	serverCandidates = [...]tlsver.Negotiator{tlsver.RFCStack, tlsver.OpenSSLStack}
)

// negotiation is the version step's answer: n decides unless stackDependent,
// in which case detail lists the candidate outcomes.
type negotiation struct {
	n              tlsver.Negotiation
	stackDependent bool
	viaStacks      bool // the stacks' departures changed the RFC answer
	// senderUnknown: the failure's alert is sent by the client with some
	// candidate stacks and by the server with others.
	senderUnknown bool
	detail        string
}

func negotiateVersions(cv tlsver.Set, cst Stack, sv tlsver.Set, sst Stack) negotiation {
	plain := tlsver.Negotiate(cv, sv)
	cs, cok := negotiationStack(cst)
	ss, sok := negotiationStack(sst)
	clients, servers := clientCandidates[:], serverCandidates[:]
	if cok {
		clients = []tlsver.Negotiator{cs}
	}
	if sok {
		servers = []tlsver.Negotiator{ss}
	}
	if cv.Contiguous() && sv.Contiguous() {
		// Stacks agree on the version here, but not on how a failure
		// ends: a JSSE client lists its versions in supported_versions
		// also without TLS 1.3, so a server with none of them sends the
		// protocol_version alert (NoCommonVersion), where the RFC client
		// would get an answer and reject it itself (ClientRejectsAnswer).
		// Only with both stacks known: whether the server reads
		// supported_versions without TLS 1.3 enabled is the server's.
		if cok && sok && !plain.OK {
			if n := tlsver.NegotiateStacks(cv, cs, sv, ss); !n.OK {
				return negotiation{n: n}
			}
		}
		// With a stack not known, the side that sends the alert is not
		// known if the candidates differ on it.
		return negotiation{n: plain, senderUnknown: !plain.OK && sendersDiffer(cv, sv, clients, servers, plain)}
	}
	var first tlsver.Negotiation
	agree := true
	for i, c := range clients {
		for j, s := range servers {
			n := tlsver.NegotiateStacks(cv, c, sv, s)
			if i == 0 && j == 0 {
				first = n
			} else if n.OK != first.OK || n.Version != first.Version {
				agree = false
			}
		}
	}
	if agree {
		return negotiation{n: first, viaStacks: first.OK != plain.OK || first.Version != plain.Version,
			senderUnknown: !first.OK && sendersDiffer(cv, sv, clients, servers, first)}
	}
	var b strings.Builder
	for _, c := range clients {
		for _, s := range servers {
			n := tlsver.NegotiateStacks(cv, c, sv, s)
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			b.WriteString(describeStacks(c, s, cok, sok))
			b.WriteString(": ")
			if n.OK {
				b.WriteString(n.Version.String())
			} else {
				b.WriteString("fails (" + n.Failure.String() + ")")
			}
		}
	}
	return negotiation{n: plain, stackDependent: true, detail: b.String()}
}

// describeStacks names a candidate pair, mentioning only the unknown sides.
func describeStacks(c, s tlsver.Negotiator, clientKnown, serverKnown bool) string {
	switch {
	case !clientKnown && !serverKnown:
		return "client " + c.String() + ", server " + s.String()
	case !clientKnown:
		return "client " + c.String()
	default:
		return "server " + s.String()
	}
}

// negotiationAlert is the alert that ends a failed negotiation: a client
// that detects the downgrade sentinel sends illegal_parameter (RFC 8446,
// 4.1.3); otherwise what the server's stack sends, where verified.
func negotiationAlert(n tlsver.Negotiation, server Server) Alert {
	if n.Failure == tlsver.DowngradeDetected {
		return 47 // illegal_parameter
	}
	return versionAlert(server.Stack, n, server.StackVersion)
}

// negotiationAlertFrom is the side that sends negotiationAlert's alert:
// the client when it aborts on the server's answer (a detected downgrade,
// or a version it does not support: tlsver.ClientRejectsAnswer, where no
// alert reaches the client from the server), else the server.
func negotiationAlertFrom(n tlsver.Negotiation) Side {
	switch n.Failure {
	case tlsver.DowngradeDetected, tlsver.ClientRejectsAnswer:
		return SideClient
	}
	return SideServer
}

// sendersDiffer reports whether the candidate stack pairs, all failing,
// differ from n on the side that sends the alert (with a stack not known,
// the side is then not known).
func sendersDiffer(cv, sv tlsver.Set, clients, servers []tlsver.Negotiator, n tlsver.Negotiation) bool {
	from := negotiationAlertFrom(n)
	for _, c := range clients {
		for _, s := range servers {
			if negotiationAlertFrom(tlsver.NegotiateStacks(cv, c, sv, s)) != from {
				return true
			}
		}
	}
	return false
}
