package capture_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/internal/schematest"
	"github.com/tlscompat/tlscompat/policy/capture"
)

// connectionsForJSON returns the connections of every committed capture and
// of a plaintext SIP connection.
func connectionsForJSON(t *testing.T) []capture.Connection {
	t.Helper()
	files, err := filepath.Glob("testdata/*.pcap*")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	var all []capture.Connection
	for _, f := range files {
		conns, err := capture.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, conns...)
	}
	// A connection that is not TLS, as the reader reports it.
	all = append(all, capture.Connection{Protocol: capture.ProtocolNotTLS, FirstBytes: []byte("OPTIONS sip:bob@sbc.example.test"),
		Client: all[0].Client, Server: all[0].Server, FirstPacket: 1, LastPacket: 6, ClientBytes: 80, ServerBytes: 19})
	return all
}

// TestJSONRoundTrip: every connection of the recorded captures marshals to
// JSON that unmarshals to a Connection that marshals to the same JSON, with
// SNI as text and the answer as its name.
func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, c := range connectionsForJSON(t) {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back capture.Connection
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		b2, err := json.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, b2) {
			t.Errorf("round trip differs:\n%s\n%s", b, b2)
		}
		if back.CertRequest != c.CertRequest || back.Version != c.Version || back.ServerCertificates.Len() != c.ServerCertificates.Len() {
			t.Errorf("%v: round trip changed the answer", c.Client)
		}
		s := string(b)
		if sni := string(c.ClientHello.ServerName); sni != "" && !strings.Contains(s, `"server_name":"`+sni+`"`) {
			t.Errorf("SNI not as text: %s", s)
		}
		name, _ := c.CertRequest.MarshalText()
		if !strings.Contains(s, `"cert_request":"`+string(name)+`"`) {
			t.Errorf("cert_request not as its name: %s", s)
		}
	}
	var c capture.Connection
	if err := json.Unmarshal([]byte(`{"protocol":"tls","bogus":1}`), &c); err == nil {
		t.Error("unknown member accepted")
	}
	if err := json.Unmarshal([]byte(`{"cert_request":"maybe"}`), &c); err == nil || !strings.Contains(err.Error(), "cert_request") {
		t.Errorf("bad cert_request: %v", err)
	}
}

// TestJSONSchema validates the JSON of every connection of the recorded
// captures (and of one that is not TLS) against ConnectionSchema, and
// checks that its enumerations are the package's names.
func TestJSONSchema(t *testing.T) {
	t.Parallel()
	sch := schematest.Compile(t, "connection.schema.json", capture.ConnectionSchema)
	n := 0
	for _, c := range connectionsForJSON(t) {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		schematest.Validate(t, sch, c.Client.String()+" "+c.Protocol.String(), b)
		n++
	}
	if err := schematest.Check(sch, []byte(`{"protocol":"tls","cert_request":"maybe"}`)); err == nil {
		t.Error("the schema accepts an invalid document")
	}
	var doc struct {
		Properties map[string]struct {
			Enum []string `json:"enum"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(capture.ConnectionSchema, &doc); err != nil {
		t.Fatal(err)
	}
	var answers, protocols []string
	for c := capture.CertRequest(0); ; c++ {
		b, err := c.MarshalText()
		if err != nil {
			break
		}
		answers = append(answers, string(b))
	}
	for p := capture.Protocol(0); ; p++ {
		b, err := p.MarshalText()
		if err != nil {
			break
		}
		protocols = append(protocols, string(b))
	}
	if got := doc.Properties["cert_request"].Enum; !slices.Equal(got, answers) {
		t.Errorf("schema cert_request enum %q, package names %q", got, answers)
	}
	if got := doc.Properties["protocol"].Enum; !slices.Equal(got, protocols) {
		t.Errorf("schema protocol enum %q, package names %q", got, protocols)
	}
	t.Logf("%d connections valid", n)
}
