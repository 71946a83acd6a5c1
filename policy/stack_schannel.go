package policy

import "github.com/tlscompat/tlscompat/eku"

// Windows Schannel / HTTP.sys (documentation only; no real-stack test).
//
// Verify: the leaf's EKU must list clientAuth or anyExtendedKeyUsage (the
// usage check is on by default); every CA certificate's EKU, the anchor
// included, must allow clientAuth or anyEKU. KeyUsage and the Netscape type
// are not documented: rule-not-verified (unknown). Alerts: not verified.
// Negotiation: not modelled by tlsver.
var schannelRules = stackRules{
	name: "schannel", title: "Windows Schannel",
	verify:   schannelVerify,
	evidence: evSchan,
}

var evSchan = Cite(
	Source{Kind: SourceDocs, Locator: "https://learn.microsoft.com/en-us/windows/win32/api/http/ns-http-http_service_config_ssl_param", Ref: "DefaultCertCheckMode (client certificate usage check on by default)"},
)

func schannelVerify(_ string, v chainView) check {
	leaf := &v.leaf
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
