package products_test

import (
	"fmt"
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Example is the Genesys Cloud notice against a Kamailio SBC, in Kamailio's
// own configuration words: the BYOC Cloud certificate issued after the
// clientAuth cut-over, presented on an outbound call to a Kamailio that
// requires client certificates, and to one that does not ask for them.
func Example() {
	client := products.GenesysBYOCCloudOutbound(time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC), products.GenesysRenewal)
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	v := tlsver.Range(tlsver.TLS12, tlsver.TLS13)
	for _, cfg := range []products.KamailioTLS{
		{RequireCertificate: true, Versions: v},
		{Versions: v},
	} {
		o := policy.Evaluate(policy.Scenario{Client: client, Server: products.Kamailio(cfg), At: at})
		fmt.Println(cfg.RequireCertificate, o.Verdict, o.Findings()[len(o.Findings())-1].Code)
	}
	// Output:
	// true fails eku-lacks-client-auth
	// false succeeds no-certificate-request
}
