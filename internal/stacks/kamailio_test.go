package stacks

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

// TestKamailio: require_certificate=yes with verify_certificate=no still
// verifies (SSL_VERIFY_PEER|SSL_VERIFY_FAIL_IF_NO_PEER_CERT): a clientAuth
// certificate passes, a serverAuth-only one gets alert 43 and no certificate
// alert 116 after the client's TLS 1.3 handshake; the defaults send no
// CertificateRequest; method TLSv1.2 refuses a TLS 1.3-only client. Every
// success is Kamailio's "SIP/2.0 200" answer to a SIP OPTIONS request.
func TestKamailio(t *testing.T) {
	t.Parallel()
	req := StartKamailio(t, KamailioOptions{RequireCertificate: true})
	def := StartKamailio(t, KamailioOptions{Method: "TLSv1.2"})
	pki := testpki.New()
	cases := []answerCase{
		{req, testpki.ClientOnly, v13, v13, okReq, StageDone, v13},
		{req, testpki.ClientOnly, v12, v12, okReq, StageDone, v12},
		{req, testpki.ServerOnly, v13, v13, alert(43), StageAfterHandshake, 0},
		{req, testpki.ServerOnly, v12, v12, alert(43), StageHandshake, 0},
		{req, "", v13, v13, alert(116), StageAfterHandshake, 0},
		{req, "", v12, v12, alert(40), StageHandshake, 0},
		{def, testpki.ServerOnly, v12, v13, okNoReq, StageDone, v12},
		{def, testpki.ServerOnly, v13, v13, want{alert: 70}, StageHandshake, 0},
	}
	checkAnswerCases(t, pki, SIPOptions, cases)
}

// TestKamailioNoTLS13Method: Kamailio 5.6.3's tls module has no "TLSv1.3"
// method and refuses to start with it.
func TestKamailioNoTLS13Method(t *testing.T) {
	t.Parallel()
	Need(t, "kamailio")
	dir := t.TempDir()
	files, err := testpki.New().WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	modules, err := kamailioModules(kamailioModuleDirs)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := startKamailio(dir+"/run", modules, files, KamailioOptions{Method: "TLSv1.3"})
	if err == nil {
		stopKamailio(p)
		t.Fatal("kamailio started with method TLSv1.3; Kamailio 5.6.3 refuses it (if a newer Kamailio accepts it, products.KamailioMethod must learn it)")
	}
	if !strings.Contains(err.Error(), "Unsupported enum value 'TLSv1.3'") {
		t.Errorf("kamailio with method TLSv1.3 failed for another reason: %v", err)
	}
}

func TestKamailioOptions(t *testing.T) {
	o := KamailioOptions{VerifyCertificate: true}
	if got := strings.Join(o.Args(), " "); got != "verify_certificate=yes require_certificate=no method=TLSv1.2+" {
		t.Errorf("Args() = %q", got)
	}
	cfg := o.TLSConfig("/c.pem", "/k.pem", "/ca.pem")
	for _, want := range []string{"[server:default]\n", "verify_certificate = yes\n", "require_certificate = no\n", "method = TLSv1.2+\n", "certificate = /c.pem\n", "private_key = /k.pem\n", "ca_list = /ca.pem\n"} {
		if !strings.Contains(cfg, want) {
			t.Errorf("TLSConfig() lacks %q:\n%s", want, cfg)
		}
	}
}

// TestKamailioSilenceIsNoSuccess: with an Answer set, a completed handshake
// after which Kamailio stays silent (the default line is no SIP message) is
// a failure, not a success inferred from the quiet connection.
func TestKamailioSilenceIsNoSuccess(t *testing.T) {
	t.Parallel()
	srv := StartKamailio(t, KamailioOptions{})
	opts := SIPOptions(ClientOptions{ReadTimeout: 500 * time.Millisecond})
	opts.Request = nil // "tlscompat ping\n": not SIP, no answer
	got := Handshake(context.Background(), srv.Addr, opts)
	if got.OK || got.Echoed || !got.TimedOut || got.Stage != StageAfterHandshake || got.Version == 0 {
		t.Errorf("%s, non-SIP line with Answer %q: %v (stage %v, %q), want a failure after a completed handshake", srv, opts.Answer, got, got.Stage, got.Detail)
	}
	// The same server answers the SIP request.
	if got := Handshake(context.Background(), srv.Addr, SIPOptions(ClientOptions{})); !got.OK || !got.Echoed {
		t.Errorf("%s, SIP OPTIONS: %v (%q), want the 200 answer\nserver log:\n%s", srv, got, got.Detail, srv.Log())
	}
}

// TestAnswerMismatch: a line that does not start with Answer (here Go's echo
// of the OPTIONS request line) is a failure that quotes the line.
func TestAnswerMismatch(t *testing.T) {
	t.Parallel()
	srv := StartGo(t, GoOptions{})
	got := Handshake(context.Background(), srv.Addr, SIPOptions(ClientOptions{}))
	if got.OK || got.Echoed || got.TimedOut || got.Stage != StageAfterHandshake || !strings.Contains(got.Detail, `answer "OPTIONS sip:`) {
		t.Errorf("%s, SIP OPTIONS to an echo server: %v (stage %v, %q), want a failure quoting the echoed request line", srv, got, got.Stage, got.Detail)
	}
}

func TestSIPOptionsRequest(t *testing.T) {
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5061}
	req := SIPOptionsRequest(local, remote)
	if !strings.HasPrefix(req, "OPTIONS sip:127.0.0.1:5061;transport=tls SIP/2.0\r\n") || !strings.HasSuffix(req, "\r\nContent-Length: 0\r\n\r\n") {
		t.Errorf("SIPOptionsRequest: request line or end wrong:\n%s", req)
	}
	for _, want := range []string{"\r\nVia: SIP/2.0/TLS 127.0.0.1:40000;branch=z9hG4bK", ";rport\r\n", "\r\nMax-Forwards: 70\r\n", "\r\nFrom: <sip:tlscompat@127.0.0.1:40000>;tag=", "\r\nTo: <sip:127.0.0.1:5061>\r\n", "\r\nCall-ID: ", "\r\nCSeq: 1 OPTIONS\r\n"} {
		if !strings.Contains(req, want) {
			t.Errorf("SIPOptionsRequest lacks %q:\n%s", want, req)
		}
	}
	if SIPOptionsRequest(local, remote) == req {
		t.Error("SIPOptionsRequest: two requests are identical (branch, tag and Call-ID must be fresh)")
	}
}

func TestKamailioModules(t *testing.T) {
	dir := t.TempDir()
	mods := dir + "/lib/x86_64-test/kamailio/modules"
	if err := os.MkdirAll(mods, 0o755); err != nil {
		t.Fatal(err)
	}
	patterns := []string{dir + "/nowhere/modules", dir + "/lib/*/kamailio/modules"}
	if _, err := kamailioModules(patterns); err == nil || !strings.Contains(err.Error(), dir+"/nowhere/modules, "+dir+"/lib/*/kamailio/modules") || !strings.Contains(err.Error(), "kamailio-tls-modules") {
		t.Errorf("kamailioModules without tls.so: %v, want an error naming both patterns and the package", err)
	}
	if err := os.WriteFile(mods+"/tls.so", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := kamailioModules(patterns); err != nil || got != mods {
		t.Errorf("kamailioModules = %q, %v; want %q", got, err, mods)
	}
	if Kamailio.String() != "kamailio" {
		t.Errorf("Kamailio.String() = %q", Kamailio.String())
	}
}
