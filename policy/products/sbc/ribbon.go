package sbc

import (
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Profiles of the Ribbon SBCs.
const (
	ProfileRibbonCore = "ribbon-sbc-core-tlsprofile"
	ProfileRibbonEdge = "ribbon-sbc-edge-tls-profile"
)

// Sources for the Ribbon SBCs.
var (
	// SrcRibbonCoreCLI is the SBC Core TLS Profile CLI page (SBX
	// documentation; the parameter table was read on the release 7-era copy
	// on support.sonus.net, the syntax also on SBXDOC100 and SBXDOC120).
	SrcRibbonCoreCLI = Source{
		URL:       "https://support.sonus.net/plugins/viewsource/viewpagesrc.action?pageId=198541839",
		Document:  "Ribbon (Sonus) SBC Core documentation, TLS Profile - CLI (same syntax on https://publicdoc.rbbn.com/display/SBXDOC120/TLS+Profile+-+CLI)",
		Statement: "authClient <false | true>: Indicates whether or not a TLS client is forced to authenticate itself within TLS. If set to false, the client is not required to authenticate itself at the TLS layer. acceptableCertValidationErrors <invalidPurpose | none>: specify if certificate chain validation errors are acceptable while validating the peer certificate; none (default). v1_0/v1_1/v1_2/v1_3 <disabled | enabled>",
	}
	// SrcRibbonEdge121 is the SBC Edge (SBC 1000/2000, SWe Lite) 12.1
	// WebUI page for TLS Profiles.
	SrcRibbonEdge121 = Source{
		URL:       "https://publicdoc.rbbn.com/display/UXDOC121/Creating+and+Modifying+TLS+Profiles",
		Document:  "Ribbon SBC Edge documentation UXDOC121 (release 12.1), Creating and Modifying TLS Profiles",
		Statement: "Mutual Authentication: Enables the Mutual authentication request and verifications of the SIP peer client certificate; includes a check on the certificate dates and whether the certificate is signed by a local trusted root CA. TLS Protocol: TLS 1.2-1.3, TLS 1.2 Only or TLS 1.3 Only",
	}
	// SrcRibbonEdge90 is the same page for SBC Edge 9.0.
	SrcRibbonEdge90 = Source{
		URL:       "https://publicdoc.rbbn.com/display/UXDOC90/Creating+and+Modifying+TLS+Profiles",
		Document:  "Ribbon SBC Edge documentation UXDOC90 (release 9.0), Creating and Modifying TLS Profiles",
		Statement: "TLS Protocol: Valid entries: TLS 1.0 Only, TLS 1.2 Only, or TLS 1.0 - 1.2. Mutual Authentication: Enables the Mutual authentication request and verifications of the SIP peer client certificate",
	}
)

// RibbonCoreTLSProfile holds the words of a Ribbon SBC Core (SBC 5000/7000,
// SWe) "set profiles security tlsProfile" that decide client certificates
// and versions. Words are compared without regard to case.
type RibbonCoreTLSProfile struct {
	// AuthClient is authClient: "true" or "false". Its default is not in the
	// text read; "" makes the mode unknown.
	AuthClient string
	// AcceptableCertValidationErrors is acceptableCertValidationErrors:
	// "none" (the documented default; also "") or "invalidPurpose".
	AcceptableCertValidationErrors string
	// V10, V11, V12, V13 are v1_0, v1_1, v1_2, v1_3: "enabled" or
	// "disabled". Their defaults are not in the text read: if any is "", the
	// versions are not known (set v1_3 "disabled" on releases without it).
	V10, V11, V12, V13 string
}

// RibbonCore returns a Ribbon SBC Core as a TLS server.
//
//	authClient true,  acceptableCertValidationErrors none           -> policy.ClientAuthRequireAndVerify
//	authClient true,  acceptableCertValidationErrors invalidPurpose -> policy.ClientAuthRequireAny
//	authClient false                                                -> policy.ClientAuthUnknown
//	authClient ""                                                   -> policy.ClientAuthUnknown
//
// "forced to authenticate itself within TLS" is a required, verified client
// certificate. With invalidPurpose, certificate purpose errors are
// acceptable: a certificate whose extended key usage lacks clientAuth fails
// only the purpose check, so it is accepted, and require-any is the mode
// that gives that answer (trust of the chain is still checked by the SBC;
// policy does not model trust). With false the client "is not required to
// authenticate itself at the TLS layer"; whether a certificate is still
// requested and verified if sent is not stated, so the mode is unknown.
// Source: [SrcRibbonCoreCLI].
func RibbonCore(cfg RibbonCoreTLSProfile) (policy.Server, error) {
	const product = "Ribbon SBC Core tlsProfile"
	invalidPurposeOK := false
	switch word(cfg.AcceptableCertValidationErrors) {
	case "", "none":
	case "invalidpurpose":
		invalidPurposeOK = true
	default:
		return policy.Server{}, unknownWord(product, "acceptableCertValidationErrors", cfg.AcceptableCertValidationErrors, "none", "invalidPurpose")
	}
	mode := policy.ClientAuthUnknown
	switch word(cfg.AuthClient) {
	case "":
	case "true":
		mode = policy.ClientAuthRequireAndVerify
		if invalidPurposeOK {
			mode = policy.ClientAuthRequireAny
		}
	case "false":
	default:
		return policy.Server{}, unknownWord(product, "authClient", cfg.AuthClient, "true", "false")
	}
	var versions tlsver.Set
	known := true
	for _, f := range []struct {
		name, val string
		v         tlsver.Version
	}{{"v1_0", cfg.V10, tlsver.TLS10}, {"v1_1", cfg.V11, tlsver.TLS11}, {"v1_2", cfg.V12, tlsver.TLS12}, {"v1_3", cfg.V13, tlsver.TLS13}} {
		switch word(f.val) {
		case "":
			known = false
		case "enabled":
			versions = versions.Add(f.v)
		case "disabled":
		default:
			return policy.Server{}, unknownWord(product, f.name, f.val, "enabled", "disabled")
		}
	}
	if !known {
		versions = 0
	}
	return server("Ribbon SBC Core", ProfileRibbonCore, mode, versions,
		[]string{"TLS stack not documented; acceptableCertValidationErrors invalidPurpose accepts certificate purpose (extended key usage) errors"},
		SrcRibbonCoreCLI), nil
}

// RibbonEdgeTLSProfile holds the words of a Ribbon SBC Edge (SBC 1000/2000,
// SWe Lite) WebUI TLS Profile. Words are compared without regard to case
// and spaces around them.
type RibbonEdgeTLSProfile struct {
	// MutualAuthentication is the Mutual Authentication field: "Enabled"
	// or "Disabled" (also "true"/"false"). Its default is not in the text
	// read: "" makes the mode unknown.
	MutualAuthentication string
	// TLSProtocol is the TLS Protocol field: "TLS 1.2-1.3", "TLS 1.2 Only",
	// "TLS 1.3 Only" (12.1), "TLS 1.0 Only", "TLS 1.0 - 1.2" (earlier
	// releases). "" means not known.
	TLSProtocol string
}

// RibbonEdge returns a Ribbon SBC Edge as a TLS server.
//
//	Mutual Authentication enabled  -> policy.ClientAuthVerifies
//	Mutual Authentication disabled -> policy.ClientAuthNone
//
// Enabled "enables the mutual authentication request and verifications of
// the SIP peer client certificate"; whether a client without a certificate
// is refused is not stated (policy.ClientAuthVerifies). The documented
// checks are the certificate dates and a trusted root CA: whether the
// extended key usage is checked is not documented, nor the TLS library
// (policy.UnknownStack). "TLS 1.0 - 1.2" is read as TLS 1.0 through 1.2,
// TLS 1.1 included. Sources: [SrcRibbonEdge121], [SrcRibbonEdge90].
func RibbonEdge(cfg RibbonEdgeTLSProfile) (policy.Server, error) {
	const product = "Ribbon SBC Edge TLS Profile"
	mode := policy.ClientAuthUnknown
	switch word(cfg.MutualAuthentication) {
	case "":
	case "enabled", "enable", "true":
		mode = policy.ClientAuthVerifies
	case "disabled", "disable", "false":
		mode = policy.ClientAuthNone
	default:
		return policy.Server{}, unknownWord(product, "Mutual Authentication", cfg.MutualAuthentication, "Enabled", "Disabled")
	}
	var versions tlsver.Set
	switch word(cfg.TLSProtocol) {
	case "":
	case "tls 1.2-1.3":
		versions = tlsver.Range(tlsver.TLS12, tlsver.TLS13)
	case "tls 1.2 only":
		versions = tlsver.SetOf(tlsver.TLS12)
	case "tls 1.3 only":
		versions = tlsver.SetOf(tlsver.TLS13)
	case "tls 1.0 only":
		versions = tlsver.SetOf(tlsver.TLS10)
	case "tls 1.0 - 1.2":
		versions = tlsver.Range(tlsver.TLS10, tlsver.TLS12)
	default:
		return policy.Server{}, unknownWord(product, "TLS Protocol", cfg.TLSProtocol, "TLS 1.2-1.3", "TLS 1.2 Only", "TLS 1.3 Only", "TLS 1.0 Only", "TLS 1.0 - 1.2")
	}
	return server("Ribbon SBC Edge", ProfileRibbonEdge, mode, versions,
		[]string{"'mutual authentication' enabled: requested and verified, whether a missing certificate fails is not documented; documented checks: dates and trusted root; extended key usage check and TLS stack not documented"},
		SrcRibbonEdge121, SrcRibbonEdge90), nil
}
