package products

import (
	"strings"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// SBC returns a customer SBC or SIP server as a TLS server on stack st.
func SBC(name string, st policy.Stack, mode policy.ClientAuthMode, versions tlsver.Set) policy.Server {
	return policy.Server{Name: name, Stack: st, ClientAuth: mode, Versions: versions}
}

// KamailioTLS holds the Kamailio tls module parameters of a server domain
// (tls.cfg [server:...] or modparam). The zero value is Kamailio's default
// (verify_certificate and require_certificate off, verify_client off).
// Versions is what the domain's method enables ([KamailioMethod] maps the
// method words).
type KamailioTLS struct {
	// VerifyCertificate is verify_certificate.
	VerifyCertificate bool
	// RequireCertificate is require_certificate.
	RequireCertificate bool
	// VerifyClient is verify_client (Kamailio 5.6): "" or "off" (the
	// default), "on", "optional" or "optional_no_ca". Any other value
	// makes the mode policy.ClientAuthUnknown.
	VerifyClient string
	// Versions are the versions the domain's method enables.
	Versions tlsver.Set
}

// Kamailio returns a Kamailio TLS server. Kamailio's set_verification
// (src/modules/tls/tls_domain.c) sets SSL_VERIFY_PEER |
// SSL_VERIFY_FAIL_IF_NO_PEER_CERT when require_certificate is on, whatever
// verify_certificate says, SSL_VERIFY_PEER for verify_certificate alone, and
// installs no verify callback (SSL_CTX_set_verify(ctx, mode, 0)), so OpenSSL's
// verification decides. verify_client, observed on Kamailio 5.6.3: "on"
// requires and verifies whatever the other two say; "optional" requests and
// verifies (require_certificate still makes the certificate mandatory);
// "optional_no_ca" requests a certificate and accepts any
// (verify_callback_unconditional_success), mandatory only with
// require_certificate.
//
// Verified against a real Kamailio 5.6.3 (Debian kamailio-tls-modules,
// OpenSSL 3.0) by the Kamailio interop suite (kamailio_interop_test.go):
// all four verify_certificate × require_certificate combinations with
// methods TLSv1.2 and TLSv1.2+, and each with verify_client on, optional and
// optional_no_ca; TLS 1.2 and TLS 1.3 clients, every testpki client
// certificate variant and none; every cell agrees with [Evaluate], alerts
// included (43 for a certificate OpenSSL rejects, 116 / 40 for a missing
// required one). In particular require_certificate=1 with
// verify_certificate=0 does verify: a serverAuth-only certificate is
// rejected with alert 43 (some write-ups list that combination as
// require-without-verify; the real server says otherwise, and this profile
// follows it). A client
// certificate from an issuer not in ca_list is rejected (alert 48) whenever
// the mode verifies; Evaluate has no input for trust and assumes a trusted
// chain.
func Kamailio(cfg KamailioTLS) policy.Server {
	mode := policy.ClientAuthUnknown
	switch cfg.VerifyClient {
	case "", "off":
		mode = policy.OpenSSLMode(cfg.VerifyCertificate || cfg.RequireCertificate, cfg.RequireCertificate, false)
	case "on":
		mode = policy.ClientAuthRequireAndVerify
	case "optional":
		mode = policy.OpenSSLMode(true, cfg.RequireCertificate, false)
	case "optional_no_ca":
		mode = policy.OpenSSLMode(true, cfg.RequireCertificate, true)
	}
	return policy.Server{
		Name: "Kamailio", Stack: policy.OpenSSL3, Versions: cfg.Versions,
		ClientAuth: mode,
		Profile:    ProfileKamailio,
		Evidence: policy.Cite(
			policy.Source{Kind: policy.SourceCode, Locator: "kamailio/kamailio@5.6.3:src/modules/tls/tls_domain.c", Ref: "set_verification (require_certificate => SSL_VERIFY_PEER|SSL_VERIFY_FAIL_IF_NO_PEER_CERT, no verify callback)"},
			policy.Source{Kind: policy.SourceDocs, Locator: "https://www.kamailio.org/docs/modules/5.6.x/modules/tls.html", Ref: "verify_certificate, require_certificate, verify_client (defaults off)"},
			policy.Source{Kind: policy.SourceInterop, Locator: "policy/kamailio_interop_test.go:TestKamailioInterop", Ref: "Kamailio 5.6.3 with OpenSSL 3.0"}),
	}
}

// KamailioMethod returns the versions a Kamailio 5.6 tls.cfg method (or
// modparam "tls_method") value enables: "TLSv1" (or "TLSv1.0"), "TLSv1.1"
// and "TLSv1.2" enable that version alone, a trailing "+" ("TLSv1.2+") that
// version and every later one the OpenSSL library has, TLS 1.3 included.
// "TLSv1.2" and "TLSv1.2+" are verified against Kamailio 5.6.3 with OpenSSL
// 3.0 by the Kamailio interop suite; the older words follow the same
// pattern but are not run (below TLS 1.2 OpenSSL 3's security level also
// matters). Kamailio 5.6.3 has no TLS 1.3-only method: it refuses to start
// with "TLSv1.3" (Unsupported enum value), so "TLSv1.3" and "TLSv1.3+" are
// errors here. "SSLv23", "SSLv3" and "SSLv2" are errors too: the versions
// they enable depend on the OpenSSL build and are not modelled; give
// Versions directly.
func KamailioMethod(method string) (tlsver.Set, error) {
	m := strings.TrimSpace(method)
	plus := strings.HasSuffix(m, "+")
	var v tlsver.Version
	switch strings.TrimSuffix(m, "+") {
	case "TLSv1", "TLSv1.0":
		v = tlsver.TLS10
	case "TLSv1.1":
		v = tlsver.TLS11
	case "TLSv1.2":
		v = tlsver.TLS12
	case "TLSv1.3":
		return 0, errorf("Kamailio tls method %q: Kamailio 5.6.3 does not accept it (TLS 1.3 comes with \"TLSv1.2+\")", method)
	default:
		return 0, errorf("unknown or unmodelled Kamailio tls method %q", method)
	}
	if plus {
		return tlsver.Range(v, tlsver.TLS13), nil
	}
	return tlsver.SetOf(v), nil
}

// OpenSIPSTLS holds OpenSIPS tls_mgm verify_cert / require_cert of a server
// domain. The zero value is both off, which is NOT OpenSIPS's documented
// default: the 2.x README says "Default value for both is 1" (server side),
// and newer versions may differ (medium confidence). Use
// [OpenSIPS2xDefaults] for the 2.x defaults, or set both explicitly.
type OpenSIPSTLS struct {
	VerifyCert  bool
	RequireCert bool
	Versions    tlsver.Set
}

// OpenSIPS2xDefaults returns the server-domain settings the OpenSIPS 2.x
// tls_mgm README documents as defaults (verify_cert=1, require_cert=1). They
// are version-dependent: check the README of the version in use.
func OpenSIPS2xDefaults(versions tlsver.Set) OpenSIPSTLS {
	return OpenSIPSTLS{VerifyCert: true, RequireCert: true, Versions: versions}
}

// OpenSIPS returns an OpenSIPS TLS server: verify_cert sets SSL_VERIFY_PEER,
// require_cert adds SSL_VERIFY_FAIL_IF_NO_PEER_CERT only together with
// verify_cert (tls_mgm get_ssl_ctx_verify_mode).
func OpenSIPS(cfg OpenSIPSTLS) policy.Server {
	return policy.Server{
		Name: "OpenSIPS", Stack: policy.OpenSSL3, Versions: cfg.Versions,
		ClientAuth: policy.OpenSSLMode(cfg.VerifyCert, cfg.VerifyCert && cfg.RequireCert, false),
		Profile:    ProfileOpenSIPS,
		Evidence: policy.Cite(
			policy.Source{Kind: policy.SourceDocs, Locator: "https://opensips.org/html/docs/modules/2.4.x/tls_mgm.html", Ref: "verify_cert, require_cert (2.x: default 1 for both; version-dependent)"},
			policy.Source{Kind: policy.SourceCode, Locator: "OpenSIPS/opensips@2.4.11:modules/tls_mgm", Ref: "get_ssl_ctx_verify_mode (verify_cert => SSL_VERIFY_PEER, plus require_cert => SSL_VERIFY_FAIL_IF_NO_PEER_CERT)"}),
	}
}

// AsteriskTransport holds res_pjsip transport options (pjsip.conf). The zero
// value is Asterisk's default (both false).
type AsteriskTransport struct {
	VerifyClient      bool
	RequireClientCert bool
	Versions          tlsver.Set
}

// Asterisk returns an Asterisk res_pjsip TLS transport. PJSIP's OpenSSL
// backend (pjlib ssl_sock_ossl.c) always sets SSL_VERIFY_PEER on a server,
// adds SSL_VERIFY_FAIL_IF_NO_PEER_CERT for require_client_cert, and its verify
// callback accepts every certificate unless verify_client is on. So the
// default transport sends a CertificateRequest but accepts any certificate.
func Asterisk(cfg AsteriskTransport) policy.Server {
	return policy.Server{
		Name: "Asterisk", Stack: policy.OpenSSL3, Versions: cfg.Versions,
		ClientAuth: policy.OpenSSLMode(true, cfg.RequireClientCert, !cfg.VerifyClient),
		Profile:    ProfileAsterisk,
		Evidence: policy.Cite(
			policy.Source{Kind: policy.SourceCode, Locator: "asterisk/asterisk@20.0.0:res/res_pjsip/pjsip_config.xml", Ref: "verify_client, require_client_cert (defaults false)"},
			policy.Source{Kind: policy.SourceCode, Locator: "pjsip/pjproject@2.13:pjlib/src/pj/ssl_sock_ossl.c", Ref: "init (SSL_VERIFY_PEER) and verify_cb (returns 1 unless verify_peer)"}),
	}
}

// FreeSWITCH returns a FreeSWITCH sofia profile with the given
// tls-verify-policy ("none", "in", "out", "all", "subjects_in",
// "subjects_out", "subjects_all", "|"-separated). sofia-sip's tport_tls.c
// sets SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT for incoming
// verification and SSL_VERIFY_NONE otherwise.
func FreeSWITCH(tlsVerifyPolicy string, versions tlsver.Set) (policy.Server, error) {
	in := false
	for _, p := range strings.Split(tlsVerifyPolicy, "|") {
		switch strings.ToLower(strings.TrimSpace(p)) {
		case "in", "all", "subjects_in", "subjects_all":
			in = true
		case "", "none", "out", "subjects_out":
		default:
			return policy.Server{}, errorf("unknown tls-verify-policy value %q", p)
		}
	}
	return policy.Server{
		Name: "FreeSWITCH", Stack: policy.OpenSSL3, Versions: versions,
		ClientAuth: policy.OpenSSLMode(in, in, false), Profile: ProfileFreeSWITCH,
		Evidence: policy.Cite(
			policy.Source{Kind: policy.SourceCode, Locator: "signalwire/freeswitch@v1.10.11:src/mod/endpoints/mod_sofia/sofia_glue.c", Ref: "sofia_glue_str2tls_verify_policy"},
			policy.Source{Kind: policy.SourceCode, Locator: "freeswitch/sofia-sip@v1.13.17:libsofia-sip-ua/tport/tport_tls.c", Ref: "tls_init_context"},
			policy.Source{Kind: policy.SourceCode, Locator: "signalwire/freeswitch@v1.10.11:conf/vanilla/sip_profiles/internal.xml", Ref: "tls-verify-policy none"}),
	}, nil
}
