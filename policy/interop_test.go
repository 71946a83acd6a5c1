package policy_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// truthServer is one real server configuration and the policy.Server that
// claims to model it.
type truthServer struct {
	srv   *stacks.Server
	model policy.Server
}

// clientRange is a version range the test client offers.
type clientRange struct{ lo, hi uint16 }

func vset(lo, hi uint16) tlsver.Set { return tlsver.Range(tlsver.Version(lo), tlsver.Version(hi)) }

// noCert names the client that answers a CertificateRequest with an empty
// Certificate.
const noCert testpki.Name = "no-certificate"

// TestInteropTruth runs real handshakes between a crypto/tls client
// presenting every testpki certificate variant (and none) and real servers
// (Go crypto/tls in all five modes, openssl s_server, gnutls-serv, a Java
// JSSE server), and compares each outcome with Evaluate's prediction for that
// stack: verdict, negotiated version, and the alert where one is predicted.
// Any difference fails the test.
func TestInteropTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("interop truth suite: skipped in -short mode")
	}
	pki := testpki.New()
	var servers []truthServer
	add := func(srv *stacks.Server, st policy.Stack, ver string, mode policy.ClientAuthMode, lo, hi uint16) {
		servers = append(servers, truthServer{srv: srv, model: policy.Server{Name: srv.Description, Stack: st, StackVersion: ver, ClientAuth: mode, Versions: vset(lo, hi)}})
	}
	std := [2]uint16{tls.VersionTLS12, tls.VersionTLS13}
	old := [2]uint16{tls.VersionTLS10, tls.VersionTLS12}

	// Go crypto/tls, in process: all five modes, plus TLS 1.0-1.2.
	for _, ca := range []tls.ClientAuthType{tls.NoClientCert, tls.RequestClientCert, tls.RequireAnyClientCert, tls.VerifyClientCertIfGiven, tls.RequireAndVerifyClientCert} {
		add(stacks.StartGo(t, stacks.GoOptions{ClientAuth: ca, MinVersion: std[0], MaxVersion: std[1]}), policy.GoCryptoTLS, "", policy.GoMode(ca), std[0], std[1])
	}
	add(stacks.StartGo(t, stacks.GoOptions{ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: old[0], MaxVersion: old[1]}), policy.GoCryptoTLS, "", policy.ClientAuthRequireAndVerify, old[0], old[1])

	var wg sync.WaitGroup
	var mu sync.Mutex
	addAsync := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	_ = addAsync
	// openssl s_server: none, -verify, -Verify, with and without -verify_return_error.
	type ossl struct {
		v   stacks.OpenSSLVerify
		ret bool
		lo  uint16
		hi  uint16
	}
	for _, c := range []ossl{
		{stacks.OpenSSLNone, false, std[0], std[1]},
		{stacks.OpenSSLVerifyPeer, false, std[0], std[1]},
		{stacks.OpenSSLVerifyRequire, false, std[0], std[1]},
		{stacks.OpenSSLVerifyPeer, true, std[0], std[1]},
		{stacks.OpenSSLVerifyRequire, true, std[0], std[1]},
		{stacks.OpenSSLVerifyRequire, true, old[0], old[1]},
	} {
		srv := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: c.v, ReturnError: c.ret, VerifyDepth: 5, MinVersion: c.lo, MaxVersion: c.hi})
		mode := policy.OpenSSLMode(c.v != stacks.OpenSSLNone, c.v == stacks.OpenSSLVerifyRequire, !c.ret)
		mu.Lock()
		add(srv, policy.OpenSSL3, "", mode, c.lo, c.hi)
		mu.Unlock()
	}
	// gnutls-serv: disabled, request (default), require, with and without --verify-client-cert.
	gver := gnutlsVersion(t)
	type gnu struct {
		cc     stacks.GnuTLSClientCert
		verify bool
		lo, hi uint16
	}
	for _, c := range []gnu{
		{stacks.GnuTLSDisabled, false, std[0], std[1]},
		{stacks.GnuTLSRequest, false, std[0], std[1]},
		{stacks.GnuTLSRequire, false, std[0], std[1]},
		{stacks.GnuTLSRequest, true, std[0], std[1]},
		{stacks.GnuTLSRequire, true, std[0], std[1]},
		{stacks.GnuTLSRequire, true, old[0], old[1]},
	} {
		srv := stacks.StartGnuTLS(t, stacks.GnuTLSOptions{ClientCert: c.cc, Verify: c.verify, MinVersion: c.lo, MaxVersion: c.hi})
		mode := policy.GnuTLSServMode(c.cc == stacks.GnuTLSDisabled, c.cc == stacks.GnuTLSRequire, c.verify)
		add(srv, policy.GnuTLS, gver, mode, c.lo, c.hi)
	}
	// Java JSSE: none, want, need (one JVM), plus need on TLS 1.0-1.2.
	jopts := []stacks.JavaOptions{
		{ClientAuth: stacks.JavaNone, MinVersion: std[0], MaxVersion: std[1]},
		{ClientAuth: stacks.JavaWant, MinVersion: std[0], MaxVersion: std[1]},
		{ClientAuth: stacks.JavaNeed, MinVersion: std[0], MaxVersion: std[1]},
		{ClientAuth: stacks.JavaNeed, MinVersion: old[0], MaxVersion: old[1]},
	}
	for i, srv := range stacks.StartJava(t, jopts...) {
		o := jopts[i]
		add(srv, policy.JavaJSSE, "", policy.JavaMode(o.ClientAuth == stacks.JavaWant, o.ClientAuth == stacks.JavaNeed), o.MinVersion, o.MaxVersion)
	}
	wg.Wait()

	ranges := []clientRange{{tls.VersionTLS12, tls.VersionTLS13}, {tls.VersionTLS12, tls.VersionTLS12}, {tls.VersionTLS10, tls.VersionTLS10}}
	r := runTruthCells(t, pki, servers, ranges, truthOptions{})
	t.Logf("interop truth suite: %s", r)
	fmt.Printf("interop truth suite: %d/%d cells agree\n", r.agree, r.cells)
}

// truthOptions adapts runTruthCells to a server family.
type truthOptions struct {
	// client adjusts the client's options (what it writes after the
	// handshake and which answer counts); nil keeps the echo.
	client func(stacks.ClientOptions) stacks.ClientOptions
	// readTimeout bounds the wait for the answer; zero means 10 s. An
	// answer or an alert ends the wait at once, so only a cell whose server
	// says nothing pays it; a long bound keeps a slow machine's late
	// rejection from looking like silence.
	readTimeout time.Duration
	// timeoutIsDiff counts a cell that ended on a timeout as a
	// disagreement even where the prediction is a failure.
	timeoutIsDiff bool
}

// truthResult counts a run of runTruthCells.
type truthResult struct {
	cells, agree, unpredicted, servers, clients, ranges int
	// alertFrom counts the agreeing cells whose predicted alert's sender
	// was compared with the one seen (compareAlertFrom).
	alertFrom int
}

func (r truthResult) String() string {
	return fmt.Sprintf("%d/%d cells agree (%d servers x %d clients x %d version ranges), %d of them also on the predicted alert's sender; %d failures whose alert the model leaves unpredicted",
		r.agree, r.cells, r.servers, r.clients, r.ranges, r.alertFrom, r.unpredicted)
}

// runTruthCells handshakes with every server from a crypto/tls client
// presenting each testpki variant (and none) at each version range, compares
// every real outcome with Evaluate's prediction for the server's model
// (compareTruthFrom: also the alert's sender) and reports each disagreement as a test error.
func runTruthCells(t *testing.T, pki *testpki.PKI, servers []truthServer, ranges []clientRange, o truthOptions) truthResult {
	t.Helper()
	variants := append(testpki.Variants(), noCert)
	if o.readTimeout == 0 {
		o.readTimeout = 10 * time.Second
	}
	var cells, agree, unpredicted, alertFrom atomic.Int64
	var diffs []string
	var mu sync.Mutex
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, ts := range servers {
		for _, v := range variants {
			for _, r := range ranges {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					opts := stacks.ClientOptions{MinVersion: r.lo, MaxVersion: r.hi, Timeout: 10*time.Second + o.readTimeout, ReadTimeout: o.readTimeout}
					if o.client != nil {
						opts = o.client(opts)
					}
					client := policy.Client{Name: string(v), Versions: vset(r.lo, r.hi)}
					if v != noCert {
						leaf := pki.Variant(v)
						opts.Chain, opts.Key = leaf.Chain, leaf.Key
						ch, err := policy.ChainFromDER(append(append([][]byte{}, leaf.Chain...), pki.CA(leaf.Root).DER)...)
						if err != nil {
							t.Errorf("ChainFromDER(%s): %v", v, err)
							return
						}
						client.Chain = ch
					}
					ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second+o.readTimeout)
					real := stacks.Handshake(ctx, ts.srv.Addr, opts)
					cancel()
					pred := policy.Evaluate(policy.Scenario{Client: client, Server: ts.model, At: at})
					cells.Add(1)
					diff, fromChecked := compareTruthFrom(real, &pred)
					if diff == "" && o.timeoutIsDiff && real.TimedOut {
						diff = "timed out: " + real.Detail
					}
					if diff == "" {
						agree.Add(1)
						if fromChecked {
							alertFrom.Add(1)
						}
						if !real.OK && real.Alert >= 0 && pred.Alert == 0 {
							unpredicted.Add(1)
							if testing.Verbose() {
								t.Logf("unpredicted alert: %s | client %s %s-%s: real %v, predicted %s", ts.srv.Description, v, stacks.VersionName(r.lo), stacks.VersionName(r.hi), real, firstDecider(&pred))
							}
						}
						return
					}
					mu.Lock()
					diffs = append(diffs, fmt.Sprintf("%s | client %s %s-%s: %s: real %v (%s), predicted %v %v alert %d %s",
						ts.srv.Description, v, stacks.VersionName(r.lo), stacks.VersionName(r.hi), diff, real, real.Detail,
						pred.Verdict, pred.Version, uint8(pred.Alert), firstDecider(&pred)))
					mu.Unlock()
				}()
			}
		}
	}
	wg.Wait()
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Errorf("disagreement: %s", d)
	}
	if len(diffs) > 0 {
		for _, ts := range servers {
			t.Logf("%s log:\n%s", ts.srv, ts.srv.Log())
		}
	}
	return truthResult{cells: int(cells.Load()), agree: int(agree.Load()), unpredicted: int(unpredicted.Load()), alertFrom: int(alertFrom.Load()),
		servers: len(servers), clients: len(variants), ranges: len(ranges)}
}

// compareTruth returns "" if the prediction matches the real outcome:
// verdict, version on success (seen as the server's answer), and the alert
// where one is predicted. TestInteropTruth and TestKamailioInterop use it.
func compareTruth(real stacks.Outcome, pred *policy.Outcome) string {
	switch pred.Verdict {
	case policy.Succeeds:
		if !real.OK {
			return "predicted success"
		}
		if !real.Echoed {
			// Every server here answers (echo, or Kamailio's SIP 200): a
			// success must be seen as the answer, not inferred from a quiet
			// connection (in TLS 1.3 a slow rejection would look the same).
			return "success without an echo: " + real.Detail
		}
		if uint16(pred.Version) != real.Version {
			return "version differs"
		}
	case policy.Fails:
		if real.OK {
			return "predicted failure"
		}
		if pred.Alert != 0 && int(pred.Alert) != real.Alert {
			return "alert differs"
		}
	default:
		return "prediction is " + pred.Verdict.String()
	}
	return ""
}

// firstDecider returns the code of the first finding that failed or left
// the outcome unknown, else of the last finding, for failure messages.
func firstDecider(o *policy.Outcome) string {
	for _, f := range o.Findings() {
		if f.Effect == policy.EffectFail || f.Effect == policy.EffectUnknown {
			return f.Code.String()
		}
	}
	fs := o.Findings()
	if len(fs) > 0 {
		return fs[len(fs)-1].Code.String()
	}
	return ""
}

var gnutlsVersionRE = regexp.MustCompile(`gnutls-serv ([0-9]+\.[0-9]+\.[0-9]+)`)

func gnutlsVersion(t *testing.T) string {
	stacks.Need(t, "gnutls-serv")
	out, err := exec.Command("gnutls-serv", "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("gnutls-serv --version: %v", err)
	}
	m := gnutlsVersionRE.FindSubmatch(out)
	if m == nil {
		t.Fatalf("gnutls-serv --version: no version in %q", strings.TrimSpace(string(out)))
	}
	return string(m[1])
}

// compareAlertFrom returns "" if the side the prediction says sends its
// alert is the side seen sending it (from). A prediction without an alert
// says nothing about a sender. Every suite that compares Evaluate with real
// stacks uses it after compareTruth (or its own verdict check).
func compareAlertFrom(pred *policy.Outcome, from policy.Side) string {
	if pred.Alert != 0 && pred.AlertFrom != from {
		return "alert predicted from the " + pred.AlertFrom.String() + ", seen from the " + from.String()
	}
	return ""
}

// goClientAlertFrom is the side seen sending the alert that ended a
// handshake of the crypto/tls client harness (stacks.Handshake), and false
// where the observation does not tell: the server when the client received
// an alert (tlsalert.Remote: crypto/tls reports a received alert as a
// "remote error"); the client when crypto/tls failed on its own check (a
// local error: no alert received, the connection neither closed nor timed
// out; crypto/tls sends an alert then, which the harness does not record);
// none on success or when the server closed the connection without an
// alert. A timeout says nothing about who would have ended the handshake.
func goClientAlertFrom(real stacks.Outcome) (policy.Side, bool) {
	switch {
	case real.OK:
		return policy.SideNone, true
	case real.Alert >= 0:
		return policy.SideServer, true
	case real.TimedOut:
		return policy.SideNone, false
	case real.Closed:
		return policy.SideNone, true
	case real.Detail != "":
		return policy.SideClient, true
	}
	return policy.SideNone, false
}

// compareTruthFrom is compareTruth followed, where the crypto/tls client
// harness tells who sent the alert, by compareAlertFrom; fromChecked reports
// that the sender of a predicted alert was compared.
func compareTruthFrom(real stacks.Outcome, pred *policy.Outcome) (diff string, fromChecked bool) {
	if diff = compareTruth(real, pred); diff != "" {
		return diff, false
	}
	from, ok := goClientAlertFrom(real)
	if !ok {
		return "", false
	}
	return compareAlertFrom(pred, from), pred.Alert != 0
}
