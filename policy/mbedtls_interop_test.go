package policy_test

import (
	"crypto/tls"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// mbedtlsMode maps an Mbed TLS authmode to the policy mode that models it:
// NONE sends no CertificateRequest; OPTIONAL requests a certificate, runs
// the library's verification (chain, and mbedtls_ssl_check_cert_usage's
// KeyUsage/EKU check) but only records the result for
// mbedtls_ssl_get_verify_result, and the handshake goes on with or without
// a certificate, so a server application that continues (as the test server
// does) is ClientAuthRequest; REQUIRED is ClientAuthRequireAndVerify.
func mbedtlsMode(m stacks.MbedTLSAuthMode) policy.ClientAuthMode {
	switch m {
	case stacks.MbedTLSNone:
		return policy.ClientAuthNone
	case stacks.MbedTLSOptional:
		return policy.ClientAuthRequest
	case stacks.MbedTLSRequired:
		return policy.ClientAuthRequireAndVerify
	}
	return policy.ClientAuthUnknown
}

// TestMbedTLSInterop runs real handshakes between a crypto/tls client
// presenting every testpki certificate variant (and none) and a real Mbed
// TLS server (internal/stacks/testdata/mbedtls_server.c, linked with the
// system library: Debian 12's 2.28.3) in each authmode (none, optional,
// required) and at the version ranges the library supports (TLS 1.0-1.2 and
// TLS 1.2 alone; its experimental TLS 1.3 is not compiled in), and compares
// each outcome with Evaluate(Server{Stack: MbedTLS, StackVersion: the
// library's version}): verdict, version on success (seen as the echo), and
// the alert wherever one is predicted (compareTruth, as in
// TestInteropTruth). Any difference fails the test.
func TestMbedTLSInterop(t *testing.T) {
	if testing.Short() {
		t.Skip("Mbed TLS interop suite: skipped in -short mode")
	}
	build := stacks.MbedTLSInfo(t)
	if build.TLS13 {
		t.Logf("Mbed TLS %s has TLS 1.3 compiled in; this suite covers TLS 1.0-1.2 only", build.Version)
	}
	pki := testpki.New()
	var servers []truthServer
	for _, m := range []stacks.MbedTLSAuthMode{stacks.MbedTLSNone, stacks.MbedTLSOptional, stacks.MbedTLSRequired} {
		for _, r := range []clientRange{{tls.VersionTLS10, tls.VersionTLS12}, {tls.VersionTLS12, tls.VersionTLS12}} {
			srv := stacks.StartMbedTLS(t, stacks.MbedTLSOptions{AuthMode: m, MinVersion: r.lo, MaxVersion: r.hi})
			servers = append(servers, truthServer{srv: srv, model: policy.Server{
				Name: srv.Description, Stack: policy.MbedTLS, StackVersion: build.Version,
				ClientAuth: mbedtlsMode(m), Versions: vset(r.lo, r.hi),
			}})
		}
	}

	ranges := []clientRange{
		{tls.VersionTLS12, tls.VersionTLS13}, {tls.VersionTLS12, tls.VersionTLS12},
		{tls.VersionTLS10, tls.VersionTLS10}, {tls.VersionTLS13, tls.VersionTLS13},
	}
	r := runTruthCells(t, pki, servers, ranges, truthOptions{})
	t.Logf("Mbed TLS %s interop suite: %s", build.Version, r)
}

// TestMbedTLSModesAndVersions: the Mbed TLS rules do not depend on
// StackVersion (2.28 and 3.x run the same mbedtls_ssl_check_cert_usage, and
// TestMbedTLSInterop checks 2.28.3), and OPTIONAL (ClientAuthRequest)
// accepts what REQUIRED rejects, as the library does when the application
// continues.
func TestMbedTLSModesAndVersions(t *testing.T) {
	pki := testpki.New()
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	chain := func(n testpki.Name) *policy.Chain {
		l := pki.Variant(n)
		ch, err := policy.ChainFromDER(append(append([][]byte{}, l.Chain...), pki.CA(l.Root).DER)...)
		if err != nil {
			t.Fatalf("ChainFromDER(%s): %v", n, err)
		}
		return ch
	}
	for _, tc := range []struct {
		variant testpki.Name
		mode    policy.ClientAuthMode
		want    policy.Verdict
		alert   policy.Alert
	}{
		{testpki.ServerOnly, policy.ClientAuthRequireAndVerify, policy.Fails, 43},
		{testpki.KeyEnciphermentOnly, policy.ClientAuthRequireAndVerify, policy.Fails, 43},
		{testpki.ClientUnderServerInt, policy.ClientAuthRequireAndVerify, policy.Succeeds, 0},
		{testpki.ServerOnly, policy.ClientAuthRequest, policy.Succeeds, 0},
		{testpki.KeyEnciphermentOnly, policy.ClientAuthRequest, policy.Succeeds, 0},
		{testpki.ServerOnly, policy.ClientAuthNone, policy.Succeeds, 0},
	} {
		for _, ver := range []string{"", "2.28.3", "3.6.2", "4.0.0"} {
			s := policy.Scenario{
				Client: policy.Client{Name: string(tc.variant), Versions: vset(tls.VersionTLS12, tls.VersionTLS13), Chain: chain(tc.variant)},
				Server: policy.Server{Name: "mbedtls", Stack: policy.MbedTLS, StackVersion: ver, ClientAuth: tc.mode, Versions: vset(tls.VersionTLS12, tls.VersionTLS12)},
				At:     at,
			}
			o := policy.Evaluate(s)
			if o.Verdict != tc.want || o.Alert != tc.alert {
				t.Errorf("Mbed TLS %q %v, client %s: %v alert %d, want %v alert %d\n%s", ver, tc.mode, tc.variant, o.Verdict, o.Alert, tc.want, tc.alert, o.Explain())
			}
		}
	}
}

// TestMbedTLSVersionAlerts: the alerts of a failed version negotiation are
// predicted for Mbed TLS 2.x only (TestMbedTLSInterop checks them against
// 2.28.3: 70 for a client below the server's lowest version, 40 for a TLS
// 1.3-only client), and left unpredicted (0) for 3.x and an unknown version.
func TestMbedTLSVersionAlerts(t *testing.T) {
	for _, tc := range []struct {
		client, server tlsver.Set
		ver            string
		alert          policy.Alert
	}{
		{vset(tls.VersionTLS10, tls.VersionTLS10), vset(tls.VersionTLS12, tls.VersionTLS12), "2.28.3", 70},
		{vset(tls.VersionTLS13, tls.VersionTLS13), vset(tls.VersionTLS10, tls.VersionTLS12), "2.28.3", 40},
		{vset(tls.VersionTLS13, tls.VersionTLS13), vset(tls.VersionTLS12, tls.VersionTLS12), "2.16.0", 40},
		{vset(tls.VersionTLS10, tls.VersionTLS10), vset(tls.VersionTLS12, tls.VersionTLS12), "3.6.2", 0},
		{vset(tls.VersionTLS13, tls.VersionTLS13), vset(tls.VersionTLS12, tls.VersionTLS12), "3.6.2", 0},
		{vset(tls.VersionTLS13, tls.VersionTLS13), vset(tls.VersionTLS12, tls.VersionTLS12), "", 0},
	} {
		o := policy.Evaluate(policy.Scenario{
			Client: policy.Client{Name: "client", Versions: tc.client},
			Server: policy.Server{Name: "mbedtls", Stack: policy.MbedTLS, StackVersion: tc.ver, Versions: tc.server},
			At:     time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
		})
		if o.Verdict != policy.Fails || o.Alert != tc.alert {
			t.Errorf("Mbed TLS %q %s, client %s: %v alert %d, want fails alert %d", tc.ver, tc.server, tc.client, o.Verdict, o.Alert, tc.alert)
		}
	}
}
