package policy_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// TestEvidenceJSON: Evidence round-trips as a list of sources with kinds by
// name; bad input is an error that says what is wrong.
func TestEvidenceJSON(t *testing.T) {
	e := policy.Cite(
		policy.Source{Kind: policy.SourceVendor, Locator: "https://example.com/a", Ref: "section 2", Quote: "x"},
		policy.Source{Kind: policy.SourceAssumption, Ref: "y"},
	)
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"kind":"vendor-document","locator":"https://example.com/a","ref":"section 2","quote":"x"},{"kind":"assumption","ref":"y"}]`; string(b) != want {
		t.Errorf("JSON %s\nwant %s", b, want)
	}
	var back policy.Evidence
	if err := json.Unmarshal(b, &back); err != nil || back != e {
		t.Errorf("round trip = %v, %v; want %v", back, err, e)
	}
	if b, _ := json.Marshal(policy.Evidence{}); string(b) != "[]" {
		t.Errorf("zero Evidence JSON = %s, want []", b)
	}
	for _, tc := range []struct{ in, want string }{
		{`[{"kind":"rfc"},{"kind":"rfc"},{"kind":"rfc"},{"kind":"rfc"},{"kind":"rfc"}]`, "5 sources, at most 4"},
		{`[{"kind":"book","locator":"x"}]`, `unknown source kind "book"`},
		{`[{"kind":"unset"}]`, `unknown source kind "unset"`},
		{`{"source":"old form"}`, "evidence"},
	} {
		var e policy.Evidence
		if err := json.Unmarshal([]byte(tc.in), &e); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Unmarshal(%s) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
}

// TestClientAuthVerifies: a server documented only as "verifies" answers
// like both verifying modes where they agree (a certificate is sent), and
// Unknown where they differ (none is sent).
func TestClientAuthVerifies(t *testing.T) {
	leaf := policy.Cert{HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth)}
	srv := policy.Server{Versions: tlsver.SetOf(tlsver.TLS12), ClientAuth: policy.ClientAuthVerifies, Stack: policy.OpenSSL3}
	cl := policy.Client{Versions: tlsver.SetOf(tlsver.TLS12), Chain: &policy.Chain{Certs: []policy.Cert{leaf}, CAs: policy.CAsPermitClientAuth}}
	o := policy.Evaluate(policy.Scenario{Client: cl, Server: srv})
	if f, _ := o.First(policy.EffectFail); o.Verdict != policy.Fails || f.Code != policy.CodeEKULacksClientAuth || o.Alert != 43 || f.Mode != policy.ClientAuthVerifies {
		t.Errorf("serverAuth-only certificate: %v alert %d, finding %v; want fails, 43, eku-lacks-client-auth in mode verifies\n%s", o.Verdict, o.Alert, f, o.Explain())
	}
	cl.Chain = nil
	o = policy.Evaluate(policy.Scenario{Client: cl, Server: srv})
	f, _ := o.First(policy.EffectUnknown)
	if o.Verdict != policy.Unknown || f.Code != policy.CodeClientAuthUnknown || !strings.Contains(f.Detail, "require-and-verify") || strings.Contains(f.Detail, "verify-if-given") {
		t.Errorf("no certificate: %v %v %q; want unknown, client-auth-unknown failing only if require-and-verify\n%s", o.Verdict, f.Code, f.Detail, o.Explain())
	}
	if !policy.ClientAuthVerifies.Verifies() || !policy.ClientAuthVerifies.Requests() || policy.ClientAuthVerifies.Requires() {
		t.Error("ClientAuthVerifies: want Verifies, Requests, not Requires (not known)")
	}
}
