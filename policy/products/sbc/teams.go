package sbc

import (
	"errors"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// ProfileTeamsDirectRouting marks a server wrapped by [TeamsDirectRouting].
const ProfileTeamsDirectRouting = "teams-direct-routing-sbc"

// SrcTeamsWhatsNew is Microsoft's "What's new for Direct Routing" page
// (ms.date 03/29/2022).
var SrcTeamsWhatsNew = Source{
	URL:       "https://learn.microsoft.com/microsoftteams/direct-routing-whats-new",
	Document:  "Microsoft Learn, What's new for Direct Routing (ms.date 03/29/2022; read in its source repository MicrosoftDocs/OfficeDocs-SkypeForBusiness at commit 0138dc95, file Teams/direct-routing-whats-new)",
	Statement: "Beginning February 1, 2022, the Direct Routing SIP interface will only trust certificates signed by CAs that are part of the Microsoft Trusted Root Certificate Program; verify that the EKU extension of your certificate includes 'Server Authentication'. On April 3, 2022, Microsoft will force TLS1.2 usage for the Direct Routing SIP interface",
}

// ErrTeamsNeedsTLS12 is returned by [TeamsDirectRouting] for an SBC whose
// known versions exclude TLS 1.2, the only version Microsoft's Direct
// Routing SIP interface uses since 2022-04-03.
var ErrTeamsNeedsTLS12 = errors.New("sbc: Teams Direct Routing: the SBC must accept TLS 1.2 (Microsoft forces TLS 1.2 since 2022-04-03)")

// TeamsDirectRouting returns sbc, a vendor profile's server, in its role as
// the SBC of Microsoft Teams Direct Routing: the TLS server that Microsoft's
// SIP proxies connect to. Microsoft documents what it requires of the SBC's
// own certificate (chain to the Microsoft Trusted Root Program, EKU with
// Server Authentication, since 2022-02-01) and TLS 1.2 (since 2022-04-03);
// it does not say whether the SBC must request or verify the proxies'
// certificates, so the mode stays the vendor profile's. An SBC whose
// versions are known and exclude TLS 1.2 is an error ([ErrTeamsNeedsTLS12]).
// Source: [SrcTeamsWhatsNew]. The proxies' own certificates (issuers and the
// 2026 change) are data in the issuers package.
func TeamsDirectRouting(sbc policy.Server) (policy.Server, error) {
	if sbc.Versions != 0 && !sbc.Versions.Has(tlsver.TLS12) {
		return policy.Server{}, ErrTeamsNeedsTLS12
	}
	out := sbc
	out.Name = sbc.Name + " (Teams Direct Routing SBC)"
	if out.Profile == "" {
		out.Profile = ProfileTeamsDirectRouting
	} else {
		out.Profile = sbc.Profile + "+" + ProfileTeamsDirectRouting
	}
	t := evidence(nil, SrcTeamsWhatsNew)
	list := t.List()
	var notes []string
	for _, s := range sbc.Evidence.List() {
		if s.Kind == policy.SourceAssumption {
			notes = append(notes, s.Ref)
			continue
		}
		list = append(list, s)
	}
	out.Evidence = cite(list, notes)
	return out, nil
}

// ErrTeamsCertificateEKU is returned by [TeamsSBCCertificate] for an SBC
// certificate whose extended key usage does not list Server Authentication.
var ErrTeamsCertificateEKU = errors.New("sbc: Teams Direct Routing: the SBC certificate's extended key usage must include Server Authentication (required since 2022-02-01)")

// TeamsSBCCertificate checks the SBC's own certificate against what
// Microsoft documents for Direct Routing: "Verify that the Extended Key Usage
// (EKU) extension of your certificate includes 'Server Authentication'"
// ([SrcTeamsWhatsNew]). A certificate without the extension does not list
// it either, and is refused. The other requirement, a chain to the
// Microsoft Trusted Root Program, is not checked (trust is not modelled).
// clientAuth is not required: the requirement names Server Authentication
// only.
func TeamsSBCCertificate(leaf policy.Cert) error {
	if !leaf.HasEKU || !leaf.EKU.Has(eku.ServerAuth) {
		return ErrTeamsCertificateEKU
	}
	return nil
}
