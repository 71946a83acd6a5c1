package products

import (
	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// serverAuthLeaf is a certificate known by its subject and a serverAuth
// EKU; its issuer is not named in any public document the stories cite.
func serverAuthLeaf(subject string) *policy.Chain {
	return &policy.Chain{Certs: []policy.Cert{{Subject: subject, HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth), HasKeyUsage: true, KeyUsage: eku.KeyUsageDigitalSignature}}}
}

// TrustStories returns the seed scenarios with trust in both directions, in
// a stable order (the slice is fresh). The Genesys TLS trunk
// specification (https://help.mypurecloud.com/articles/tls-trunk-transport-protocol-specification/)
// says both endpoints present certificates from a public CA and "each
// client endpoint must trust the certificate authority that signed the
// server"; no public document names the issuers (the January 2026
// community post names "DigiCert and Amazon Trust Services" without the
// intermediates), and no document gives UCCX's Java trust store or
// Salesforce's chain. So each verifier's store is an explicit assumption
// (trust-assumed) until the user gives it ([policy.Server].Trust,
// [policy.Client].Trust) with the real chains.
//
//   - genesys-outbound-both-directions: Genesys calls the SBC; the SBC
//     (OpenSSL, require-and-verify) checks Genesys' client chain, and
//     Genesys, as client, checks the SBC's server chain.
//   - genesys-inbound-sbc-verifies-genesys: the SBC calls Genesys and, as
//     client, checks Genesys' server chain; Genesys requests no client
//     certificate.
//   - uccx-11.5(1)SU1-salesforce-server-chain: UCCX (Java JSSE) checks
//     Salesforce's server chain with its Java store.
func TrustStories() []policy.Scenario {
	sbcServer := verifyingSBC()
	sbcServer.Chain = serverAuthLeaf("customer SBC")
	genesysIn := GenesysBYOCCloudInbound()
	genesysIn.Chain = serverAuthLeaf("Genesys Cloud BYOC Cloud SIP endpoint")
	sbcClient := customerSBCClient()
	sbcClient.Stack = policy.OpenSSL3
	uccx := UCCXClient("11.5(1)SU1")
	uccx.Stack = policy.JavaJSSE
	sf := Salesforce(tlsver.SalesforceProduction)
	sf.Chain = serverAuthLeaf("Salesforce production endpoint")
	return []policy.Scenario{
		{Name: "genesys-outbound-both-directions", Client: GenesysBYOCCloudOutbound(utc(2026, 1, 15), GenesysRenewal), Server: sbcServer, At: utc(2026, 2, 1), Protocol: tlsver.SIP},
		{Name: "genesys-inbound-sbc-verifies-genesys", Client: sbcClient, Server: genesysIn, At: utc(2026, 4, 20), Protocol: tlsver.SIP},
		{Name: "uccx-11.5(1)SU1-salesforce-server-chain", Client: uccx, Server: sf, At: utc(2017, 7, 23), Protocol: tlsver.HTTPS},
	}
}
