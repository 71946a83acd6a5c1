package policy

import (
	"github.com/tlscompat/tlscompat/eku"
)

// Mozilla NSS with the default SSL_AuthCertificate hook (NSS 3.87 selfserv
// tested).
//
// Verify: the leaf's KeyUsage, when present, needs digitalSignature; its EKU
// must list clientAuth or its Netscape type SSL client (either suffices;
// anyEKU does not count): certificate_unknown (46). CA certificates below
// the anchor must map to an SSL CA (serverAuth or clientAuth EKU, or the
// Netscape SSL CA bit); otherwise SEC_ERROR_CA_CERT_INVALID, sent as
// bad_certificate (42). The anchor is exempt: its client-CA trust decides.
//
// Alerts: missing required certificate bad_certificate 42 (TLS 1.2) or 116
// (TLS 1.3); no common version 70; untrusted issuer not observed.
// Negotiation: not modelled by tlsver (tried with every candidate).
var nssRules = stackRules{
	name: "nss", title: "NSS",
	verify:       nssVerify,
	noCertAlert:  tls13Or(116, 42),
	versionAlert: protocolVersionAlert,
	evidence:     evNSS,
}

var evNSS = Cite(
	Source{Kind: SourceCode, Locator: "nss-dev/nss@NSS_3_87_RTM:lib/certdb/certdb.c", Ref: "cert_ComputeCertType, CERT_KeyUsageAndTypeForCertUsage"},
	Source{Kind: SourceCode, Locator: "nss-dev/nss@NSS_3_87_RTM:lib/certhigh/certvfy.c", Ref: "CA not an SSL CA: SEC_ERROR_CA_CERT_INVALID"},
	Source{Kind: SourceCode, Locator: "nss-dev/nss@NSS_3_87_RTM:lib/ssl/ssl3con.c", Ref: "ssl3_SendAlertForCertError"},
	srcNSSSuite,
)

func nssVerify(_ string, v chainView) check {
	leaf := &v.leaf
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
}

// nssCARule applies NSS's CA check: every CA certificate below the trust
// anchor whose EKU or Netscape type is present must map to an SSL CA
// (serverAuth or clientAuth EKU, or the SSL CA bit; anyEKU does not count).
// Observed with an anyEKU-only intermediate; anchors with EKU anyEKU-only
// or codeSigning-only passed (TestNSSInteropAnchors).
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
