package sbc

import (
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// ProfileAvaya is the Profile of servers [AvayaSBCE] returns.
const ProfileAvaya = "avaya-sbce-tls-server-profile"

// SrcAvayaServerProfile is the Avaya page describing the Avaya SBC's TLS
// server profile fields (in the Avaya Device Services R10.2.x deployment
// guide, reverse proxy configuration on the Avaya SBC).
var SrcAvayaServerProfile = Source{
	URL:       "https://documentation.avaya.com/en-us/home/bundle/avaya-device-services/deployingavayadeviceservicesr102x/reverse-proxy-configuration/Creating_a_TLS_server_profile/TLSServerProfileFieldDescriptions.html",
	Document:  "Avaya, Deploying Avaya Device Services R10.2.x, TLS server profile screen field descriptions (last updated 2026-06-10)",
	Statement: "Peer Verification: one of three check boxes indicating whether peer verification is required: Required: the incoming connection must provide a certificate, the certificate must be signed by one of the Peer Certificate Authorities, and not be contained in a Peer Certificate Revocation List. Optional: the incoming connection may optionally provide a certificate. If a certificate is pr[ovided ...] (the rest of the Optional text and the None text were not in the copy read)",
}

// AvayaSBCETLS holds the Avaya SBC (SBCE) TLS server profile words.
type AvayaSBCETLS struct {
	// PeerVerification is the Peer Verification field of the TLS server
	// profile: "Required", "Optional" or "None" (case ignored). The default
	// is not in the text read: "" is an error.
	PeerVerification string
	// Versions are the versions the profile enables; the page read does not
	// document the version words. Zero means not known.
	Versions tlsver.Set
}

// AvayaSBCE returns an Avaya Session Border Controller (for Enterprise) as a
// TLS server.
//
//	Required -> policy.ClientAuthRequireAndVerify (must provide a certificate, signed by a Peer CA, not revoked)
//	Optional -> policy.ClientAuthUnknown (may provide one; what happens to a provided one is in text not read)
//	None     -> policy.ClientAuthUnknown (its text was not in the copy read: whether a
//	            CertificateRequest is still sent is not documented there)
//
// The page describes the profile as configured on the Avaya SBC for Avaya
// Device Services; the SBCE TLS profile for SIP trunks uses the same
// screen, which no page read confirms. The TLS library and whether the
// extended key usage is checked are not documented (policy.UnknownStack).
// Source: [SrcAvayaServerProfile].
func AvayaSBCE(cfg AvayaSBCETLS) (policy.Server, error) {
	var mode policy.ClientAuthMode
	switch word(cfg.PeerVerification) {
	case "required":
		mode = policy.ClientAuthRequireAndVerify
	case "optional":
		mode = policy.ClientAuthUnknown
	case "none":
		mode = policy.ClientAuthUnknown // undocumented in the text read; not a guess
	default:
		return policy.Server{}, unknownWord("Avaya SBCE TLS server profile", "Peer Verification", cfg.PeerVerification, "Required", "Optional", "None")
	}
	return server("Avaya SBCE", ProfileAvaya, mode, cfg.Versions,
		[]string{"default of Peer Verification not documented in the text read; TLS stack and extended key usage check not documented"},
		SrcAvayaServerProfile), nil
}
