package capture_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/capture"
	"github.com/tlscompat/tlscompat/tlsver"
)

// summary is what the tests compare for one connection of a committed capture.
type summary struct {
	CertRequest  capture.CertRequest
	Version      tlsver.Version
	Offered      tlsver.Set
	SNI          string
	ServerCerts  int
	LeafEKU      []eku.Purpose // nil when the chain is not visible
	CAEKU        bool          // the CA certificate has an EKU extension
	CANames      []string
	CertTypes    int
	SigSchemes   int
	ClientCert   string // "none sent", "N certs"
	ClientEKU    []eku.Purpose
	ServerAlerts []string
	ClientAlerts []string
	IPv6         bool
}

func summarize(t *testing.T, c capture.Connection) summary {
	t.Helper()
	s := summary{
		CertRequest: c.CertRequest,
		Version:     c.Version,
		Offered:     c.ClientHello.Offered(),
		SNI:         string(c.ClientHello.ServerName),
		ServerCerts: c.ServerCertificates.Len(),
		CANames:     c.CertificateRequest.AuthorityNames(),
		IPv6:        c.Server.Addr().Is6(),
		ClientCert:  "none sent",
	}
	if c.ClientCertificateSent {
		s.ClientCert = fmt.Sprintf("%d certs", c.ClientCertificates.Len())
	}
	if cc, err := c.ClientCertificates.EKU(); err == nil {
		for _, p := range []eku.Purpose{eku.ServerAuth, eku.ClientAuth} {
			if cc.Leaf().Has(p) {
				s.ClientEKU = append(s.ClientEKU, p)
			}
		}
	} else if !errors.Is(err, capture.ErrNoCertificates) {
		t.Errorf("ClientCertificates.EKU() = %v", err)
	}
	for range c.CertificateRequest.CertificateTypes() {
		s.CertTypes++
	}
	for range c.CertificateRequest.SignatureSchemes() {
		s.SigSchemes++
	}
	for a := range c.ServerAlerts.All() {
		s.ServerAlerts = append(s.ServerAlerts, a.String())
	}
	for a := range c.ClientAlerts.All() {
		s.ClientAlerts = append(s.ClientAlerts, a.String())
	}
	chain, err := c.ServerCertificates.EKU()
	switch {
	case errors.Is(err, capture.ErrNoCertificates):
	case err != nil:
		t.Fatalf("ServerCertificates.EKU() = %v", err)
	default:
		for _, p := range []eku.Purpose{eku.ServerAuth, eku.ClientAuth, eku.CodeSigning, eku.EmailProtection} {
			if chain.Leaf().Has(p) {
				s.LeafEKU = append(s.LeafEKU, p)
			}
		}
		if chain.Len() != 2 || !chain.At(1).IsCA() {
			t.Errorf("chain: Len %d, At(1).IsCA() = %v; want the test CA as second certificate", chain.Len(), chain.Len() > 1 && chain.At(1).IsCA())
		}
		s.CAEKU = chain.At(chain.Len() - 1).Present()
	}
	if c.Err != nil {
		t.Errorf("Err = %v", c.Err)
	}
	return s
}

var (
	testCA = []string{"CN=tlscompat capture CA,O=tlscompat test"}
	// twoCAs are the subjects of cas.pem, the capture CA and the client CA
	// that record.sh's servers of other stacks trust, in file order.
	twoCAs  = []string{"CN=tlscompat capture CA,O=tlscompat test", "CN=tlscompat capture client CA,O=tlscompat test"}
	both    = []eku.Purpose{eku.ServerAuth, eku.ClientAuth}
	srvOnly = []eku.Purpose{eku.ServerAuth}
)

// TestCommittedCaptures checks each capture recorded by testdata/record.sh
// against what the server (openssl s_server, gnutls-serv, Java JSSE, NSS
// selfserv or Kamailio) was told to do there.
func TestCommittedCaptures(t *testing.T) {
	t.Parallel()
	tls12 := tlsver.SetOf(tlsver.TLS12)
	tests := []struct {
		file   string
		reason string
		want   []summary
	}{
		{"tls12-certreq.pcap", "s_server -tls1_2 -verify 1 requests a certificate; the client has none and sends an empty Certificate", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: testCA, CertTypes: 3, SigSchemes: 20, ClientCert: "0 certs",
			ServerAlerts: []string{"encrypted alert"}, ClientAlerts: []string{"encrypted alert"},
		}}},
		{"tls12-nocertreq.pcap", "s_server -tls1_2 without -verify does not request a certificate", []summary{{
			CertRequest: capture.CertRequestNo, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: srvOnly, ClientCert: "none sent",
			ServerAlerts: []string{"encrypted alert"}, ClientAlerts: []string{"encrypted alert"},
		}}},
		{"tls13-certreq.pcap", "TLS 1.3 encrypts the CertificateRequest and the chain", []summary{{
			CertRequest: capture.CertRequestEncrypted, Version: tlsver.TLS13,
			Offered: tlsver.SetOf(tlsver.TLS10, tlsver.TLS11, tlsver.TLS12, tlsver.TLS13), SNI: "sbc.example.test", ClientCert: "none sent",
		}}},
		{"tls12-rejected.pcap", "s_server -Verify 1 requires a certificate and answers the empty one with a plaintext alert", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: testCA, CertTypes: 3, SigSchemes: 20, ClientCert: "0 certs",
			ServerAlerts: []string{"fatal handshake_failure"},
		}}},
		{"tls11-refused.pcap", "a TLS 1.2-only server refuses a TLS 1.1 ClientHello before its flight", []summary{{
			CertRequest: capture.CertRequestNotReached, Offered: tlsver.SetOf(tlsver.TLS11), SNI: "sbc.example.test",
			ClientCert: "none sent", ServerAlerts: []string{"fatal protocol_version"},
		}}},
		{"tls12-clientcert.pcap", "s_server -Verify 1 -verify_return_error accepts a client certificate with clientAuth", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: testCA, CertTypes: 3, SigSchemes: 20, ClientCert: "2 certs", ClientEKU: both,
			ServerAlerts: []string{"encrypted alert"}, ClientAlerts: []string{"encrypted alert"},
		}}},
		{"tls12-clientcert-noclientauth.pcap", "the Genesys failure: OpenSSL rejects a client certificate without clientAuth", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: testCA, CertTypes: 3, SigSchemes: 20, ClientCert: "2 certs", ClientEKU: srvOnly,
			ServerAlerts: []string{"fatal unsupported_certificate"},
		}}},
		{"two-conns.pcapng", "pcapng with a TLS 1.2 connection with CertificateRequest over IPv4 and one without over IPv6", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: testCA, CertTypes: 3, SigSchemes: 20, ClientCert: "0 certs",
			ServerAlerts: []string{"encrypted alert"}, ClientAlerts: []string{"encrypted alert"},
		}, {
			CertRequest: capture.CertRequestNo, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: srvOnly, ClientCert: "none sent", IPv6: true,
			ServerAlerts: []string{"encrypted alert"}, ClientAlerts: []string{"encrypted alert"},
		}}},
		// Other stacks as the server (record.sh "others"): each trusts the
		// capture CA and the client CA (cas.pem) for client certificates.
		{"gnutls-rejected.pcap", "gnutls-serv --require-client-cert lists its --x509cafile subjects and answers the empty Certificate with decode_error", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: twoCAs, CertTypes: 2, SigSchemes: 16, ClientCert: "0 certs",
			ServerAlerts: []string{"fatal decode_error"},
		}}},
		{"gnutls-clientcert.pcap", "gnutls-serv --require-client-cert accepts the client certificate", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: twoCAs, CertTypes: 2, SigSchemes: 16, ClientCert: "2 certs", ClientEKU: both,
			ServerAlerts: []string{"encrypted alert"},
		}}},
		{"java-rejected.pcap", "JSSE setNeedClientAuth lists its trust store subjects and answers the empty Certificate with bad_certificate", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: twoCAs, CertTypes: 3, SigSchemes: 21, ClientCert: "0 certs",
			ServerAlerts: []string{"fatal bad_certificate"},
		}}},
		{"nss-request.pcap", "selfserv -r lists the CAs its database trusts (T,,), client CA first, and accepts a connection without a certificate", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: []string{twoCAs[1], twoCAs[0]}, CertTypes: 3, SigSchemes: 15, ClientCert: "0 certs",
			ServerAlerts: []string{"encrypted alert"}, ClientAlerts: []string{"encrypted alert"},
		}}},
		{"kamailio-clientcert.pcap", "Kamailio require_certificate lists its ca_list subjects and accepts the client certificate", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: twoCAs, CertTypes: 3, SigSchemes: 20, ClientCert: "2 certs", ClientEKU: both,
		}}},
		{"kamailio-rejected.pcap", "Kamailio require_certificate answers the empty Certificate with handshake_failure", []summary{{
			CertRequest: capture.CertRequestYes, Version: tlsver.TLS12, Offered: tls12, SNI: "sbc.example.test",
			ServerCerts: 2, LeafEKU: both, CANames: twoCAs, CertTypes: 3, SigSchemes: 20, ClientCert: "0 certs",
			ServerAlerts: []string{"fatal handshake_failure"},
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			conns, err := capture.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			var got []summary
			for _, c := range conns {
				got = append(got, summarize(t, c))
				if p := c.Server.Port(); p < 47101 || p > 47113 {
					t.Errorf("server %v: want the recording port 47101..47113 (client %v)", c.Server, c.Client)
				}
				if c.FirstPacket != 1 && len(conns) == 1 {
					t.Errorf("FirstPacket = %d, want 1", c.FirstPacket)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: %s\nReadFile mismatch (-want +got):\n%s", tc.file, tc.reason, diff)
			}
		})
	}
}

// TestPcapgoSource reads the committed captures with gopacket's pcapgo
// readers through ReadPackets: the answers must equal ReadFile's.
func TestPcapgoSource(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.pcap*")
	if err != nil || len(files) < 8 {
		t.Fatalf("captures: %v %v", files, err)
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		var src capture.PacketSource
		if strings.HasSuffix(name, ".pcapng") {
			src, err = pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
		} else {
			src, err = pcapgo.NewReader(f)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := capture.ReadPackets(src)
		f.Close()
		if err != nil {
			t.Fatalf("ReadPackets(%s): %v", name, err)
		}
		want, err := capture.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%s: ReadPackets found %d connections, ReadFile %d", name, len(got), len(want))
		}
		for i := range got {
			if diff := cmp.Diff(summarize(t, want[i]), summarize(t, got[i])); diff != "" {
				t.Errorf("%s connection %d: ReadPackets mismatch (-ReadFile +ReadPackets):\n%s", name, i, diff)
			}
		}
	}
}

func TestStrings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		// Versions are tlsver's (the capture package has no version type).
		{tlsver.Version(0).String(), "none"},
		{tlsver.TLS12.String(), "TLS 1.2"},
		{tlsver.Version(0x7f1c).String(), "0x7F1C"},
		{tlsver.Set(0).String(), "none"},
		{tlsver.SetOf(tlsver.TLS13, tlsver.TLS12).String(), "TLS 1.2, 1.3"},
		{capture.CertRequest(0).String(), "unknown"},
		{capture.CertRequestYes.String(), "yes"},
		{capture.CertRequest(200).String(), "CertRequest(200)"},
		{policy.Alert(116).String(), "certificate_required"},
		{policy.Alert(255).String(), "alert(255)"},
		{policy.Alert(0).String(), "none"},
		{policy.Alert(0).WireName(), "close_notify"},
		{capture.AlertRecord{Level: capture.AlertWarning}.String(), "warning close_notify"},
		{capture.AlertRecord{Level: capture.AlertFatal, Description: 42}.String(), "fatal bad_certificate"},
		{capture.AlertLevel(9).String(), "level(9)"},
		{capture.CertificateType(64).String(), "ecdsa_sign"},
		{capture.CertificateType(0).String(), "certificate_type(0)"},
		{capture.Direction(0).String(), "unknown direction"},
		{capture.AlertRecord{Encrypted: true}.String(), "encrypted alert"},
	} {
		if tc.got != tc.want {
			t.Errorf("String() = %q, want %q", tc.got, tc.want)
		}
	}
	if !slices.Equal([]bool{capture.CertRequestYes.Known(), capture.CertRequestEncrypted.Known()}, []bool{true, false}) {
		t.Error("Known() wrong")
	}
}

// TestEndpoint checks the conversion into policy.Server for every committed
// capture.
func TestEndpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		want     policy.ClientAuthMode
		versions tlsver.Set
		cas      int
		why      string
	}{
		{"tls12-certreq.pcap", policy.ClientAuthVerifyIfGiven, tlsver.SetOf(tlsver.TLS12), 1, "the server continued"},
		{"tls12-nocertreq.pcap", policy.ClientAuthNone, tlsver.SetOf(tlsver.TLS12), 0, "no CertificateRequest in the TLS 1.2 handshake"},
		{"tls12-rejected.pcap", policy.ClientAuthRequireAndVerify, tlsver.SetOf(tlsver.TLS12), 1, "aborted with handshake_failure"},
		{"tls13-certreq.pcap", policy.ClientAuthUnknown, tlsver.SetOf(tlsver.TLS13), 0, "policy/probe"},
		{"tls11-refused.pcap", policy.ClientAuthUnknown, 0, 0, "not reached"},
		{"tls12-clientcert.pcap", policy.ClientAuthRequireAndVerify, tlsver.SetOf(tlsver.TLS12), 1, "the client sent a certificate"},
		{"tls12-clientcert-noclientauth.pcap", policy.ClientAuthRequireAndVerify, tlsver.SetOf(tlsver.TLS12), 1, "rejected the client's certificate with unsupported_certificate"},
	}
	for _, tc := range tests {
		conns, err := capture.ReadFile("testdata/" + tc.file)
		if err != nil || len(conns) != 1 {
			t.Fatalf("%s: %d connections, %v", tc.file, len(conns), err)
		}
		s := conns[0].Endpoint()
		if s.ClientAuth != tc.want || s.Versions != tc.versions || len(s.AcceptedCAs) != tc.cas ||
			!strings.Contains(s.Evidence.String(), tc.why) || s.Profile != "capture" || !strings.HasPrefix(s.Name, "127.0.0.1:4710") {
			t.Errorf("%s: Endpoint() = %+v; want ClientAuth %v, Versions %v, %d CAs, evidence containing %q",
				tc.file, s, tc.want, tc.versions, tc.cas, tc.why)
		}
		if !tc.versions.IsEmpty() && !strings.Contains(s.Evidence.String(), "only the negotiated "+tc.versions.String()+" was observed") {
			t.Errorf("%s: Endpoint().Evidence = %q; want it to say that only the negotiated version was observed", tc.file, s.Evidence.String())
		}
	}
}
