package products

import (
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// customerSBCClient is a customer SBC calling Genesys inbound with a public
// serverAuth-only certificate.
func customerSBCClient() policy.Client {
	leaf := policy.Cert{Subject: "customer SBC", HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth), HasKeyUsage: true, KeyUsage: eku.KeyUsageDigitalSignature}
	return policy.Client{Name: "customer SBC", Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13), Chain: &policy.Chain{Certs: []policy.Cert{leaf}, CAs: policy.CAsUnknown}}
}

// verifyingSBC is the seed's customer SBC: OpenSSL underneath, requiring
// and verifying client certificates.
func verifyingSBC() policy.Server {
	return SBC("customer SBC (OpenSSL, requires and verifies client certificates)", policy.OpenSSL3, policy.ClientAuthRequireAndVerify, tlsver.Range(tlsver.TLS12, tlsver.TLS13))
}

// Stories returns the scenarios of the seed documents, in a stable order,
// each named: the Genesys Cloud clientAuth removal (outbound with
// certificates issued in January and April 2026, inbound, DVCP, and SIP
// servers in their own configuration words) and the UCCX/SocialMiner TLS
// version stories (Salesforce's TLS 1.0 removal, Exchange 2013, JDBC). The
// slice is fresh.
func Stories() []policy.Scenario {
	kam := Kamailio(KamailioTLS{Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13)})
	kam.Name = "Kamailio (defaults: verify_certificate=0, require_certificate=0)"
	kamReq := Kamailio(KamailioTLS{RequireCertificate: true, Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13)})
	kamReq.Name = "Kamailio (require_certificate=1)"
	ast := Asterisk(AsteriskTransport{Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13)})
	ast.Name = "Asterisk res_pjsip (defaults)"
	fs, _ := FreeSWITCH("in", tlsver.Range(tlsver.TLS12, tlsver.TLS13))
	fs.Name = "FreeSWITCH (tls-verify-policy=in)"
	db := policy.Server{Name: "database server (TLS 1.0 only)", Versions: tlsver.SetOf(tlsver.TLS10), ClientAuth: policy.ClientAuthNone}

	jan := utc(2026, 1, 15)
	apr := utc(2026, 4, 15)
	return []policy.Scenario{
		{Name: "genesys-outbound-cert-jan-2026", Client: GenesysBYOCCloudOutbound(jan, GenesysRenewal), Server: verifyingSBC(), At: utc(2026, 2, 1), Protocol: tlsver.SIP},
		{Name: "genesys-outbound-cert-apr-2026", Client: GenesysBYOCCloudOutbound(apr, time.Time{}), Server: verifyingSBC(), At: utc(2026, 4, 20), Protocol: tlsver.SIP},
		{Name: "genesys-outbound-kamailio-defaults", Client: GenesysBYOCCloudOutbound(apr, time.Time{}), Server: kam, At: utc(2026, 4, 20), Protocol: tlsver.SIP},
		{Name: "genesys-outbound-kamailio-require", Client: GenesysBYOCCloudOutbound(apr, time.Time{}), Server: kamReq, At: utc(2026, 4, 20), Protocol: tlsver.SIP},
		{Name: "genesys-outbound-asterisk-defaults", Client: GenesysBYOCCloudOutbound(apr, time.Time{}), Server: ast, At: utc(2026, 4, 20), Protocol: tlsver.SIP},
		{Name: "genesys-outbound-freeswitch-verify-in", Client: GenesysBYOCCloudOutbound(apr, time.Time{}), Server: fs, At: utc(2026, 4, 20), Protocol: tlsver.SIP},
		{Name: "genesys-inbound", Client: customerSBCClient(), Server: GenesysBYOCCloudInbound(), At: utc(2026, 4, 20), Protocol: tlsver.SIP},
		{Name: "genesys-dvcp-outbound", Client: GenesysDVCPOutbound(), Server: verifyingSBC(), At: utc(2026, 4, 20), Protocol: tlsver.SIP},
		{Name: "uccx-11.0(1)-salesforce-2017-07-21", Client: UCCXClient("11.0(1)"), Server: Salesforce(tlsver.SalesforceProduction), At: utc(2017, 7, 21), Protocol: tlsver.HTTPS},
		{Name: "uccx-11.0(1)-salesforce-2017-07-23", Client: UCCXClient("11.0(1)"), Server: Salesforce(tlsver.SalesforceProduction), At: utc(2017, 7, 23), Protocol: tlsver.HTTPS},
		{Name: "uccx-11.5(1)SU1-salesforce-2017-07-23", Client: UCCXClient("11.5(1)SU1"), Server: Salesforce(tlsver.SalesforceProduction), At: utc(2017, 7, 23), Protocol: tlsver.HTTPS},
		{Name: "socialminer-11.6-exchange-2013", Client: SocialMinerClient("11.6"), Server: Exchange("2013"), At: utc(2017, 9, 1)},
		{Name: "socialminer-11.6-exchange-2013-tls12", Client: SocialMinerClient("11.6"), Server: Exchange("2013+TLS1.2"), At: utc(2017, 9, 1)},
		{Name: "uccx-11.5(1)SU1-jdbc-tls10", Client: UCCXClient("11.5(1)SU1"), Server: db, At: utc(2017, 9, 1), Protocol: tlsver.JDBC},
	}
}
