package sbc

import (
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Profiles of the Cisco products.
const (
	ProfileCUBE       = "cisco-cube-ios-xe"
	ProfileExpressway = "cisco-expressway"
)

// Sources for the Cisco products.
var (
	// SrcCUBESIPTLS is the CUBE configuration guide chapter "SIP TLS
	// Support" (Cisco IOS XE).
	SrcCUBESIPTLS = Source{
		URL:       "https://test-gsx.cisco.com/c/en/us/td/docs/ios-xml/ios/voice/cube/ios-xe/config/ios-xe-book/m_sip_tls_support_cube.html",
		Document:  "Cisco Unified Border Element Configuration Guide (Cisco IOS XE), SIP TLS Support (copy on a cisco.com host)",
		Statement: "Client Identity Validation through CN-SAN Fields in a TLS Certificate, Cisco IOS XE Cupertino 17.8.1a: commands under voice class tls-profile tag: cn-san validate { client | bidirectional }, cn-san tag san-name. Secured SIP with TLS version 1.3 Support: Cisco IOS XE 17.14.1a",
	}
	// SrcExpresswayFN74362 is Cisco Field Notice FN74362.
	SrcExpresswayFN74362 = Source{
		URL:       "https://www.cisco.com/c/en/us/support/docs/field-notices/743/fn74362.html",
		Document:  "Cisco Field Notice FN74362 (two revisions seen: 'Effective June 2026' and 'Effective March 2027')",
		Statement: "Expressway Core and Edge X14.0.0-X14.3.7 and X15.0.0-X15.3.2: all releases affected; defect CSCwr73373 'Support for separate server and client Certificate for Expressway'; certificates issued by a public root CA with only Server Authentication EKU will not be valid for client authentication in mutual TLS (mTLS) setups",
	}
	// SrcExpresswayX155 is Cisco TechNote 225693 on Expressway X15.5.
	SrcExpresswayX155 = Source{
		URL:       "https://www.cisco.com/c/en/us/support/docs/unified-communications/telepresence-video-communication-server-expressway/225693-navigate-client-eku-sunset-with.html",
		Document:  "Cisco TechNote 225693, Navigate Client EKU Sunset with Expressway x15.5",
		Statement: "x15.4 had a CLI switch to upload a Server EKU only certificate on Expressway E (xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On), deprecated in x15.5; x15.5 has two certificate stores: server certificate store and client certificate store",
	}
)

// CUBETLSProfile holds the Cisco CUBE (IOS XE) "voice class tls-profile"
// words that bear on client certificates.
type CUBETLSProfile struct {
	// CNSANValidate is the "cn-san validate" keyword: "" (not configured),
	// "client" or "bidirectional" (IOS XE 17.8.1a and later).
	CNSANValidate string
	// Versions are the versions CUBE accepts; not derived from any word
	// (TLS 1.3 exists from IOS XE 17.14.1a; the lower bound and the
	// version commands are not in the text read). Zero means not known.
	Versions tlsver.Set
}

// CUBE returns a Cisco Unified Border Element on IOS XE as a TLS server. Its
// client-certificate mode is always policy.ClientAuthUnknown: the pages read
// do not say whether CUBE sends a CertificateRequest, requires a
// certificate, or verifies one (and against which extended key usage).
// "cn-san validate client|bidirectional" validates the client's identity
// from the certificate's CN/SAN, which needs a client certificate, but the
// page read does not say what happens without one. The word is still
// checked, so a typo is an error. Source: [SrcCUBESIPTLS].
func CUBE(cfg CUBETLSProfile) (policy.Server, error) {
	switch word(cfg.CNSANValidate) {
	case "", "client", "bidirectional":
	default:
		return policy.Server{}, unknownWord("Cisco CUBE voice class tls-profile", "cn-san validate", cfg.CNSANValidate, "client", "bidirectional")
	}
	return server("Cisco CUBE", ProfileCUBE, policy.ClientAuthUnknown, cfg.Versions,
		[]string{"client certificate request/require/verify behaviour not documented in the pages read; TLS stack not documented"},
		SrcCUBESIPTLS), nil
}

// ExpresswayTLS holds what is known of a Cisco Expressway (Core or Edge) as
// a SIP TLS server.
type ExpresswayTLS struct {
	// Release is the Expressway release, "X14.3.7" or "X15.5" style; it is
	// checked for shape only (the server side does not depend on it in the
	// data read). Empty is allowed.
	Release string
	// Versions are the versions it accepts; zero means not known.
	Versions tlsver.Set
}

// Expressway returns a Cisco Expressway as a TLS server with
// policy.ClientAuthUnknown: the zone "TLS verify mode" text was not found in
// the pages read. Field Notice FN74362 is about the other direction:
// Expressway as TLS client presents its server certificate (one certificate
// before X15.5), which fails at peers that verify client certificates once
// it lacks clientAuth; see the issuers package data for its dates. Sources:
// [SrcExpresswayFN74362], [SrcExpresswayX155].
func Expressway(cfg ExpresswayTLS) (policy.Server, error) {
	if r := cfg.Release; r != "" && !validExpresswayRelease(r) {
		return policy.Server{}, unknownWord("Cisco Expressway", "release", r, "X14.x.y", "X15.x.y")
	}
	return server("Cisco Expressway", ProfileExpressway, policy.ClientAuthUnknown, cfg.Versions,
		[]string{"zone TLS verify mode not documented in the pages read; TLS stack not documented"},
		SrcExpresswayFN74362, SrcExpresswayX155), nil
}

// validExpresswayRelease reports whether r looks like "X<major>.<minor>[.<patch>]".
func validExpresswayRelease(r string) bool {
	if len(r) < 4 || (r[0] != 'X' && r[0] != 'x') {
		return false
	}
	dots, digits := 0, 0
	for i := 1; i < len(r); i++ {
		switch c := r[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && digits > 0:
			dots++
			digits = 0
		default:
			return false
		}
	}
	return digits > 0 && dots >= 1 && dots <= 2
}
