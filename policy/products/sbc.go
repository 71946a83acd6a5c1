package products

import (
	"strings"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Commercial SBCs as TLS servers, from the vendors' published
// configuration references. Each constructor maps the configuration words
// that decide whether the SBC requests, requires and verifies a client
// certificate to a mode, and cites the page (URL and document version).
// Where a document does not say something, the profile says Unknown:
// none of these vendors documents its TLS library, so Stack is
// UnknownStack and Evaluate answers only what every modelled stack agrees
// on; versions the caller does not give are unknown.

// Profile names of the SBC profiles.
const (
	ProfileAudioCodes = "audiocodes-mediant"
	ProfileOracleSBC  = "oracle-sbc-tls-profile"
	ProfileRibbonEdge = "ribbon-sbc-edge-tls-profile"
	ProfileRibbonCore = "ribbon-sbc-core-tls-profile"
)

// AudioCodes Mediant: the 'TLS Mutual Authentication' parameter
// (SIPSRequireClientCertificate).
var evAudioCodes = policy.Cite(
	policy.Source{Kind: policy.SourceVendor,
		Locator: "https://manualshive.com/en/manual/audiocodes/mediant-4000-sbc/3011146?page=943",
		Ref:     "AudioCodes Mediant 4000 SBC User's Manual (document version not shown on the page; a copy of the vendor's manual), chapter 60 Configuration Parameters Reference, 'TLS Mutual Authentication' [SIPSRequireClientCertificate]",
		Quote:   "[0] Disable = (Default) ... Device acts as a server: The device does not request the client certificate. [1] Enable = ... Device acts as a server: The device requires the receipt and verification of the client certificate to establish the TLS connection."},
	policy.Source{Kind: policy.SourceVendor,
		Locator: "https://www.easymanua.ls/audiocodes/mediant-600/manual?p=573",
		Ref:     "AudioCodes Mediant 600 SIP User's Manual Version 6.4, March 2012 (a copy of the vendor's manual), Table A-22 TLS Parameters",
		Quote:   "[0] Disable = The device does not request the client certificate (default). [1] Enable = The device requires receipt and verification of the client certificate to establish the TLS connection."},
)

// AudioCodesMode maps the AudioCodes Mediant 'TLS Mutual Authentication'
// (SIPSRequireClientCertificate) value as the device acts as TLS server:
// "0"/"disable" (the default) sends no CertificateRequest, "1"/"enable"
// requires and verifies a client certificate. The manuals also let the
// parameter be set per SIP Interface; that table's words are not modelled
// (give the resulting global value).
func AudioCodesMode(value string) (policy.ClientAuthMode, error) {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "0", "disable", "":
		return policy.ClientAuthNone, nil
	case "1", "enable":
		return policy.ClientAuthRequireAndVerify, nil
	}
	return policy.ClientAuthUnknown, errorf("AudioCodes TLS Mutual Authentication (SIPSRequireClientCertificate): unknown value %q (want 0/disable or 1/enable)", value)
}

// AudioCodes returns an AudioCodes Mediant SBC as TLS server with the given
// 'TLS Mutual Authentication' value and the versions its TLS Context
// enables (empty: unknown). The TLS library is not documented: Stack is
// UnknownStack.
func AudioCodes(mutualAuthentication string, versions tlsver.Set) (policy.Server, error) {
	mode, err := AudioCodesMode(mutualAuthentication)
	if err != nil {
		return policy.Server{}, err
	}
	return policy.Server{Name: "AudioCodes Mediant", ClientAuth: mode, Versions: versions, Profile: ProfileAudioCodes, Evidence: evAudioCodes}, nil
}

// Oracle Communications SBC: tls-profile mutual-authenticate and
// tls-version.
var evOracleSBC = policy.Cite(
	policy.Source{Kind: policy.SourceVendor,
		Locator: "https://docs.oracle.com/en/industries/communications/session-border-controller/10.1.0/aclireference/tls-profile.html",
		Ref:     "Oracle Communications Session Border Controller ACLI Reference, release 10.1.0, tls-profile",
		Quote:   "mutual-authenticate: Enable or disable the mutual authentication of clients that connect to the SBC. Default: disabled. tls-version: Default: tlsv13; Values: tlsv1, tlsv11, tlsv12, tlsv13, compatibility"},
	policy.Source{Kind: policy.SourceVendor,
		Locator: "https://docs.oracle.com/cd/E95618_01/html/sbc_scz810_aclireference/GUID-E949B203-BC76-4A12-A8A0-7A941FD4DB3F.htm",
		Ref:     "Oracle Communications Session Border Controller ACLI Reference, release S-Cz8.1.0, tls-profile (tls-version default compatibility)"},
)

// OracleSBCMode maps tls-profile mutual-authenticate: "disabled" (the
// default) and "enabled". The reference says "mutual authentication of
// clients", not whether a client without a certificate is refused, so
// "enabled" is [policy.ClientAuthVerifies] (requested and verified; the
// requirement is not documented). That "disabled" sends no
// CertificateRequest is read from "Enable or disable the mutual
// authentication".
func OracleSBCMode(mutualAuthenticate string) (policy.ClientAuthMode, error) {
	switch strings.ToLower(strings.TrimSpace(mutualAuthenticate)) {
	case "disabled", "":
		return policy.ClientAuthNone, nil
	case "enabled":
		return policy.ClientAuthVerifies, nil
	}
	return policy.ClientAuthUnknown, errorf("Oracle SBC tls-profile mutual-authenticate: unknown value %q (want enabled or disabled)", mutualAuthenticate)
}

// OracleSBCVersions maps tls-profile tls-version: "tlsv1", "tlsv11",
// "tlsv12" and "tlsv13" each name one version ("the TLS version you want to
// use with this TLS profile"). "compatibility" negotiates down to the
// security-config sslmin, which the tls-profile does not hold, so its set is
// unknown: the empty Set and no error. The default differs by release
// (tlsv13 in 10.1.0, compatibility in S-Cz8.1.0), so "" is unknown too.
func OracleSBCVersions(tlsVersion string) (tlsver.Set, error) {
	switch strings.ToLower(strings.TrimSpace(tlsVersion)) {
	case "tlsv1":
		return tlsver.SetOf(tlsver.TLS10), nil
	case "tlsv11":
		return tlsver.SetOf(tlsver.TLS11), nil
	case "tlsv12":
		return tlsver.SetOf(tlsver.TLS12), nil
	case "tlsv13":
		return tlsver.SetOf(tlsver.TLS13), nil
	case "compatibility", "":
		return 0, nil
	}
	return 0, errorf("Oracle SBC tls-profile tls-version: unknown value %q", tlsVersion)
}

// OracleSBC returns an Oracle Communications SBC (Acme Packet) tls-profile
// as TLS server. Stack is UnknownStack (not documented).
func OracleSBC(mutualAuthenticate, tlsVersion string) (policy.Server, error) {
	mode, err := OracleSBCMode(mutualAuthenticate)
	if err != nil {
		return policy.Server{}, err
	}
	v, err := OracleSBCVersions(tlsVersion)
	if err != nil {
		return policy.Server{}, err
	}
	return policy.Server{Name: "Oracle SBC", ClientAuth: mode, Versions: v, Profile: ProfileOracleSBC, Evidence: evOracleSBC}, nil
}

// Ribbon SBC Edge (SBC 1000/2000/SWe Lite): TLS Profile "Mutual
// Authentication" and "TLS Protocol".
var evRibbonEdge = policy.Cite(
	policy.Source{Kind: policy.SourceVendor,
		Locator: "https://publicdoc.rbbn.com/display/UXDOC90/Creating+and+Modifying+TLS+Profiles",
		Ref:     "Ribbon SBC Edge documentation UX 9.0, Creating and Modifying TLS Profiles",
		Quote:   "Mutual Authentication: Enables the Mutual authentication request and verifications of the SIP peer client certificate. TLS Protocol: Valid entries: TLS 1.0 Only, TLS 1.2 Only, or TLS 1.0 - 1.2."},
)

// RibbonEdgeMode maps the SBC Edge TLS Profile "Mutual Authentication":
// enabled requests and verifies the client certificate; whether a missing
// one fails is not documented, so it is [policy.ClientAuthVerifies].
// Disabled sends no request (the setting "enables the ... request").
func RibbonEdgeMode(mutualAuthentication bool) policy.ClientAuthMode {
	if mutualAuthentication {
		return policy.ClientAuthVerifies
	}
	return policy.ClientAuthNone
}

// RibbonEdgeVersions maps the SBC Edge "TLS Protocol" entries: "TLS 1.0
// Only", "TLS 1.2 Only", "TLS 1.0 - 1.2" (case and spaces around the dash
// ignored). TLS 1.0 - 1.2 is read as TLS 1.0, 1.1 and 1.2.
func RibbonEdgeVersions(protocol string) (tlsver.Set, error) {
	p := strings.Join(strings.Fields(strings.ToLower(protocol)), " ")
	switch strings.ReplaceAll(p, " - ", "-") {
	case "tls 1.0 only":
		return tlsver.SetOf(tlsver.TLS10), nil
	case "tls 1.2 only":
		return tlsver.SetOf(tlsver.TLS12), nil
	case "tls 1.0-1.2":
		return tlsver.Range(tlsver.TLS10, tlsver.TLS12), nil
	}
	return 0, errorf("Ribbon SBC Edge TLS Protocol: unknown entry %q", protocol)
}

// RibbonEdge returns a Ribbon SBC Edge TLS Profile as TLS server. Stack is
// UnknownStack (not documented).
func RibbonEdge(mutualAuthentication bool, protocol string) (policy.Server, error) {
	v, err := RibbonEdgeVersions(protocol)
	if err != nil {
		return policy.Server{}, err
	}
	return policy.Server{Name: "Ribbon SBC Edge", ClientAuth: RibbonEdgeMode(mutualAuthentication), Versions: v, Profile: ProfileRibbonEdge, Evidence: evRibbonEdge}, nil
}

// Ribbon SBC Core (SBC 5000/7000/SWe, formerly Sonus): tlsProfile
// authClient.
var evRibbonCore = policy.Cite(
	policy.Source{Kind: policy.SourceVendor,
		Locator: "https://support.sonus.net/plugins/viewsource/viewpagesrc.action?pageId=198541839",
		Ref:     "Ribbon (Sonus) SBC Core documentation, Profiles - Security - TLS Profile (CLI), document version not shown on the page",
		Quote:   "authClient: Indicates whether or not a TLS client is forced to authenticate itself within TLS. If set to false, the client is not required to authenticate itself at the TLS layer"},
)

// RibbonCoreMode maps SBC Core tlsProfile authClient: true forces the
// client to authenticate within TLS, read as require-and-verify; false says
// only that the client is not required to authenticate at the TLS layer,
// not whether a certificate is requested or a sent one verified, so it is
// [policy.ClientAuthUnknown]. The tlsProfile's
// acceptableCertValidationErrors "invalidPurpose" (which would accept a
// certificate whose purpose is wrong) is not modelled.
func RibbonCoreMode(authClient bool) policy.ClientAuthMode {
	if authClient {
		return policy.ClientAuthRequireAndVerify
	}
	return policy.ClientAuthUnknown
}

// RibbonCore returns a Ribbon SBC Core tlsProfile as TLS server with the
// versions its v1_0/v1_1/v1_2 switches enable (empty: unknown). Stack is
// UnknownStack (not documented).
func RibbonCore(authClient bool, versions tlsver.Set) policy.Server {
	return policy.Server{Name: "Ribbon SBC Core", ClientAuth: RibbonCoreMode(authClient), Versions: versions, Profile: ProfileRibbonCore, Evidence: evRibbonCore}
}

// ProfileAvayaSBCE is the profile name of the Avaya SBC TLS server profile.
const ProfileAvayaSBCE = "avaya-sbce-tls-server-profile"

// Avaya SBC: TLS server profile "Peer Verification".
var evAvayaSBCE = policy.Cite(
	policy.Source{Kind: policy.SourceVendor,
		Locator: "https://documentation.avaya.com/en-us/home/bundle/avaya-device-services/deployingavayadeviceservicesr102x/reverse-proxy-configuration/Creating_a_TLS_server_profile/TLSServerProfileFieldDescriptions.html",
		Ref:     "Deploying Avaya Device Services R10.2.x (last updated Jun 10, 2026), TLS server profile screen field descriptions (Avaya SBC), Peer Verification",
		Quote:   "Required: The incoming connection must provide a certificate, the certificate must be signed by one of the Peer Certificate Authorities, and not be contained in a Peer Certificate Revocation List. Optional: The incoming connection may optionally provide a certificate."},
)

// AvayaSBCEMode maps the Avaya SBC TLS server profile "Peer Verification"
// check box: "Required" is require-and-verify. "Optional" accepts a
// connection without a certificate; what the page says about a certificate
// that is provided was not read in full, so it is
// [policy.ClientAuthUnknown] (request or verify-if-given). "None" is not
// modelled for the same reason: an error.
func AvayaSBCEMode(peerVerification string) (policy.ClientAuthMode, error) {
	switch strings.ToLower(strings.TrimSpace(peerVerification)) {
	case "required":
		return policy.ClientAuthRequireAndVerify, nil
	case "optional":
		return policy.ClientAuthUnknown, nil
	}
	return policy.ClientAuthUnknown, errorf("Avaya SBC Peer Verification: %q is not modelled (Required, Optional)", peerVerification)
}

// AvayaSBCE returns an Avaya SBC TLS server profile as TLS server. Stack is
// UnknownStack (not documented); versions as given (empty: unknown).
func AvayaSBCE(peerVerification string, versions tlsver.Set) (policy.Server, error) {
	mode, err := AvayaSBCEMode(peerVerification)
	if err != nil {
		return policy.Server{}, err
	}
	return policy.Server{Name: "Avaya SBC", ClientAuth: mode, Versions: versions, Profile: ProfileAvayaSBCE, Evidence: evAvayaSBCE}, nil
}
