package sbc

import (
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// ProfileAudioCodes is the Profile of servers [AudioCodes] returns.
const ProfileAudioCodes = "audiocodes-mediant-tls"

// SrcAudioCodesMutualAuth is the AudioCodes Mediant 4000 SBC User's Manual,
// chapter 60 "Configuration Parameters Reference", the 'TLS Mutual
// Authentication' parameter.
var SrcAudioCodesMutualAuth = Source{
	URL:       "https://manualshive.com/en/manual/audiocodes/mediant-4000-sbc/3011146?page=943",
	Document:  "AudioCodes Mediant 4000 SBC User's Manual, ch. 60 Configuration Parameters Reference (public copy of the vendor manual; edition as hosted there)",
	Statement: "'TLS Mutual Authentication' [SIPSRequireClientCertificate]: [0] Disable (Default): device acts as a server: the device does not request the client certificate; [1] Enable: device acts as a server: the device requires the receipt and verification of the client certificate to establish the TLS connection; can be configured per SIP Interface",
}

// SrcAudioCodesSIPInterface is the AudioCodes Mediant 3000 User's Manual
// (Version 7.0), SIP Interface table, the 'TLS Mutual Authentication'
// column.
var SrcAudioCodesSIPInterface = Source{
	URL:       "https://www.easymanua.ls/audiocodes/mediant-3000/manual?p=341",
	Document:  "AudioCodes Mediant 3000 User's Manual, Version 7.0, ch. 18 Control Network, SIP Interfaces (public copy of the vendor manual)",
	Statement: "TLS Mutual Authentication [SIPInterface_TLSMutualAuthentication]: enables TLS mutual authentication for the SIP Interface (when the device acts as a server). [-1] Not Configured = (Default) the SIPSRequireClientCertificate global parameter setting is applied; [0] Disable = device does not request the client certificate; [1] Enable = device requires receipt and verification of the client certificate",
}

// SrcAudioCodesTLSForSIPClients is AudioCodes' own techdocs page "TLS for
// SIP Clients" (Mediant 1000 SBC/Gateway User's Manual, version 7.60).
var SrcAudioCodesTLSForSIPClients = Source{
	URL:       "https://techdocs.audiocodes.com/session-border-controller-sbc/mediant-1000-sbc-gateway/user-manual/version-760/Content/UM/TLS-for-SIP-Clients.htm",
	Document:  "AudioCodes Mediant 1000 SBC & Gateway User's Manual, version 7.60, TLS for SIP Clients",
	Statement: "When the device acts as the TLS server in a specific connection, the device demands the authentication of the SIP client's certificate ... TLS mutual authentication can be configured for all calls (globally), or for specific calls by enabling mutual authentication for the associated SIP Interface ... Import the certificate of the CA that signed the certificate of the SIP client into the Trusted Certificates table",
}

// AudioCodesTLS holds the AudioCodes Mediant words that decide client
// certificates when the SBC is the TLS server. The zero value is the
// documented default ('TLS Mutual Authentication' Disable).
type AudioCodesTLS struct {
	// TLSMutualAuthentication is 'TLS Mutual Authentication'
	// [SIPSRequireClientCertificate] (configure network > security-settings
	// > SIPSREQUIRECLIENTCERTIFICATE): "0" or "Disable" (the default; also
	// ""), "1" or "Enable". Case is ignored.
	TLSMutualAuthentication string
	// SIPInterfaceTLSMutualAuthentication is the SIP Interface's 'TLS
	// Mutual Authentication' [SIPInterface_TLSMutualAuthentication]: "-1" or
	// "Not Configured" (the default; also ""): the global parameter
	// applies; "0" or "Disable"; "1" or "Enable". It overrides
	// TLSMutualAuthentication for calls on that interface.
	SIPInterfaceTLSMutualAuthentication string
	// Versions are the versions the TLS Context enables. AudioCodes' 'TLS
	// Version' words are not mapped (no page read documents them); zero
	// means not known.
	Versions tlsver.Set
}

// AudioCodes returns an AudioCodes Mediant SBC as a TLS server.
//
//	Disable (0, default) -> policy.ClientAuthNone: "does not request the client certificate"
//	Enable  (1)          -> policy.ClientAuthRequireAndVerify: "requires the receipt and verification of the client certificate"
//
// The TLS library is not documented (policy.UnknownStack), nor is whether the
// verification checks the certificate's extended key usage: policy.Evaluate
// then answers only what every modelled stack agrees on. A SIP Interface
// value other than Not Configured overrides the global one, with the same
// meaning. Sources: [SrcAudioCodesMutualAuth], [SrcAudioCodesSIPInterface],
// [SrcAudioCodesTLSForSIPClients].
func AudioCodes(cfg AudioCodesTLS) (policy.Server, error) {
	v, field := cfg.TLSMutualAuthentication, "TLS Mutual Authentication [SIPSRequireClientCertificate]"
	srcs := []Source{SrcAudioCodesMutualAuth, SrcAudioCodesTLSForSIPClients}
	switch word(cfg.SIPInterfaceTLSMutualAuthentication) {
	case "", "-1", "not configured":
	case "0", "disable", "1", "enable":
		v, field = cfg.SIPInterfaceTLSMutualAuthentication, "SIP Interface TLS Mutual Authentication [SIPInterface_TLSMutualAuthentication]"
		srcs = []Source{SrcAudioCodesSIPInterface, SrcAudioCodesTLSForSIPClients}
	default:
		return policy.Server{}, unknownWord("AudioCodes Mediant", "SIP Interface TLS Mutual Authentication [SIPInterface_TLSMutualAuthentication]",
			cfg.SIPInterfaceTLSMutualAuthentication, "-1", "0", "1", "Not Configured", "Disable", "Enable")
	}
	var mode policy.ClientAuthMode
	switch word(v) {
	case "", "0", "disable":
		mode = policy.ClientAuthNone
	case "1", "enable":
		mode = policy.ClientAuthRequireAndVerify
	default:
		return policy.Server{}, unknownWord("AudioCodes Mediant", field, v, "0", "1", "Disable", "Enable")
	}
	return server("AudioCodes Mediant SBC", ProfileAudioCodes, mode, cfg.Versions,
		[]string{"TLS stack not documented; extended key usage check of client certificates not documented"},
		srcs...), nil
}
