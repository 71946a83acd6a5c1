package eku_test

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"fmt"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
)

// Report what a certificate says as JSON: a SIP certificate issued after
// the clientAuth EKU was dropped, with an OID this package does not know.
func ExampleSet_Facts() {
	c := certgen.MustIssue(certgen.Spec{Name: "sip.example.com (facts)", KeyUsage: x509.KeyUsageDigitalSignature,
		EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth, {1, 3, 6, 1, 4, 1, 99999, 1}}}, nil)
	s, err := eku.Parse(c.DER)
	if err != nil {
		panic(err)
	}
	f := s.Facts()
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	fmt.Println("clientAuth permitted:", f.Permits(eku.ClientAuth))
	// Output:
	// {
	//   "eku_present": true,
	//   "critical": false,
	//   "purposes": [
	//     "serverAuth"
	//   ],
	//   "oids": [
	//     "1.3.6.1.5.5.7.3.1",
	//     "1.3.6.1.4.1.99999.1"
	//   ],
	//   "key_usage_present": true,
	//   "key_usage": [
	//     "digitalSignature"
	//   ],
	//   "basic_constraints_present": true,
	//   "ca": false
	// }
	// clientAuth permitted: false
}
