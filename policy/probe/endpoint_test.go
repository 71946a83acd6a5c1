package probe_test

import (
	"context"
	"crypto/tls"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// TestEndpointPredictsRealHandshakes: probe a real server, convert, evaluate
// Genesys-like clients (with and without clientAuth), and compare the
// prediction with a real handshake of the corresponding testpki certificate.
func TestEndpointPredictsRealHandshakes(t *testing.T) {
	t.Parallel()
	s := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyRequire, ReturnError: true})
	r, err := probe.Probe(context.Background(), s.Addr, probe.Options{ReadTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := r.Endpoint()
	if srv.Versions != tlsver.Range(tlsver.TLS12, tlsver.TLS13) || srv.ClientAuth != policy.ClientAuthRequireAndVerify || len(srv.AcceptedCAs) != 2 {
		t.Fatalf("Endpoint() = %+v", srv)
	}
	srv.Stack = policy.OpenSSL3
	pki := testpki.New()
	at := time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		issued  time.Time
		variant testpki.Name
	}{
		{time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), testpki.ServerClient},
		{time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC), testpki.ServerOnly},
	} {
		o := policy.Evaluate(policy.Scenario{Client: products.GenesysBYOCCloudOutbound(tc.issued, time.Time{}), Server: srv, At: at})
		l := pki.Variant(tc.variant)
		real := stacks.Handshake(context.Background(), s.Addr, stacks.ClientOptions{
			Chain: l.Chain, Key: l.Key, MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12,
		})
		if (o.Verdict == policy.Succeeds) != real.OK || (!real.OK && int(o.Alert) != real.Alert) {
			t.Errorf("issued %s: Evaluate = %v alert %d; real handshake (%s) = %v", tc.issued.Format("2006-01-02"), o.Verdict, o.Alert, tc.variant, real)
		}
	}
}
