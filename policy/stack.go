package policy

import "github.com/tlscompat/tlscompat/tlsver"

// stackRules is everything the engine knows about one TLS stack: its names,
// how it verifies a client certificate, the alert it sends for each
// failure, how it negotiates versions, what changes between its versions,
// and the sources of all of it. Each stack's value lives in its own file
// (stack_openssl.go, stack_gnutls.go, ...); adding a stack is a new file, a
// constant in model.go and a line in stackTable.
type stackRules struct {
	name  string // wire name ("openssl3")
	title string // "OpenSSL 3"
	// verify applies the stack's verification of a received client chain
	// (the server verifies: VerifyIfGiven or RequireAndVerify); version is
	// Server.StackVersion.
	verify func(version string, v chainView) check
	// layer is a check the stack makes on a received client certificate
	// even when it does not verify it; nil: none.
	layer func(v chainView) (check, bool)
	// noCertAlert is the alert for a missing required client certificate
	// at the negotiated version; 0 where not observed.
	noCertAlert func(v tlsver.Version) Alert
	// versionAlert is the alert the stack as server sends when no version
	// is shared; 0 where not verified.
	versionAlert func(n tlsver.Negotiation, version string) Alert
	// untrustedIssuerAlert is the alert for a client certificate from an
	// issuer the server does not trust; 0 where not observed.
	untrustedIssuerAlert Alert
	// negotiation is tlsver's model of the stack's version negotiation;
	// negotiates is false where none exists.
	negotiation tlsver.Negotiator
	negotiates  bool
	// evidence cites the sources of the rules above.
	evidence Evidence
}

// stackTable holds each stack's rules, indexed by Stack.
var stackTable = [numStacks]*stackRules{
	OpenSSL3:    &openSSLRules,
	GnuTLS:      &gnuTLSRules,
	GoCryptoTLS: &goRules,
	JavaJSSE:    &javaRules,
	NSS:         &nssRules,
	MbedTLS:     &mbedTLSRules,
	Schannel:    &schannelRules,
}

// rules returns st's rules, or nil for UnknownStack and values out of
// range.
func (st Stack) rules() *stackRules {
	if st < numStacks {
		return stackTable[st]
	}
	return nil
}

// verifyRule applies stack st's verification of a received client chain.
func verifyRule(st Stack, stVer string, v chainView) check {
	if r := st.rules(); r != nil {
		return r.verify(stVer, v)
	}
	return check{effect: EffectUnknown, code: CodeStackUnknown, detail: "no rules for " + st.String()}
}

// layerRule applies the checks st makes on a received client certificate
// even when it does not verify it.
func layerRule(st Stack, v chainView) (check, bool) {
	if r := st.rules(); r != nil && r.layer != nil {
		return r.layer(v)
	}
	return check{}, false
}

// noCertAlert is the alert st sends when a required certificate is
// missing; 0 where not observed.
func noCertAlert(st Stack, v tlsver.Version) Alert {
	if r := st.rules(); r != nil && r.noCertAlert != nil {
		return r.noCertAlert(v)
	}
	return 0
}

// untrustedIssuerAlert is the alert st was seen to send for a client
// certificate from an issuer it does not trust; 0 where not observed.
func untrustedIssuerAlert(st Stack) Alert {
	if r := st.rules(); r != nil {
		return r.untrustedIssuerAlert
	}
	return 0
}

// negotiationStack maps an endpoint's stack to tlsver's negotiation model;
// ok is false where no model exists.
func negotiationStack(st Stack) (tlsver.Negotiator, bool) {
	if r := st.rules(); r != nil && r.negotiates {
		return r.negotiation, true
	}
	return 0, false
}

// versionAlert is the alert st as server sends when no version is shared,
// where verified; 0 otherwise.
func versionAlert(st Stack, n tlsver.Negotiation, version string) Alert {
	if r := st.rules(); r != nil && r.versionAlert != nil {
		return r.versionAlert(n, version)
	}
	return 0
}

// protocolVersionAlert is versionAlert for the stacks that send
// protocol_version (70) for every version failure (the truth suites).
func protocolVersionAlert(tlsver.Negotiation, string) Alert { return 70 }

// Interop suites of this module, cited by the stack rules.
var (
	srcTruthSuite   = Source{Kind: SourceInterop, Locator: "policy/interop_test.go:TestInteropTruth"}
	srcIssuerSuite  = Source{Kind: SourceInterop, Locator: "policy/issuer_test.go:TestIssuerNotListedRealServers"}
	srcNSSSuite     = Source{Kind: SourceInterop, Locator: "policy/nss_interop_test.go:TestNSSInterop"}
	srcMbedTLSSuite = Source{Kind: SourceInterop, Locator: "policy/mbedtls_interop_test.go:TestMbedTLSInterop"}
)
