package products_test

import (
	"fmt"
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Example_byocCheck runs the Genesys BYOC Cloud outbound check against each
// SBC profile: a certificate issued after the clientAuth cut-over, presented
// to an SBC configured to verify client certificates and to one that does
// not ask. The SBCs' TLS libraries are not documented, so a verifying SBC
// gets unknown (stack-unknown): every modelled stack rejects the
// certificate except GnuTLS, whose answer depends on its version. Setting
// the Server's Stack, when known, decides it.
func Example_byocCheck() {
	cert := products.GenesysBYOCCloudOutbound(time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC), time.Time{})
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	v := tlsver.Range(tlsver.TLS12, tlsver.TLS13)
	ac, _ := products.AudioCodes("1", v)
	acOff, _ := products.AudioCodes("0", v)
	or, _ := products.OracleSBC("enabled", "tlsv12")
	orOff, _ := products.OracleSBC("disabled", "tlsv12")
	re, _ := products.RibbonEdge(true, "TLS 1.2 Only")
	reOff, _ := products.RibbonEdge(false, "TLS 1.2 Only")
	av, _ := products.AvayaSBCE("Required", v)
	for _, srv := range []policy.Server{ac, acOff, or, orOff, re, reOff, products.RibbonCore(true, v), products.RibbonCore(false, v), av} {
		o := policy.Evaluate(policy.Scenario{Client: cert, Server: srv, At: at, Protocol: tlsver.SIP})
		f := o.Findings()[len(o.Findings())-1]
		fmt.Printf("%-16s %-18s %-8s %s\n", srv.Name, srv.ClientAuth, o.Verdict, f.Code)
	}
	// Output:
	// AudioCodes Mediant require-and-verify unknown  stack-unknown
	// AudioCodes Mediant none               succeeds no-certificate-request
	// Oracle SBC       verifies           unknown  stack-unknown
	// Oracle SBC       none               succeeds no-certificate-request
	// Ribbon SBC Edge  verifies           unknown  stack-unknown
	// Ribbon SBC Edge  none               succeeds no-certificate-request
	// Ribbon SBC Core  require-and-verify unknown  stack-unknown
	// Ribbon SBC Core  unknown            unknown  client-auth-unknown
	// Avaya SBC        require-and-verify unknown  stack-unknown
}
