package policy_test

import (
	"context"
	"crypto/tls"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// TestAlertFromRealHandshakes: who sends the alert, seen from a crypto/tls
// client. A server above the client's versions sends protocol_version
// (AlertFrom server: the client receives it); a server that answers a
// version below the client's set (gnutls-serv on TLS 1.0 only, a TLS
// 1.2-only client) gets no alert of its own through: the client aborts
// (AlertFrom client, and the client receives none).
func TestAlertFromRealHandshakes(t *testing.T) {
	if testing.Short() {
		t.Skip("real handshakes: skipped in -short mode")
	}
	gver := gnutlsVersion(t)
	for _, tc := range []struct {
		name           string
		srvLo, srvHi   uint16
		cliLo, cliHi   uint16
		from           policy.Side
		clientGetsNone bool
	}{
		{"server too new", tls.VersionTLS12, tls.VersionTLS13, tls.VersionTLS10, tls.VersionTLS10, policy.SideServer, false},
		{"client rejects the answer", tls.VersionTLS10, tls.VersionTLS10, tls.VersionTLS12, tls.VersionTLS12, policy.SideClient, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := stacks.StartGnuTLS(t, stacks.GnuTLSOptions{ClientCert: stacks.GnuTLSDisabled, MinVersion: tc.srvLo, MaxVersion: tc.srvHi})
			real := stacks.Handshake(context.Background(), srv.Addr, stacks.ClientOptions{MinVersion: tc.cliLo, MaxVersion: tc.cliHi, Timeout: 10 * time.Second})
			o := policy.Evaluate(policy.Scenario{
				Client: policy.Client{Stack: policy.GoCryptoTLS, Versions: vset(tc.cliLo, tc.cliHi)},
				Server: policy.Server{Name: srv.Description, Stack: policy.GnuTLS, StackVersion: gver, ClientAuth: policy.ClientAuthNone, Versions: vset(tc.srvLo, tc.srvHi)},
				At:     time.Now(),
			})
			if real.OK || o.Verdict != policy.Fails {
				t.Fatalf("real %v, predicted %v: want both to fail", real, o.Verdict)
			}
			f, _ := o.First(policy.EffectFail)
			if f.From != tc.from {
				t.Errorf("predicted the alert from the %v, want %v (%v)", f.From, tc.from, o.Findings())
			}
			switch {
			case tc.clientGetsNone && real.Alert >= 0:
				t.Errorf("the client received alert %d; the model says the client aborts on its own", real.Alert)
			case !tc.clientGetsNone && (real.Alert < 0 || (o.Alert != 0 && int(o.Alert) != real.Alert)):
				t.Errorf("the client received %v, predicted alert %d from the server", real, o.Alert)
			}
			t.Logf("%s: real %v (%s); predicted %v alert %d from the %v", tc.name, real, real.Detail, o.Verdict, o.Alert, f.From)
		})
	}
}

// TestAlertFromVersionStacks: a JSSE client lists its versions in
// supported_versions also without TLS 1.3, so an OpenSSL server with none of
// them sends protocol_version (TestVersionGapsRealStacks sees "Received fatal
// alert: protocol_version" in the client); with the client's stack not
// known the sender is not claimed, since an RFC client would get a TLS 1.1
// answer and abort itself.
func TestAlertFromVersionStacks(t *testing.T) {
	sc := func(cst policy.Stack) policy.Scenario {
		return policy.Scenario{
			Client: policy.Client{Stack: cst, Versions: tlsver.SetOf(tlsver.TLS12)},
			Server: policy.Server{Stack: policy.OpenSSL3, ClientAuth: policy.ClientAuthNone, Versions: tlsver.Range(tlsver.TLS10, tlsver.TLS11)},
		}
	}
	for _, tc := range []struct {
		cst  policy.Stack
		from policy.Side
	}{{policy.JavaJSSE, policy.SideServer}, {policy.UnknownStack, policy.SideNone}} {
		o := policy.Evaluate(sc(tc.cst))
		if o.Verdict != policy.Fails || o.Alert != 70 || o.AlertFrom != tc.from {
			t.Errorf("client %v: %v alert %v from %v, want fails alert 70 from %v", tc.cst, o.Verdict, o.Alert, o.AlertFrom, tc.from)
		}
	}
}
