package products

import (
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Profiles backed by the tlsver matrix: their versions are looked up at the
// scenario's instant and protocol, with the data row as evidence.
const (
	ProfileUCCX        = "uccx"
	ProfileSocialMiner = "socialminer"
	ProfileSalesforce  = "salesforce"
	ProfileExchange    = "exchange"
)

// Public sources of the Cisco-side profiles.
var (
	srcTechNote = policy.Source{Kind: policy.SourceVendor,
		Locator: "https://www.cisco.com/c/en/us/support/docs/customer-collaboration/unified-contact-center-express-1151/201000-TechNote-on-Handling-TLS-Support-with-UC.html",
		Ref:     "Cisco TechNote 201000, TechNote on Handling TLS Support with UCCX"}
	srcSalesforceArticle = policy.Source{Kind: policy.SourceVendor,
		Locator: "https://help.salesforce.com/apex/HTViewSolution?id=000221207",
		Ref:     "Salesforce knowledge article 000221207, Salesforce disabling TLS 1.0"}
)

// evNoClientCertNeeded is the inference that lets the Salesforce and
// Exchange profiles say "no client certificate required": the TechNote
// describes these integrations working over TLS 1.0 without one, and failing
// only by version.
var evNoClientCertNeeded = policy.Cite(
	policy.Source{Kind: policy.SourceVendor, Locator: srcTechNote.Locator, Ref: srcTechNote.Ref + ": the integration worked over TLS 1.0 with no client certificate configured and fails only by TLS version"},
	policy.Source{Kind: policy.SourceAssumption, Ref: "inferred from the TechNote: no client certificate is required"},
)

// evCiscoClient is the evidence for the UCCX and SocialMiner client
// profiles: versions from the TechNote's tables (as data rows), and no
// client certificate, which the TechNote never mentions.
var evCiscoClient = policy.Cite(
	policy.Source{Kind: policy.SourceVendor, Locator: srcTechNote.Locator, Ref: srcTechNote.Ref + ": UCCX as TLS client; upgrade table"},
	policy.Source{Kind: policy.SourceAssumption, Ref: "no client certificate: the TechNote describes none for UCCX or SocialMiner as client"},
)

// evCiscoServer is the evidence for the UCCX and SocialMiner server
// profiles.
var evCiscoServer = policy.Cite(
	policy.Source{Kind: policy.SourceVendor, Locator: srcTechNote.Locator, Ref: srcTechNote.Ref + ": UCCX as TLS server (client-certificate mode not documented)"},
)

// UCCXClient returns Cisco UCCX release as a TLS client (scripts, Finesse
// workflows and gadgets calling a third-party server). UCCX presents no
// client certificate.
func UCCXClient(release string) policy.Client {
	return policy.Client{Name: "UCCX " + release, Product: tlsver.UCCX, Release: release, Profile: ProfileUCCX,
		VersionFix: policy.VersionFix{Upgrade: tlsver.ClientTLS11}, Evidence: evCiscoClient}
}

// UCCXServer returns Cisco UCCX release as a TLS server (third-party
// applications calling UCCX APIs). Its client-certificate mode is not
// documented.
func UCCXServer(release string) policy.Server {
	return policy.Server{Name: "UCCX " + release, Product: tlsver.UCCX, Release: release, Profile: ProfileUCCX, Evidence: evCiscoServer}
}

// SocialMinerClient returns Cisco SocialMiner release as a TLS client (for
// example e-mail campaigns against Exchange).
func SocialMinerClient(release string) policy.Client {
	return policy.Client{Name: "SocialMiner " + release, Product: tlsver.SocialMiner, Release: release, Profile: ProfileSocialMiner, Evidence: evCiscoClient}
}

// SocialMinerServer returns Cisco SocialMiner release as a TLS server.
func SocialMinerServer(release string) policy.Server {
	return policy.Server{Name: "SocialMiner " + release, Product: tlsver.SocialMiner, Release: release, Profile: ProfileSocialMiner, Evidence: evCiscoServer}
}

// Salesforce returns a Salesforce deployment ("production", "sandbox",
// "new") as a TLS server; its versions depend on the date.
func Salesforce(deployment string) policy.Server {
	return policy.Server{
		Name: "Salesforce " + deployment, Product: tlsver.Salesforce, Release: deployment,
		ClientAuth: policy.ClientAuthNone, Profile: ProfileSalesforce,
		Evidence: policy.Cite(evNoClientCertNeeded.Sources[0], srcSalesforceArticle, evNoClientCertNeeded.Sources[1]),
	}
}

// Exchange returns Microsoft Exchange ("2010", "2013", "2013+TLS1.2" for 2013
// with TLS 1.1/1.2 enabled) as a TLS server.
func Exchange(release string) policy.Server {
	return policy.Server{
		Name: "Exchange " + release, Product: tlsver.Exchange, Release: release,
		ClientAuth: policy.ClientAuthNone, Profile: ProfileExchange, Evidence: evNoClientCertNeeded,
		VersionFix: exchangeFix(release),
	}
}

// exchangeFix is the fix the TechNote gives for Exchange 2013: enable TLS
// 1.1/1.2. Other releases have no documented fix.
func exchangeFix(release string) policy.VersionFix {
	if release != "2013" {
		return policy.VersionFix{}
	}
	return policy.VersionFix{Enable: tlsver.SetOf(tlsver.TLS11, tlsver.TLS12), EnableText: "TLS 1.1/1.2"}
}
