package capture_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/capture"
	"github.com/tlscompat/tlscompat/policy/products"
)

// Example answers the Genesys notice's question for a captured TLS 1.2
// handshake: the endpoint sends a CertificateRequest.
func Example() {
	conns, err := capture.ReadFile("testdata/tls12-certreq.pcap")
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range conns {
		fmt.Println("server:", c.Server, "SNI:", string(c.ClientHello.ServerName))
		fmt.Println("offered:", c.ClientHello.Offered(), "negotiated:", c.Version)
		fmt.Println("CertificateRequest:", c.CertRequest)
		fmt.Println("acceptable CAs:", c.CertificateRequest.AuthorityNames())
		chain, err := c.ServerCertificates.EKU()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("server leaf lists clientAuth:", chain.Leaf().Has(eku.ClientAuth))
	}
	// Output:
	// server: 127.0.0.1:47101 SNI: sbc.example.test
	// offered: TLS 1.2 negotiated: TLS 1.2
	// CertificateRequest: yes
	// acceptable CAs: [CN=tlscompat capture CA,O=tlscompat test]
	// server leaf lists clientAuth: true
}

// Example_tls13 shows what a TLS 1.3 capture cannot answer.
func Example_tls13() {
	conns, err := capture.ReadFile("testdata/tls13-certreq.pcap")
	if err != nil {
		log.Fatal(err)
	}
	c := conns[0]
	fmt.Println("negotiated:", c.Version)
	fmt.Println("CertificateRequest:", c.CertRequest)
	_, why := c.ClientAuth()
	fmt.Println(why)
	// Output:
	// negotiated: TLS 1.3
	// CertificateRequest: cannot be seen (TLS 1.3 encrypts it)
	// TLS 1.3: the CertificateRequest is encrypted; probe the endpoint (package policy/probe) or capture a TLS 1.2 handshake
}

// ExampleConnection_Endpoint turns a captured endpoint into the server that
// policy.Evaluate takes and predicts Genesys outbound calls before and
// after the certificate renewal.
func ExampleConnection_Endpoint() {
	conns, err := capture.ReadFile("testdata/tls12-rejected.pcap")
	if err != nil {
		log.Fatal(err)
	}
	srv := conns[0].Endpoint()
	fmt.Println(srv.ClientAuth, srv.Versions)
	// The capture cannot tell the TLS stack; this endpoint was openssl s_server.
	srv.Stack = policy.OpenSSL3
	genesys := products.GenesysBYOCCloudOutbound(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), products.GenesysRenewal)
	for _, at := range []time.Time{products.GenesysRenewal.AddDate(0, 0, -1), products.GenesysRenewal.AddDate(0, 0, 1)} {
		o := policy.Evaluate(policy.Scenario{Client: genesys, Server: srv, At: at})
		fmt.Println(at.Format("2006-01-02"), o.Verdict, o.Alert)
	}
	// Output:
	// require-and-verify TLS 1.2
	// 2026-03-08 succeeds none
	// 2026-03-10 fails unsupported_certificate
}

// ExampleScanStreams scans the two directions of a TCP stream that was
// already reassembled (here a minimal TLS 1.2 exchange built by hand).
func ExampleScanStreams() {
	random := bytes.Repeat([]byte{0x42}, 32)
	// ClientHello: legacy_version TLS 1.2, no extensions.
	ch := append([]byte{0x01, 0x00, 0x00, 0x29, 0x03, 0x03}, random...)
	ch = append(ch, 0x00, 0x00, 0x02, 0xc0, 0x2f, 0x01, 0x00)
	// ServerHello choosing TLS 1.2, then ServerHelloDone.
	sh := append([]byte{0x02, 0x00, 0x00, 0x26, 0x03, 0x03}, random...)
	sh = append(sh, 0x00, 0xc0, 0x2f, 0x00, 0x0e, 0x00, 0x00, 0x00)

	clientToServer := append([]byte{0x16, 0x03, 0x01, 0x00, byte(len(ch))}, ch...)
	serverToClient := append([]byte{0x16, 0x03, 0x03, 0x00, byte(len(sh))}, sh...)
	c, err := capture.ScanStreams(clientToServer, serverToClient)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Version, "CertificateRequest:", c.CertRequest)

	// A record header with an impossible length is reported with direction, record and offset.
	_, err = capture.ScanStreams(clientToServer, []byte{0x16, 0x03, 0x03, 0xff, 0xff})
	fmt.Println(err)
	// Output:
	// TLS 1.2 CertificateRequest: no
	// capture: server->client record 1 at byte 0: record header: length 65535 exceeds 18432
}

// ExampleConnections streams the connections of a capture: each is yielded
// as soon as its handshake is settled, and is valid until the next
// iteration (Clone keeps it).
func ExampleConnections() {
	f, err := os.Open("testdata/two-conns.pcapng")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var st capture.Stats
	for c, err := range capture.Connections(f, capture.Options{Stats: &st}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.Protocol, c.Server, c.Version, "CertificateRequest:", c.CertRequest)
	}
	fmt.Println("TLS connections:", st.TLS, "released by the memory budget:", st.Released)
	// Output:
	// tls 127.0.0.1:47106 TLS 1.2 CertificateRequest: yes
	// tls [::1]:47106 TLS 1.2 CertificateRequest: no
	// TLS connections: 2 released by the memory budget: 0
}

// ExampleConnection_MarshalJSON writes a connection as JSON (see
// schema/connection.schema.json).
func ExampleConnection_MarshalJSON() {
	conns, err := capture.ReadFile("testdata/tls11-refused.pcap")
	if err != nil {
		log.Fatal(err)
	}
	b, err := json.Marshal(conns[0])
	if err != nil {
		log.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	fmt.Println(m["cert_request"], m["client_hello"].(map[string]any)["server_name"], m["server_alerts"])
	// Output:
	// not-reached sbc.example.test map[alerts:[map[code:70 description:protocol_version encrypted:false level:fatal offset:0 record:1]] count:1]
}
