package policy_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// vendorNames are products and vendors; the engine (package policy's own
// non-test files) must not name them outside comments. Stack names (OpenSSL,
// GnuTLS, Java, NSS, Mbed TLS, Schannel) are the engine's subject and are
// allowed; products live in policy/products.
var vendorNames = regexp.MustCompile(`(?i)genesys|purecloud|\bdvcp\b|uccx|\bccx\b|cisco|salesforce|exchange|socialminer|finesse|kamailio|opensips|asterisk|pjsip|freeswitch|sofia|audiocodes|mediant|\bcube\b|oracle|acme ?packet|ribbon|avaya|expressway|\bteams\b|direct ?routing`)

// TestEngineNamesNoVendor greps the engine's non-test Go files, string
// literals and identifiers, for vendor and product names.
func TestEngineNamesNoVendor(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		n++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0) // comments dropped
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(node ast.Node) bool {
			var text string
			switch x := node.(type) {
			case *ast.BasicLit:
				if x.Kind == token.STRING {
					text = x.Value
				}
			case *ast.Ident:
				text = x.Name
			}
			if m := vendorNames.FindString(text); m != "" {
				t.Errorf("%s: the engine names %q (%s); vendor facts belong in policy/products", fset.Position(node.Pos()), m, text)
			}
			return true
		})
	}
	if n < 10 {
		t.Fatalf("found %d engine files, want the package's files (run from policy/)", n)
	}
	if _, err := os.Stat("products"); err != nil {
		t.Errorf("policy/products: %v", err)
	}
}

// TestStackUnknownSaysUndecided: with the server's stack unknown, a stack
// whose answer depends on its version (GnuTLS without StackVersion) is
// reported as undecided, never among the stacks that accept.
func TestStackUnknownSaysUndecided(t *testing.T) {
	leaf := policy.Cert{HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth), HasKeyUsage: true, KeyUsage: eku.KeyUsageDigitalSignature}
	s := policy.Scenario{
		Client: policy.Client{Versions: tlsver.SetOf(tlsver.TLS12), Chain: &policy.Chain{Certs: []policy.Cert{leaf}, CAs: policy.CAsPermitClientAuth}},
		Server: policy.Server{Versions: tlsver.SetOf(tlsver.TLS12), ClientAuth: policy.ClientAuthRequireAndVerify},
	}
	o := policy.Evaluate(s)
	f, ok := o.First(policy.EffectUnknown)
	if !ok || f.Code != policy.CodeStackUnknown {
		t.Fatalf("Evaluate = %v, want unknown with stack-unknown\n%s", o.Verdict, o.Explain())
	}
	const want = "rejected by OpenSSL 3, Go crypto/tls, Java JSSE, NSS, Mbed TLS, Windows Schannel; undecided for GnuTLS (the answer depends on a stack version not given, or on a rule not verified)"
	if f.Detail != want {
		t.Errorf("detail = %q\nwant     %q", f.Detail, want)
	}
	if strings.Contains(f.Message(), "not by GnuTLS") || strings.Contains(f.Message(), "accepted by GnuTLS") {
		t.Errorf("message counts an undecided stack as accepting: %s", f.Message())
	}
	// A key usage without digitalSignature: GnuTLS rejects whatever its
	// version; Schannel's rule is not verified (undecided).
	leaf.EKU = eku.PurposeSetOf(eku.ClientAuth)
	leaf.KeyUsage = eku.KeyUsageKeyEncipherment
	s.Client.Chain = &policy.Chain{Certs: []policy.Cert{leaf}, CAs: policy.CAsPermitClientAuth}
	o = policy.Evaluate(s)
	f, _ = o.First(policy.EffectUnknown)
	if f.Code != policy.CodeStackUnknown || !strings.Contains(f.Detail, "undecided for Windows Schannel") || !strings.Contains(f.Detail, "accepted by Go crypto/tls") {
		t.Errorf("KeyUsage without digitalSignature: %v %q, want stack-unknown with Go accepting and Schannel undecided", f.Code, f.Detail)
	}
}
