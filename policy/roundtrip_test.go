package policy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/internal/schematest"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// gen builds random valid scenarios and outcomes that set every field.
type gen struct{ rng *rand.Rand }

var genStrings = []string{"", "SBC", "customer SBC", "CN=Test CA,O=Example", "CN=leaf,O=Example\\, Inc.", "ünïcødé ✓", `quote " and \ backslash`, "UCCX", "11.5(1)SU1", "Salesforce", "production", "line\nbreak"}

func (g gen) str() string { return genStrings[g.rng.IntN(len(genStrings))] }

// evidence returns 0 to MaxSources sources of random kinds.
func (g gen) evidence() policy.Evidence {
	var e policy.Evidence
	for i := range g.rng.IntN(policy.MaxSources + 1) {
		e.Sources[i] = policy.Source{Kind: policy.SourceKind(1 + g.rng.IntN(int(policy.SourceAssumption))), Locator: g.str(), Ref: g.str(), Quote: g.str()}
	}
	return e
}

func (g gen) instant() time.Time {
	if g.rng.IntN(6) == 0 {
		return time.Time{}
	}
	// 1970 to 2600, to the nanosecond, in UTC or at a fixed offset.
	t := time.Unix(g.rng.Int64N(20000000000), g.rng.Int64N(1e9))
	if g.rng.IntN(2) == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", (g.rng.IntN(48)-24)*1800))
}

func (g gen) set() tlsver.Set {
	var s tlsver.Set
	for _, v := range []tlsver.Version{tlsver.SSL30, tlsver.TLS10, tlsver.TLS11, tlsver.TLS12, tlsver.TLS13} {
		if g.rng.IntN(2) == 0 {
			s = s.Add(v)
		}
	}
	return s
}

func (g gen) cert() policy.Cert {
	c := policy.Cert{Subject: g.str(), Issuer: g.str(), IsCA: g.rng.IntN(2) == 0, NotBefore: g.instant()}
	if g.rng.IntN(4) != 0 {
		c.HasEKU = true
		all := eku.Purposes()
		var ps []eku.Purpose
		for range g.rng.IntN(5) {
			ps = append(ps, all[g.rng.IntN(len(all))])
		}
		c.EKU = eku.PurposeSetOf(ps...)
		c.OtherEKUs = g.rng.IntN(3)
	}
	if g.rng.IntN(3) != 0 {
		c.HasKeyUsage = true
		c.KeyUsage = eku.KeyUsage(g.rng.IntN(1 << 16))
	}
	if g.rng.IntN(3) == 0 {
		c.HasNSCertType = true
		c.NSCertType = uint8(g.rng.IntN(256))
	}
	if g.rng.IntN(2) == 0 {
		c.NotAfter = g.instant()
	}
	if g.rng.IntN(3) == 0 {
		c.DER = g.der()
	}
	return c
}

// der returns the DER of a certificate of the trust PKI.
func (g gen) der() []byte {
	names := []string{"old-root", "new-root", "int", "leaf", "leaf-expired", "cross"}
	return testpki.NewTrust().DER(names[g.rng.IntN(len(names))])[0]
}

// trust returns a store of trust PKI certificates, nil one time in three.
func (g gen) trust() *policy.Trust {
	if g.rng.IntN(3) == 0 {
		return nil
	}
	t := &policy.Trust{Source: g.str(), PartialChain: g.rng.IntN(2) == 0}
	for range 1 + g.rng.IntN(3) {
		a := policy.TrustedCert{DER: g.der(), Subject: g.str()}
		if g.rng.IntN(3) == 0 {
			a.DistrustAfter = g.instant()
		}
		t.Anchors = append(t.Anchors, a)
	}
	for range g.rng.IntN(2) {
		t.Intermediates = append(t.Intermediates, policy.TrustedCert{DER: g.der(), Subject: g.str()})
	}
	return t
}

func (g gen) scenario() policy.Scenario {
	s := policy.Scenario{Name: g.str(), At: g.instant(), Protocol: tlsver.Protocol(g.rng.IntN(4))}
	c := &s.Client
	c.Name, c.Product, c.Release, c.Profile, c.Evidence = g.str(), g.str(), g.str(), g.str(), g.evidence()
	if g.rng.IntN(3) == 0 {
		c.Product, c.Release = "UCCX", []string{"11.5(1)SU1", "11.0(1)", "12.5(1)", "15.0(1)"}[g.rng.IntN(4)]
	}
	c.Versions = g.set()
	c.Stack = policy.Stack(g.rng.IntN(int(policy.Schannel) + 1))
	c.WithholdsUnsuitable = g.rng.IntN(2) == 0
	if g.rng.IntN(5) != 0 {
		ch := &policy.Chain{CAs: policy.CAs(g.rng.IntN(3)), CAEvidence: g.evidence(), Opaque: g.rng.IntN(6) == 0, LeafIsAnchor: g.rng.IntN(4) == 0}
		for range g.rng.IntN(4) {
			ch.Certs = append(ch.Certs, g.cert())
		}
		c.Chain = ch
	}
	if g.rng.IntN(3) != 0 {
		r := &policy.Renewal{At: g.instant(), DropsClientAuthFrom: g.instant(), Evidence: g.evidence(), Issuer: g.str()}
		if g.rng.IntN(2) == 0 {
			r.EveryDays = 1 + g.rng.IntN(policy.MaxRenewalDays)
		}
		if g.rng.IntN(2) == 0 {
			max := policy.MaxRenewalDays + 1
			if r.EveryDays > 0 {
				max = r.EveryDays
			}
			r.WindowDays = g.rng.IntN(max)
		}
		c.Renewal = r
	}
	c.RemedyForEKU = policy.RemedyCode(g.rng.IntN(8))
	for range g.rng.IntN(3) {
		c.Notes = append(c.Notes, g.finding(policy.Codes()))
	}
	c.VersionFix = g.versionFix()
	c.Trust = g.trust()
	if g.rng.IntN(2) == 0 {
		c.ServerName = g.str()
	}
	v := &s.Server
	v.Trust = g.trust()
	if g.rng.IntN(3) != 0 {
		ch := &policy.Chain{CAs: policy.CAs(g.rng.IntN(3))}
		for range 1 + g.rng.IntN(3) {
			ch.Certs = append(ch.Certs, g.cert())
		}
		v.Chain = ch
	}
	v.VersionFix = g.versionFix()
	v.Name, v.Product, v.Release, v.StackVersion, v.Profile, v.Evidence = g.str(), g.str(), g.str(), g.str(), g.str(), g.evidence()
	v.Versions = g.set()
	v.ClientAuth = policy.ClientAuthMode(g.rng.IntN(int(policy.ClientAuthVerifies) + 1))
	v.Stack = policy.Stack(g.rng.IntN(int(policy.Schannel) + 1))
	for range g.rng.IntN(3) {
		v.AcceptedCAs = append(v.AcceptedCAs, g.str())
	}
	return s
}

func (g gen) outcome() policy.Outcome {
	o := policy.Outcome{Verdict: policy.Verdict(g.rng.IntN(4)), Version: []tlsver.Version{0, tlsver.TLS10, tlsver.TLS12, tlsver.TLS13}[g.rng.IntN(4)], Alert: policy.Alert(g.rng.IntN(256)), AlertFrom: policy.Side(g.rng.IntN(3))}
	codes := policy.Codes()
	for range g.rng.IntN(14) {
		o.Add(g.finding(codes))
	}
	return o
}

func (g gen) finding(codes []policy.Code) policy.Finding {
	return policy.Finding{
		Code: codes[g.rng.IntN(len(codes))], Effect: policy.Effect(g.rng.IntN(5)),
		Stack: policy.Stack(g.rng.IntN(int(policy.Schannel) + 1)), Mode: policy.ClientAuthMode(g.rng.IntN(int(policy.ClientAuthVerifies) + 1)),
		Alert: policy.Alert(g.rng.IntN(256)), Version: tlsver.TLS11,
		ClientVersions: g.set(), ServerVersions: g.set(), Depth: g.rng.IntN(5), Date: g.instant(),
		Subject: g.str(), Detail: g.str(), From: policy.Side(g.rng.IntN(3)),
		Evidence: g.evidence(),
		Remedy:   policy.Remedy{Code: policy.RemedyCode(g.rng.IntN(8)), Subject: g.str(), Target: g.str(), Date: g.instant()},
	}
}

// versionFix returns a VersionFix, zero one time in three.
func (g gen) versionFix() policy.VersionFix {
	if g.rng.IntN(3) == 0 {
		return policy.VersionFix{}
	}
	return policy.VersionFix{Enable: g.set(), EnableText: g.str(), Upgrade: tlsver.Goal(g.rng.IntN(3))}
}

// TestScenarioRoundTripProperty: for random valid scenarios covering every
// field, the decoded scenario equals the original field by field, its JSON
// is identical, and Evaluate answers identically (compared as JSON, which
// carries every field of an Outcome).
func TestScenarioRoundTripProperty(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(2026, 12))}
	seen := map[string]bool{}
	for i := range 3000 {
		s := g.scenario()
		if err := s.Validate(); err != nil {
			t.Fatalf("case %d: generated scenario invalid: %v", i, err)
		}
		b := mustJSON(t, s)
		var back policy.Scenario
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("case %d: json.Unmarshal(%s): %v", i, b, err)
		}
		compareFields(t, "scenario", reflect.ValueOf(s), reflect.ValueOf(back), seen)
		if b2 := mustJSON(t, back); !bytes.Equal(b, b2) {
			t.Fatalf("case %d: re-marshalled JSON differs:\n%s\n%s", i, b, b2)
		}
		o1, o2 := policy.Evaluate(s), policy.Evaluate(back)
		j1, j2 := mustJSON(t, o1), mustJSON(t, o2)
		if !bytes.Equal(j1, j2) {
			t.Fatalf("case %d: Evaluate differs after the round trip:\n%s\n%s\nscenario %s", i, j1, j2, b)
		}
		var ob policy.Outcome
		if err := json.Unmarshal(j1, &ob); err != nil {
			t.Fatalf("case %d: outcome: %v", i, err)
		}
		if j3 := mustJSON(t, ob); !bytes.Equal(j1, j3) {
			t.Fatalf("case %d: outcome JSON differs after the round trip:\n%s\n%s", i, j1, j3)
		}
	}
	for i := range 1000 {
		o := g.outcome()
		b := mustJSON(t, o)
		var back policy.Outcome
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("outcome %d: %v\n%s", i, err, b)
		}
		compareFields(t, "outcome", reflect.ValueOf(o), reflect.ValueOf(back), seen)
		if b2 := mustJSON(t, back); !bytes.Equal(b, b2) {
			t.Fatalf("outcome %d: re-marshalled JSON differs:\n%s\n%s", i, b, b2)
		}
	}
	// Every exported field of every type a Scenario or Outcome holds was
	// set by the generator and compared: a new field fails here until the
	// generator sets it and the JSON form carries it.
	for _, st := range jsonStructTypes() {
		for i := range st.NumField() {
			f := st.Field(i)
			if f.IsExported() && !seen[st.Name()+"."+f.Name] {
				t.Errorf("field %s.%s was never set by the generator (or is always zero after it): extend gen and the JSON form", st.Name(), f.Name)
			}
		}
	}
}

// jsonStructTypes returns the struct types reachable from Scenario and
// Outcome's findings.
func jsonStructTypes() []reflect.Type {
	var out []reflect.Type
	seen := map[reflect.Type]bool{}
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] || t == reflect.TypeFor[time.Time]() || t == reflect.TypeFor[eku.PurposeSet]() {
			return
		}
		seen[t] = true
		out = append(out, t)
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				visit(t.Field(i).Type)
			}
		}
	}
	visit(reflect.TypeFor[policy.Scenario]())
	visit(reflect.TypeFor[policy.Outcome]())
	visit(reflect.TypeFor[policy.Finding]())
	return out
}

// TestJSONTags: every exported field of the JSON types has a json tag with
// a snake_case name; Cert (which has its own JSON form) is covered by the
// round trip above instead.
func TestJSONTags(t *testing.T) {
	for _, st := range jsonStructTypes() {
		if st == reflect.TypeFor[policy.Cert]() || st == reflect.TypeFor[policy.Outcome]() || st == reflect.TypeFor[policy.Evidence]() {
			continue // their own JSON forms
		}
		for i := range st.NumField() {
			f := st.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || strings.ToLower(name) != name || strings.Contains(name, "-") {
				t.Errorf("%s.%s: json tag %q, want a snake_case member name", st.Name(), f.Name, f.Tag.Get("json"))
			}
		}
	}
}

// compareFields compares a and b field by field (times with Equal, an
// Outcome by its exported fields and findings), recording in seen every
// "Type.Field" that was non-zero in a.
func compareFields(t *testing.T, path string, a, b reflect.Value, seen map[string]bool) {
	t.Helper()
	switch {
	case a.Type() == reflect.TypeFor[time.Time]():
		if !a.Interface().(time.Time).Equal(b.Interface().(time.Time)) {
			t.Fatalf("%s: %v, after the round trip %v", path, a.Interface(), b.Interface())
		}
		return
	case a.Type() == reflect.TypeFor[policy.Outcome]():
		oa, ob := a.Interface().(policy.Outcome), b.Interface().(policy.Outcome)
		for _, n := range []string{"Verdict", "Version", "Alert", "AlertFrom"} {
			compareFields(t, path+"."+n, a.FieldByName(n), b.FieldByName(n), seen)
			if !a.FieldByName(n).IsZero() {
				seen["Outcome."+n] = true
			}
		}
		compareFields(t, path+".findings", reflect.ValueOf(oa.Findings()), reflect.ValueOf(ob.Findings()), seen)
		return
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() != b.IsNil() {
			t.Fatalf("%s: nil %v, after the round trip nil %v", path, a.IsNil(), b.IsNil())
		}
		if !a.IsNil() {
			compareFields(t, path, a.Elem(), b.Elem(), seen)
		}
	case reflect.Struct:
		if a.Type() == reflect.TypeFor[eku.PurposeSet]() {
			if a.Interface() != b.Interface() {
				t.Fatalf("%s: %v, after the round trip %v", path, a.Interface(), b.Interface())
			}
			return
		}
		for i := range a.NumField() {
			f := a.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if !a.Field(i).IsZero() {
				seen[a.Type().Name()+"."+f.Name] = true
			}
			compareFields(t, path+"."+f.Name, a.Field(i), b.Field(i), seen)
		}
	case reflect.Slice:
		if a.Len() != b.Len() {
			t.Fatalf("%s: %d elements, after the round trip %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			compareFields(t, path+"["+itoa(i)+"]", a.Index(i), b.Index(i), seen)
		}
	default:
		if a.Interface() != b.Interface() {
			t.Fatalf("%s: %v, after the round trip %v", path, a.Interface(), b.Interface())
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestUnknownMembers: a member the schema does not have is an error naming
// it, at any depth, in a Scenario and in an Outcome.
func TestUnknownMembers(t *testing.T) {
	for _, tc := range []struct{ in, field string }{
		{`{"client":{},"server":{},"at":"2026-01-01T00:00:00Z","colour":"red"}`, "colour"},
		{`{"client":{"renewal":{"every_dayz":365}}}`, "client.renewal.every_dayz"},
		{`{"client":{"chain":{"certs":[{"subject":"CN=a"},{"isuer":"CN=b"}]}}}`, "client.chain.certs[1].isuer"},
		{`{"server":{"Stack":"go"}}`, "server.Stack"},
	} {
		var s policy.Scenario
		err := json.Unmarshal([]byte(tc.in), &s)
		var fe *policy.FieldError
		if !errors.Is(err, policy.ErrUnknownMember) || !errors.Is(err, policy.ErrInvalidScenario) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("json.Unmarshal(%s) = %v, want ErrUnknownMember naming %s", tc.in, err, tc.field)
		}
	}
	var o policy.Outcome
	err := json.Unmarshal([]byte(`{"verdict":"fails","findings":[{"code":"check","effect":"fail","evidence":[{"kind":"rfc","locator":"x","page":3}]}]}`), &o)
	var fe *policy.FieldError
	if !errors.Is(err, policy.ErrUnknownMember) || !errors.As(err, &fe) || fe.Field != "findings[0].evidence[0].page" {
		t.Errorf("outcome with an unknown member: %v", err)
	}
	// Bad values are named too.
	for _, tc := range []struct{ in, field string }{
		{`{"server":{"stack":"bogus"}}`, "server.stack"},
		{`{"client":{"chain":{"certs":[{},{"eku":["clientAuth","nope"]}]}}}`, "client.chain.certs[1].eku[1]"},
		{`{"client":{"renewal":{"window_days":106752}}}`, "client.renewal.window_days"},
		{`{"client":{"renewal":{"every_days":"often"}}}`, "client.renewal.every_days"},
	} {
		var s policy.Scenario
		err := json.Unmarshal([]byte(tc.in), &s)
		if !errors.Is(err, policy.ErrInvalidScenario) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("json.Unmarshal(%s) = %v, want an invalid-scenario error naming %s", tc.in, err, tc.field)
		}
	}
}

// TestRandomJSONMatchesSchema: the JSON of random valid scenarios and
// outcomes (every field set somewhere) validates against ScenarioSchema and
// OutcomeSchema, and a scenario past MaxRenewalDays does not.
func TestRandomJSONMatchesSchema(t *testing.T) {
	ss := schematest.Compile(t, "scenario.schema.json", policy.ScenarioSchema)
	osch := schematest.Compile(t, "outcome.schema.json", policy.OutcomeSchema)
	g := gen{rand.New(rand.NewPCG(7, 7))}
	for range 300 {
		s := g.scenario()
		schematest.Validate(t, ss, "random scenario", mustJSON(t, s))
		schematest.Validate(t, osch, "its outcome", mustJSON(t, policy.Evaluate(s)))
		schematest.Validate(t, osch, "random outcome", mustJSON(t, g.outcome()))
	}
	bad := renewing(&policy.Renewal{At: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), WindowDays: policy.MaxRenewalDays + 1})
	if err := schematest.Check(ss, mustJSON(t, bad)); err == nil {
		t.Errorf("a window of %d days validates against the schema", policy.MaxRenewalDays+1)
	}
}
