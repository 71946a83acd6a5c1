package policy

import (
	"crypto/tls"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Built-in profile names (the Profile field of endpoints they return).
const (
	ProfileGenesysOutbound = "genesys-byoc-cloud-outbound"
	ProfileGenesysInbound  = "genesys-byoc-cloud-inbound"
	ProfileGenesysDVCP     = "genesys-dvcp-byoc"
	ProfileKamailio        = "kamailio-tls"
	ProfileOpenSIPS        = "opensips-tls_mgm"
	ProfileAsterisk        = "asterisk-res_pjsip"
	ProfileFreeSWITCH      = "freeswitch-sofia"
)

var (
	evGenesysAnnouncement = Evidence{Source: "https://help.mypurecloud.com/announcements/client-authentication-eku-support-removed-from-genesys-cloud-certificate/", Ref: "Genesys Cloud announcement 2025-12-15 (seeds 000_f70809d1d889c8f3.txt)"}
	genesysTrunkSpec      = "https://help.mypurecloud.com/articles/tls-trunk-transport-protocol-specification/ (TLS 1.2 only; mutual TLS not supported)"
	genesysRenewalPost    = "https://community.genesys.com/discussion/byoc-cloud-client-authentication-eku-removal-announcement-2026 (community post 2026-01-05: renewal the week of 2026-03-09; confidence high per ca-timeline.md section 3)"
	// genesysLeafAssumption marks what the Genesys profiles assume beyond
	// the documents.
	genesysLeafAssumption = "assumed, not documented by Genesys: KeyUsage digitalSignature+keyEncipherment (usual for public TLS certificates; every modelled stack accepts it); inferred from the announcement: the CA certificates do not restrict clientAuth (requesting endpoints 'appeared to work only because the certificates carried the EKU')"
)

// GenesysClientAuthCutover is the first instant at which Genesys Cloud BYOC
// Cloud certificates no longer carry clientAuth: "certificates issued after
// February 2026".
var GenesysClientAuthCutover = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// GenesysRenewal is the first day of the week Genesys announced for renewing
// the BYOC Cloud SIP endpoint certificates. Source: Genesys community post of
// 2026-01-05 (https://community.genesys.com/discussion/byoc-cloud-client-authentication-eku-removal-announcement-2026;
// confidence high in the project's ca-timeline.md, section 3). The post names
// a week, not a day: used as a renewal instant it is the earliest the renewal
// can happen. To model the uncertainty, set [Renewal.WindowDays] to
// [GenesysRenewalWindowDays]; [Evaluate] then answers Unknown inside the week
// where the renewal decides.
var GenesysRenewal = time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)

// GenesysRenewalWindowDays is the length of the announced renewal window
// ("the week of 2026-03-09").
const GenesysRenewalWindowDays = 7

// GenesysBYOCCloudOutbound returns Genesys Cloud BYOC Cloud on an outbound
// call: Genesys is the TLS client and presents its certificate. A
// certificate issued before March 2026 carries serverAuth and clientAuth, a
// later one serverAuth only. renewal is when the certificate in use is
// replaced (zero: not modelled; [GenesysRenewal] is the announced week).
//
// The CA certificates are not listed; that they do not restrict clientAuth
// is inferred from the announcement's statement that requesting endpoints
// "appeared to work only because the certificates carried the EKU". The
// leaf's KeyUsage (digitalSignature, keyEncipherment) is an assumption: no
// Genesys document states it (it does not change any modelled stack's
// answer). Both are marked in the endpoint's Evidence. TLS 1.2 only is from
// the Genesys TLS trunk specification.
func GenesysBYOCCloudOutbound(issued, renewal time.Time) Client {
	leaf := Cert{
		Subject: "Genesys Cloud BYOC Cloud SIP endpoint", HasEKU: true,
		EKU:         eku.PurposeSetOf(eku.ServerAuth, eku.ClientAuth),
		HasKeyUsage: true, KeyUsage: eku.KeyUsageDigitalSignature | eku.KeyUsageKeyEncipherment,
		NotBefore: issued.UTC(),
	}
	return Client{
		Name:     "Genesys Cloud BYOC Cloud (outbound)",
		Versions: tlsver.SetOf(tlsver.TLS12),
		Chain:    &Chain{Certs: []Cert{leaf}, CAs: CAsPermitClientAuth, CASource: "inferred from " + evGenesysAnnouncement.Source},
		Renewal: &Renewal{
			At: renewal.UTC(), DropsClientAuthFrom: GenesysClientAuthCutover,
			Source: evGenesysAnnouncement.Source + " (certificates issued after February 2026 lack clientAuth); renewal date: " + genesysRenewalPost,
		},
		Profile:  ProfileGenesysOutbound,
		Evidence: evGenesysAnnouncement.Source + "; " + genesysTrunkSpec + "; " + genesysRenewalPost + "; " + genesysLeafAssumption,
	}
}

// GenesysBYOCCloudInbound returns Genesys Cloud BYOC Cloud on an inbound call:
// Genesys is the TLS server and never requests a client certificate.
func GenesysBYOCCloudInbound() Server {
	return Server{
		Name: "Genesys Cloud BYOC Cloud (inbound)", Versions: tlsver.SetOf(tlsver.TLS12),
		ClientAuth: ClientAuthNone, Profile: ProfileGenesysInbound,
		Evidence: evGenesysAnnouncement.Source + " (BYOC Cloud does not request client certificates); " + genesysTrunkSpec,
	}
}

// GenesysDVCPOutbound returns a Genesys Dynamic Voice Cloud Platform BYOC
// endpoint as TLS client. The announcement says it is not affected by the
// clientAuth removal; its certificate's EKU is not documented, so a server
// that verifies client certificates gets an Unknown verdict. TLS 1.2 only is
// an assumption: the Genesys TLS trunk specification says so for BYOC Cloud
// trunks, and no document states DVCP's versions (marked in Evidence).
func GenesysDVCPOutbound() Client {
	return Client{
		Name: "Genesys Dynamic Voice Cloud Platform BYOC", Versions: tlsver.SetOf(tlsver.TLS12),
		Chain: &Chain{Opaque: true}, Profile: ProfileGenesysDVCP,
		Evidence: evGenesysAnnouncement.Source + " (DVCP endpoints already aligned, not affected); assumed, not documented for DVCP: TLS 1.2 only as in " + genesysTrunkSpec,
	}
}

// SBC returns a customer SBC or SIP server as a TLS server on stack st.
func SBC(name string, st Stack, mode ClientAuth, versions tlsver.Set) Server {
	return Server{Name: name, Stack: st, ClientAuth: mode, Versions: versions}
}

// OpenSSLMode maps an OpenSSL server's SSL_CTX_set_verify flags to a mode.
// callbackAcceptsAll reports a verify callback that returns 1 on errors
// (openssl s_server without -verify_return_error).
func OpenSSLMode(verifyPeer, failIfNoPeerCert, callbackAcceptsAll bool) ClientAuth {
	switch {
	case !verifyPeer:
		return ClientAuthNone
	case callbackAcceptsAll && failIfNoPeerCert:
		return ClientAuthRequireAny
	case callbackAcceptsAll:
		return ClientAuthRequest
	case failIfNoPeerCert:
		return ClientAuthRequireAndVerify
	}
	return ClientAuthVerifyIfGiven
}

// SServerMode maps openssl s_server's flags: flag is "", "-verify" or
// "-Verify".
func SServerMode(flag string, verifyReturnError bool) (ClientAuth, error) {
	switch flag {
	case "":
		return ClientAuthNone, nil
	case "-verify":
		return OpenSSLMode(true, false, !verifyReturnError), nil
	case "-Verify":
		return OpenSSLMode(true, true, !verifyReturnError), nil
	}
	return 0, errorf("unknown s_server flag %q", flag)
}

// GoMode maps a crypto/tls ClientAuthType.
func GoMode(t tls.ClientAuthType) ClientAuth {
	switch t {
	case tls.NoClientCert:
		return ClientAuthNone
	case tls.RequestClientCert:
		return ClientAuthRequest
	case tls.RequireAnyClientCert:
		return ClientAuthRequireAny
	case tls.VerifyClientCertIfGiven:
		return ClientAuthVerifyIfGiven
	case tls.RequireAndVerifyClientCert:
		return ClientAuthRequireAndVerify
	}
	return ClientAuthUnknown
}

// JavaMode maps SSLServerSocket setWantClientAuth/setNeedClientAuth with the
// default trust manager: a received certificate is always checked, so "want"
// is verify-if-given.
func JavaMode(want, need bool) ClientAuth {
	switch {
	case need:
		return ClientAuthRequireAndVerify
	case want:
		return ClientAuthVerifyIfGiven
	}
	return ClientAuthNone
}

// GnuTLSServMode maps gnutls-serv's flags (the default requests a
// certificate without verifying it).
func GnuTLSServMode(disableClientCert, requireClientCert, verifyClientCert bool) ClientAuth {
	switch {
	case disableClientCert:
		return ClientAuthNone
	case requireClientCert && verifyClientCert:
		return ClientAuthRequireAndVerify
	case requireClientCert:
		return ClientAuthRequireAny
	case verifyClientCert:
		return ClientAuthVerifyIfGiven
	}
	return ClientAuthRequest
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
	// makes the mode ClientAuthUnknown.
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
// rejected with alert 43. The project's ca-timeline.md ("What the library
// should encode", item 3) lists that combination as require-without-verify;
// the real server says otherwise, and this profile follows it. A client
// certificate from an issuer not in ca_list is rejected (alert 48) whenever
// the mode verifies; Evaluate has no input for trust and assumes a trusted
// chain.
func Kamailio(cfg KamailioTLS) Server {
	mode := ClientAuthUnknown
	switch cfg.VerifyClient {
	case "", "off":
		mode = OpenSSLMode(cfg.VerifyCertificate || cfg.RequireCertificate, cfg.RequireCertificate, false)
	case "on":
		mode = ClientAuthRequireAndVerify
	case "optional":
		mode = OpenSSLMode(true, cfg.RequireCertificate, false)
	case "optional_no_ca":
		mode = OpenSSLMode(true, cfg.RequireCertificate, true)
	}
	return Server{
		Name: "Kamailio", Stack: OpenSSL3, Versions: cfg.Versions,
		ClientAuth: mode,
		Profile:    ProfileKamailio,
		Evidence:   "kamailio src/modules/tls/tls_domain.c set_verification (require_certificate => SSL_VERIFY_PEER|SSL_VERIFY_FAIL_IF_NO_PEER_CERT, no verify callback); doc/params.xml (defaults off, confidence high)",
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
func OpenSIPS(cfg OpenSIPSTLS) Server {
	return Server{
		Name: "OpenSIPS", Stack: OpenSSL3, Versions: cfg.Versions,
		ClientAuth: OpenSSLMode(cfg.VerifyCert, cfg.VerifyCert && cfg.RequireCert, false),
		Profile:    ProfileOpenSIPS,
		Evidence:   "opensips modules/tls_mgm get_ssl_ctx_verify_mode (server domain: verify_cert => SSL_VERIFY_PEER, plus require_cert => SSL_VERIFY_FAIL_IF_NO_PEER_CERT); defaults version-dependent: the 2.x README says both 1 (confidence medium)",
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
func Asterisk(cfg AsteriskTransport) Server {
	return Server{
		Name: "Asterisk", Stack: OpenSSL3, Versions: cfg.Versions,
		ClientAuth: OpenSSLMode(true, cfg.RequireClientCert, !cfg.VerifyClient),
		Profile:    ProfileAsterisk,
		Evidence:   "asterisk res/res_pjsip/pjsip_config.xml (defaults false); pjlib src/pj/ssl_sock_ossl.c init (SSL_VERIFY_PEER) and verify_cb (returns 1 unless verify_peer)",
	}
}

// FreeSWITCH returns a FreeSWITCH sofia profile with the given
// tls-verify-policy ("none", "in", "out", "all", "subjects_in",
// "subjects_out", "subjects_all", "|"-separated). sofia-sip's tport_tls.c
// sets SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT for incoming
// verification and SSL_VERIFY_NONE otherwise.
func FreeSWITCH(tlsVerifyPolicy string, versions tlsver.Set) (Server, error) {
	in := false
	for _, p := range strings.Split(tlsVerifyPolicy, "|") {
		switch strings.ToLower(strings.TrimSpace(p)) {
		case "in", "all", "subjects_in", "subjects_all":
			in = true
		case "", "none", "out", "subjects_out":
		default:
			return Server{}, errorf("unknown tls-verify-policy value %q", p)
		}
	}
	return Server{
		Name: "FreeSWITCH", Stack: OpenSSL3, Versions: versions,
		ClientAuth: OpenSSLMode(in, in, false), Profile: ProfileFreeSWITCH,
		Evidence: "freeswitch sofia_glue_str2tls_verify_policy; sofia-sip tport_tls.c tls_init_context; conf/vanilla internal.xml (none)",
	}, nil
}

// Profiles backed by the tlsver matrix: their versions are looked up at the
// scenario's instant and protocol, with the data row as evidence.
const (
	ProfileUCCX        = "uccx"
	ProfileSocialMiner = "socialminer"
	ProfileSalesforce  = "salesforce"
	ProfileExchange    = "exchange"
)

// evNoClientCertNeeded is the inference that lets the Salesforce and
// Exchange profiles say "no client certificate required": the TechNote
// describes these integrations working over TLS 1.0 without one, and failing
// only by version.
const evNoClientCertNeeded = "003_5ab412ed6d46f488 (Cisco UCCX TLS TechNote): the integration worked over TLS 1.0 with no client certificate configured and fails only by TLS version; inferred: no client certificate is required"

// UCCXClient returns Cisco UCCX release as a TLS client (scripts, Finesse
// workflows and gadgets calling a third-party server). UCCX presents no
// client certificate.
func UCCXClient(release string) Client {
	return Client{Name: "UCCX " + release, Product: tlsver.UCCX, Release: release, Profile: ProfileUCCX}
}

// UCCXServer returns Cisco UCCX release as a TLS server (third-party
// applications calling UCCX APIs). Its client-certificate mode is not
// documented.
func UCCXServer(release string) Server {
	return Server{Name: "UCCX " + release, Product: tlsver.UCCX, Release: release, Profile: ProfileUCCX}
}

// SocialMinerClient returns Cisco SocialMiner release as a TLS client (for
// example e-mail campaigns against Exchange).
func SocialMinerClient(release string) Client {
	return Client{Name: "SocialMiner " + release, Product: tlsver.SocialMiner, Release: release, Profile: ProfileSocialMiner}
}

// SocialMinerServer returns Cisco SocialMiner release as a TLS server.
func SocialMinerServer(release string) Server {
	return Server{Name: "SocialMiner " + release, Product: tlsver.SocialMiner, Release: release, Profile: ProfileSocialMiner}
}

// Salesforce returns a Salesforce deployment ("production", "sandbox",
// "new") as a TLS server; its versions depend on the date.
func Salesforce(deployment string) Server {
	return Server{
		Name: "Salesforce " + deployment, Product: tlsver.Salesforce, Release: deployment,
		ClientAuth: ClientAuthNone, Profile: ProfileSalesforce, Evidence: evNoClientCertNeeded,
	}
}

// Exchange returns Microsoft Exchange ("2010", "2013", "2013+TLS1.2" for 2013
// with TLS 1.1/1.2 enabled) as a TLS server.
func Exchange(release string) Server {
	return Server{
		Name: "Exchange " + release, Product: tlsver.Exchange, Release: release,
		ClientAuth: ClientAuthNone, Profile: ProfileExchange, Evidence: evNoClientCertNeeded,
	}
}
