package policy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/golden"
	"github.com/tlscompat/tlscompat/internal/schematest"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// trustScenario is a client chain of the trust PKI against an OpenSSL
// server that requires and verifies client certificates with store.
func trustScenario(t testing.TB, chain, store []string) policy.Scenario {
	t.Helper()
	tp := testpki.NewTrust()
	ch, err := policy.ChainFromDER(tp.DER(chain...)...)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := policy.TrustFromDER("test store", tp.DER(store...)...)
	if err != nil {
		t.Fatal(err)
	}
	return policy.Scenario{
		Client: policy.Client{Name: "client", Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13), Chain: ch},
		Server: policy.Server{Name: "server", Stack: policy.OpenSSL3, ClientAuth: policy.ClientAuthRequireAndVerify, Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13), Trust: tr},
		At:     time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
	}
}

func TestTrustStage(t *testing.T) {
	for _, tc := range []struct {
		name         string
		chain, store []string
		stack        policy.Stack
		partial      bool
		verdict      policy.Verdict
		code         policy.Code
		alert        policy.Alert
	}{
		{"trusted", []string{"leaf", "int"}, []string{"old-root"}, policy.OpenSSL3, false, policy.Succeeds, policy.CodeChainTrusted, 0},
		{"unknown root", []string{"leaf-unknown", "int-unknown"}, []string{"old-root"}, policy.OpenSSL3, false, policy.Fails, policy.CodeChainUntrusted, 48},
		{"unknown root, Java", []string{"leaf-unknown", "int-unknown"}, []string{"old-root"}, policy.JavaJSSE, false, policy.Fails, policy.CodeChainUntrusted, 46},
		{"unknown root, GnuTLS", []string{"leaf-unknown", "int-unknown"}, []string{"old-root"}, policy.GnuTLS, false, policy.Fails, policy.CodeChainUntrusted, 49},
		{"intermediate anchor, OpenSSL", []string{"leaf", "int"}, []string{"int"}, policy.OpenSSL3, false, policy.Fails, policy.CodeChainUntrusted, 48},
		{"intermediate anchor, OpenSSL -partial_chain", []string{"leaf", "int"}, []string{"int"}, policy.OpenSSL3, true, policy.Succeeds, policy.CodeChainTrusted, 0},
		{"intermediate anchor, Go", []string{"leaf", "int"}, []string{"int"}, policy.GoCryptoTLS, false, policy.Succeeds, policy.CodeChainTrusted, 0},
		{"expired leaf", []string{"leaf-expired", "int"}, []string{"old-root"}, policy.OpenSSL3, false, policy.Fails, policy.CodeCertificateExpired, 45},
		{"not yet valid", []string{"leaf-not-yet-valid", "int"}, []string{"old-root"}, policy.GoCryptoTLS, false, policy.Fails, policy.CodeCertificateNotYetValid, 45},
		{"no basicConstraints", []string{"leaf-under-no-bc", "ca-no-bc"}, []string{"old-root"}, policy.JavaJSSE, false, policy.Fails, policy.CodeIssuerNotCA, 46},
		{"cross, old root", []string{"leaf-under-new-int", "int-new", "cross"}, []string{"old-root"}, policy.NSS, false, policy.Succeeds, policy.CodeChainTrusted, 0},
		{"unknown stack, all agree", []string{"leaf-unknown", "int-unknown"}, []string{"old-root"}, policy.UnknownStack, false, policy.Fails, policy.CodeChainUntrusted, 0},
		{"unknown stack, intermediate anchor", []string{"leaf", "int"}, []string{"int"}, policy.UnknownStack, false, policy.Unknown, policy.CodeTrustUndecided, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := trustScenario(t, tc.chain, tc.store)
			s.Server.Stack = tc.stack
			s.Server.Trust.PartialChain = tc.partial
			o := policy.Evaluate(s)
			if o.Verdict != tc.verdict || !o.Has(tc.code) || o.Alert != tc.alert {
				t.Errorf("Evaluate = %v alert %d, findings %v; want %v alert %d with %v", o.Verdict, o.Alert, o.Findings(), tc.verdict, tc.alert, tc.code)
			}
			if o.TrustAssumed() {
				t.Errorf("trust-assumed with a store given")
			}
		})
	}
}

// TestTrustAssumed: a verifying server without a store gets a success that
// names its assumption.
func TestTrustAssumed(t *testing.T) {
	s := trustScenario(t, []string{"leaf-unknown", "int-unknown"}, []string{"old-root"})
	s.Server.Trust = nil
	s.Server.Stack = policy.JavaJSSE // leaf-only purpose rule: the CAs need not be known
	o := policy.Evaluate(s)
	f, _ := o.First(policy.EffectWarning)
	if o.Verdict != policy.Succeeds || !o.TrustAssumed() || f.Detail != "CN=tlscompat trust unknown root,O=tlscompat trust test" {
		t.Errorf("Evaluate = %v %v, want succeeds with trust-assumed naming the unknown root", o.Verdict, o.Findings())
	}
	if !strings.Contains(o.Explain(), "if the verifier trusts") {
		t.Errorf("Explain does not state the assumption:\n%s", o.Explain())
	}
}

func TestTrustServerChainName(t *testing.T) {
	tp := testpki.NewTrust()
	ch, _ := policy.ChainFromDER(tp.DER("leaf", "int")...)
	tr, _ := policy.TrustFromDER("store", tp.DER("old-root")...)
	s := policy.Scenario{
		Client: policy.Client{Stack: policy.GoCryptoTLS, Versions: tlsver.SetOf(tlsver.TLS13), Trust: tr, ServerName: "sip.example.com"},
		Server: policy.Server{Versions: tlsver.SetOf(tlsver.TLS13), ClientAuth: policy.ClientAuthNone, Chain: ch},
		At:     time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
	}
	o := policy.Evaluate(s)
	if o.Verdict != policy.Fails || !o.Has(policy.CodeNameMismatch) || o.Alert != 42 {
		t.Errorf("Evaluate = %v alert %d %v, want fails 42 name-mismatch", o.Verdict, o.Alert, o.Findings())
	}
	s.Client.ServerName = "localhost"
	if o := policy.Evaluate(s); o.Verdict != policy.Succeeds || !o.Has(policy.CodeChainTrusted) {
		t.Errorf("Evaluate = %v %v, want succeeds", o.Verdict, o.Findings())
	}
}

func TestTrustJSONRoundTrip(t *testing.T) {
	s := trustScenario(t, []string{"leaf-unknown", "int-unknown"}, []string{"old-root", "int"})
	s.Server.Trust.PartialChain = true
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back policy.Scenario
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("json.Unmarshal: %v", err)
	}
	b2, _ := json.Marshal(back)
	if !bytes.Equal(b, b2) {
		t.Errorf("JSON not stable:\n%s\n%s", b, b2)
	}
	o1, o2 := policy.Evaluate(s), policy.Evaluate(back)
	if o1.Explain() != o2.Explain() {
		t.Errorf("decoded scenario predicts differently:\n%s\n%s", o1.Explain(), o2.Explain())
	}
	var tr policy.Trust
	if err := json.Unmarshal([]byte(`{"anchors":[{"der":"MAA="}]}`), &tr); err == nil || !strings.Contains(err.Error(), "anchor 0") {
		t.Errorf("bad DER: err = %v, want one naming anchor 0", err)
	}
}

func TestMozillaTrust(t *testing.T) {
	tr, err := policy.MozillaTrust()
	if err != nil {
		t.Fatal(err)
	}
	n, constrained := 0, 0
	for r := range bundle.Roots() {
		n++
		if r.Constraint != nil {
			constrained++
		}
	}
	distrust := 0
	for _, a := range tr.Anchors {
		if !a.DistrustAfter.IsZero() {
			distrust++
		}
	}
	if len(tr.Anchors) != n || distrust != constrained || n < 100 {
		t.Errorf("MozillaTrust: %d anchors (%d with distrust-after), bundle has %d (%d constrained)", len(tr.Anchors), distrust, n, constrained)
	}
	t.Logf("Mozilla store: %d roots, %d with a distrust-after date", n, distrust)
}

func TestDebianTrust(t *testing.T) {
	data, err := os.ReadFile(policy.DebianCAFile)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s: not a Debian system", policy.DebianCAFile)
	}
	if err != nil {
		t.Fatal(err)
	}
	tr, err := policy.DebianTrust("")
	if err != nil {
		t.Fatal(err)
	}
	if want := bytes.Count(data, []byte("-----BEGIN CERTIFICATE-----")); len(tr.Anchors) != want {
		t.Errorf("DebianTrust: %d anchors, file has %d", len(tr.Anchors), want)
	}
	if _, err := policy.DebianTrust("/nonexistent/ca.crt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
}

const debianJavaCacerts = "/etc/ssl/certs/java/cacerts"

func TestJavaKeyStore(t *testing.T) {
	data, err := os.ReadFile(debianJavaCacerts)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s: no Debian Java cacerts", debianJavaCacerts)
	}
	if err != nil {
		t.Fatal(err)
	}
	tr, err := policy.TrustFromJavaKeyStore(debianJavaCacerts, data, "changeit")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Anchors) < 100 {
		t.Errorf("%d anchors, want the Debian store's (>100)", len(tr.Anchors))
	}
	if _, err := policy.TrustFromJavaKeyStore("x", data, "wrong"); err == nil || !strings.Contains(err.Error(), "digest") {
		t.Errorf("wrong password: err = %v", err)
	}
	if _, err := policy.TrustFromJavaKeyStore("x", data[:200], ""); err == nil || !strings.Contains(err.Error(), "byte offset") {
		t.Errorf("truncated: err = %v, want one naming the offset", err)
	}
	if _, err := policy.TrustFromJavaKeyStore("x", []byte{0x30, 0x82, 0, 0}, ""); err == nil || !strings.Contains(err.Error(), "PKCS #12") {
		t.Errorf("PKCS #12: err = %v", err)
	}
	t.Logf("Debian Java cacerts: %d trusted certificates", len(tr.Anchors))
}

func TestTrustFromPEMErrors(t *testing.T) {
	if _, err := policy.TrustFromPEM("x", []byte("-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n")); err == nil || !strings.Contains(err.Error(), "PEM block 0") {
		t.Errorf("key block: err = %v", err)
	}
	if _, err := policy.TrustFromPEM("x", nil); err == nil {
		t.Error("empty input: no error")
	}
}

// FuzzJavaKeyStore: arbitrary bytes never panic the JKS reader.
func FuzzJavaKeyStore(f *testing.F) {
	if data, err := os.ReadFile(debianJavaCacerts); err == nil && len(data) > 4096 {
		f.Add(data[:4096])
	}
	f.Add([]byte{0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 'a'})
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := policy.TrustFromJavaKeyStore("fuzz", data, "")
		if err == nil && len(tr.Anchors) == 0 {
			t.Error("no error and no anchors")
		}
	})
}

// FuzzTrustJSON: arbitrary JSON never panics Trust decoding, and a decoded
// store evaluates.
func FuzzTrustJSON(f *testing.F) {
	tr, _ := policy.TrustFromDER("seed", testpki.NewTrust().DER("old-root")...)
	b, _ := json.Marshal(tr)
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var tr policy.Trust
		if json.Unmarshal(data, &tr) != nil {
			return
		}
		s := trustScenario(t, []string{"leaf", "int"}, []string{"old-root"})
		s.Server.Trust = &tr
		policy.Evaluate(s)
	})
}

// TestRealLeafIsAFact: a real certificate (DER) with clientAuth keeps it
// whatever the issuer's cut-over says, until a renewal replaces it; the
// renewed leaf is a forecast and loses clientAuth.
func TestRealLeafIsAFact(t *testing.T) {
	s := trustScenario(t, []string{"leaf", "int"}, []string{"old-root"})
	s.Server.Stack = policy.JavaJSSE
	renew := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	s.Client.Renewal = &policy.Renewal{At: renew, DropsClientAuthFrom: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	s.At = renew.Add(-24 * time.Hour)
	if o := policy.Evaluate(s); o.Verdict != policy.Succeeds || !o.Has(policy.CodeCertificateAccepted) || !o.Has(policy.CodeRenewalDropsClientAuth) {
		t.Errorf("before the renewal: %v %v, want the real certificate accepted and the renewal warned about", o.Verdict, o.Findings())
	}
	s.At = renew.Add(24 * time.Hour)
	if o := policy.Evaluate(s); o.Verdict != policy.Fails || !o.Has(policy.CodeEKULacksClientAuth) {
		t.Errorf("after the renewal: %v %v, want the forecast leaf rejected", o.Verdict, o.Findings())
	}
}

// TestTimelineValidity: the timeline reports the instant a certificate of
// the chain expires.
func TestTimelineValidity(t *testing.T) {
	s := trustScenario(t, []string{"leaf", "int"}, []string{"old-root"})
	s.Server.Stack = policy.GoCryptoTLS
	from, to := time.Date(2044, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2046, 1, 1, 0, 0, 0, 0, time.UTC)
	cs := policy.Timeline(s, from, to)
	want := testpki.NotAfter.Add(time.Nanosecond)
	if len(cs) != 1 || !cs[0].At.Equal(want) || cs[0].To != policy.Fails || !cs[0].Outcome.Has(policy.CodeCertificateExpired) || cs[0].Outcome.AlertFrom != policy.SideServer {
		t.Errorf("Timeline = %+v, want one change to fails (certificate-expired, from the server) at %v", cs, want)
	}
}

// TestTrustStories: the both-directions stories name each verifier's
// assumption, round-trip through JSON, match their golden file and do not
// allocate.
func TestTrustStories(t *testing.T) {
	var b strings.Builder
	for _, s := range products.TrustStories() {
		o := policy.Evaluate(s)
		if !o.TrustAssumed() {
			t.Errorf("%s: no trust-assumed finding: %v", s.Name, o.Findings())
		}
		j, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back policy.Scenario
		if err := json.Unmarshal(j, &back); err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if ob := policy.Evaluate(back); ob.Explain() != o.Explain() {
			t.Errorf("%s: decoded scenario predicts differently", s.Name)
		}
		if n := testing.AllocsPerRun(20, func() { policy.Evaluate(s) }); n != 0 {
			t.Errorf("%s: Evaluate allocates %v times, want 0", s.Name, n)
		}
		b.WriteString(s.Name + "\n" + strings.Repeat("-", len(s.Name)) + "\n" + o.Explain() + "\n")
	}
	golden.Check(t, "testdata/trust_stories.golden", []byte(b.String()))
}

// TestTrustSchema validates scenarios with stores, DER chains and server
// chains, and their outcomes (every trust code and alert side), against
// ScenarioSchema and OutcomeSchema.
func TestTrustSchema(t *testing.T) {
	ss := schematest.Compile(t, "scenario.schema.json", policy.ScenarioSchema)
	osch := schematest.Compile(t, "outcome.schema.json", policy.OutcomeSchema)
	var scenarios []policy.Scenario
	scenarios = append(scenarios, products.TrustStories()...)
	for _, c := range testpki.NewTrust().Cases() {
		tr, err := policy.TrustFromDER(c.Name, c.Store...)
		if err != nil {
			t.Fatal(err)
		}
		ch, err := policy.ChainFromDER(c.Chain...)
		if err != nil {
			t.Fatal(err)
		}
		s := trustScenario(t, []string{"leaf"}, []string{"old-root"})
		s.Client.Chain, s.Server.Trust = ch, tr
		scenarios = append(scenarios, s)
		s.Server.ClientAuth = policy.ClientAuthNone
		s.Server.Chain, s.Client.Trust, s.Client.ServerName, s.Client.Stack = ch, tr, "wrong.example", policy.GoCryptoTLS
		scenarios = append(scenarios, s)
	}
	for _, s := range scenarios {
		schematest.Validate(t, ss, s.Name+" scenario", mustJSON(t, s))
		schematest.Validate(t, osch, s.Name+" outcome", mustJSON(t, policy.Evaluate(s)))
	}
}

// TestRenewalIssuer: a renewal that moves the client's certificate to a CA
// the server's store lacks is warned about before it happens, and after it
// the forecast leaf is judged by that CA's name.
func TestRenewalIssuer(t *testing.T) {
	s := trustScenario(t, []string{"leaf", "int"}, []string{"old-root"})
	s.Server.Stack = policy.JavaJSSE
	renew := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	s.Client.Renewal = &policy.Renewal{At: renew, Issuer: "CN=Example New Root,O=Example"}
	o := policy.Evaluate(s)
	if o.Verdict != policy.Succeeds || !o.Has(policy.CodeRenewalIssuerNotInStore) || !o.Has(policy.CodeChainTrusted) {
		t.Errorf("before the renewal: %v %v, want succeeds with renewal-issuer-not-in-store", o.Verdict, o.Findings())
	}
	s.At = renew.Add(time.Hour)
	if o := policy.Evaluate(s); o.Verdict != policy.Unknown || !o.Has(policy.CodeTrustUndecided) {
		t.Errorf("after the renewal: %v %v, want unknown (trust-undecided: the new issuer is not an anchor by name)", o.Verdict, o.Findings())
	}
	s.Client.Renewal.Issuer = "CN=tlscompat trust old root,O=tlscompat trust test"
	if o := policy.Evaluate(s); o.Verdict != policy.Succeeds || o.Has(policy.CodeRenewalIssuerNotInStore) {
		t.Errorf("renewal to a trusted root: %v %v, want succeeds", o.Verdict, o.Findings())
	}
}
