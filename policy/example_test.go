package policy_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Genesys Cloud presents a certificate issued in April 2026 (no clientAuth)
// to an SBC that requires and verifies client certificates with OpenSSL.
func ExampleEvaluate_genesysOutbound() {
	s := policy.Scenario{
		Client: products.GenesysBYOCCloudOutbound(time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC), time.Time{}),
		Server: products.SBC("SBC", policy.OpenSSL3, policy.ClientAuthRequireAndVerify, tlsver.Range(tlsver.TLS12, tlsver.TLS13)),
		At:     time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC),
	}
	o := policy.Evaluate(s)
	f, _ := o.First(policy.EffectFail)
	fmt.Println(o.Verdict, o.Version, int(o.Alert))
	fmt.Println(f.Code)
	fmt.Println(f.Remedy)
	// Output:
	// fails TLS 1.2 43
	// eku-lacks-client-auth
	// stop requesting client certificates on SBC (send no CertificateRequest)
}

// UCCX 11.0(1) speaks only TLS 1.0 as a client; Salesforce production drops
// it on 2017-07-22.
func ExampleTimeline_salesforce() {
	s := policy.Scenario{Client: products.UCCXClient("11.0(1)"), Server: products.Salesforce("production"), Protocol: tlsver.HTTPS}
	for _, c := range policy.Timeline(s, time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)) {
		f, _ := c.Outcome.First(policy.EffectFail)
		fmt.Println(c.At.UTC().Format(time.RFC3339), c.From, "->", c.To)
		fmt.Println(f.Remedy)
	}
	// Output:
	// 2017-07-22T07:00:00Z succeeds -> fails
	// upgrade UCCX 11.0(1) to 11.5(1)SU1
}

// A SIP server described in its own configuration words: Kamailio with
// require_certificate=1 verifies client certificates through OpenSSL.
func ExampleKamailio() {
	srv := products.Kamailio(products.KamailioTLS{RequireCertificate: true, Versions: tlsver.SetOf(tlsver.TLS12)})
	fmt.Println(srv.Stack, srv.ClientAuth)
	// Output:
	// openssl3 require-and-verify
}

// A service adds its own rule as a value.
func ExampleWithChecks() {
	s := policy.Scenario{
		Client: policy.Client{Name: "app", Versions: tlsver.Range(tlsver.TLS10, tlsver.TLS12)},
		Server: policy.Server{Name: "legacy", Versions: tlsver.SetOf(tlsver.TLS11), ClientAuth: policy.ClientAuthNone},
	}
	o := policy.Evaluate(s, policy.WithChecks(policy.MinVersion(tlsver.TLS12)))
	f, _ := o.First(policy.EffectFail)
	fmt.Println(o.Verdict, f.Code)
	fmt.Println(f.Message())
	// Output:
	// fails below-minimum-version
	// the negotiated TLS 1.1 is below the required minimum TLS 1.2
}

// ExampleCite shows an Evidence with two public sources and its JSON form.
func ExampleCite() {
	e := policy.Cite(
		policy.Source{Kind: policy.SourceRFC, Locator: "RFC 8446 §4.4.2.4", Ref: "receiving a Certificate message"},
		policy.Source{Kind: policy.SourceCode, Locator: "openssl/openssl@openssl-3.0.19:crypto/x509/v3_purp.c", Ref: "check_purpose_ssl_client"},
	)
	fmt.Println(e)
	b, _ := json.Marshal(e)
	fmt.Println(string(b))
	// Output:
	// RFC 8446 §4.4.2.4 (receiving a Certificate message); openssl/openssl@openssl-3.0.19:crypto/x509/v3_purp.c (check_purpose_ssl_client)
	// [{"kind":"rfc","locator":"RFC 8446 §4.4.2.4","ref":"receiving a Certificate message"},{"kind":"source-file","locator":"openssl/openssl@openssl-3.0.19:crypto/x509/v3_purp.c","ref":"check_purpose_ssl_client"}]
}
