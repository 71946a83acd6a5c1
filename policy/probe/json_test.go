package probe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/tlsver"
)

// compileResultSchema compiles probe.ResultSchema with format and content
// assertions on.
func compileResultSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(probe.ResultSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.AssertContent()
	if err := c.AddResource("result.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("result.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
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
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: JSON does not validate: %v\n%s", name, err, out)
		}
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
