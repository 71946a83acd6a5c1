package probe_test

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
	"github.com/tlscompat/tlscompat/tlsver"
)

const (
	v10 = tls.VersionTLS10
	v11 = tls.VersionTLS11
	v12 = tls.VersionTLS12
	v13 = tls.VersionTLS13
)

type probeCase struct {
	name   string
	start  func(t *testing.T) *stacks.Server
	lo, hi uint16
	mode   policy.ClientAuthMode
}

func goCase(mode tls.ClientAuthType, lo, hi uint16, want policy.ClientAuthMode) probeCase {
	return probeCase{
		name: "go/" + want.String() + "/" + stacks.VersionName(lo) + "-" + stacks.VersionName(hi),
		start: func(t *testing.T) *stacks.Server {
			return stacks.StartGo(t, stacks.GoOptions{ClientAuth: mode, MinVersion: lo, MaxVersion: hi})
		},
		lo: lo, hi: hi, mode: want,
	}
}

func opensslCase(v stacks.OpenSSLVerify, ret bool, lo, hi uint16, want policy.ClientAuthMode) probeCase {
	o := stacks.OpenSSLOptions{Verify: v, ReturnError: ret, MinVersion: lo, MaxVersion: hi}
	return probeCase{
		name:  "openssl/" + strings.Join(o.Args(), " "),
		start: func(t *testing.T) *stacks.Server { return stacks.StartOpenSSL(t, o) },
		lo:    lo, hi: hi, mode: want,
	}
}

func gnutlsCase(c stacks.GnuTLSClientCert, verify bool, lo, hi uint16, want policy.ClientAuthMode) probeCase {
	o := stacks.GnuTLSOptions{ClientCert: c, Verify: verify, MinVersion: lo, MaxVersion: hi}
	return probeCase{
		name:  "gnutls/" + strings.Join(o.Args(), " "),
		start: func(t *testing.T) *stacks.Server { return stacks.StartGnuTLS(t, o) },
		lo:    lo, hi: hi, mode: want,
	}
}

// TestProbeReportsVersionsAndMode probes real servers in every
// client-certificate mode across TLS 1.0–1.3; the probe must report the
// server's configured versions and mode exactly.
func TestProbeReportsVersionsAndMode(t *testing.T) {
	cases := []probeCase{
		goCase(tls.NoClientCert, v10, v13, policy.ClientAuthNone),
		goCase(tls.RequestClientCert, v12, v13, policy.ClientAuthRequest),
		goCase(tls.RequireAnyClientCert, v12, v12, policy.ClientAuthRequireAny),
		goCase(tls.VerifyClientCertIfGiven, v13, v13, policy.ClientAuthVerifyIfGiven),
		goCase(tls.RequireAndVerifyClientCert, v10, v11, policy.ClientAuthRequireAndVerify),
		goCase(tls.RequireAndVerifyClientCert, v10, v13, policy.ClientAuthRequireAndVerify),
		goCase(tls.RequestClientCert, v11, v12, policy.ClientAuthRequest),
		opensslCase(stacks.OpenSSLNone, false, v12, v13, policy.ClientAuthNone),
		opensslCase(stacks.OpenSSLVerifyPeer, false, v10, v12, policy.ClientAuthRequest),
		opensslCase(stacks.OpenSSLVerifyPeer, true, v13, v13, policy.ClientAuthVerifyIfGiven),
		opensslCase(stacks.OpenSSLVerifyRequire, false, v12, v13, policy.ClientAuthRequireAny),
		opensslCase(stacks.OpenSSLVerifyRequire, true, v10, v13, policy.ClientAuthRequireAndVerify),
		opensslCase(stacks.OpenSSLVerifyRequire, true, v11, v11, policy.ClientAuthRequireAndVerify),
		gnutlsCase(stacks.GnuTLSDisabled, false, v12, v13, policy.ClientAuthNone),
		gnutlsCase(stacks.GnuTLSRequest, false, v12, v13, policy.ClientAuthRequest),
		gnutlsCase(stacks.GnuTLSRequire, false, v12, v12, policy.ClientAuthRequireAny),
		gnutlsCase(stacks.GnuTLSRequest, true, v13, v13, policy.ClientAuthVerifyIfGiven),
		gnutlsCase(stacks.GnuTLSRequire, true, v10, v13, policy.ClientAuthRequireAndVerify),
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := tc.start(t)
			checkProbe(t, s, tc.lo, tc.hi, tc.mode)
		})
	}
	t.Run("java", func(t *testing.T) {
		t.Parallel()
		js := stacks.StartJava(t,
			stacks.JavaOptions{ClientAuth: stacks.JavaNone},
			stacks.JavaOptions{ClientAuth: stacks.JavaWant},
			stacks.JavaOptions{ClientAuth: stacks.JavaNeed, MinVersion: v12, MaxVersion: v12})
		checkProbe(t, js[0], v12, v13, policy.ClientAuthNone)
		checkProbe(t, js[1], v12, v13, policy.ClientAuthVerifyIfGiven)
		checkProbe(t, js[2], v12, v12, policy.ClientAuthRequireAndVerify)
	})
}

func checkProbe(t *testing.T, s *stacks.Server, lo, hi uint16, mode policy.ClientAuthMode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := probe.Probe(ctx, s.Addr, probe.Options{AttemptTimeout: 10 * time.Second, ReadTimeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("Probe(%s) error: %v", s, err)
	}
	all := tlsver.Range(tlsver.SSL30, tlsver.TLS13)
	wantVersions := tlsver.Range(tlsver.Version(lo), tlsver.Version(hi))
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("Probe(%s): "+format, append([]any{s}, args...)...)
		for _, a := range r.Attempts {
			t.Logf("  attempt: %v  %s", a, a.Err)
		}
		t.Logf("server log:\n%s", s.Log())
	}
	if r.Versions != wantVersions || r.Rejected != all.Difference(wantVersions) || !r.Untested.IsEmpty() {
		fail("versions %v, rejected %v, untested %v; want %v, rejected %v", r.Versions, r.Rejected, r.Untested, wantVersions, all.Difference(wantVersions))
	}
	if r.ClientAuth != mode {
		fail("client auth %v (%s), want %v", r.ClientAuth, r.ClientAuthReason, mode)
	}
	if r.ClientAuthVersion != tlsver.Version(hi) {
		fail("client-auth questions asked at %v, want %v", r.ClientAuthVersion, tlsver.Version(hi))
	}
	requests := mode != policy.ClientAuthNone
	if (r.CertificateRequest == probe.Yes) != requests || (requests && r.RequestedAt != wantVersions) || (!requests && !r.RequestedAt.IsEmpty()) {
		fail("certificate request %v at %v", r.CertificateRequest, r.RequestedAt)
	}
	if requests {
		if len(r.SignatureSchemes) == 0 {
			fail("no signature schemes from the CertificateRequest")
		}
		root := testpki.New().CA(testpki.Root).Certificate.Subject.String()
		found := false
		for _, n := range r.AcceptableCANames {
			found = found || n == root
		}
		if !found {
			fail("acceptable CAs %q do not name the test root %q", r.AcceptableCANames, root)
		}
	}
	if r.ServerEKUErr != nil || r.ServerEKU.Len() != 2 || !r.ServerEKU.Leaf().Has(eku.ServerAuth) || r.ServerEKU.Leaf().Has(eku.ClientAuth) {
		fail("server chain EKU: len %d, err %v", r.ServerEKU.Len(), r.ServerEKUErr)
	}
	if !r.Legacy.IsEmpty() {
		fail("legacy versions %v, want none", r.Legacy)
	}
	// Every server here sends session tickets: in TLS 1.3 an acceptance
	// after a CertificateRequest must be seen as a ticket, never as silence.
	for _, a := range r.Attempts {
		if a.Silent || (a.Version == tlsver.TLS13 && a.CertificateRequested && a.OK != a.Ticket) {
			fail("attempt %v: ok %v, ticket %v, silent %v", a, a.OK, a.Ticket, a.Silent)
		}
	}
}

// TestProbeSilentTLS13: a TLS 1.3 server that sends no session tickets
// gives no verdict on an accepted client certificate. The probe must not
// read that silence as acceptance: it asks at TLS 1.2 when it can, and
// otherwise reports the mode as unknown. Rejections still decide.
func TestProbeSilentTLS13(t *testing.T) {
	noTickets := &tls.Config{SessionTicketsDisabled: true}
	for _, tc := range []struct {
		name    string
		start   func(t *testing.T) *stacks.Server
		mode    policy.ClientAuthMode
		at      tlsver.Version
		reason  string
		silent  bool
		request probe.Answer
	}{
		{"go/verify-if-given/1.3/no-tickets", func(t *testing.T) *stacks.Server {
			return stacks.StartGo(t, stacks.GoOptions{ClientAuth: tls.VerifyClientCertIfGiven, MinVersion: v13, MaxVersion: v13, Config: noTickets})
		}, policy.ClientAuthUnknown, tlsver.TLS13, "no ticket, data or alert", true, probe.Yes},
		{"go/verify-if-given/1.2-1.3/no-tickets", func(t *testing.T) *stacks.Server {
			return stacks.StartGo(t, stacks.GoOptions{ClientAuth: tls.VerifyClientCertIfGiven, MinVersion: v12, MaxVersion: v13, Config: noTickets})
		}, policy.ClientAuthVerifyIfGiven, tlsver.TLS12, "TLS 1.3: ", true, probe.Yes},
		{"go/require-and-verify/1.3/no-tickets", func(t *testing.T) *stacks.Server {
			return stacks.StartGo(t, stacks.GoOptions{ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: v13, MaxVersion: v13, Config: noTickets})
		}, policy.ClientAuthRequireAndVerify, tlsver.TLS13, "at TLS 1.3", false, probe.Yes},
		{"openssl/-verify/1.3/-num_tickets 0", func(t *testing.T) *stacks.Server {
			return stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyPeer, ReturnError: true,
				MinVersion: v13, MaxVersion: v13, ExtraArgs: []string{"-num_tickets", "0"}})
		}, policy.ClientAuthUnknown, tlsver.TLS13, "no ticket, data or alert", true, probe.Yes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := tc.start(t)
			r, err := probe.Probe(context.Background(), s.Addr, probe.Options{
				Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13), ReadTimeout: 2 * time.Second,
			})
			if err != nil {
				t.Fatal(err)
			}
			silent := false
			for _, a := range r.Attempts {
				silent = silent || a.Silent
				if a.Silent && a.OK {
					t.Errorf("attempt %v is both silent and OK", a)
				}
			}
			if r.ClientAuth != tc.mode || r.ClientAuthVersion != tc.at || !strings.Contains(r.ClientAuthReason, tc.reason) ||
				silent != tc.silent || r.CertificateRequest != tc.request {
				t.Errorf("Probe(%s) = mode %v at %v (%q), silent %v, request %v; want %v at %v (reason containing %q), silent %v, request %v",
					s, r.ClientAuth, r.ClientAuthVersion, r.ClientAuthReason, silent, r.CertificateRequest, tc.mode, tc.at, tc.reason, tc.silent, tc.request)
				for _, a := range r.Attempts {
					t.Logf("  attempt: %v  %s", a, a.Err)
				}
			}
		})
	}
}

// TestProbeWithCertificate: the given certificate's verdict is reported.
func TestProbeWithCertificate(t *testing.T) {
	t.Parallel()
	s := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyRequire, ReturnError: true})
	pki := testpki.New()
	for _, tc := range []struct {
		variant testpki.Name
		ok      bool
		alert   policy.Alert
	}{
		{testpki.ServerClient, true, 0},
		{testpki.ServerOnly, false, 43}, // OpenSSL: unsupported_certificate
	} {
		cert := pki.Variant(tc.variant).TLSCertificate()
		r, err := probe.Probe(context.Background(), s.Addr, probe.Options{
			Versions: tlsver.SetOf(tlsver.TLS13), Certificate: &cert, ReadTimeout: 5 * time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		w := r.WithCertificate
		if w == nil || w.OK != tc.ok || w.Alert != tc.alert || (!tc.ok && !w.AfterHandshake) {
			t.Errorf("Probe(%s, %s).WithCertificate = %v, want ok=%v alert=%v", s, tc.variant, w, tc.ok, tc.alert)
		}
	}
}

func TestProbeCanceled(t *testing.T) {
	s := stacks.StartGo(t, stacks.GoOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := probe.Probe(ctx, s.Addr, probe.Options{}); err == nil {
		t.Error("Probe(canceled context) returned no error")
	}
	if _, err := probe.Probe(context.Background(), "", probe.Options{}); err == nil {
		t.Error("Probe(empty address) returned no error")
	}
}

// TestProbeUnreachable: nothing listens; the probe returns ErrUnreachable,
// every version is untested and the client-auth mode is unknown with a
// reason.
func TestProbeUnreachable(t *testing.T) {
	// Port 1 on loopback: nothing listens there, the connect is refused.
	const addr = "127.0.0.1:1"
	r, err := probe.Probe(context.Background(), addr, probe.Options{AttemptTimeout: 2 * time.Second})
	if !errors.Is(err, probe.ErrUnreachable) {
		t.Fatalf("Probe(%s) error = %v, want ErrUnreachable", addr, err)
	}
	if !r.Versions.IsEmpty() || r.Untested != tlsver.Range(tlsver.SSL30, tlsver.TLS13) || r.ClientAuth != policy.ClientAuthUnknown || r.ClientAuthReason == "" {
		t.Errorf("Probe(%s) = versions %v untested %v mode %v (%q)", addr, r.Versions, r.Untested, r.ClientAuth, r.ClientAuthReason)
	}
	if ev := r.Endpoint().Evidence.String(); !strings.Contains(ev, "versions not tested: SSL 3.0") {
		t.Errorf("Endpoint().Evidence = %q, want it to name the untested versions", ev)
	}
}
