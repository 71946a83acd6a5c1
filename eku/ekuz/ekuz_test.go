package ekuz_test

import (
	"encoding/asn1"
	"fmt"
	"testing"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/ekuz"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
	"github.com/zmap/zcrypto/x509"
)

func TestChain(t *testing.T) {
	ders := certgen.Chain("ekuz", certgen.ChainSpec{
		LeafEKU:  []asn1.ObjectIdentifier{certgen.OIDClientAuth},
		InterEKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth},
		RootEKU:  nil, NoRootEKU: true,
	})
	var certs []*x509.Certificate
	for _, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, c)
	}
	c, err := ekuz.Chain(certs)
	if err != nil {
		t.Fatalf("Chain() error = %v", err)
	}
	if c.Len() != 3 || !c.Permits(eku.ClientAuth, eku.RFC5280) || c.Permits(eku.ClientAuth, eku.Nested) {
		t.Errorf("Chain() = len %d, RFC5280 %v, Nested %v; want 3, true, false", c.Len(), c.Permits(eku.ClientAuth, eku.RFC5280), c.Permits(eku.ClientAuth, eku.Nested))
	}
	if _, err := ekuz.FromCertificate(nil); err == nil {
		t.Error("FromCertificate(nil) succeeded")
	}
	if _, err := ekuz.Chain(nil); err == nil {
		t.Error("Chain(nil) succeeded")
	}
}

// Example shows a zcrypto certificate's purposes.
func Example() {
	leaf := certgen.MustIssue(certgen.Spec{Name: "zcrypto example", EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth}}, nil)
	zc, err := x509.ParseCertificate(leaf.DER)
	if err != nil {
		panic(err)
	}
	s, err := ekuz.FromCertificate(zc)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Purposes(), s.Permits(eku.ClientAuth))
	// Output: serverAuth false
}
