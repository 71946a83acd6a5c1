package policy_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// gapSubsets are the TLS 1.0–1.3 subsets, gaps included (15 sets).
func gapSubsets() []tlsver.Set {
	vs := []tlsver.Version{tlsver.TLS10, tlsver.TLS11, tlsver.TLS12, tlsver.TLS13}
	var out []tlsver.Set
	for i := 1; i < 16; i++ {
		var s tlsver.Set
		for k, v := range vs {
			if i&(1<<k) != 0 {
				s = s.Add(v)
			}
		}
		out = append(out, s)
	}
	return out
}

// startOpenSSLWith starts openssl s_server with exactly the versions in sv.
func startOpenSSLWith(t *testing.T, sv tlsver.Set) *stacks.Server {
	return stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Versions: wireVersions(sv)})
}

// wireVersions lists s's versions as wire values.
func wireVersions(s tlsver.Set) []uint16 {
	var out []uint16
	for v := range s.Versions() {
		out = append(out, uint16(v))
	}
	return out
}

// TestVersionGapsRealStacks: Evaluate's version step for sets with gaps,
// against real handshakes between a Java JSSE client (JDK 17, the stack of
// UCCX) and openssl s_server. With both stacks given, the prediction must
// match every handshake, and where an alert is predicted its sender must be
// the one the client's exception names (javaClientAlertFrom); with the client's stack unknown, Evaluate must
// either match or say unknown (version-stack-dependent) — never predict a
// wrong outcome.
func TestVersionGapsRealStacks(t *testing.T) {
	servers := []tlsver.Set{
		tlsver.Range(tlsver.TLS10, tlsver.TLS11),
		tlsver.SetOf(tlsver.TLS10, tlsver.TLS11, tlsver.TLS13),
		tlsver.SetOf(tlsver.TLS10, tlsver.TLS12),
		tlsver.SetOf(tlsver.TLS11, tlsver.TLS13),
		tlsver.Range(tlsver.TLS10, tlsver.TLS13),
	}
	client := stacks.StartJavaClient(t, true)
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	var cells, agree, unknown, rfcWrong, fromAgree, fromUndecided, uFromUnknown int
	for _, sv := range servers {
		srv := startOpenSSLWith(t, sv)
		for _, cv := range gapSubsets() {
			got, detail := client.Handshake(srv.Addr, wireVersions(cv))
			real := fmt.Sprintf("%v (%s)", tlsver.Version(got), detail)
			if got == 0 {
				real = "fails (" + detail + ")"
			}
			scenario := func(cst policy.Stack) policy.Scenario {
				return policy.Scenario{
					Client: policy.Client{Name: "Java client", Versions: cv, Stack: cst},
					Server: policy.Server{Name: "openssl s_server", Versions: sv, Stack: policy.OpenSSL3, ClientAuth: policy.ClientAuthNone},
					At:     at,
				}
			}
			cells++
			o := policy.Evaluate(scenario(policy.JavaJSSE))
			fromDiff := ""
			from, fromSeen := javaClientAlertFrom(got, detail)
			if fromSeen {
				fromDiff = compareAlertFrom(&o, from)
				if o.Alert != 0 && fromDiff == "" {
					fromAgree++
				}
			} else if got == 0 {
				// The exception text does not say who ended the
				// handshake: the sender is not compared (the verdict is).
				fromUndecided++
			}
			if (o.Verdict == policy.Succeeds && o.Version == tlsver.Version(got) || o.Verdict == policy.Fails && got == 0) && fromDiff == "" {
				agree++
			} else {
				t.Errorf("Java client %v -> openssl %v: real %s; Evaluate says %v %v alert %v from %v %s: %v", cv, sv, real, o.Verdict, o.Version, o.Alert, o.AlertFrom, fromDiff, o.Findings())
			}
			u := policy.Evaluate(scenario(policy.UnknownStack))
			switch {
			case u.Verdict == policy.Unknown:
				unknown++
				if !hasCode(u, policy.CodeVersionStackDependent) {
					t.Errorf("client stack unknown, %v -> %v: unknown without version-stack-dependent: %v", cv, sv, u.Findings())
				}
			case u.Verdict == policy.Fails && got == 0 && u.Alert != 0 && u.AlertFrom == policy.SideNone:
				// The sender depends on the client's stack: not claimed.
				uFromUnknown++
			case u.Verdict == policy.Fails && got == 0 && fromSeen && compareAlertFrom(&u, from) != "":
				t.Errorf("client stack unknown, %v -> %v: real %s; Evaluate confidently says %v: %s", cv, sv, real, u.Verdict, compareAlertFrom(&u, from))
			case u.Verdict == policy.Succeeds && u.Version == tlsver.Version(got), u.Verdict == policy.Fails && got == 0:
			default:
				t.Errorf("client stack unknown, %v -> %v: real %s; Evaluate confidently says %v %v", cv, sv, real, u.Verdict, u.Version)
			}
			if n := tlsver.Negotiate(cv, sv); n.OK != (got != 0) || n.Version != tlsver.Version(got) {
				rfcWrong++
			}
		}
	}
	t.Logf("Java client vs openssl s_server, version sets with gaps: %d/%d agree with the stacks given, "+
		"%d of them also on the predicted alert's sender (%d failures whose sender the client's exception does not tell); "+
		"with the client stack unknown %d are unknown, %d fail with the alert's sender left unknown, and none wrong; the RFC model alone would be wrong on %d",
		agree, cells, fromAgree, fromUndecided, unknown, uFromUnknown, rfcWrong)
	if rfcWrong == 0 {
		t.Error("no cell where the stacks matter: the test would not notice a missing stack model")
	}
}

func hasCode(o policy.Outcome, c policy.Code) bool {
	for _, f := range o.Findings() {
		if f.Code == c {
			return true
		}
	}
	return false
}

// TestVersionStackDependentMessage: the finding names the candidates.
func TestVersionStackDependentMessage(t *testing.T) {
	o := policy.Evaluate(policy.Scenario{
		Client: policy.Client{Name: "c", Versions: tlsver.SetOf(tlsver.TLS10, tlsver.TLS12)},
		Server: policy.Server{Name: "s", Versions: tlsver.Range(tlsver.TLS10, tlsver.TLS11), Stack: policy.OpenSSL3, ClientAuth: policy.ClientAuthNone},
	})
	if o.Verdict != policy.Unknown || !hasCode(o, policy.CodeVersionStackDependent) {
		t.Fatalf("Evaluate = %v, findings %v", o.Verdict, o.Findings())
	}
	for _, f := range o.Findings() {
		if f.Code != policy.CodeVersionStackDependent {
			continue
		}
		msg := f.Message()
		for _, want := range []string{"client RFC 8446: fails (client rejects answer)", "client OpenSSL 3: TLS 1.0", "client Java JSSE: TLS 1.0", "set the endpoints' Stack"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		}
	}
	// Contiguous sets never depend on the stacks.
	o = policy.Evaluate(policy.Scenario{
		Client: policy.Client{Versions: tlsver.Range(tlsver.TLS10, tlsver.TLS12)},
		Server: policy.Server{Versions: tlsver.Range(tlsver.TLS11, tlsver.TLS13), ClientAuth: policy.ClientAuthNone},
	})
	if hasCode(o, policy.CodeVersionStackDependent) || o.Version != tlsver.TLS12 {
		t.Errorf("contiguous sets: %v %v %v", o.Verdict, o.Version, o.Findings())
	}
}

// TestClientStackJSON: the client's stack travels in the scenario's JSON.
func TestClientStackJSON(t *testing.T) {
	in := policy.Scenario{Client: policy.Client{Versions: tlsver.SetOf(tlsver.TLS10, tlsver.TLS12), Stack: policy.JavaJSSE}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"stack":"java"`) {
		t.Errorf("JSON %s lacks the client stack", b)
	}
	var out policy.Scenario
	if err := json.Unmarshal(b, &out); err != nil || out.Client.Stack != policy.JavaJSSE {
		t.Errorf("round trip: %v, client stack %v", err, out.Client.Stack)
	}
}

// javaClientAlertFrom is the side seen sending the alert that ended a
// handshake of the JSSE client harness (stacks.JavaClient, which reports
// the exception text), and false where the text does not tell. JSSE
// reports an alert it received as "Received fatal alert: <name>" (the
// server sent it); "No appropriate protocol" is thrown before a
// ClientHello is sent (no alert at all); any other SSLHandshakeException is
// JSSE's own check failing, after which it sends the alert itself (the
// client). A closed connection, a timeout or a harness error is not
// classified.
func javaClientAlertFrom(got uint16, detail string) (policy.Side, bool) {
	switch {
	case got != 0:
		return policy.SideNone, true
	case strings.Contains(detail, "Received fatal alert"):
		return policy.SideServer, true
	case strings.Contains(detail, "No appropriate protocol"):
		return policy.SideNone, true
	case strings.Contains(detail, "Remote host terminated"), strings.Contains(detail, "SocketTimeout"), strings.HasPrefix(detail, "stacks:"):
		return policy.SideNone, false
	case strings.Contains(detail, "SSLHandshakeException"):
		return policy.SideClient, true
	}
	return policy.SideNone, false
}
