package probe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tlscompat/tlscompat/internal/schematest"
	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/tlsver"
)

// compileResultSchema compiles probe.ResultSchema (formats asserted).
func compileResultSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	return schematest.Compile(t, "result.schema.json", probe.ResultSchema)
}

// TestResultSchemaVocabularies: the schema's enumerations are exactly the
// names the JSON form writes.
func TestResultSchemaVocabularies(t *testing.T) {
	var doc struct {
		Properties map[string]struct {
			Enum []string `json:"enum"`
		} `json:"properties"`
		Defs map[string]struct {
			Enum       []string `json:"enum"`
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(probe.ResultSchema, &doc); err != nil {
		t.Fatal(err)
	}
	names := func(n int, name func(i int) ([]byte, error)) []string {
		var out []string
		for i := 0; i < n; i++ {
			b, err := name(i)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
		slices.Sort(out)
		return out
	}
	sorted := func(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
	for _, c := range []struct {
		what          string
		schema, names []string
	}{
		{"answer", doc.Defs["answer"].Enum, names(3, func(i int) ([]byte, error) { return probe.Answer(i).MarshalText() })},
		{"method", doc.Defs["method"].Enum, names(3, func(i int) ([]byte, error) { return probe.Method(i + 1).MarshalText() })},
		{"cert", doc.Defs["attempt"].Properties["cert"].Enum, names(3, func(i int) ([]byte, error) { return probe.CertKind(i).MarshalText() })},
		{"client_auth", doc.Properties["client_auth"].Enum, names(7, func(i int) ([]byte, error) { return policy.ClientAuthMode(i).MarshalText() })},
		{"version", doc.Defs["version"].Enum, names(5, func(i int) ([]byte, error) { return tlsver.Version(tlsver.SSL30 + tlsver.Version(i)).MarshalText() })},
	} {
		if !slices.Equal(sorted(c.schema), c.names) {
			t.Errorf("schema %s enum %q, JSON writes %q", c.what, c.schema, c.names)
		}
	}
	if _, err := policy.ParseClientAuthMode(policy.ClientAuthMode(7).String()); err == nil {
		t.Errorf("policy has an eighth client-auth mode %v the schema lacks", policy.ClientAuthMode(7))
	}
}

// TestResultJSON probes real and hostile servers and checks each Result's
// JSON: it validates against ResultSchema, round-trips (decode, encode gives
// the same bytes), and carries names, not numbers.
func TestResultJSON(t *testing.T) {
	t.Parallel()
	schema := compileResultSchema(t)
	given := testpki.New().Variant(testpki.ServerClient).TLSCertificate()
	results := map[string]probe.Result{}
	s := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyRequire, ReturnError: true})
	r, err := probe.Probe(context.Background(), s.Addr, probe.Options{ReadTimeout: 5 * time.Second, ServerName: "sbc.example.net", Certificate: &given})
	if err != nil {
		t.Fatal(err)
	}
	results["openssl"] = r
	r, err = probe.Probe(context.Background(), hostile(t, hostileCases[0].handle), probe.Options{Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13)})
	if err != nil {
		t.Fatal(err)
	}
	results["hostile"] = r
	r, _ = probe.Probe(context.Background(), "127.0.0.1:1", probe.Options{})
	results["refused"] = r

	for name, r := range results {
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("%s: Marshal: %v", name, err)
		}
		schematest.Validate(t, schema, name+" Result JSON", out)
		var back probe.Result
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s: Unmarshal: %v\n%s", name, err, out)
		}
		again, err := json.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, again) {
			t.Errorf("%s: JSON does not round-trip:\n%s\n%s", name, out, again)
		}
		if back.Versions != r.Versions || back.Untested != r.Untested || back.ClientAuth != r.ClientAuth || len(back.Attempts) != len(r.Attempts) ||
			back.ServerEKU.Len() != r.ServerEKU.Len() || back.Endpoint().Evidence != r.Endpoint().Evidence {
			t.Errorf("%s: decoded Result differs: %+v", name, back)
		}
	}
	out, _ := json.Marshal(results["openssl"])
	for _, want := range []string{`"client_auth":"require-and-verify"`, `"sni":"sbc.example.net"`, `"certificate_request":"yes"`,
		`"versions":"TLS 1.2, 1.3"`, `"method":"crypto/tls"`, `"cert":"untrusted"`, `"eku":["serverAuth"]`, `"subject":"CN=`, `"alert_name":"`,
		`"signature_schemes":["`, `"with_certificate":{`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("JSON lacks %s:\n%s", want, out)
		}
	}
	if err := json.Unmarshal([]byte(`{"address":"x:1","bogus":1}`), new(probe.Result)); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("unknown member: error %v, want one naming it", err)
	}
}
