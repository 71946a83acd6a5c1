package sbc_test

import (
	"fmt"
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/policy/products/sbc"
	"github.com/tlscompat/tlscompat/tlsver"
)

// A Genesys BYOC Cloud outbound check for each SBC profile: the Genesys
// certificate in use on 2026-04-01, issued before the clientAuth cut-over
// (2025-06-01) and after it (2026-03-10).
func Example() {
	tls12 := tlsver.SetOf(tlsver.TLS12)
	type profile struct {
		label string
		srv   policy.Server
		err   error
	}
	var ps []profile
	add := func(label string, srv policy.Server, err error) { ps = append(ps, profile{label, srv, err}) }

	s, err := sbc.AudioCodes(sbc.AudioCodesTLS{Versions: tls12})
	add("AudioCodes TLS Mutual Authentication=Disable", s, err)
	s, err = sbc.AudioCodes(sbc.AudioCodesTLS{TLSMutualAuthentication: "Enable", Versions: tls12})
	add("AudioCodes TLS Mutual Authentication=Enable", s, err)
	s, err = sbc.CUBE(sbc.CUBETLSProfile{CNSANValidate: "bidirectional", Versions: tls12})
	add("CUBE cn-san validate bidirectional", s, err)
	s, err = sbc.Oracle(sbc.OracleTLSProfile{Release: "10.1", TLSVersion: "tlsv12"})
	add("Oracle mutual-authenticate=disabled", s, err)
	s, err = sbc.Oracle(sbc.OracleTLSProfile{Release: "10.1", MutualAuthenticate: "enabled", TLSVersion: "tlsv12"})
	add("Oracle mutual-authenticate=enabled", s, err)
	s, err = sbc.RibbonCore(sbc.RibbonCoreTLSProfile{AuthClient: "true", V10: "disabled", V11: "disabled", V12: "enabled", V13: "enabled"})
	add("Ribbon Core authClient=true", s, err)
	s, err = sbc.RibbonCore(sbc.RibbonCoreTLSProfile{AuthClient: "true", AcceptableCertValidationErrors: "invalidPurpose", V10: "disabled", V11: "disabled", V12: "enabled", V13: "enabled"})
	add("Ribbon Core authClient=true invalidPurpose", s, err)
	s, err = sbc.RibbonEdge(sbc.RibbonEdgeTLSProfile{MutualAuthentication: "Enabled", TLSProtocol: "TLS 1.2-1.3"})
	add("Ribbon Edge Mutual Authentication=Enabled", s, err)
	s, err = sbc.AvayaSBCE(sbc.AvayaSBCETLS{PeerVerification: "Required", Versions: tls12})
	add("Avaya SBCE Peer Verification=Required", s, err)
	s, err = sbc.AvayaSBCE(sbc.AvayaSBCETLS{PeerVerification: "None", Versions: tls12})
	add("Avaya SBCE Peer Verification=None", s, err)
	s, err = sbc.Expressway(sbc.ExpresswayTLS{Release: "X15.5", Versions: tls12})
	add("Cisco Expressway X15.5", s, err)
	s, err = sbc.AudioCodes(sbc.AudioCodesTLS{TLSMutualAuthentication: "Enable", Versions: tls12})
	if err == nil {
		s, err = sbc.TeamsDirectRouting(s)
	}
	add("Teams Direct Routing on AudioCodes Enable", s, err)

	at := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	before := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	after := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	for _, p := range ps {
		if p.err != nil {
			fmt.Println(p.label, p.err)
			continue
		}
		b := policy.Evaluate(policy.Scenario{Client: products.GenesysBYOCCloudOutbound(before, time.Time{}), Server: p.srv, At: at})
		a := policy.Evaluate(policy.Scenario{Client: products.GenesysBYOCCloudOutbound(after, time.Time{}), Server: p.srv, At: at})
		why := ""
		for _, f := range a.Findings() {
			if f.Effect == policy.EffectUnknown {
				why = " (" + f.Code.String() + ")"
				break
			}
		}
		fmt.Printf("%-44s %-18s old cert: %-8s new cert: %s%s\n", p.label, p.srv.ClientAuth, b.Verdict, a.Verdict, why)
	}
	// Output:
	// AudioCodes TLS Mutual Authentication=Disable none               old cert: succeeds new cert: succeeds
	// AudioCodes TLS Mutual Authentication=Enable  require-and-verify old cert: succeeds new cert: unknown (stack-unknown)
	// CUBE cn-san validate bidirectional           unknown            old cert: succeeds new cert: unknown (client-auth-unknown)
	// Oracle mutual-authenticate=disabled          none               old cert: succeeds new cert: succeeds
	// Oracle mutual-authenticate=enabled           verifies           old cert: succeeds new cert: unknown (stack-unknown)
	// Ribbon Core authClient=true                  require-and-verify old cert: succeeds new cert: unknown (stack-unknown)
	// Ribbon Core authClient=true invalidPurpose   require-any        old cert: succeeds new cert: succeeds
	// Ribbon Edge Mutual Authentication=Enabled    verifies           old cert: succeeds new cert: unknown (stack-unknown)
	// Avaya SBCE Peer Verification=Required        require-and-verify old cert: succeeds new cert: unknown (stack-unknown)
	// Avaya SBCE Peer Verification=None            unknown            old cert: succeeds new cert: unknown (client-auth-unknown)
	// Cisco Expressway X15.5                       unknown            old cert: succeeds new cert: unknown (client-auth-unknown)
	// Teams Direct Routing on AudioCodes Enable    require-and-verify old cert: succeeds new cert: unknown (stack-unknown)
}
