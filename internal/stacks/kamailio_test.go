package stacks

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

// TestKamailio: require_certificate=yes with verify_certificate=no still
// verifies (SSL_VERIFY_PEER|SSL_VERIFY_FAIL_IF_NO_PEER_CERT): a clientAuth
// certificate passes, a serverAuth-only one gets alert 43 and no certificate
// alert 116 after the client's TLS 1.3 handshake; the defaults send no
// CertificateRequest; method TLSv1.2 refuses a TLS 1.3-only client.
func TestKamailio(t *testing.T) {
	t.Parallel()
	req := StartKamailio(t, KamailioOptions{RequireCertificate: true})
	def := StartKamailio(t, KamailioOptions{Method: "TLSv1.2"})
	pki := testpki.New()
	cases := []struct {
		srv      *Server
		variant  testpki.Name
		lo, hi   uint16
		want     want
		stage    Stage
		wantVers uint16
	}{
		{req, testpki.ClientOnly, v13, v13, okReq, StageDone, v13},
		{req, testpki.ClientOnly, v12, v12, okReq, StageDone, v12},
		{req, testpki.ServerOnly, v13, v13, alert(43), StageAfterHandshake, 0},
		{req, testpki.ServerOnly, v12, v12, alert(43), StageHandshake, 0},
		{req, "", v13, v13, alert(116), StageAfterHandshake, 0},
		{req, "", v12, v12, alert(40), StageHandshake, 0},
		{def, testpki.ServerOnly, v12, v13, okNoReq, StageDone, v12},
		{def, testpki.ServerOnly, v13, v13, want{alert: 70}, StageHandshake, 0},
	}
	for _, tc := range cases {
		opts := ClientOptions{MinVersion: tc.lo, MaxVersion: tc.hi, RootCAs: pki.RootPool(), ReadTimeout: time.Second}
		if tc.variant != "" {
			l := pki.Variant(tc.variant)
			opts.Chain, opts.Key = l.Chain, l.Key
		}
		got := Handshake(context.Background(), tc.srv.Addr, opts)
		bad := got.OK != tc.want.ok || got.CertificateRequested != tc.want.requested || got.Stage != tc.stage
		if !tc.want.ok && got.Alert != tc.want.alert {
			bad = true
		}
		if tc.want.ok && got.Version != tc.wantVers {
			bad = true
		}
		if bad {
			t.Errorf("%s, client %q %s-%s: %v (alert %d, stage %v, %q), want %+v at %v\nserver log:\n%s",
				tc.srv, tc.variant, VersionName(tc.lo), VersionName(tc.hi), got, got.Alert, got.Stage, got.Detail, tc.want, tc.stage, tc.srv.Log())
		}
	}
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
	p, _, err := startKamailio(dir+"/run", files, KamailioOptions{Method: "TLSv1.3"})
	if err == nil {
		stopKamailio(p)
		t.Fatal("kamailio started with method TLSv1.3; Kamailio 5.6.3 refuses it (if a newer Kamailio accepts it, policy.KamailioMethod must learn it)")
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
