package policy_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/internal/golden"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// storyWant is the expected prediction for a seed story. reason is required:
// it says why the outcome is what it is.
type storyWant struct {
	verdict policy.Verdict
	version tlsver.Version
	code    policy.Code // a finding that must be present
	remedy  policy.RemedyCode
	reason  string
}

// storyAlerts are the expected Outcome.Alert of the failing stories; every
// other story expects none (0).
var storyAlerts = map[string]policy.Alert{
	"genesys-outbound-cert-apr-2026":        43, // OpenSSL X509_V_ERR_INVALID_PURPOSE -> unsupported_certificate
	"genesys-outbound-kamailio-require":     43,
	"genesys-outbound-freeswitch-verify-in": 43,
}

var storyWants = map[string]storyWant{
	"genesys-outbound-cert-jan-2026": {policy.Succeeds, tlsver.TLS12, policy.CodeRenewalDropsClientAuth, policy.RemedyBeforeRenewal,
		"a certificate issued before March 2026 carries clientAuth, so OpenSSL's ssl_client purpose passes; the renewal the week of 2026-03-09 will remove it"},
	"genesys-outbound-cert-apr-2026": {policy.Fails, tlsver.TLS12, policy.CodeEKULacksClientAuth, policy.RemedyStopRequestingClientCerts,
		"a certificate issued after February 2026 lacks clientAuth; OpenSSL verifying a client chain rejects it with alert 43"},
	"genesys-outbound-kamailio-defaults": {policy.Succeeds, tlsver.TLS12, policy.CodeNoCertificateRequest, 0,
		"Kamailio's defaults set SSL_VERIFY_NONE: no CertificateRequest, so the EKU does not matter"},
	"genesys-outbound-kamailio-require": {policy.Fails, tlsver.TLS12, policy.CodeEKULacksClientAuth, policy.RemedyStopRequestingClientCerts,
		"require_certificate=1 sets SSL_VERIFY_PEER|FAIL_IF_NO_PEER_CERT with no callback, so OpenSSL verifies the serverAuth-only certificate"},
	"genesys-outbound-asterisk-defaults": {policy.Succeeds, tlsver.TLS12, policy.CodeNotVerified, 0,
		"PJSIP requests a certificate but its verify callback accepts anything unless verify_client is on"},
	"genesys-outbound-freeswitch-verify-in": {policy.Fails, tlsver.TLS12, policy.CodeEKULacksClientAuth, policy.RemedyStopRequestingClientCerts,
		"tls-verify-policy=in makes sofia-sip require and verify client certificates through OpenSSL"},
	"genesys-inbound": {policy.Succeeds, tlsver.TLS12, policy.CodeNoCertificateRequest, 0,
		"Genesys as TLS server never requests a client certificate; TLS 1.2 is shared"},
	"genesys-dvcp-outbound": {policy.Unknown, tlsver.TLS12, policy.CodeCertificateUnknown, 0,
		"DVCP is documented as not affected, but its certificate's EKU is not documented, and the SBC verifies"},
	"uccx-11.0(1)-salesforce-2017-07-21": {policy.Succeeds, tlsver.TLS10, policy.CodeVersionsFromData, 0,
		"UCCX 11.0(1) speaks only TLS 1.0 as client; Salesforce production still accepted TLS 1.0 before 2017-07-22"},
	"uccx-11.0(1)-salesforce-2017-07-23": {policy.Fails, 0, policy.CodeNoCommonVersion, policy.RemedyUpgrade,
		"Salesforce production disabled TLS 1.0 on 2017-07-22; UCCX 11.0(1) has nothing else; the upgrade table says 11.5(1)SU1"},
	"uccx-11.5(1)SU1-salesforce-2017-07-23": {policy.Succeeds, tlsver.TLS12, policy.CodeVersionNegotiated, 0,
		"UCCX 11.5(1)SU1 speaks TLS 1.1 and 1.2 as client, which Salesforce keeps"},
	"socialminer-11.6-exchange-2013": {policy.Fails, 0, policy.CodeNoCommonVersion, policy.RemedyEnableVersions,
		"SocialMiner 11.6 removed TLS 1.0 and Exchange 2013 uses only TLS 1.0 by default"},
	"socialminer-11.6-exchange-2013-tls12": {policy.Succeeds, tlsver.TLS12, policy.CodeVersionNegotiated, 0,
		"with TLS 1.1/1.2 enabled on Exchange 2013 both sides share TLS 1.2"},
	"uccx-11.5(1)SU1-jdbc-tls10": {policy.Succeeds, tlsver.TLS10, policy.CodeVersionsFromData, 0,
		"the TLS changes apply to HTTPS only; JDBC connections may continue to use TLS 1.0"},
}

// TestStories checks every seed story's prediction and writes the
// explanations to testdata/stories.golden.
func TestStories(t *testing.T) {
	var explained strings.Builder
	seen := map[string]bool{}
	for _, s := range products.Stories() {
		seen[s.Name] = true
		w, ok := storyWants[s.Name]
		if !ok {
			t.Errorf("story %q has no expectation", s.Name)
			continue
		}
		if w.reason == "" {
			t.Fatalf("story %q: reason must be provided", s.Name)
		}
		t.Run(s.Name, func(t *testing.T) {
			o := policy.Evaluate(s)
			if o.Verdict != w.verdict || o.Version != w.version {
				t.Errorf("Evaluate(%s) = %v on %v, want %v on %v (%s)\n%s", s.Name, o.Verdict, o.Version, w.verdict, w.version, w.reason, o.Explain())
			}
			if !o.Has(w.code) {
				t.Errorf("Evaluate(%s): no finding %v (%s)\n%s", s.Name, w.code, w.reason, o.Explain())
			}
			if want := storyAlerts[s.Name]; o.Alert != want {
				t.Errorf("Evaluate(%s).Alert = %d, want %d (%s)", s.Name, o.Alert, want, w.reason)
			}
			// For a failing or unknown story, the named code must be the
			// finding that decides the verdict, not just one of them.
			if w.verdict != policy.Succeeds {
				eff := policy.EffectFail
				if w.verdict == policy.Unknown {
					eff = policy.EffectUnknown
				}
				if f, _ := o.First(eff); f.Code != w.code {
					t.Errorf("Evaluate(%s): deciding finding %v, want %v (%s)", s.Name, f.Code, w.code, w.reason)
				}
			}
			if w.remedy != 0 {
				found := false
				for _, f := range o.Findings() {
					if f.Remedy.Code == w.remedy {
						found = true
					}
				}
				if !found {
					t.Errorf("Evaluate(%s): no remedy %v (%s)\n%s", s.Name, w.remedy, w.reason, o.Explain())
				}
			}
		})
		o := policy.Evaluate(s)
		explained.WriteString("<<< " + s.Name + "\n" + o.Explain())
	}
	for name := range storyWants {
		if !seen[name] {
			t.Errorf("expectation %q has no story", name)
		}
	}
	golden.Check(t, filepath.Join("testdata", "stories.golden"), []byte(explained.String()))
}

// TestTimeline checks "what breaks, and when?" for the two dated changes.
func TestTimeline(t *testing.T) {
	tests := []struct {
		name   string
		s      policy.Scenario
		from   time.Time
		to     time.Time
		want   []time.Time
		verds  []policy.Verdict
		reason string
	}{
		{
			name:   "genesys-renewal",
			s:      policy.Scenario{Client: products.GenesysBYOCCloudOutbound(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), products.GenesysRenewal), Server: products.SBC("SBC", policy.OpenSSL3, policy.ClientAuthRequireAndVerify, tlsver.Range(tlsver.TLS12, tlsver.TLS13))},
			from:   time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
			to:     time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
			want:   []time.Time{products.GenesysRenewal},
			verds:  []policy.Verdict{policy.Fails},
			reason: "the renewal on 2026-03-09 issues a certificate without clientAuth",
		},
		{
			name:   "salesforce-tls10",
			s:      policy.Scenario{Client: products.UCCXClient("11.0(1)"), Server: products.Salesforce(tlsver.SalesforceProduction), Protocol: tlsver.HTTPS},
			from:   time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC),
			to:     time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC),
			want:   []time.Time{time.Date(2017, 7, 22, 7, 0, 0, 0, time.UTC)},
			verds:  []policy.Verdict{policy.Fails},
			reason: "Salesforce production disables TLS 1.0 on 2017-07-22 (00:00 PDT in the data)",
		},
		{
			// Two changes in one range, both from the data (renewal
			// window start and end).
			name: "genesys-renewal-window",
			s: func() policy.Scenario {
				c := products.GenesysBYOCCloudOutbound(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), products.GenesysRenewal)
				c.Renewal.WindowDays = products.GenesysRenewalWindowDays
				return policy.Scenario{Client: c, Server: products.SBC("SBC", policy.OpenSSL3, policy.ClientAuthRequireAndVerify, tlsver.Range(tlsver.TLS12, tlsver.TLS13))}
			}(),
			from:   time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
			to:     time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
			want:   []time.Time{time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)},
			verds:  []policy.Verdict{policy.Unknown, policy.Fails},
			reason: "the renewal is announced for the week of 2026-03-09: unknown during that week, failing after it",
		},
		{
			name: "renewal-mid-day",
			s: policy.Scenario{
				Client: policy.Client{Name: "app", Versions: tlsver.SetOf(tlsver.TLS12),
					Chain:   &policy.Chain{Certs: []policy.Cert{{HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth, eku.ClientAuth), NotBefore: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}}, CAs: policy.CAsPermitClientAuth},
					Renewal: &policy.Renewal{At: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC), WindowDays: 0, DropsClientAuthFrom: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}},
				Server: products.SBC("SBC", policy.GoCryptoTLS, policy.ClientAuthRequireAndVerify, tlsver.SetOf(tlsver.TLS12)),
			},
			from:   time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
			to:     time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
			want:   []time.Time{time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)},
			verds:  []policy.Verdict{policy.Fails},
			reason: "a renewal at 09:00 drops clientAuth and Go rejects the new certificate from that instant, not from midnight",
		},
		{
			name:   "sandbox-and-production",
			s:      policy.Scenario{Client: products.UCCXClient("11.0(1)"), Server: products.Salesforce(tlsver.SalesforceSandbox), Protocol: tlsver.HTTPS},
			from:   time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC),
			to:     time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC),
			want:   []time.Time{time.Date(2016, 6, 25, 16, 30, 0, 0, time.UTC)},
			verds:  []policy.Verdict{policy.Fails},
			reason: "Salesforce sandboxes disable TLS 1.0 on 2016-06-25 16:30 UTC; the production cut-off in the same matrix does not change a sandbox's answer",
		},
		{
			name:   "salesforce-tls10-upgraded",
			s:      policy.Scenario{Client: products.UCCXClient("11.5(1)SU1"), Server: products.Salesforce(tlsver.SalesforceProduction), Protocol: tlsver.HTTPS},
			from:   time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC),
			to:     time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC),
			reason: "UCCX 11.5(1)SU1 negotiates TLS 1.2 before and after",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := policy.Timeline(tc.s, tc.from, tc.to)
			var at []time.Time
			var vs []policy.Verdict
			for _, c := range got {
				at = append(at, c.At.UTC())
				vs = append(vs, c.To)
			}
			if diff := cmp.Diff(tc.want, at); diff != "" {
				t.Errorf("Timeline(%s) instants mismatch (-want +got) (%s):\n%s", tc.name, tc.reason, diff)
			}
			if diff := cmp.Diff(tc.verds, vs); diff != "" {
				t.Errorf("Timeline(%s) verdicts mismatch (-want +got) (%s):\n%s", tc.name, tc.reason, diff)
			}
		})
	}
}

// TestJSONRoundTrip checks that every story's Scenario and Outcome survive
// JSON and that the decoded scenario predicts the same outcome.
func TestJSONRoundTrip(t *testing.T) {
	for _, s := range products.Stories() {
		t.Run(s.Name, func(t *testing.T) {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			var back policy.Scenario
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("json.Unmarshal(%s): %v", b, err)
			}
			if diff := cmp.Diff(s, back, cmp.Comparer(func(a, b eku.PurposeSet) bool { return a == b })); diff != "" {
				t.Errorf("Scenario round trip mismatch (-want +got):\n%s", diff)
			}
			o := policy.Evaluate(s)
			ob, err := json.Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			var oback policy.Outcome
			if err := json.Unmarshal(ob, &oback); err != nil {
				t.Fatalf("json.Unmarshal(outcome %s): %v", ob, err)
			}
			ob2, _ := json.Marshal(oback)
			if string(ob) != string(ob2) {
				t.Errorf("Outcome round trip differs:\n%s\n%s", ob, ob2)
			}
			o2 := policy.Evaluate(back)
			if o2.Explain() != o.Explain() {
				t.Errorf("decoded scenario predicts differently:\n%s\nvs\n%s", o.Explain(), o2.Explain())
			}
		})
	}
}

// TestBadJSON checks that malformed input gives an error, not a panic.
func TestBadJSON(t *testing.T) {
	for _, in := range []string{
		`{"server":{"stack":"bogus"}}`,
		`{"server":{"client_auth":"maybe"}}`,
		`{"client":{"chain":{"certs":[{"eku":["notapurpose"]}]}}}`,
		`{"client":{"chain":{"certs":[{"key_usage":["x"]}]}}}`,
		`{"client":{"chain":{"cas":"some"}}}`,
		`{"at":"yesterday"}`,
	} {
		var s policy.Scenario
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("json.Unmarshal(%s) = nil error, want an error", in)
		}
	}
}

// TestChecks shows a service check passed as a value.
func TestChecks(t *testing.T) {
	s := products.Stories()[len(products.Stories())-1] // JDBC on TLS 1.0
	o := policy.Evaluate(s, policy.WithChecks(policy.MinVersion(tlsver.TLS12)))
	if o.Verdict != policy.Fails || !o.Has(policy.CodeBelowMinimumVersion) {
		t.Errorf("Evaluate(%s, MinVersion(TLS 1.2)) = %v, want fails with below-minimum-version\n%s", s.Name, o.Verdict, o.Explain())
	}
	o = policy.Evaluate(s)
	if o.Verdict != policy.Succeeds {
		t.Errorf("Evaluate(%s) = %v, want succeeds without the check", s.Name, o.Verdict)
	}
	custom := policy.CheckFunc(func(s *policy.Scenario, o *policy.Outcome) {
		o.Add(policy.Finding{Code: policy.CodeCheck, Effect: policy.EffectUnknown, Detail: "organisation rule needs review"})
	})
	o = policy.Evaluate(s, policy.WithChecks(custom))
	if o.Verdict != policy.Unknown {
		t.Errorf("Evaluate with an unknown-effect check = %v, want unknown", o.Verdict)
	}
}

// TestPartialDataIsNotProof: a data row that lists only some of an
// endpoint's versions (UCCX 15.0(1): TLS 1.2 stated, TLS 1.3 not) cannot
// prove that no version is shared with a TLS 1.3-only peer: unknown, not
// fails. A peer that shares the stated version still succeeds.
func TestPartialDataIsNotProof(t *testing.T) {
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	s := policy.Scenario{
		Client: policy.Client{Name: "UCCX", Product: "UCCX", Release: "15.0(1)"},
		Server: policy.Server{Name: "TLS 1.3-only peer", Versions: tlsver.SetOf(tlsver.TLS13), ClientAuth: policy.ClientAuthNone},
		At:     at, Protocol: tlsver.HTTPS,
	}
	if o := policy.Evaluate(s); o.Verdict != policy.Unknown {
		t.Errorf("UCCX 15.0(1) -> TLS 1.3-only: %v, want unknown\n%s", o.Verdict, o.Explain())
	}
	s.Server.Versions = tlsver.Range(tlsver.TLS12, tlsver.TLS13)
	if o := policy.Evaluate(s); o.Verdict != policy.Succeeds {
		t.Errorf("UCCX 15.0(1) -> TLS 1.2-1.3: %v, want succeeds\n%s", o.Verdict, o.Explain())
	}
}
