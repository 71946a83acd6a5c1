package policy_test

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/tlsver"
)

// foreignClientChain issues a clientAuth leaf from a CA none of the test
// servers trusts (with issueExtra, as TestNSSInteropAnchors builds its
// certificates).
func foreignClientChain(t *testing.T) (chain [][]byte, key crypto.Signer) {
	t.Helper()
	ca := issueExtra(t, 1, "foreign client CA", true, nil, nil, nil, nil)
	leaf := issueExtra(t, 2, "client of another CA", false, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil, ca.cert, ca.key)
	return [][]byte{leaf.der, ca.der}, leaf.key
}

// TestIssuerNotListedRealServers: real servers that verify client
// certificates are probed for the CA names their CertificateRequest lists
// (probe → Result.Endpoint, the path a user takes); a client chain from
// another CA must then be unknown with issuer-not-listed, and the real
// handshake must fail with alert 48 unknown_ca, while a chain from a listed
// CA must get no such finding and succeed.
func TestIssuerNotListedRealServers(t *testing.T) {
	pki := testpki.New()
	foreign, foreignKey := foreignClientChain(t)
	foreignChain, err := policy.ChainFromDER(foreign...)
	if err != nil {
		t.Fatal(err)
	}
	listed := pki.Variant(testpki.ServerClient)
	listedChain, err := policy.ChainFromDER(append(append([][]byte{}, listed.Chain...), pki.CA(listed.Root).DER)...)
	if err != nil {
		t.Fatal(err)
	}
	java := stacks.StartJava(t, stacks.JavaOptions{ClientAuth: stacks.JavaNeed})
	servers := []struct {
		srv   *stacks.Server
		stack policy.Stack
	}{
		{stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyRequire, ReturnError: true, VerifyDepth: 5}), policy.OpenSSL3},
		{stacks.StartGo(t, stacks.GoOptions{ClientAuth: tls.RequireAndVerifyClientCert}), policy.GoCryptoTLS},
		{java[0], policy.JavaJSSE},
	}
	issuerFinding := func(o policy.Outcome) (policy.Finding, bool) {
		for _, f := range o.Findings() {
			if f.Code == policy.CodeIssuerNotListed {
				return f, true
			}
		}
		return policy.Finding{}, false
	}
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	checked := 0
	for _, s := range servers {
		r, err := probe.Probe(context.Background(), s.srv.Addr, probe.Options{ReadTimeout: 5 * time.Second}) // every version: Endpoint claims a version set only when all are decided
		if err != nil {
			t.Fatal(err)
		}
		model := r.Endpoint()
		model.Stack = s.stack
		if len(model.AcceptedCAs) == 0 || !model.ClientAuth.Verifies() {
			t.Errorf("%s: probe found CA names %q, mode %v", s.srv, model.AcceptedCAs, model.ClientAuth)
			continue
		}
		for _, tc := range []struct {
			name    string
			chain   *policy.Chain
			opts    stacks.ClientOptions
			foreign bool
		}{
			{"foreign CA", foreignChain, stacks.ClientOptions{Chain: foreign, Key: foreignKey}, true},
			{"listed CA", listedChain, stacks.ClientOptions{Chain: listed.Chain, Key: listed.Key}, false},
		} {
			o := policy.Evaluate(policy.Scenario{Client: policy.Client{Name: tc.name, Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13), Chain: tc.chain}, Server: model, At: at})
			tc.opts.MinVersion, tc.opts.MaxVersion, tc.opts.ReadTimeout = tls.VersionTLS12, tls.VersionTLS13, 10*time.Second
			real := stacks.Handshake(context.Background(), s.srv.Addr, tc.opts)
			f, found := issuerFinding(o)
			switch {
			case tc.foreign && (o.Verdict != policy.Unknown || !found || f.Alert == 0):
				t.Errorf("%s, %s: Evaluate = %v %v, want unknown with issuer-not-listed naming an alert", s.srv, tc.name, o.Verdict, o.Findings())
			case tc.foreign && (real.OK || real.Alert != int(f.Alert)):
				t.Errorf("%s, %s: real handshake %v (%s), want the alert the finding names, %d", s.srv, tc.name, real, real.Detail, f.Alert)
			case !tc.foreign && (o.Verdict != policy.Succeeds || found):
				t.Errorf("%s, %s: Evaluate = %v %v, want succeeds", s.srv, tc.name, o.Verdict, o.Findings())
			case !tc.foreign && !(real.OK && real.Echoed):
				t.Errorf("%s, %s: real handshake %v (%s), want success", s.srv, tc.name, real, real.Detail)
			default:
				checked++
			}
		}
	}
	t.Logf("issuer-not-listed against probed real servers: %d/%d cases as predicted", checked, 2*len(servers))
}
