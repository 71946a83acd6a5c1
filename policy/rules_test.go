package policy_test

import (
	"crypto/tls"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// leaf is a client certificate with the given EKU (nil: no EKU extension)
// and KeyUsage (0: no KeyUsage extension).
func leaf(purposes []eku.Purpose, ku eku.KeyUsage) policy.Cert {
	c := policy.Cert{HasEKU: purposes != nil, EKU: eku.PurposeSetOf(purposes...)}
	if ku != 0 {
		c.HasKeyUsage, c.KeyUsage = true, ku
	}
	return c
}

var (
	ekuServer    = []eku.Purpose{eku.ServerAuth}
	ekuClient    = []eku.Purpose{eku.ClientAuth}
	ekuAny       = []eku.Purpose{eku.Any}
	kuDS         = eku.KeyUsageDigitalSignature
	kuKE         = eku.KeyUsageKeyEncipherment
	caServerOnly = policy.Cert{HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth), IsCA: true}
	rootNoEKU    = policy.Cert{IsCA: true}
)

// TestStackRules checks the rules of the stacks outside the main interop
// truth suite (NSS and Mbed TLS, whose own suites observed the cells noted
// in the reasons; Schannel) and the "unknown stack" rule, cell by cell,
// against the stacks' sources (cited in stack_*.go) and those observations. Each
// expectation is written from them, not computed.
func TestStackRules(t *testing.T) {
	tests := []struct {
		stack  policy.Stack
		certs  []policy.Cert
		want   policy.Verdict
		code   policy.Code
		alert  policy.Alert
		reason string
	}{
		{policy.NSS, []policy.Cert{leaf(ekuServer, kuDS), rootNoEKU}, policy.Fails, policy.CodeEKULacksClientAuth, 46, "NSS: serverAuth-only leaf maps to SSL_SERVER only -> SEC_ERROR_INADEQUATE_CERT_TYPE, alert 46 (3.87: server-only rejected, 46)"},
		{policy.NSS, []policy.Cert{leaf(ekuAny, kuDS), rootNoEKU}, policy.Fails, policy.CodeAnyEKUNotHonoured, 46, "NSS: anyEKU is not mapped to SSL_CLIENT (3.87: any-eku rejected, 46)"},
		{policy.NSS, []policy.Cert{leaf([]eku.Purpose{eku.ServerAuth, eku.Any}, kuDS), rootNoEKU}, policy.Fails, policy.CodeAnyEKUNotHonoured, 46, "NSS: serverAuth+anyEKU is still not SSL_CLIENT (3.87: server-any rejected, 46)"},
		{policy.NSS, []policy.Cert{leaf(ekuClient, kuKE), rootNoEKU}, policy.Fails, policy.CodeKeyUsageNoDigitalSignature, 46, "NSS: leaf SSLClient needs KU digitalSignature (3.87: SEC_ERROR_INADEQUATE_KEY_USAGE, 46)"},
		{policy.NSS, []policy.Cert{leaf(ekuClient, kuDS), caServerOnly, rootNoEKU}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "NSS: a serverAuth-only CA still gets SSL_CA (3.87: client-under-serverauth-int accepted)"},
		{policy.NSS, []policy.Cert{leaf(ekuClient, kuDS), {HasEKU: true, EKU: eku.PurposeSetOf(eku.Any), IsCA: true}, rootNoEKU}, policy.Fails, policy.CodeCAEKULacksClientAuth, 42, "NSS: an anyEKU-only intermediate is not an SSL CA -> SEC_ERROR_CA_CERT_INVALID, bad_certificate 42 (3.87: client-under-any-int)"},
		{policy.NSS, []policy.Cert{leaf(ekuClient, kuDS), {HasEKU: true, EKU: eku.PurposeSetOf(eku.CodeSigning), IsCA: true, HasNSCertType: true, NSCertType: policy.NSCertTypeSSLCA}, rootNoEKU}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "NSS: the Netscape SSL CA bit makes a codeSigning-only intermediate an SSL CA (3.87, TestNSSInteropAnchors)"},
		{policy.NSS, []policy.Cert{leaf(ekuClient, kuDS), {HasEKU: true, EKU: eku.PurposeSetOf(eku.Any), IsCA: true}}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "NSS: the trust anchor's EKU is not checked (3.87: anyEKU-only anchor with trust T accepted)"},
		{policy.NSS, []policy.Cert{leaf(nil, kuDS), rootNoEKU}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "NSS: no EKU and no NS ext -> SSL_CLIENT|SSL_SERVER (3.87: no-eku accepted)"},
		{policy.NSS, []policy.Cert{{HasEKU: true, EKU: eku.PurposeSetOf(eku.ClientAuth), HasKeyUsage: true, KeyUsage: kuDS, HasNSCertType: true, NSCertType: policy.NSCertTypeSSLServer}, rootNoEKU}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "NSS: EKU clientAuth and a Netscape type are ORed (3.87: nscerttype-server accepted)"},
		{policy.NSS, []policy.Cert{{HasKeyUsage: true, KeyUsage: kuDS, HasNSCertType: true, NSCertType: policy.NSCertTypeSSLServer}, rootNoEKU}, policy.Fails, policy.CodeNSCertTypeNotClient, 46, "NSS: no EKU, Netscape type SSL server only -> 46 (3.87, TestNSSInteropAnchors)"},
		{policy.MbedTLS, []policy.Cert{leaf(ekuServer, kuDS), rootNoEKU}, policy.Fails, policy.CodeEKULacksClientAuth, 43, "mbedTLS REQUIRED: EKU without clientAuth -> unsupported_certificate 43"},
		{policy.MbedTLS, []policy.Cert{leaf(ekuAny, kuDS), rootNoEKU}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "mbedTLS: anyEKU is OK"},
		{policy.MbedTLS, []policy.Cert{leaf(ekuClient, kuDS), caServerOnly, rootNoEKU}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "mbedTLS: CA EKUs are not checked"},
		{policy.MbedTLS, []policy.Cert{leaf(ekuClient, kuKE), rootNoEKU}, policy.Fails, policy.CodeKeyUsageNoDigitalSignature, 43, "mbedTLS: client certs need KU digitalSignature"},
		{policy.MbedTLS, []policy.Cert{leaf(nil, kuDS), rootNoEKU}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "mbedTLS: no EKU means no restriction (2.28.3: no-eku accepted)"},
		{policy.MbedTLS, []policy.Cert{leaf([]eku.Purpose{eku.ServerAuth, eku.Any}, kuDS), rootNoEKU}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "mbedTLS: serverAuth+anyEKU passes (2.28.3: server-any accepted)"},
		{policy.MbedTLS, []policy.Cert{leaf([]eku.Purpose{eku.CodeSigning}, kuDS), rootNoEKU}, policy.Fails, policy.CodeEKULacksClientAuth, 43, "mbedTLS: codeSigning-only leaf -> 43 (2.28.3: code-signing rejected)"},
		{policy.MbedTLS, []policy.Cert{{HasEKU: true, EKU: eku.PurposeSetOf(eku.ClientAuth), HasKeyUsage: true, KeyUsage: kuDS, HasNSCertType: true, NSCertType: policy.NSCertTypeSSLServer}, rootNoEKU}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "mbedTLS: the Netscape type is not checked (2.28.3: nscerttype-server accepted)"},
		{policy.MbedTLS, []policy.Cert{leaf(ekuClient, kuDS), {HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth), IsCA: true}}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "mbedTLS: a serverAuth-only root is not checked (2.28.3: client-under-serverauth-root accepted)"},
		{policy.MbedTLS, []policy.Cert{leaf(ekuClient, eku.KeyUsageKeyAgreement), rootNoEKU}, policy.Fails, policy.CodeKeyUsageNoDigitalSignature, 43, "mbedTLS: keyAgreement does not stand in for digitalSignature (unlike OpenSSL)"},
		{policy.Schannel, []policy.Cert{leaf(ekuServer, kuDS), rootNoEKU}, policy.Fails, policy.CodeEKULacksClientAuth, 0, "HTTP.sys usage check is on by default; the alert is not verified"},
		{policy.Schannel, []policy.Cert{leaf(ekuClient, kuKE), rootNoEKU}, policy.Unknown, policy.CodeRuleNotVerified, 0, "Schannel's KeyUsage rule is not documented"},
		{policy.Schannel, []policy.Cert{leaf(ekuClient, kuDS), caServerOnly, rootNoEKU}, policy.Fails, policy.CodeCAEKULacksClientAuth, 0, "CryptoAPI intersects EKUs along the chain"},
		{policy.UnknownStack, []policy.Cert{leaf(ekuClient, kuDS), rootNoEKU}, policy.Succeeds, policy.CodeCertificateAccepted, 0, "every modelled stack accepts clientAuth+digitalSignature under an unrestricted root"},
		{policy.UnknownStack, []policy.Cert{leaf(ekuServer, kuDS), rootNoEKU}, policy.Unknown, policy.CodeStackUnknown, 0, "GnuTLS before 3.8.13 accepts a serverAuth-only leaf; the others reject it"},
		{policy.UnknownStack, []policy.Cert{leaf(ekuAny, kuDS), rootNoEKU}, policy.Unknown, policy.CodeStackUnknown, 0, "anyEKU splits the stacks: OpenSSL and NSS reject, Go, Java, mbedTLS accept"},
	}
	for _, tc := range tests {
		t.Run(tc.stack.String()+"/"+tc.reason, func(t *testing.T) {
			s := policy.Scenario{
				Client: policy.Client{Name: "client", Versions: tlsver.SetOf(tlsver.TLS12), Chain: &policy.Chain{Certs: tc.certs, CAs: policy.CAsComplete}},
				Server: products.SBC("server", tc.stack, policy.ClientAuthRequireAndVerify, tlsver.SetOf(tlsver.TLS12)),
			}
			o := policy.Evaluate(s)
			if o.Verdict != tc.want || !o.Has(tc.code) || o.Alert != tc.alert {
				t.Errorf("Evaluate on %s = %v, alert %d, want %v with %v, alert %d (%s)\n%s", tc.stack, o.Verdict, o.Alert, tc.want, tc.code, tc.alert, tc.reason, o.Explain())
			}
		})
	}
}

// TestProfileModes checks that each SIP server's configuration words map to
// the mode its source sets (expectations from the source excerpts cited in
// the profiles, not from the mapping functions).
func TestProfileModes(t *testing.T) {
	fsIn, err := products.FreeSWITCH("subjects_in|out", 0)
	if err != nil {
		t.Fatal(err)
	}
	fsNone, err := products.FreeSWITCH("none", 0)
	if err != nil {
		t.Fatal(err)
	}
	sNone, _ := policy.SServerMode("", false)
	sVerify, _ := policy.SServerMode("-verify", false)
	sVerifyErr, _ := policy.SServerMode("-verify", true)
	sVErr, _ := policy.SServerMode("-Verify", true)
	tests := []struct {
		name   string
		got    policy.ClientAuthMode
		want   policy.ClientAuthMode
		reason string
	}{
		{"kamailio defaults", products.Kamailio(products.KamailioTLS{}).ClientAuth, policy.ClientAuthNone, "verify_certificate=0, require_certificate=0 -> SSL_VERIFY_NONE (Kamailio 5.6.3: no CertificateRequest)"},
		{"kamailio verify", products.Kamailio(products.KamailioTLS{VerifyCertificate: true}).ClientAuth, policy.ClientAuthVerifyIfGiven, "verify_certificate alone -> SSL_VERIFY_PEER, no callback (Kamailio 5.6.3: no certificate accepted, a bad one alert 43)"},
		{"kamailio require", products.Kamailio(products.KamailioTLS{RequireCertificate: true}).ClientAuth, policy.ClientAuthRequireAndVerify, "require_certificate -> PEER|FAIL_IF_NO_PEER_CERT whatever verify_certificate says (Kamailio 5.6.3: serverAuth-only leaf alert 43)"},
		{"kamailio verify+require", products.Kamailio(products.KamailioTLS{VerifyCertificate: true, RequireCertificate: true}).ClientAuth, policy.ClientAuthRequireAndVerify, "both on -> PEER|FAIL_IF_NO_PEER_CERT (Kamailio 5.6.3: no certificate alert 116 / 40)"},
		{"kamailio verify_client on", products.Kamailio(products.KamailioTLS{VerifyClient: "on"}).ClientAuth, policy.ClientAuthRequireAndVerify, "verify_client=on requires and verifies whatever the rest says (Kamailio 5.6.3)"},
		{"kamailio verify_client optional", products.Kamailio(products.KamailioTLS{VerifyClient: "optional"}).ClientAuth, policy.ClientAuthVerifyIfGiven, "verify_client=optional: SSL_VERIFY_PEER (Kamailio 5.6.3)"},
		{"kamailio verify_client optional+require", products.Kamailio(products.KamailioTLS{VerifyClient: "optional", RequireCertificate: true}).ClientAuth, policy.ClientAuthRequireAndVerify, "require_certificate still makes it mandatory (Kamailio 5.6.3)"},
		{"kamailio verify_client optional_no_ca", products.Kamailio(products.KamailioTLS{VerifyClient: "optional_no_ca", VerifyCertificate: true}).ClientAuth, policy.ClientAuthRequest, "verify_callback_unconditional_success accepts any certificate (Kamailio 5.6.3)"},
		{"kamailio verify_client optional_no_ca+require", products.Kamailio(products.KamailioTLS{VerifyClient: "optional_no_ca", RequireCertificate: true}).ClientAuth, policy.ClientAuthRequireAny, "mandatory but not verified (Kamailio 5.6.3: no certificate alert 40/116, serverAuth-only accepted)"},
		{"kamailio verify_client unknown word", products.Kamailio(products.KamailioTLS{VerifyClient: "maybe"}).ClientAuth, policy.ClientAuthUnknown, "not a Kamailio value: unknown"},
		{"opensips zero value", products.OpenSIPS(products.OpenSIPSTLS{}).ClientAuth, policy.ClientAuthNone, "verify_cert=0 -> SSL_VERIFY_NONE"},
		{"opensips 2.x defaults", products.OpenSIPS(products.OpenSIPS2xDefaults(0)).ClientAuth, policy.ClientAuthRequireAndVerify, "2.x README: both 1 -> PEER|FAIL_IF_NO_PEER_CERT"},
		{"opensips require only", products.OpenSIPS(products.OpenSIPSTLS{RequireCert: true}).ClientAuth, policy.ClientAuthNone, "require_cert counts only together with verify_cert"},
		{"opensips verify only", products.OpenSIPS(products.OpenSIPSTLS{VerifyCert: true}).ClientAuth, policy.ClientAuthVerifyIfGiven, "verify_cert alone -> SSL_VERIFY_PEER"},
		{"asterisk defaults", products.Asterisk(products.AsteriskTransport{}).ClientAuth, policy.ClientAuthRequest, "PJSIP always sets SSL_VERIFY_PEER; verify_cb accepts unless verify_client"},
		{"asterisk require", products.Asterisk(products.AsteriskTransport{RequireClientCert: true}).ClientAuth, policy.ClientAuthRequireAny, "require_client_cert adds FAIL_IF_NO_PEER_CERT; still no verification"},
		{"asterisk verify+require", products.Asterisk(products.AsteriskTransport{VerifyClient: true, RequireClientCert: true}).ClientAuth, policy.ClientAuthRequireAndVerify, "verify_client makes verify_cb keep OpenSSL's result"},
		{"freeswitch none", fsNone.ClientAuth, policy.ClientAuthNone, "tls-verify-policy none -> SSL_VERIFY_NONE"},
		{"freeswitch subjects_in|out", fsIn.ClientAuth, policy.ClientAuthRequireAndVerify, "incoming verification -> PEER|FAIL_IF_NO_PEER_CERT"},
		{"s_server none", sNone, policy.ClientAuthNone, "no -verify flag"},
		{"s_server -verify", sVerify, policy.ClientAuthRequest, "the apps' verify_callback returns 1 without -verify_return_error"},
		{"s_server -verify -verify_return_error", sVerifyErr, policy.ClientAuthVerifyIfGiven, "SSL_VERIFY_PEER with errors returned"},
		{"s_server -Verify -verify_return_error", sVErr, policy.ClientAuthRequireAndVerify, "adds FAIL_IF_NO_PEER_CERT"},
		{"go RequestClientCert", policy.GoMode(tls.RequestClientCert), policy.ClientAuthRequest, "mode 1 verifies nothing"},
		{"go unknown", policy.GoMode(tls.ClientAuthType(99)), policy.ClientAuthUnknown, "out of range"},
		{"java want", policy.JavaMode(true, false), policy.ClientAuthVerifyIfGiven, "want still checks a received certificate"},
		{"gnutls-serv default", policy.GnuTLSServMode(false, false, false), policy.ClientAuthRequest, "gnutls-serv requests by default without verifying"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: mode %v, want %v (%s)", tc.name, tc.got, tc.want, tc.reason)
		}
	}
	if _, err := products.FreeSWITCH("sometimes", 0); err == nil {
		t.Errorf("FreeSWITCH(sometimes) = nil error, want an error")
	}
	if _, err := policy.SServerMode("-verifyy", false); err == nil {
		t.Errorf("SServerMode(-verifyy) = nil error, want an error")
	}
	for _, p := range []policy.Server{products.OpenSIPS(products.OpenSIPSTLS{})} {
		if !strings.Contains(p.Evidence.String(), "version-dependent") {
			t.Errorf("%s evidence does not flag the version-dependent default: %q", p.Profile, p.Evidence)
		}
	}
}

// TestZeroAndOddInputs: a zero Scenario and out-of-range enumerations give
// Unknown with a finding that says what is missing, never a panic.
func TestZeroAndOddInputs(t *testing.T) {
	o := policy.Evaluate(policy.Scenario{})
	if o.Verdict != policy.Unknown || !o.Has(policy.CodeVersionsUnknown) || !o.Has(policy.CodeClientAuthUnknown) {
		t.Errorf("Evaluate(zero Scenario) = %v, want unknown with versions-unknown and client-auth-unknown\n%s", o.Verdict, o.Explain())
	}
	if o.Alert != 0 || o.Version != 0 {
		t.Errorf("Evaluate(zero Scenario): alert %d, version %v, want none", o.Alert, o.Version)
	}
	odd := []policy.Scenario{
		{Server: policy.Server{Stack: 200, ClientAuth: 200, Versions: tlsver.SetOf(tlsver.TLS12)}, Client: policy.Client{Versions: tlsver.SetOf(tlsver.TLS12)}},
		{Client: policy.Client{Chain: &policy.Chain{}}},                                  // no certificates, not opaque
		{Client: policy.Client{Chain: &policy.Chain{Opaque: true}}},                      // a certificate of unknown contents
		{Client: policy.Client{Renewal: &policy.Renewal{EveryDays: -5, WindowDays: -1}}}, // renewal without chain
		{Client: policy.Client{Product: "UCCX", Release: "nonsense"}, Server: policy.Server{Product: "nobody"}},
		{Client: policy.Client{Chain: &policy.Chain{Certs: []policy.Cert{{}}}, Renewal: &policy.Renewal{At: time.Unix(1, 0), EveryDays: 1, WindowDays: 3}}, At: time.Unix(1e9, 0)},
	}
	for i, s := range odd {
		o := policy.Evaluate(s, nil, policy.WithChecks(nil))
		if o.Verdict == policy.VerdictUnset || len(o.Findings()) == 0 {
			t.Errorf("odd scenario %d: verdict %v with %d findings", i, o.Verdict, len(o.Findings()))
		}
		_ = o.Explain()
		if _, err := json.Marshal(o); err != nil {
			t.Errorf("odd scenario %d: json.Marshal: %v", i, err)
		}
	}
	// An empty, non-opaque chain is an empty Certificate message.
	s := policy.Scenario{Client: policy.Client{Versions: tlsver.SetOf(tlsver.TLS12), Chain: &policy.Chain{}},
		Server: products.SBC("s", policy.GoCryptoTLS, policy.ClientAuthRequireAndVerify, tlsver.SetOf(tlsver.TLS12))}
	if o := policy.Evaluate(s); o.Verdict != policy.Fails || !o.Has(policy.CodeNoClientCertificate) || o.Alert != 40 {
		t.Errorf("empty chain against Go mode 4 on TLS 1.2 = %v alert %d, want fails, no-client-certificate, alert 40\n%s", o.Verdict, o.Alert, o.Explain())
	}
	var zero policy.Outcome
	if zero.Verdict != policy.VerdictUnset || len(zero.Findings()) != 0 || zero.Explain() != "unset\n" {
		t.Errorf("zero Outcome: %v %d %q", zero.Verdict, len(zero.Findings()), zero.Explain())
	}
	if got := policy.Timeline(policy.Scenario{}, time.Unix(10, 0), time.Unix(5, 0)); got != nil {
		t.Errorf("Timeline with to before from = %v, want nil", got)
	}
}

// TestRenewalWindow: inside the announced week the answer is Unknown, before
// and after it definite.
func TestRenewalWindow(t *testing.T) {
	c := products.GenesysBYOCCloudOutbound(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), products.GenesysRenewal)
	c.Renewal.WindowDays = products.GenesysRenewalWindowDays
	srv := products.SBC("SBC", policy.OpenSSL3, policy.ClientAuthRequireAndVerify, tlsver.SetOf(tlsver.TLS12))
	for _, tc := range []struct {
		at   time.Time
		want policy.Verdict
		code policy.Code
	}{
		{time.Date(2026, 3, 8, 23, 0, 0, 0, time.UTC), policy.Succeeds, policy.CodeRenewalDropsClientAuth},
		{time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC), policy.Unknown, policy.CodeRenewalWindow},
		{time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC), policy.Fails, policy.CodeEKULacksClientAuth},
	} {
		o := policy.Evaluate(policy.Scenario{Client: c, Server: srv, At: tc.at})
		if o.Verdict != tc.want || !o.Has(tc.code) {
			t.Errorf("at %s: %v, want %v with %v\n%s", tc.at.Format(time.RFC3339), o.Verdict, tc.want, tc.code, o.Explain())
		}
	}
}

var docCodeLine = regexp.MustCompile(`(?m)^//\t([a-z0-9-]+) +(.+)$`)

// TestDocCodesTable checks that the finding-code table in doc.go lists
// every code, in order, with the text of Code.Doc.
func TestDocCodesTable(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "# Finding codes")
	if !ok {
		t.Fatal("doc.go has no '# Finding codes' section")
	}
	var got []string
	for _, m := range docCodeLine.FindAllStringSubmatch(table, -1) {
		got = append(got, m[1]+" "+m[2])
	}
	var want []string
	for _, c := range policy.Codes() {
		want = append(want, c.String()+" "+c.Doc())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("doc.go finding codes table:\n%s\nwant (from Codes()):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
