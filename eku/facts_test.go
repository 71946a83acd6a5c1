package eku_test

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
)

// purposeSetEqual lets go-cmp compare PurposeSets (unexported bit words).
var purposeSetEqual = cmp.Comparer(func(a, b eku.PurposeSet) bool { return a == b })

// factsCerts returns the certificates of eku's tests: the fast-path and
// benchmark shapes, the examples' certificates, the chains of
// TestChainSemantics, and shapes those lack (an empty EKU, every known
// purpose, every KeyUsage bit, unknown and repeated OIDs).
func factsCerts(t *testing.T) map[string][]byte {
	m := fastPathCerts(t)
	m["example before"], m["example after"] = before.DER, after.DER
	sa, ca, any := certgen.OIDServerAuth, certgen.OIDClientAuth, certgen.OIDAny
	type oids = []asn1.ObjectIdentifier
	for i, cs := range []certgen.ChainSpec{
		{LeafEKU: oids{ca}, NoInterEKU: true, NoRootEKU: true},
		{LeafEKU: oids{ca}, InterEKU: oids{sa, any}, NoRootEKU: true},
		{NoLeafEKU: true, InterEKU: oids{sa}, RootEKU: oids{sa}},
		{LeafEKU: oids{any}, InterEKU: oids{}, NoRootEKU: true},
	} {
		for j, der := range certgen.Chain("facts "+string(rune('a'+i)), cs) {
			m["chain "+string(rune('a'+i))+" "+string(rune('0'+j))] = der
		}
	}
	var all oids
	for _, p := range eku.Purposes() {
		var oid asn1.ObjectIdentifier
		for _, arc := range strings.Split(p.OID(), ".") {
			n := 0
			for _, c := range arc {
				n = n*10 + int(c-'0')
			}
			oid = append(oid, n)
		}
		all = append(all, oid)
	}
	for name, spec := range map[string]certgen.Spec{
		"empty EKU":     {EKU: oids{}},
		"all purposes":  {EKU: all, CriticalEKU: true},
		"all key usage": {NoEKU: true, CA: true, KeyUsage: 1<<9 - 1},
		"odd OIDs":      {EKU: oids{{1, 2, 3}, sa, {2, 999, 1 << 30}, {1, 3, 6, 1, 5, 5, 7, 3, 99}, sa}},
	} {
		spec.Name = "facts " + name
		m[name] = certgen.MustIssue(spec, nil).DER
	}
	return m
}

// TestFactsRoundTrip checks, for every test certificate, that Facts says
// what the Set says, that Facts.Permits equals Set.Permits for every
// purpose, and that Facts -> JSON -> Facts is the identity.
func TestFactsRoundTrip(t *testing.T) {
	certs := factsCerts(t)
	if len(certs) < 20 {
		t.Fatalf("only %d test certificates", len(certs))
	}
	t.Logf("%d test certificates", len(certs))
	ps := append(eku.Purposes(), eku.Unknown, eku.Purpose(200))
	for name, der := range certs {
		s, err := eku.Parse(der)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		f := s.Facts()
		ku, kuOK := s.KeyUsage()
		isCA, bcOK := s.BasicConstraints()
		if f.EKUPresent != s.Present() || f.Critical != s.Critical() || f.Purposes != s.Purposes() ||
			len(f.OIDs) != s.Len() || f.KeyUsage != ku || f.KeyUsagePresent != kuOK || f.CA != isCA || f.BasicConstraintsPresent != bcOK {
			t.Errorf("%s: Facts() = %+v, does not match the Set", name, f)
		}
		for _, p := range ps {
			if f.Permits(p) != s.Permits(p) {
				t.Errorf("%s: Facts.Permits(%v) = %v, Set.Permits = %v", name, p, f.Permits(p), s.Permits(p))
			}
		}
		if c, err := x509.ParseCertificate(der); err == nil && len(c.UnknownExtKeyUsage)+len(c.ExtKeyUsage) != len(f.OIDs) {
			t.Errorf("%s: %d OIDs, crypto/x509 lists %d", name, len(f.OIDs), len(c.UnknownExtKeyUsage)+len(c.ExtKeyUsage))
		}
		b, err := json.Marshal(f)
		if err != nil {
			t.Errorf("%s: Marshal: %v", name, err)
			continue
		}
		var g eku.Facts
		if err := json.Unmarshal(b, &g); err != nil {
			t.Errorf("%s: Unmarshal(%s): %v", name, b, err)
			continue
		}
		if d := cmp.Diff(f, g, purposeSetEqual); d != "" {
			t.Errorf("%s: round trip through %s (-want +got):\n%s", name, b, d)
		}
	}
}

// TestFactsJSONForm checks the members and their forms.
func TestFactsJSONForm(t *testing.T) {
	s, err := eku.Parse(certgen.MustIssue(certgen.Spec{Name: "facts form", CriticalEKU: true,
		EKU: []asn1.ObjectIdentifier{certgen.OIDClientAuth, {1, 2, 3}, certgen.OIDServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}, nil).DER)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s.Facts())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"eku_present":true,"critical":true,"purposes":["serverAuth","clientAuth"],"oids":["1.3.6.1.5.5.7.3.2","1.2.3","1.3.6.1.5.5.7.3.1"],` +
		`"key_usage_present":true,"key_usage":["digitalSignature","contentCommitment"],"basic_constraints_present":true,"ca":false}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	b, err = json.Marshal(eku.Facts{})
	if err != nil {
		t.Fatal(err)
	}
	want = `{"eku_present":false,"critical":false,"purposes":[],"oids":[],"key_usage_present":false,"key_usage":[],"basic_constraints_present":false,"ca":false}`
	if string(b) != want {
		t.Errorf("zero Facts: got  %s\nwant %s", b, want)
	}
}

// TestFactsJSONErrors checks that bad input is an error naming what is wrong.
func TestFactsJSONErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"eku_present":true,"extra":1}`, `unknown field "extra"`},
		{`{"eku_present":true,"purposes":["fooAuth"]}`, `element 0: eku: unknown purpose "fooAuth"`},
		{`{"eku_present":true,"purposes":"serverAuth"}`, `PurposeSet: want an array`},
		{`{"key_usage_present":true,"key_usage":["digitalSignature","signAll"]}`, `element 1: unknown bit name "signAll"`},
		{`{"eku_present":true,"purposes":["serverAuth"]}`, `member "purposes" is [serverAuth] but the known purposes in "oids" are [none]`},
		{`{"eku_present":true,"oids":["1.3.6.1.5.5.7.3.2"]}`, `member "purposes" is [none] but the known purposes in "oids" are [clientAuth]`},
		{`{"critical":true}`, `member "critical" is true but "eku_present" is false`},
		{`{"oids":["1.2.3"]}`, `member "oids" is not empty but "eku_present" is false`},
		{`{"eku_present":true,"oids":["1.2.3","1.02"]}`, `member "oids": element 1: "1.02" is not a dotted OID`},
		{`{"eku_present":true,"oids":["invalid-oid:8"]}`, `"invalid-oid:8" is not a dotted OID`},
		{`{"key_usage":["keyCertSign"]}`, `member "key_usage" is not empty but "key_usage_present" is false`},
		{`{"ca":true}`, `member "ca" is true but "basic_constraints_present" is false`},
		{`[]`, `eku: Facts: json: cannot unmarshal array`},
	} {
		var f eku.Facts
		err := json.Unmarshal([]byte(tc.in), &f)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Unmarshal(%s) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
	for _, in := range []string{`{}`, `null`, `{"eku_present":true,"oids":[],"purposes":null,"key_usage":null}`,
		`{"eku_present":true,"oids":["2.5.29.37.0","invalid-oid:2a818080808080808080"],"purposes":["ANYEXTENDEDKEYUSAGE"]}`,
		`{"key_usage_present":true,"key_usage":["nonRepudiation"],"basic_constraints_present":true,"ca":true}`} {
		var f eku.Facts
		if err := json.Unmarshal([]byte(in), &f); err != nil {
			t.Errorf("Unmarshal(%s): %v", in, err)
		}
	}
}

// TestPurposeSetJSON checks PurposeSet's JSON form and round trip.
func TestPurposeSetJSON(t *testing.T) {
	all := eku.PurposeSetOf(eku.Purposes()...)
	for _, s := range []eku.PurposeSet{{}, eku.PurposeSetOf(eku.ClientAuth, eku.ServerAuth), all} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var got eku.PurposeSet
		if err := json.Unmarshal(b, &got); err != nil || got != s {
			t.Errorf("%v -> %s -> %v, %v", s, b, got, err)
		}
	}
	if b, _ := json.Marshal(eku.PurposeSetOf(eku.ClientAuth, eku.ServerAuth)); string(b) != `["serverAuth","clientAuth"]` {
		t.Errorf("got %s", b)
	}
	if b, _ := json.Marshal(eku.PurposeSet{}); string(b) != `[]` {
		t.Errorf("empty set: got %s", b)
	}
	for _, in := range []string{`null`, `[]`} {
		got := eku.PurposeSetOf(eku.ServerAuth)
		if err := json.Unmarshal([]byte(in), &got); err != nil || !got.IsEmpty() {
			t.Errorf("%s -> %v, %v; want the empty set", in, got, err)
		}
	}
	var got eku.PurposeSet
	if err := json.Unmarshal([]byte(`["serverAuth","bogus"]`), &got); err == nil || !strings.Contains(err.Error(), `"bogus"`) {
		t.Errorf("unknown name: err = %v", err)
	}
	// The text form is unchanged.
	if s := eku.PurposeSetOf(eku.ClientAuth, eku.ServerAuth).String(); s != "serverAuth, clientAuth" {
		t.Errorf("String() = %q", s)
	}
}

// TestKeyUsageJSON checks KeyUsage's JSON form and round trip.
func TestKeyUsageJSON(t *testing.T) {
	for k := eku.KeyUsage(0); k < 1<<9; k++ {
		b, err := json.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		var got eku.KeyUsage
		if err := json.Unmarshal(b, &got); err != nil || got != k {
			t.Fatalf("%v -> %s -> %v, %v", k, b, got, err)
		}
	}
	if _, err := json.Marshal(eku.KeyUsage(1 << 12)); err == nil || !strings.Contains(err.Error(), "0x1000") {
		t.Errorf("bit 12: err = %v", err)
	}
	var got eku.KeyUsage
	if err := json.Unmarshal([]byte(`["NonRepudiation","cRLSign"]`), &got); err != nil || got != eku.KeyUsageContentCommitment|eku.KeyUsageCRLSign {
		t.Errorf("got %v, %v", got, err)
	}
}

// FuzzFactsJSON decodes arbitrary bytes as Facts; what decodes must encode
// and decode again to an equal value, and nothing may panic.
func FuzzFactsJSON(f *testing.F) {
	for _, der := range factsCerts(&testing.T{}) {
		if s, err := eku.Parse(der); err == nil {
			b, _ := json.Marshal(s.Facts())
			f.Add(b)
		}
	}
	for _, s := range []string{`{}`, `null`, `{"eku_present":true,"oids":["invalid-oid:2a"],"purposes":null}`, `{"purposes":["x"]}`, `{"EKU_PRESENT":true}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var a eku.Facts
		if json.Unmarshal(data, &a) != nil {
			return
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("%+v decoded from %q does not encode: %v", a, data, err)
		}
		var c eku.Facts
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s (from %q) does not decode: %v", b, data, err)
		}
		if d := cmp.Diff(a, c, purposeSetEqual); d != "" {
			t.Fatalf("%q -> %s: (-first +second)\n%s", data, b, d)
		}
	})
}
