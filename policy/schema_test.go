package policy_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/internal/schematest"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSchemaStories validates every built-in story's Scenario and Outcome
// JSON, at the story's instant and across the Genesys renewal, against
// ScenarioSchema and OutcomeSchema.
func TestSchemaStories(t *testing.T) {
	ss := schematest.Compile(t, "scenario.schema.json", policy.ScenarioSchema)
	osch := schematest.Compile(t, "outcome.schema.json", policy.OutcomeSchema)
	for _, s := range products.Stories() {
		schematest.Validate(t, ss, "story "+s.Name+" scenario", mustJSON(t, s))
		o := policy.Evaluate(s)
		schematest.Validate(t, osch, "story "+s.Name+" outcome", mustJSON(t, o))
		for _, c := range policy.Timeline(s, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
			schematest.Validate(t, osch, "story "+s.Name+" timeline outcome at "+c.At.String(), mustJSON(t, c.Outcome))
		}
	}
}

// TestSchemaSweep validates the outcomes of Genesys-style scenarios over
// every stack, client-certificate mode and client chain kind, so that every
// finding field the evaluator fills appears in a validated document.
func TestSchemaSweep(t *testing.T) {
	ss := schematest.Compile(t, "scenario.schema.json", policy.ScenarioSchema)
	osch := schematest.Compile(t, "outcome.schema.json", policy.OutcomeSchema)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	windowed := products.GenesysBYOCCloudOutbound(day(2026, 1, 15), products.GenesysRenewal)
	windowed.Renewal.WindowDays = products.GenesysRenewalWindowDays
	withIssuer := policy.Client{Name: "client with issuer", Versions: tlsver.SetOf(tlsver.TLS12), Chain: &policy.Chain{Certs: []policy.Cert{
		{Subject: "CN=leaf", Issuer: "CN=Some CA", HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth, eku.Any), HasKeyUsage: true, KeyUsage: eku.KeyUsageKeyEncipherment, HasNSCertType: true, NSCertType: policy.NSCertTypeSSLServer},
		{Subject: "CN=Some CA", Issuer: "CN=Some CA", IsCA: true, HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth)},
	}, CAs: policy.CAsComplete}}
	clients := []policy.Client{
		windowed,
		products.GenesysBYOCCloudOutbound(day(2026, 4, 15), time.Time{}),
		products.GenesysDVCPOutbound(),
		withIssuer,
		{Name: "no chain", Versions: tlsver.Range(tlsver.TLS10, tlsver.TLS13), WithholdsUnsuitable: true},
		products.UCCXClient("11.0(1)"),
	}
	var stacks []policy.Stack
	for st := policy.Stack(0); !strings.HasPrefix(st.String(), "stack("); st++ {
		stacks = append(stacks, st)
	}
	seen := map[policy.Code]bool{}
	for _, c := range clients {
		for _, st := range stacks {
			for m := policy.ClientAuthMode(0); !strings.HasPrefix(m.String(), "client-auth("); m++ {
				srv := products.SBC("SBC", st, m, tlsver.Range(tlsver.TLS12, tlsver.TLS13))
				srv.AcceptedCAs = []string{"CN=Other CA"}
				if st == policy.GnuTLS {
					srv.StackVersion = "3.7.9"
				}
				for _, at := range []time.Time{day(2026, 2, 1), day(2026, 3, 10), day(2026, 4, 20)} {
					s := policy.Scenario{Name: "sweep", Client: c, Server: srv, At: at, Protocol: tlsver.SIP}
					schematest.Validate(t, ss, "sweep scenario", mustJSON(t, s))
					o := policy.Evaluate(s, policy.WithChecks(policy.MinVersion(tlsver.TLS13)))
					schematest.Validate(t, osch, "sweep outcome", mustJSON(t, o))
					for _, f := range o.Findings() {
						seen[f.Code] = true
					}
				}
			}
		}
	}
	t.Logf("the sweep validated outcomes with %d distinct finding codes", len(seen))
	if len(seen) < 15 {
		t.Errorf("the sweep produced only %d distinct finding codes; it no longer exercises the schema", len(seen))
	}
}

// TestSchemaRejects: the schemas are not vacuous; documents that break the
// contract fail.
func TestSchemaRejects(t *testing.T) {
	ss := schematest.Compile(t, "scenario.schema.json", policy.ScenarioSchema)
	osch := schematest.Compile(t, "outcome.schema.json", policy.OutcomeSchema)
	s := products.Stories()[0]
	good := string(mustJSON(t, s))
	o := policy.Evaluate(s)
	goodO := string(mustJSON(t, o))
	for _, tc := range []struct {
		what string
		doc  string
		bad  bool
	}{
		{"the story", good, false},
		{"an unknown stack", strings.Replace(good, `"stack":"openssl3"`, `"stack":"openssl4"`, 1), true},
		{"an unknown mode", strings.Replace(good, `"client_auth":"require-and-verify"`, `"client_auth":"sometimes"`, 1), true},
		{"a time that is not RFC 3339", strings.Replace(good, `"at":"2026-02-01T00:00:00Z"`, `"at":"1 Feb 2026"`, 1), true},
		{"a Go field name", strings.Replace(good, `"client_auth":`, `"ClientAuth":`, 1), true},
		{"no client", `{"server":{"client_auth":"none","stack":"unknown"},"at":"2026-02-01T00:00:00Z"}`, true},
		{"an unknown key usage bit", strings.Replace(good, `"digitalSignature"`, `"signing"`, 1), true},
	} {
		if err := schematest.Check(ss, []byte(tc.doc)); (err != nil) != tc.bad {
			t.Errorf("scenario with %s: validation error %v, want error %v", tc.what, err, tc.bad)
		}
	}
	for _, tc := range []struct {
		what string
		doc  string
		bad  bool
	}{
		{"the outcome", goodO, false},
		{"an unknown verdict", strings.Replace(goodO, `"verdict":"succeeds"`, `"verdict":"maybe"`, 1), true},
		{"an unknown code", strings.Replace(goodO, `"code":"version-negotiated"`, `"code":"fine"`, 1), true},
		{"a numeric effect", strings.Replace(goodO, `"effect":"info"`, `"effect":1`, 1), true},
		{"no findings", `{"verdict":"succeeds"}`, true},
		{"a finding without evidence", `{"verdict":"succeeds","findings":[{"code":"check","effect":"info","message":"m"}]}`, true},
	} {
		if err := schematest.Check(osch, []byte(tc.doc)); (err != nil) != tc.bad {
			t.Errorf("outcome with %s: validation error %v, want error %v", tc.what, err, tc.bad)
		}
	}
}

// TestSchemaVocabularies: every enumeration in the schemas equals the
// package's vocabulary, so a new code, stack or mode cannot be added
// without the schema.
func TestSchemaVocabularies(t *testing.T) {
	defs := func(doc []byte) map[string]struct {
		Enum []string `json:"enum"`
	} {
		var d struct {
			Defs map[string]struct {
				Enum []string `json:"enum"`
			} `json:"$defs"`
		}
		if err := json.Unmarshal(doc, &d); err != nil {
			t.Fatal(err)
		}
		return d.Defs
	}
	names := func(prefix string, str func(i int) string) []string {
		var out []string
		for i := 0; ; i++ {
			s := str(i)
			if strings.HasPrefix(s, prefix) {
				return out
			}
			if s != "" {
				out = append(out, s)
			}
		}
	}
	sd, od := defs(policy.ScenarioSchema), defs(policy.OutcomeSchema)
	stacks := names("stack(", func(i int) string { return policy.Stack(i).String() })
	modes := names("client-auth(", func(i int) string { return policy.ClientAuthMode(i).String() })
	var versions []string
	for v := tlsver.SSL30; v <= tlsver.TLS13; v++ {
		versions = append(versions, v.String())
	}
	var protocols []string
	for p := tlsver.Protocol(1); !strings.HasPrefix(p.String(), "protocol("); p++ {
		protocols = append(protocols, p.String())
	}
	var remedyDef struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(policy.OutcomeSchema, &remedyDef); err != nil {
		t.Fatal(err)
	}
	var scenarioDefs struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum  []string `json:"enum"`
				Items struct {
					Enum []string `json:"enum"`
				} `json:"items"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(policy.ScenarioSchema, &scenarioDefs); err != nil {
		t.Fatal(err)
	}
	var kuBits []string
	for i := 0; i < 16; i++ {
		kuBits = append(kuBits, eku.KeyUsage(1<<i).String())
	}
	for _, tc := range []struct {
		where      string
		got, wants []string
	}{
		{"scenario stack", sd["stack"].Enum, stacks},
		{"scenario client_auth", sd["client_auth"].Enum, modes},
		{"scenario protocol", sd["protocol"].Enum, protocols},
		{"scenario chain cas", scenarioDefs.Defs["chain"].Properties["cas"].Enum, names("cas(", func(i int) string { return policy.CAs(i).String() })},
		{"scenario cert key_usage", scenarioDefs.Defs["cert"].Properties["key_usage"].Items.Enum, kuBits},
		{"outcome stack", od["stack"].Enum, stacks},
		{"outcome client_auth", od["client_auth"].Enum, modes},
		{"outcome verdict", od["verdict"].Enum, names("verdict(", func(i int) string { return policy.Verdict(i).String() })},
		{"outcome effect", od["effect"].Enum, names("effect(", func(i int) string { return policy.Effect(i).String() })},
		{"outcome code", od["code"].Enum, names("code(", func(i int) string { return policy.Code(i).String() })},
		{"outcome version", od["version"].Enum, versions},
		{"outcome remedy code", remedyDef.Defs["remedy"].Properties["code"].Enum, names("remedy(", func(i int) string { return policy.RemedyCode(i).String() })},
		{"outcome source kind", remedyDef.Defs["source"].Properties["kind"].Enum, names("source-kind(", func(i int) string { return policy.SourceKind(i + 1).String() })},
		{"scenario source kind", scenarioDefs.Defs["source"].Properties["kind"].Enum, names("source-kind(", func(i int) string { return policy.SourceKind(i + 1).String() })},
		{"scenario client remedy_for_eku", scenarioDefs.Defs["client"].Properties["remedy_for_eku"].Enum, names("remedy(", func(i int) string { return policy.RemedyCode(i).String() })},
	} {
		if !slices.Equal(tc.got, tc.wants) {
			t.Errorf("%s enumeration = %q, the package's vocabulary is %q: update policy/schema", tc.where, tc.got, tc.wants)
		}
	}
}
