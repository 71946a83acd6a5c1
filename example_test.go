package tlscompat_test

import (
	"fmt"
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Example is the happy path of the package overview and the README: Genesys
// Cloud calls out to a Kamailio SBC that requires and verifies client
// certificates, with a BYOC certificate issued after the clientAuth removal.
func Example() {
	issued := time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC)
	s := policy.Scenario{
		Client: products.GenesysBYOCCloudOutbound(issued, products.GenesysRenewal),
		Server: products.Kamailio(products.KamailioTLS{RequireCertificate: true, Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13)}),
		At:     time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
	}
	o := policy.Evaluate(s)
	fmt.Println(o.Verdict, o.Version, o.Alert)
	for _, f := range o.Findings() {
		if f.Remedy.Code != policy.NoRemedy {
			fmt.Printf("%s: %s\n", f.Code, f.Remedy)
		}
	}
	// Output:
	// fails TLS 1.2 unsupported_certificate
	// eku-lacks-client-auth: stop requesting client certificates on Kamailio (send no CertificateRequest)
}
