package policy

import (
	"strconv"
	"strings"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/tlsver"
)

// This file holds the per-stack client-certificate rules. Each rule cites
// where it was verified; see ../shared/reference/stack-eku.md in the project
// notes and the interop truth suite (interop_test.go), which checks the
// OpenSSL, GnuTLS, Go and Java rules by real handshakes.

// Evidence for the stack rules.
var (
	evOpenSSL = Evidence{Source: "openssl crypto/x509/v3_purp.c check_purpose_ssl_client, x509_vfy.c check_extensions; ssl/statem/statem_lib.c x509table", Ref: "stack-eku.md OpenSSL 3.x; truth suite: openssl s_server 3.0"}
	evGo      = Evidence{Source: "Go crypto/tls handshake_server.go processCertsFromClient; crypto/x509 verify.go checkChainForKeyUsage", Ref: "stack-eku.md Go crypto/tls; truth suite: Go crypto/tls in-process"}
	evJava    = Evidence{Source: "OpenJDK sun/security/validator/EndEntityChecker.java checkTLSClient; Validator.validate (chain length > 1)", Ref: "stack-eku.md Java JSSE; truth suite: JDK SSLServerSocket"}
	evGnuTLS  = Evidence{Source: "gnutls src/serv.c cert_verify_callback (purpose from commit 6db6b503d, first tag 3.8.13); lib/x509/verify.c _gnutls_check_key_purpose", Ref: "stack-eku.md gnutls-serv; truth suite: gnutls-serv 3.7.9"}
	evGnuKU   = Evidence{Source: "gnutls lib/tls-sig.c _gnutls_check_key_usage_for_sig (GNUTLS_E_KEY_USAGE_VIOLATION)", Ref: "stack-eku.md GnuTLS KeyUsage; truth suite: gnutls-serv 3.7.9"}
	evNSS     = Evidence{Source: "nss lib/certdb/certdb.c cert_ComputeCertType, CERT_KeyUsageAndTypeForCertUsage; certvfy.c (CA not an SSL CA: SEC_ERROR_CA_CERT_INVALID); lib/ssl/ssl3con.c ssl3_SendAlertForCertError", Ref: "stack-eku.md NSS; truth suite: NSS 3.87 selfserv (TestNSSInterop)"}
	evMbed    = Evidence{Source: "mbedtls library/ssl_tls.c mbedtls_ssl_check_cert_usage (2.28 and 3.x alike); x509_crt.c mbedtls_x509_crt_check_extended_key_usage", Ref: "stack-eku.md Mbed TLS 3.x (source read); Mbed TLS interop suite: 2.28.3 library server, TLS 1.0-1.2 (TLS 1.3 not tested)"}
	evSchan   = Evidence{Source: "learn.microsoft.com HTTP_SERVICE_CONFIG_SSL_PARAM DefaultCertCheckMode (usage check on by default)", Ref: "stack-eku.md Schannel (documentation only; alerts not verified)"}
	evModes   = Evidence{Source: "stack-eku.md modelling guidance 1", Ref: "requested but not verified => any certificate accepted"}
)

// gnutlsPurposeFrom is the first gnutls-serv release that checks the client
// certificate's purpose.
var gnutlsPurposeFrom = [3]int{3, 8, 13}

// check is the result of one rule evaluation.
type check struct {
	effect Effect
	code   Code
	alert  Alert
	depth  int
	detail string
	ev     Evidence
}

func pass(code Code, ev Evidence) check { return check{effect: EffectInfo, code: code, ev: ev} }

// chainView is the client chain as the server sees it at the instant: the
// effective leaf (after renewals) and the CA certificates.
type chainView struct {
	leaf   *Cert
	cas    []Cert // above the leaf; the last is the anchor if complete
	known  CAs
	anchor bool // leaf is a trust anchor
	opaque bool // the certificate's contents are not known
}

func ekuDetail(c *Cert) string {
	if !c.HasEKU {
		return "no EKU"
	}
	var ps [16]eku.Purpose
	list := c.EKU.AppendTo(ps[:0])
	if len(list) == 0 && c.OtherEKUs > 0 {
		return "EKU: only unrecognised purposes"
	}
	switch len(list) {
	case 1:
		return ekuOnly[clampPurpose(list[0])]
	}
	var b strings.Builder
	b.WriteString("EKU: ")
	for i, p := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// ekuOnly holds precomputed "EKU: x" strings so the common single-purpose
// case does not allocate.
var ekuOnly = func() (t [64]string) {
	for p := 1; p < 64; p++ {
		t[p] = "EKU: " + eku.Purpose(p).String()
	}
	return t
}()

func clampPurpose(p eku.Purpose) int {
	if p >= 64 {
		return 0
	}
	return int(p)
}

// verifyRule applies stack st's verification of a received client chain
// (the server verifies: VerifyIfGiven or RequireAndVerify).
func verifyRule(st Stack, stVer string, v chainView) check {
	leaf := v.leaf
	switch st {
	case OpenSSL3:
		if leaf.HasEKU && !leaf.EKU.Has(eku.ClientAuth) {
			if leaf.EKU.Has(eku.Any) {
				return check{effect: EffectFail, code: CodeAnyEKUNotHonoured, alert: 43, detail: ekuDetail(leaf), ev: evOpenSSL}
			}
			return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 43, detail: ekuDetail(leaf), ev: evOpenSSL}
		}
		if leaf.HasKeyUsage && leaf.KeyUsage&(eku.KeyUsageDigitalSignature|eku.KeyUsageKeyAgreement) == 0 {
			return check{effect: EffectFail, code: CodeKeyUsageNoDigitalSignature, alert: 43, ev: evOpenSSL}
		}
		if leaf.HasNSCertType && leaf.NSCertType&NSCertTypeSSLClient == 0 {
			return check{effect: EffectFail, code: CodeNSCertTypeNotClient, alert: 43, ev: evOpenSSL}
		}
		return caRule(v, true, false, 43, evOpenSSL)
	case GoCryptoTLS:
		if leaf.HasEKU && !leaf.EKU.Has(eku.Any) && !leaf.EKU.Has(eku.ClientAuth) {
			return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 42, detail: ekuDetail(leaf), ev: evGo}
		}
		return caRule(v, true, true, 42, evGo)
	case JavaJSSE:
		if v.anchor {
			return pass(CodeLeafIsTrustAnchor, evJava)
		}
		if leaf.HasKeyUsage && leaf.KeyUsage&eku.KeyUsageDigitalSignature == 0 {
			return check{effect: EffectFail, code: CodeKeyUsageNoDigitalSignature, alert: 46, ev: evJava}
		}
		if leaf.HasEKU && !leaf.EKU.Has(eku.ClientAuth) && !leaf.EKU.Has(eku.Any) {
			return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 46, detail: ekuDetail(leaf), ev: evJava}
		}
		if leaf.HasNSCertType && leaf.NSCertType&NSCertTypeSSLClient == 0 {
			return check{effect: EffectFail, code: CodeNSCertTypeNotClient, alert: 46, ev: evJava}
		}
		return pass(CodeCertificateAccepted, evJava)
	case GnuTLS:
		ver, ok := parseDotted(stVer)
		if !ok {
			newer := gnutlsPurpose(v)
			if newer.effect == EffectInfo {
				return pass(CodeCertificateAccepted, evGnuTLS)
			}
			return check{effect: EffectUnknown, code: CodeStackVersionUnknown, detail: "gnutls-serv checks the clientAuth purpose only from 3.8.13; " + newer.code.String() + " from then on", ev: evGnuTLS}
		}
		if lessDotted(ver, gnutlsPurposeFrom) {
			return pass(CodeCertificateAccepted, evGnuTLS)
		}
		return gnutlsPurpose(v)
	case NSS:
		// Leaf: KeyUsage digitalSignature; EKU clientAuth or a Netscape
		// type with SSL client (either suffices; anyEKU does not count):
		// alert 46. CAs below the anchor must map to an SSL CA (serverAuth
		// or clientAuth EKU, or the Netscape SSL CA bit): alert 42. Every
		// cell of TestNSSInterop agrees on NSS 3.87 selfserv.
		if leaf.HasKeyUsage && leaf.KeyUsage&eku.KeyUsageDigitalSignature == 0 {
			return check{effect: EffectFail, code: CodeKeyUsageNoDigitalSignature, alert: 46, ev: evNSS}
		}
		if leaf.HasEKU || leaf.HasNSCertType {
			client := leaf.EKU.Has(eku.ClientAuth) || (leaf.HasNSCertType && leaf.NSCertType&NSCertTypeSSLClient != 0)
			if !client {
				switch {
				case leaf.EKU.Has(eku.Any):
					return check{effect: EffectFail, code: CodeAnyEKUNotHonoured, alert: 46, ev: evNSS}
				case leaf.HasEKU:
					return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 46, detail: ekuDetail(leaf), ev: evNSS}
				default:
					return check{effect: EffectFail, code: CodeNSCertTypeNotClient, alert: 46, ev: evNSS}
				}
			}
		}
		return nssCARule(v)
	case MbedTLS:
		// Leaf only: KeyUsage digitalSignature, EKU clientAuth or anyEKU;
		// CA EKUs and the Netscape type are ignored; alert 43 under
		// REQUIRED (OPTIONAL only sets flags: ClientAuthRequest). Every
		// cell of TestMbedTLSInterop agrees on 2.28.3; 3.x has the same
		// mbedtls_ssl_check_cert_usage, so no version split.
		if leaf.HasKeyUsage && leaf.KeyUsage&eku.KeyUsageDigitalSignature == 0 {
			return check{effect: EffectFail, code: CodeKeyUsageNoDigitalSignature, alert: 43, ev: evMbed}
		}
		if leaf.HasEKU && !leaf.EKU.Has(eku.ClientAuth) && !leaf.EKU.Has(eku.Any) {
			return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 43, detail: ekuDetail(leaf), ev: evMbed}
		}
		return pass(CodeCertificateAccepted, evMbed)
	case Schannel:
		if leaf.HasEKU && !leaf.EKU.Has(eku.ClientAuth) && !leaf.EKU.Has(eku.Any) {
			return check{effect: EffectFail, code: CodeEKULacksClientAuth, detail: ekuDetail(leaf), ev: evSchan}
		}
		if leaf.HasKeyUsage && leaf.KeyUsage&eku.KeyUsageDigitalSignature == 0 {
			return check{effect: EffectUnknown, code: CodeRuleNotVerified, detail: "KeyUsage without digitalSignature", ev: evSchan}
		}
		if leaf.HasNSCertType && leaf.NSCertType&NSCertTypeSSLClient == 0 {
			return check{effect: EffectUnknown, code: CodeRuleNotVerified, detail: "Netscape certificate type without SSL client", ev: evSchan}
		}
		return caRule(v, true, true, 0, evSchan)
	}
	return check{effect: EffectUnknown, code: CodeStackUnknown, detail: "no rules for " + st.String()}
}

// caRule applies "every CA certificate's EKU must allow clientAuth".
// withAnchor includes the trust anchor; anyOK honours anyExtendedKeyUsage.
func caRule(v chainView, withAnchor, anyOK bool, alert Alert, ev Evidence) check {
	switch v.known {
	case CAsPermitClientAuth:
		return pass(CodeCertificateAccepted, ev)
	case CAsUnknown:
		return check{effect: EffectUnknown, code: CodeCAsUnknown, ev: ev}
	}
	n := len(v.cas)
	if !withAnchor && n > 0 {
		n--
	}
	for i := 0; i < n; i++ {
		c := &v.cas[i]
		if c.HasEKU && !c.EKU.Has(eku.ClientAuth) && !(anyOK && c.EKU.Has(eku.Any)) {
			return check{effect: EffectFail, code: CodeCAEKULacksClientAuth, alert: alert, depth: i + 1, detail: ekuDetail(c), ev: ev}
		}
	}
	return pass(CodeCertificateAccepted, ev)
}

func gnutlsPurpose(v chainView) check {
	leaf := v.leaf
	if leaf.HasEKU && !leaf.EKU.Has(eku.ClientAuth) && !leaf.EKU.Has(eku.Any) {
		return check{effect: EffectFail, code: CodeEKULacksClientAuth, alert: 49, detail: ekuDetail(leaf), ev: evGnuTLS}
	}
	return caRule(v, false, false, 49, evGnuTLS)
}

// nssCARule applies NSS's CA check: every CA certificate below the trust
// anchor whose EKU or Netscape type is present must map to an SSL CA
// (serverAuth or clientAuth EKU, or the SSL CA bit; anyEKU does not count).
// NSS reports SEC_ERROR_CA_CERT_INVALID, sent as bad_certificate (42),
// observed with an anyEKU-only intermediate. The anchor is exempt: its
// client-CA trust ("T") decides, and anchors with EKU anyEKU-only or
// codeSigning-only passed (TestNSSInteropAnchors).
func nssCARule(v chainView) check {
	switch v.known {
	case CAsPermitClientAuth:
		return pass(CodeCertificateAccepted, evNSS)
	case CAsUnknown:
		return check{effect: EffectUnknown, code: CodeCAsUnknown, ev: evNSS}
	}
	for i := 0; i+1 < len(v.cas); i++ { // the anchor is exempt
		c := &v.cas[i]
		if c.HasEKU || c.HasNSCertType {
			sslCA := c.EKU.Has(eku.ServerAuth) || c.EKU.Has(eku.ClientAuth) || (c.HasNSCertType && c.NSCertType&NSCertTypeSSLCA != 0)
			if !sslCA {
				return check{effect: EffectFail, code: CodeCAEKULacksClientAuth, alert: 42, depth: i + 1, detail: ekuDetail(c), ev: evNSS}
			}
		}
	}
	return pass(CodeCertificateAccepted, evNSS)
}

// layerRule applies checks a stack makes on a received client certificate
// even when it does not verify it.
func layerRule(st Stack, v chainView) (check, bool) {
	if st == GnuTLS && v.leaf.HasKeyUsage && v.leaf.KeyUsage&eku.KeyUsageDigitalSignature == 0 {
		return check{effect: EffectFail, code: CodeKeyUsageNoDigitalSignature, alert: 80, ev: evGnuKU}, true
	}
	return check{}, false
}

// noCertAlert is the alert a stack sends when a required certificate is
// missing, as observed by the interop truth suites (OpenSSL 3.0, GnuTLS
// 3.7.9, Go, JDK 17, NSS 3.87); 0 where not observed.
func noCertAlert(st Stack, v tlsver.Version) Alert {
	tls13 := v == tlsver.TLS13
	switch st {
	case OpenSSL3, GoCryptoTLS:
		if tls13 {
			return 116 // certificate_required
		}
		return 40 // handshake_failure
	case JavaJSSE:
		return 42 // bad_certificate, also in TLS 1.3
	case GnuTLS:
		if tls13 {
			return 116
		}
		return 50 // decode_error (GnuTLS 3.7.9)
	case NSS:
		if tls13 {
			return 116
		}
		return 42 // bad_certificate (NSS 3.87 selfserv -r -r)
	}
	return 0
}

// versionAlert is the alert a stack sends when no version is shared, where
// verified; 0 otherwise.
func versionAlert(st Stack) Alert {
	switch st {
	case OpenSSL3, GoCryptoTLS, GnuTLS, JavaJSSE:
		return 70 // protocol_version (truth suite)
	case NSS:
		return 70 // protocol_version (NSS truth suite)
	}
	return 0
}

// parseDotted parses "3.8.13" (more components are ignored).
func parseDotted(s string) ([3]int, bool) {
	var out [3]int
	if s == "" {
		return out, false
	}
	for i := 0; i < 3 && s != ""; i++ {
		j := strings.IndexByte(s, '.')
		part := s
		if j >= 0 {
			part, s = s[:j], s[j+1:]
		} else {
			s = ""
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return out, false
		}
		out[i] = n
	}
	return out, true
}

func lessDotted(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
