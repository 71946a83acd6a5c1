package issuers

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/policy"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestBuiltinCutovers(t *testing.T) {
	d := Builtin()
	cases := []struct {
		what, name string
		scope      Scope
		from, to   string // to == from: exact
	}{
		// Let's Encrypt 2025-05-14 post; the tlsclient end disagrees with third-party reports of an update.
		{"ca", "Let's Encrypt", ScopeDefault, "2026-02-11", "2026-02-11"},
		{"ca", "letsencrypt", ScopeHardStop, "2026-05-13", "2026-07-08"},
		// DigiCert ALERT53: the 2025 hard stop is superseded by the 2026 revision.
		{"ca", "DigiCert", ScopeDefault, "2025-10-01", "2025-10-01"},
		{"ca", "GeoTrust", ScopeHardStop, "2027-03-01", "2027-03-01"},
		// Sectigo FAQ against a reseller and a third party.
		{"ca", "Sectigo", ScopeDefault, "2025-09-15", "2025-10-07"},
		{"ca", "sectigo", ScopeHardStop, "2026-05-15", "2027-02-10"},
		// Google Trust Services: "the week of".
		{"ca", "GTS", ScopeDefault, "2025-11-10", "2025-11-17"},
		{"ca", "Google Trust Services", ScopeHardStop, "2026-04-13", "2026-04-20"},
		// GlobalSign: 2026 Q3.
		{"ca", "GlobalSign", ScopeHardStop, "2026-07-01", "2026-10-01"},
		{"ca", "Certum", ScopeHardStop, "2026-05-15", "2026-05-15"},
		// Chrome Root Program Policy 1.7 and 1.8.
		{"rp", "Chrome", ScopeSubordinateCA, "2026-06-15", "2026-06-15"},
		{"rp", "Chrome Root Program", ScopeSubscriber, "2027-03-15", "2027-03-15"},
	}
	for _, c := range cases {
		t.Run(c.name+"/"+c.scope.String(), func(t *testing.T) {
			var co Cutover
			var err error
			if c.what == "ca" {
				co, err = d.CACutover(c.name, c.scope)
			} else {
				co, err = d.RootProgramCutover(c.name, c.scope)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !co.From.Equal(day(c.from)) || !co.Until.Equal(day(c.to)) {
				t.Errorf("range [%s, %s), want [%s, %s)", co.From.Format(time.DateOnly), co.Until.Format(time.DateOnly), c.from, c.to)
			}
			if co.Exact() != (c.from == c.to) {
				t.Errorf("Exact = %v", co.Exact())
			}
			for _, dt := range co.Dates {
				if dt.Source.URL == "" || dt.Statement == "" {
					t.Errorf("date without provenance: %+v", dt)
				}
			}
		})
	}
}

func TestIssuedWithClientAuth(t *testing.T) {
	d := Builtin()
	sec, _ := d.CACutover("Sectigo", ScopeHardStop) // [2026-05-15, 2027-02-10)
	ex, _ := d.CACutover("Certum", ScopeHardStop)   // exact 2026-05-15
	cases := []struct {
		c    Cutover
		at   string
		want Answer
	}{
		{sec, "2026-05-14", Yes},
		{sec, "2026-05-15", AnswerUnknown},
		{sec, "2026-12-31", AnswerUnknown},
		{sec, "2027-02-10", No},
		{ex, "2026-05-14", Yes},
		{ex, "2026-05-15", No},
	}
	for _, c := range cases {
		if got := c.c.IssuedWithClientAuth(day(c.at)); got != c.want {
			t.Errorf("%s %s at %s: %v, want %v", c.c.Subject, c.c.Scope, c.at, got, c.want)
		}
	}
	if _, ok := sec.DropsClientAuthFrom(); ok {
		t.Error("a range has no single DropsClientAuthFrom")
	}
	if at, ok := ex.DropsClientAuthFrom(); !ok || !at.Equal(day("2026-05-15")) {
		t.Errorf("Certum DropsClientAuthFrom = %v, %v", at, ok)
	}
}

func TestRenewal(t *testing.T) {
	d := Builtin()
	sec, _ := d.CACutover("Sectigo", ScopeHardStop)
	certum, _ := d.CACutover("Certum", ScopeHardStop)

	r, err := certum.Renewal(day("2026-06-01"), 0)
	if err != nil || !r.DropsClientAuthFrom.Equal(day("2026-05-15")) || !r.At.Equal(day("2026-06-01")) {
		t.Fatalf("Certum renewal = %+v, %v", r, err)
	}
	if !strings.Contains(renewalText(r), "support.certum.eu") {
		t.Errorf("source %q does not cite Certum", renewalText(r))
	}
	var re *RangeError
	if _, err := sec.Renewal(day("2026-08-01"), 0); !errors.As(err, &re) || !re.Renewal.Equal(day("2026-08-01")) {
		t.Errorf("renewal inside the range: err = %v, want *RangeError", err)
	} else if !strings.Contains(err.Error(), "comparecheapssl") || !strings.Contains(err.Error(), "sectigo.com") {
		t.Errorf("range error does not name both sources: %v", err)
	}
	// Before the range, renewed yearly: the second renewal lands inside.
	if _, err := sec.Renewal(day("2026-01-01"), 200); !errors.As(err, &re) || !re.Renewal.Equal(day("2026-07-20")) {
		t.Errorf("periodic renewal into the range: err = %v", err)
	}
	// Before the range and the next one after it: decided.
	if r, err := sec.Renewal(day("2026-01-01"), 500); err != nil || !r.DropsClientAuthFrom.Equal(day("2026-05-15")) {
		t.Errorf("renewals around the range: %+v, %v", r, err)
	}
	if r, err := sec.Renewal(day("2027-03-01"), 90); err != nil || r == nil {
		t.Errorf("renewal after the range: %v", err)
	}
	if _, err := certum.Renewal(day("2026-01-01"), -1); err == nil {
		t.Error("negative interval accepted")
	}
}

func TestForecast(t *testing.T) {
	r, err := Forecast("DigiCert", false, day("2026-01-10"), 0)
	if err != nil || !r.DropsClientAuthFrom.Equal(day("2025-10-01")) {
		t.Errorf("DigiCert default: %+v, %v", r, err)
	}
	r, err = Forecast("digicert", true, day("2026-01-10"), 0)
	if err != nil || !r.DropsClientAuthFrom.Equal(day("2027-03-01")) {
		t.Errorf("DigiCert opted in: %+v, %v", r, err)
	}
	// No default cut-over announced: the hard stop applies either way.
	r, err = Forecast("Certum", false, day("2026-01-10"), 0)
	if err != nil || !r.DropsClientAuthFrom.Equal(day("2026-05-15")) {
		t.Errorf("Certum: %+v, %v", r, err)
	}
	if _, err := Forecast("Let's Encrypt", true, day("2026-06-01"), 0); !errors.As(err, new(*RangeError)) {
		t.Errorf("LE tlsclient inside [05-13, 07-08): err = %v", err)
	}
	if _, err := Forecast("Acme CA", false, day("2026-01-10"), 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown CA: err = %v", err)
	}
	// WithData replaces the built-in data.
	mine, err := Parse([]byte(`{"schema":"issuers/v1","sources":[{"id":"x","kind":"vendor","url":"https://example.com/","title":"t"}],
		"cas":[{"name":"Acme CA","cutovers":[{"scope":"hard-stop","dates":[{"date":"2026-09-01","source":"x","statement":"s"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := Forecast("Acme CA", false, day("2026-01-10"), 0, WithData(mine)); err != nil || !r.DropsClientAuthFrom.Equal(day("2026-09-01")) {
		t.Errorf("WithData: %+v, %v", r, err)
	}
}

func TestProviders(t *testing.T) {
	d := Builtin()
	g, err := d.Provider("Genesys", Outbound)
	if err != nil {
		t.Fatal(err)
	}
	if g.Role != RoleClient || len(g.Issuers) != 2 {
		t.Errorf("Genesys outbound: role %v, %d issuers", g.Role, len(g.Issuers))
	}
	r, err := g.Renewal()
	if err != nil {
		t.Fatal(err)
	}
	if !r.At.Equal(day("2026-03-09")) || r.WindowDays != 7 || !r.DropsClientAuthFrom.Equal(day("2026-03-01")) {
		t.Errorf("Genesys renewal = %+v", r)
	}
	// The data agrees with policy's own Genesys profile at every day of 2026.
	issued := day("2025-06-01")
	ours := genesysOutbound(issued, genesysRenewal)
	ours.Renewal = r
	theirs := genesysOutbound(issued, genesysRenewal)
	theirs.Renewal.WindowDays = genesysWindowDays
	srv := sbcServer("sbc", policy.OpenSSL3, policy.ClientAuthRequireAndVerify, 0)
	srv.Versions = ours.Versions
	for at := day("2026-01-01"); at.Before(day("2027-01-01")); at = at.AddDate(0, 0, 1) {
		a := policy.Evaluate(policy.Scenario{Client: ours, Server: srv, At: at})
		b := policy.Evaluate(policy.Scenario{Client: theirs, Server: srv, At: at})
		if a.Verdict != b.Verdict {
			t.Fatalf("%s: data %v, policy profile %v", at.Format(time.DateOnly), a.Verdict, b.Verdict)
		}
	}

	in, err := d.Provider("BYOC Cloud", Inbound)
	if err != nil || in.Role != RoleServer || in.ClientAuth != policy.ClientAuthNone {
		t.Errorf("Genesys inbound: %+v, %v", in, err)
	}
	teams, err := d.Provider("Teams Direct Routing", Outbound)
	if err != nil {
		t.Fatal(err)
	}
	if len(teams.Issuers) != 1 || !teams.Issuers[0].Since.Equal(day("2023-10-03")) {
		t.Errorf("Teams issuers = %+v", teams.Issuers)
	}
	c, ok := teams.Cutover(ScopeHardStop)
	if !ok || !c.From.Equal(day("2026-03-01")) || !c.Until.Equal(day("2026-07-01")) {
		t.Errorf("Teams proxies cut-over = %+v", c)
	}
	for _, dt := range c.Dates {
		if dt.Source.Kind != KindThirdParty {
			t.Errorf("Teams 2026 date from %v source; only third parties were found", dt.Source.Kind)
		}
	}
	x, err := d.Provider("Expressway", Outbound)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := x.Cutover(ScopeHardStop); !ok || !c.From.Equal(day("2026-06-01")) || !c.Until.Equal(day("2027-04-01")) {
		t.Errorf("Expressway cut-over = %+v", c)
	}
	if _, err := x.Renewal(); !errors.Is(err, ErrNotFound) {
		t.Errorf("Expressway has no announced renewal: err = %v", err)
	}
	if _, err := d.Provider("Genesys", DirectionUnknown); !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v", err)
	}
}

func TestProviderRenewalRange(t *testing.T) {
	d, err := Parse([]byte(`{"schema":"issuers/v1","sources":[{"id":"x","kind":"vendor","url":"https://example.com/","title":"t"}],
		"providers":[{"name":"P","direction":"outbound","role":"client","presents":"its cert",
		  "cutovers":[{"scope":"hard-stop","dates":[{"date":"2026-03","source":"x","statement":"s"}]}],
		  "renewals":[{"date":"2026-02-27","within_days":7,"source":"x","statement":"s"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := d.Provider("P", Outbound)
	if _, err := p.Renewal(); !errors.As(err, new(*RangeError)) {
		t.Errorf("renewal window meeting a month-long cut-over: err = %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	const src = `"sources":[{"id":"x","kind":"vendor","url":"https://example.com/","title":"t"}]`
	ca := func(cut string) string {
		return `{"schema":"issuers/v1",` + src + `,"cas":[{"name":"A","cutovers":[` + cut + `]}]}`
	}
	cases := []struct {
		name, in, path string
	}{
		{"empty", ``, ""},
		{"syntax", `{"schema":`, ""},
		{"trailing", `{"schema":"issuers/v1",` + src + `} {}`, ""},
		{"schema", `{"schema":"issuers/v2",` + src + `}`, "schema"},
		{"no sources", `{"schema":"issuers/v1","sources":[]}`, "sources"},
		{"unknown top", `{"schema":"issuers/v1",` + src + `,"extra":1}`, "extra"},
		{"unknown nested", ca(`{"scope":"default","dates":[{"date":"2026-01-01","source":"x","statement":"s","confidence":"high"}]}`), "cas[0].cutovers[0].dates[0].confidence"},
		{"type", `{"schema":"issuers/v1","sources":[{"id":1}]}`, "sources.id"},
		{"dup id", `{"schema":"issuers/v1","sources":[{"id":"x","kind":"vendor","url":"https://a/","title":"t"},{"id":"x","kind":"vendor","url":"https://a/","title":"t"}]}`, "sources[1].id"},
		{"kind", `{"schema":"issuers/v1","sources":[{"id":"x","kind":"blog","url":"https://a/","title":"t"}]}`, "sources[0].kind"},
		{"http", `{"schema":"issuers/v1","sources":[{"id":"x","kind":"vendor","url":"http://a/","title":"t"}]}`, "sources[0].url"},
		{"published", `{"schema":"issuers/v1","sources":[{"id":"x","kind":"vendor","url":"https://a/","title":"t","published":"May 2025"}]}`, "sources[0].published"},
		{"date", ca(`{"scope":"default","dates":[{"date":"2026-13-01","source":"x","statement":"s"}]}`), "cas[0].cutovers[0].dates[0].date"},
		{"source ref", ca(`{"scope":"default","dates":[{"date":"2026-01-01","source":"y","statement":"s"}]}`), "cas[0].cutovers[0].dates[0].source"},
		{"statement", ca(`{"scope":"default","dates":[{"date":"2026-01-01","source":"x","statement":" "}]}`), "cas[0].cutovers[0].dates[0].statement"},
		{"scope", ca(`{"scope":"subscriber","dates":[{"date":"2026-01-01","source":"x","statement":"s"}]}`), "cas[0].cutovers[0].scope"},
		{"scope twice", ca(`{"scope":"default","dates":[{"date":"2026-01-01","source":"x","statement":"s"}]},{"scope":"default","dates":[{"date":"2026-01-01","source":"x","statement":"s"}]}`), "cas[0].cutovers[1].scope"},
		{"all superseded", ca(`{"scope":"default","dates":[{"date":"2026-01-01","source":"x","statement":"s","superseded":true}]}`), "cas[0].cutovers[0].dates"},
		{"within", ca(`{"scope":"default","dates":[{"date":"2026-01-01","within_days":-1,"source":"x","statement":"s"}]}`), "cas[0].cutovers[0].dates[0].within_days"},
		{"no cutovers", `{"schema":"issuers/v1",` + src + `,"cas":[{"name":"A","cutovers":[]}]}`, "cas[0].cutovers"},
		{"dup name", `{"schema":"issuers/v1",` + src + `,"cas":[{"name":"A","cutovers":[{"scope":"default","dates":[{"date":"2026-01-01","source":"x","statement":"s"}]}]},{"name":"B","aliases":["a"],"cutovers":[{"scope":"default","dates":[{"date":"2026-01-01","source":"x","statement":"s"}]}]}]}`, "cas[1].name"},
		{"direction", `{"schema":"issuers/v1",` + src + `,"providers":[{"name":"P","direction":"both","role":"client","presents":"c"}]}`, "providers[0].direction"},
		{"role", `{"schema":"issuers/v1",` + src + `,"providers":[{"name":"P","direction":"inbound","role":"proxy","presents":"c"}]}`, "providers[0].role"},
		{"client_auth on client", `{"schema":"issuers/v1",` + src + `,"providers":[{"name":"P","direction":"inbound","role":"client","client_auth":"none","presents":"c"}]}`, "providers[0].client_auth"},
		{"client_auth word", `{"schema":"issuers/v1",` + src + `,"providers":[{"name":"P","direction":"inbound","role":"server","client_auth":"optional","presents":"c"}]}`, "providers[0].client_auth"},
		{"presents", `{"schema":"issuers/v1",` + src + `,"providers":[{"name":"P","direction":"inbound","role":"server","presents":""}]}`, "providers[0].presents"},
		{"issuer source", `{"schema":"issuers/v1",` + src + `,"providers":[{"name":"P","direction":"inbound","role":"server","presents":"c","issuers":[{"ca":"A","source":"z","statement":"s"}]}]}`, "providers[0].issuers[0].source"},
		{"issuer since", `{"schema":"issuers/v1",` + src + `,"providers":[{"name":"P","direction":"inbound","role":"server","presents":"c","issuers":[{"ca":"A","since":"2023","source":"x","statement":"s"}]}]}`, "providers[0].issuers[0].since"},
		{"provider twice", `{"schema":"issuers/v1",` + src + `,"providers":[{"name":"P","direction":"inbound","role":"server","presents":"c"},{"name":"Q","aliases":["p"],"direction":"inbound","role":"server","presents":"c"}]}`, "providers[1].name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(c.in))
			var se *SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *SchemaError", err)
			}
			if se.Path != c.path {
				t.Errorf("path %q, want %q (%v)", se.Path, c.path, err)
			}
		})
	}
}

// TestJSONSchemaMatchesLoader checks that schema.json and the loader's
// structs name the same members, so that neither accepts what the other
// rejects by name.
func TestJSONSchemaMatchesLoader(t *testing.T) {
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Required   []string                   `json:"required"`
		} `json:"$defs"`
		Required []string `json:"required"`
	}
	if err := json.Unmarshal(JSONSchema(), &s); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]json.RawMessage) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	tags := func(v any) []string {
		var out []string
		rt := reflect.TypeOf(v)
		for i := 0; i < rt.NumField(); i++ {
			out = append(out, strings.Split(rt.Field(i).Tag.Get("json"), ",")[0])
		}
		sort.Strings(out)
		return out
	}
	pairs := []struct {
		def string
		v   any
	}{
		{"source", sourceData{}}, {"subject", subjectData{}}, {"cutover", cutoverData{}}, {"dated", datedData{}},
		{"provider", providerData{}}, {"issuer", issuerData{}}, {"sourced", noteData{}},
	}
	if got, want := keys(s.Properties), tags(fileData{}); !reflect.DeepEqual(got, want) {
		t.Errorf("top level: schema %v, loader %v", got, want)
	}
	for _, p := range pairs {
		def, ok := s.Defs[p.def]
		if !ok {
			t.Errorf("schema has no $defs/%s", p.def)
			continue
		}
		if got, want := keys(def.Properties), tags(p.v); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: schema %v, loader %v", p.def, got, want)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	d := Builtin()
	for _, p := range d.Providers() {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Provider
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if !reflect.DeepEqual(normal(back), normal(p)) {
			t.Errorf("round trip changed %s %s:\n%s", p.Name, p.Direction, b)
		}
	}
	c, _ := d.CACutover("Sectigo", ScopeHardStop)
	b, _ := json.Marshal(c)
	if !strings.Contains(string(b), `"scope":"hard-stop"`) || !strings.Contains(string(b), `"kind":"third-party"`) {
		t.Errorf("enums not by name: %s", b)
	}
	var back Cutover
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(normal(back), normal(c)) {
		t.Errorf("cut-over round trip: %v\n%s", err, b)
	}
}

// normal re-encodes times so that DeepEqual compares instants.
func normal[T any](v T) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestEnums(t *testing.T) {
	for s := Scope(0); s < numScopes; s++ {
		if got, err := ParseScope(s.String()); err != nil || got != s {
			t.Errorf("scope %v: %v %v", s, got, err)
		}
	}
	for k := Kind(0); k < numKinds; k++ {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Errorf("kind %v", k)
		}
	}
	for a := Answer(0); a < numAnswers; a++ {
		if got, err := ParseAnswer(a.String()); err != nil || got != a {
			t.Errorf("answer %v", a)
		}
	}
	if Scope(99).String() != "scope(99)" || Answer(9).String() != "answer(9)" {
		t.Error("out-of-range names")
	}
	if _, err := ParseDirection("sideways"); err == nil {
		t.Error("bad direction accepted")
	}
}

// TestEverySourceUsed keeps the source list honest: each listed source
// backs at least one statement.
func TestEverySourceUsed(t *testing.T) {
	d := Builtin()
	used := map[string]bool{}
	mark := func(cs []Cutover) {
		for _, c := range cs {
			for _, dt := range c.Dates {
				used[dt.Source.ID] = true
			}
		}
	}
	for _, name := range d.CAs() {
		for s := ScopeDefault; s <= ScopeHardStop; s++ {
			if c, err := d.CACutover(name, s); err == nil {
				mark([]Cutover{c})
			}
		}
	}
	for _, name := range d.RootPrograms() {
		for s := ScopeSubordinateCA; s <= ScopeSubscriber; s++ {
			if c, err := d.RootProgramCutover(name, s); err == nil {
				mark([]Cutover{c})
			}
		}
	}
	for _, p := range d.Providers() {
		mark(p.Cutovers)
		for _, r := range p.Renewals {
			used[r.Source.ID] = true
		}
		for _, i := range p.Issuers {
			used[i.Source.ID] = true
		}
		for _, n := range p.Notes {
			used[n.Source.ID] = true
		}
	}
	for id := range d.Sources() {
		if !used[id] {
			t.Errorf("source %q is listed but backs no statement", id)
		}
	}
}
