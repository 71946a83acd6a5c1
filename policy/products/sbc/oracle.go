package sbc

import (
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// ProfileOracle is the Profile of servers [Oracle] returns.
const ProfileOracle = "oracle-ocsbc-tls-profile"

// Sources for the Oracle Communications Session Border Controller tls-profile.
var (
	// SrcOracle101 is the ACLI Reference of release 10.1.0.
	SrcOracle101 = Source{
		URL:       "https://docs.oracle.com/en/industries/communications/session-border-controller/10.1.0/aclireference/tls-profile.html",
		Document:  "Oracle Communications Session Border Controller ACLI Reference, Release 10.1.0, tls-profile",
		Statement: "mutual-authenticate: Enable or disable the mutual authentication of clients that connect to the SBC; Default: disabled; Values: enabled | disabled. verify-depth: maximum depth of the certificate chain that will be verified, Default: 10. tls-version: Default: tlsv13",
	}
	// SrcOracle92 is the ACLI Reference of release 9.2.0.
	SrcOracle92 = Source{
		URL:       "https://docs.oracle.com/en/industries/communications/session-border-controller/9.2.0/aclireference/tls-profile.html",
		Document:  "Oracle Communications Session Border Controller ACLI Reference, Release 9.2.0, tls-profile",
		Statement: "mutual-authenticate Default: disabled; tls-version Default: tlsv13, Values: tlsv1, tlsv11, tlsv12, tlsv13, compatibility (starts with the highest TLS version and works its way down; security-config sslmin sets the lowest)",
	}
	// SrcOracle81 is the ACLI Reference of release 8.1.0 (S-Cz8.1.0).
	SrcOracle81 = Source{
		URL:       "https://docs.oracle.com/cd/E95618_01/html/sbc_scz810_aclireference/GUID-E949B203-BC76-4A12-A8A0-7A941FD4DB3F.htm",
		Document:  "Oracle Communications Session Border Controller ACLI Reference, Release S-Cz8.1.0, tls-profile",
		Statement: "mutual-authenticate Default: disabled; tls-version Default: compatibility, Values: TLSv1, TLS11, TLS12, compatibility",
	}
)

// OracleTLSProfile holds the words of an Oracle Communications Session Border
// Controller (Acme Packet) security > tls-profile that decide client
// certificates and versions. Words are compared without regard to case.
type OracleTLSProfile struct {
	// Release is the SBC release whose documented defaults apply to empty
	// fields: "8.1" (S-Cz8.1.0), "9.2" or "10.1". Empty: defaults are not
	// applied, and an empty TLSVersion means versions not known.
	Release string
	// MutualAuthenticate is mutual-authenticate: "enabled" or "disabled"
	// ("" is the documented default, disabled, in every release read).
	MutualAuthenticate string
	// TLSVersion is tls-version: "tlsv1", "tlsv11", "tlsv12", "tlsv13"
	// (9.2, 10.1), "TLSv1", "TLS11", "TLS12" (8.1 spelling) or
	// "compatibility". "" takes the release's default (tlsv13 in 9.2 and
	// 10.1, compatibility in 8.1).
	TLSVersion string
}

// Oracle returns an Oracle Communications Session Border Controller as a TLS
// server.
//
//	mutual-authenticate disabled (default) -> policy.ClientAuthNone
//	mutual-authenticate enabled            -> policy.ClientAuthVerifies
//
// The documents say only "Enable or disable the mutual authentication of
// clients that connect to the SBC" and that verify-depth bounds "the
// certificate chain that will be verified". Disabled means clients are not
// authenticated: nothing is required or verified (whether a
// CertificateRequest is still sent is not stated; none and request give the
// same answer for every client). Enabled requests and verifies a client
// certificate; whether a client without one is refused is not stated, so it
// is policy.ClientAuthVerifies (Evaluate answers where verify-if-given and
// require-and-verify agree: always, for a client that sends one). Whether
// the extended key usage is checked is not documented, nor the TLS library
// (policy.UnknownStack).
//
// Versions: a single-version tls-version word enables that version alone
// ("Enter the TLS version you want to use"). "compatibility" negotiates down
// to security-config sslmin, whose value is not modelled: versions are then
// not known (zero). Sources: [SrcOracle101], [SrcOracle92], [SrcOracle81].
func Oracle(cfg OracleTLSProfile) (policy.Server, error) {
	const product = "Oracle OCSBC tls-profile"
	var srcs []Source
	defVersion := ""
	switch word(cfg.Release) {
	case "":
		srcs = []Source{SrcOracle101}
	case "8.1", "s-cz8.1.0", "8.1.0":
		srcs, defVersion = []Source{SrcOracle81}, "compatibility"
	case "9.2", "9.2.0":
		srcs, defVersion = []Source{SrcOracle92}, "tlsv13"
	case "10.1", "10.1.0":
		srcs, defVersion = []Source{SrcOracle101}, "tlsv13"
	default:
		return policy.Server{}, unknownWord(product, "release", cfg.Release, "8.1", "9.2", "10.1")
	}
	var mode policy.ClientAuthMode
	switch word(cfg.MutualAuthenticate) {
	case "", "disabled":
		mode = policy.ClientAuthNone
	case "enabled":
		mode = policy.ClientAuthVerifies
	default:
		return policy.Server{}, unknownWord(product, "mutual-authenticate", cfg.MutualAuthenticate, "enabled", "disabled")
	}
	tv := word(cfg.TLSVersion)
	if tv == "" {
		tv = defVersion
	}
	var versions tlsver.Set
	switch tv {
	case "", "compatibility":
		versions = 0 // not known: depends on security-config sslmin
	case "tlsv1":
		versions = tlsver.SetOf(tlsver.TLS10)
	case "tlsv11", "tls11":
		versions = tlsver.SetOf(tlsver.TLS11)
	case "tlsv12", "tls12":
		versions = tlsver.SetOf(tlsver.TLS12)
	case "tlsv13":
		if defVersion == "compatibility" { // 8.1 lists no tlsv13
			return policy.Server{}, unknownWord(product, "tls-version (release 8.1)", cfg.TLSVersion, "TLSv1", "TLS11", "TLS12", "compatibility")
		}
		versions = tlsver.SetOf(tlsver.TLS13)
	default:
		return policy.Server{}, unknownWord(product, "tls-version", cfg.TLSVersion, "tlsv1", "tlsv11", "tlsv12", "tlsv13", "TLS11", "TLS12", "compatibility")
	}
	return server("Oracle Communications SBC", ProfileOracle, mode, versions,
		[]string{"'mutual authentication' enabled: a client certificate is requested and verified, whether a missing one fails is not documented; TLS stack and extended key usage check not documented"},
		srcs...), nil
}
