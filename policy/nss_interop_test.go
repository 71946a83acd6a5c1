package policy_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
)

// nssMode maps selfserv's initial-handshake client-certificate option to
// the policy mode, as observed with NSS 3.87: selfserv's certificate hook
// calls NSS's default SSL_AuthCertificate and fails the handshake on any
// error, so -r verifies a certificate that is sent and accepts none
// (verify-if-given), and -r -r also refuses an empty Certificate
// (require-and-verify).
func nssMode(c stacks.NSSClientCert) policy.ClientAuth {
	switch c {
	case stacks.NSSRequest:
		return policy.ClientAuthVerifyIfGiven
	case stacks.NSSRequire:
		return policy.ClientAuthRequireAndVerify
	}
	return policy.ClientAuthNone
}

// TestNSSInterop is the truth suite for the NSS rules: every testpki client
// certificate variant (and none) against NSS 3.87's selfserv in each
// initial-handshake mode (none, -r, -r -r) and server version range, from
// client version ranges TLS 1.2–1.3, 1.2, 1.3 and 1.0, compared with
// Evaluate for Server{Stack: NSS}: verdict, version on success (seen as
// selfserv's "HTTP/1.0 200 OK" answer to a GET, never as silence), and the
// alert wherever Evaluate predicts one. Any difference fails.
func TestNSSInterop(t *testing.T) {
	if testing.Short() {
		t.Skip("NSS interop truth suite: skipped in -short mode")
	}
	pki := testpki.New()
	type cfg struct {
		cc     stacks.NSSClientCert
		lo, hi uint16
	}
	cfgs := []cfg{
		{stacks.NSSNoRequest, tls.VersionTLS12, tls.VersionTLS13},
		{stacks.NSSRequest, tls.VersionTLS12, tls.VersionTLS13},
		{stacks.NSSRequest, tls.VersionTLS12, tls.VersionTLS12},
		{stacks.NSSRequest, tls.VersionTLS13, tls.VersionTLS13},
		{stacks.NSSRequire, tls.VersionTLS12, tls.VersionTLS13},
		{stacks.NSSRequire, tls.VersionTLS12, tls.VersionTLS12},
		{stacks.NSSRequire, tls.VersionTLS13, tls.VersionTLS13},
		{stacks.NSSRequire, tls.VersionTLS10, tls.VersionTLS12},
	}
	var servers []truthServer
	for _, c := range cfgs {
		srv := stacks.StartNSS(t, stacks.NSSOptions{ClientCert: c.cc, MinVersion: c.lo, MaxVersion: c.hi})
		servers = append(servers, truthServer{srv: srv, model: policy.Server{Name: srv.Description, Stack: policy.NSS, ClientAuth: nssMode(c.cc), Versions: vset(c.lo, c.hi)}})
	}

	variants := append(testpki.Variants(), noCert)
	ranges := []clientRange{{tls.VersionTLS12, tls.VersionTLS13}, {tls.VersionTLS12, tls.VersionTLS12}, {tls.VersionTLS13, tls.VersionTLS13}, {tls.VersionTLS10, tls.VersionTLS10}}
	var cells, agree, unpredicted atomic.Int64
	var diffs []string
	var mu sync.Mutex
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	sem := make(chan struct{}, 8)
	var hw sync.WaitGroup
	for _, ts := range servers {
		for _, v := range variants {
			for _, r := range ranges {
				hw.Add(1)
				sem <- struct{}{}
				go func() {
					defer hw.Done()
					defer func() { <-sem }()
					opts := stacks.NSSClientOptions(stacks.ClientOptions{MinVersion: r.lo, MaxVersion: r.hi, Timeout: 10 * time.Second, ReadTimeout: 5 * time.Second})
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
					ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
					real := stacks.Handshake(ctx, ts.srv.Addr, opts)
					cancel()
					pred := policy.Evaluate(policy.Scenario{Client: client, Server: ts.model, At: at})
					cells.Add(1)
					diff := compareTruth(real, &pred)
					if diff == "" && real.TimedOut {
						diff = "timed out: " + real.Detail
					}
					if diff == "" {
						agree.Add(1)
						if !real.OK && real.Alert >= 0 && pred.Alert == 0 {
							unpredicted.Add(1)
							t.Logf("unpredicted alert: %s | client %s %s-%s: real %v, predicted %s", ts.srv.Description, v, stacks.VersionName(r.lo), stacks.VersionName(r.hi), real, firstDecider(&pred))
						}
						return
					}
					mu.Lock()
					diffs = append(diffs, fmt.Sprintf("%s | client %s %s-%s: %s: real %v, predicted %v %v alert %d %s",
						ts.srv.Description, v, stacks.VersionName(r.lo), stacks.VersionName(r.hi), diff, real, pred.Verdict, pred.Version, uint8(pred.Alert), firstDecider(&pred)))
					mu.Unlock()
				}()
			}
		}
	}
	hw.Wait()
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Errorf("disagreement: %s", d)
	}
	t.Logf("NSS interop truth suite (NSS 3.87 selfserv): %d/%d cells agree (%d servers x %d clients x %d version ranges); %d failures whose alert the model leaves unpredicted",
		agree.Load(), cells.Load(), len(servers), len(variants), len(ranges), unpredicted.Load())
}
