package policy_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/internal/tlsalert"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// trustTally counts the cells of a trust suite per stack.
type trustTally struct {
	mu      sync.Mutex
	cells   map[string]int
	agree   map[string]int
	unknown map[string]int
	diffs   []string
	reasons map[string]int
}

func newTally() *trustTally {
	return &trustTally{cells: map[string]int{}, agree: map[string]int{}, unknown: map[string]int{}, reasons: map[string]int{}}
}

// judge compares one real outcome with the prediction: agreement, or an
// Unknown (with the reason counted), or a difference.
func (ty *trustTally) judge(stack, cell string, real stacks.Outcome, pred *policy.Outcome, from policy.Side) {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	ty.cells[stack]++
	if pred.Verdict == policy.Unknown {
		ty.unknown[stack]++
		for _, f := range pred.Findings() {
			if f.Effect == policy.EffectUnknown {
				ty.reasons[stack+": "+f.Code.String()+": "+f.Message()+" [real: "+real.String()+"]"]++
				break
			}
		}
		return
	}
	d := compareTruth(real, pred)
	if d == "" {
		d = compareAlertFrom(pred, from)
	}
	if d != "" {
		ty.diffs = append(ty.diffs, fmt.Sprintf("%s | %s: %s: real %v (%s), predicted %v %v alert %d %s", stack, cell, d, real, real.Detail, pred.Verdict, pred.Version, uint8(pred.Alert), firstDecider(pred)))
		return
	}
	ty.agree[stack]++
	if !real.OK && real.Alert >= 0 && pred.Alert == 0 {
		ty.reasons["(agrees; alert not predicted) "+stack+": "+firstDecider(pred)+" [real: "+real.String()+"]"]++
	}
}

func (ty *trustTally) report(t *testing.T, what string) {
	t.Helper()
	sort.Strings(ty.diffs)
	for _, d := range ty.diffs {
		t.Errorf("disagreement: %s", d)
	}
	var names []string
	for k := range ty.cells {
		names = append(names, k)
	}
	sort.Strings(names)
	total, agree, unknown := 0, 0, 0
	for _, n := range names {
		t.Logf("%s %s: %d cells, %d agree, %d unknown with a reason, %d differ", what, n, ty.cells[n], ty.agree[n], ty.unknown[n], ty.cells[n]-ty.agree[n]-ty.unknown[n])
		total += ty.cells[n]
		agree += ty.agree[n]
		unknown += ty.unknown[n]
	}
	var rs []string
	for r, n := range ty.reasons {
		rs = append(rs, fmt.Sprintf("%4d x %s", n, r))
	}
	sort.Strings(rs)
	for _, r := range rs {
		t.Logf("unknown: %s", r)
	}
	t.Logf("%s: %d cells: %d agree, %d unknown with a reason, %d differ", what, total, agree, unknown, total-agree-unknown)
	fmt.Printf("%s: %d cells: %d agree, %d unknown with a reason, %d differ\n", what, total, agree, unknown, total-agree-unknown)
}

func writePEM(t *testing.T, dir, name string, ders [][]byte) string {
	t.Helper()
	var b []byte
	for _, d := range ders {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})...)
	}
	f := filepath.Join(dir, name)
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// trustModelServer is one real server of the client-chain suite and the
// model that claims to describe it.
type trustModelServer struct {
	srv    *stacks.Server
	model  policy.Server
	family string
	client func(stacks.ClientOptions) stacks.ClientOptions
	tls13  bool
	trust  *policy.Trust // overrides the case's store in the model
}

// TestTrustInteropServers: every real server stack verifies client chains
// of the trust cases (testpki.TrustPKI.Cases: trusted control, only the
// leaf, the intermediate in the store, an intermediate as the only anchor,
// the root included, an expired or not-yet-valid leaf, an expired
// intermediate, an unknown root, a cross-signed new root with the old or
// the new root trusted, a serverAuth-only intermediate, a CA without
// basicConstraints) in every verifying client-auth mode, over TLS 1.2 and
// 1.3, with the case's store as its only trust; each real outcome is
// compared with Evaluate given that store (verdict, version, alert).
func TestTrustInteropServers(t *testing.T) {
	if testing.Short() {
		t.Skip("trust interop suite: skipped in -short mode")
	}
	tp := testpki.NewTrust()
	dir := t.TempDir()
	gver := gnutlsVersion(t)
	stacks.Need(t, "kamailio")
	type caseServers struct {
		c       testpki.TrustCase
		trust   *policy.Trust
		servers []trustModelServer
	}
	var all []*caseServers
	var javaOpts []stacks.JavaOptions
	var javaIdx []int
	std := vset(tls.VersionTLS12, tls.VersionTLS13)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for ci, c := range tp.Cases() {
		trust, err := policy.TrustFromDER(c.Name+" store", c.Store...)
		if err != nil {
			t.Fatal(err)
		}
		cs := &caseServers{c: c, trust: trust}
		all = append(all, cs)
		caFile := writePEM(t, dir, c.Name+".store.pem", c.Store)
		add := func(ts trustModelServer) {
			ts.model.Trust = trust
			mu.Lock()
			cs.servers = append(cs.servers, ts)
			mu.Unlock()
		}
		model := func(st policy.Stack, ver string, m policy.ClientAuthMode, vs tlsver.Set, desc string) policy.Server {
			return policy.Server{Name: desc, Stack: st, StackVersion: ver, ClientAuth: m, Versions: vs}
		}
		for _, ca := range []tls.ClientAuthType{tls.VerifyClientCertIfGiven, tls.RequireAndVerifyClientCert} {
			pool := x509.NewCertPool()
			for _, d := range c.Store {
				xc, _ := x509.ParseCertificate(d)
				pool.AddCert(xc)
			}
			srv := stacks.StartGo(t, stacks.GoOptions{ClientAuth: ca, Config: &tls.Config{ClientCAs: pool}})
			add(trustModelServer{srv: srv, family: "go", model: model(policy.GoCryptoTLS, "", policy.GoMode(ca), std, srv.Description), tls13: true})
		}
		for _, jm := range []stacks.JavaClientAuth{stacks.JavaWant, stacks.JavaNeed} {
			javaOpts = append(javaOpts, stacks.JavaOptions{ClientAuth: jm, CAFile: caFile})
			javaIdx = append(javaIdx, ci)
		}
		starts := []func(){
			func() {
				for _, v := range []stacks.OpenSSLVerify{stacks.OpenSSLVerifyPeer, stacks.OpenSSLVerifyRequire} {
					srv := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: v, ReturnError: true, VerifyDepth: 5, CAFile: caFile})
					add(trustModelServer{srv: srv, family: "openssl", model: model(policy.OpenSSL3, "", policy.OpenSSLMode(true, v == stacks.OpenSSLVerifyRequire, false), std, srv.Description), tls13: true})
				}
			},
			func() {
				// X509_V_FLAG_PARTIAL_CHAIN: any anchor ends a path.
				srv := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyRequire, ReturnError: true, VerifyDepth: 5, CAFile: caFile, ExtraArgs: []string{"-partial_chain"}})
				pt := *trust
				pt.PartialChain = true
				m := model(policy.OpenSSL3, "", policy.ClientAuthRequireAndVerify, std, srv.Description)
				mu.Lock()
				cs.servers = append(cs.servers, trustModelServer{srv: srv, family: "openssl", model: m, tls13: true, trust: &pt})
				mu.Unlock()
			},
			func() {
				for _, cc := range []stacks.GnuTLSClientCert{stacks.GnuTLSRequest, stacks.GnuTLSRequire} {
					srv := stacks.StartGnuTLS(t, stacks.GnuTLSOptions{ClientCert: cc, Verify: true, CAFile: caFile})
					add(trustModelServer{srv: srv, family: "gnutls", model: model(policy.GnuTLS, gver, policy.GnuTLSServMode(false, cc == stacks.GnuTLSRequire, true), std, srv.Description), tls13: true})
				}
			},
			func() {
				for _, cc := range []stacks.NSSClientCert{stacks.NSSRequest, stacks.NSSRequire} {
					srv := stacks.StartNSS(t, stacks.NSSOptions{ClientCert: cc, Trust: c.Store})
					add(trustModelServer{srv: srv, family: "nss", model: model(policy.NSS, "", nssMode(cc), std, srv.Description), client: stacks.NSSClientOptions, tls13: true})
				}
			},
			func() {
				srv := stacks.StartMbedTLS(t, stacks.MbedTLSOptions{AuthMode: stacks.MbedTLSRequired, CAFile: caFile})
				add(trustModelServer{srv: srv, family: "mbedtls", model: model(policy.MbedTLS, "", mbedtlsMode(stacks.MbedTLSRequired), vset(tls.VersionTLS12, tls.VersionTLS12), srv.Description)})
			},
			func() {
				for _, require := range []bool{false, true} {
					srv := stacks.StartKamailio(t, stacks.KamailioOptions{VerifyCertificate: true, RequireCertificate: require, CAList: caFile})
					m := products.Kamailio(products.KamailioTLS{VerifyCertificate: true, RequireCertificate: require, Versions: std})
					m.Name = srv.Description
					add(trustModelServer{srv: srv, family: "kamailio", model: m, client: stacks.SIPOptions, tls13: true})
				}
			},
		}
		for _, f := range starts {
			wg.Add(1)
			sem <- struct{}{}
			go func() { defer wg.Done(); defer func() { <-sem }(); f() }()
		}
	}
	wg.Wait()
	for i, srv := range stacks.StartJava(t, javaOpts...) {
		cs := all[javaIdx[i]]
		o := javaOpts[i]
		m := policy.Server{Name: srv.Description, Stack: policy.JavaJSSE, ClientAuth: policy.JavaMode(o.ClientAuth == stacks.JavaWant, o.ClientAuth == stacks.JavaNeed), Versions: std, Trust: cs.trust}
		cs.servers = append(cs.servers, trustModelServer{srv: srv, family: "java", model: m, tls13: true})
	}

	ty := newTally()
	at := time.Now()
	var cwg sync.WaitGroup
	csem := make(chan struct{}, 8)
	for _, cs := range all {
		ch, err := policy.ChainFromDER(cs.c.Chain...)
		if err != nil {
			t.Fatal(err)
		}
		for _, ts := range cs.servers {
			for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
				if v == tls.VersionTLS13 && !ts.tls13 {
					continue
				}
				cwg.Add(1)
				csem <- struct{}{}
				go func() {
					defer cwg.Done()
					defer func() { <-csem }()
					opts := stacks.ClientOptions{Chain: cs.c.Chain, Key: cs.c.Key, MinVersion: v, MaxVersion: v, Timeout: 20 * time.Second, ReadTimeout: 10 * time.Second}
					if ts.client != nil {
						opts = ts.client(opts)
					}
					real := stacks.Handshake(context.Background(), ts.srv.Addr, opts)
					if real.TimedOut { // a loaded machine: measure once more
						real = stacks.Handshake(context.Background(), ts.srv.Addr, opts)
					}
					model := ts.model
					if ts.trust != nil {
						model.Trust = ts.trust
					} else if model.Trust == nil {
						model.Trust = cs.trust
					}
					pred := policy.Evaluate(policy.Scenario{Client: policy.Client{Name: cs.c.Name, Versions: vset(v, v), Chain: ch}, Server: model, At: at})
					ty.judge(ts.family, cs.c.Name+" | "+ts.srv.Description+" "+stacks.VersionName(v), real, &pred, policy.SideServer)
				}()
			}
		}
	}
	cwg.Wait()
	ty.report(t, "trust suite, servers verifying client chains")
}

// trustEchoServer is a Go TLS server presenting a case's chain; it records,
// per connection, the version and any alert the client sent.
type trustEchoServer struct {
	addr    string
	results chan stacks.Outcome
}

func startTrustEchoServer(t *testing.T, c testpki.TrustCase) *trustEchoServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: c.Chain, PrivateKey: c.Key}}, MinVersion: tls.VersionTLS12}
	s := &trustEchoServer{addr: l.Addr().String(), results: make(chan stacks.Outcome, 16)}
	stacks.Serve(t, l, func(raw net.Conn) {
		out := stacks.Outcome{Alert: -1}
		defer func() { s.results <- out }()
		_ = raw.SetDeadline(time.Now().Add(20 * time.Second))
		conn := tls.Server(raw, cfg)
		err := conn.Handshake()
		if err == nil {
			out.Version = conn.ConnectionState().Version
			var line string
			line, err = bufio.NewReader(conn).ReadString('\n')
			if err == nil {
				_, err = conn.Write([]byte(line))
				out.Echoed = err == nil
			}
		}
		if a, ok := tlsalert.Remote(err); ok && a != 0 {
			out.Alert = a
		}
		if err != nil {
			out.Detail = err.Error()
		}
	})
	return s
}

// TestTrustInteropClients: each stack's client verifies the server chains
// of the trust cases against the case's store (Go crypto/tls, openssl
// s_client -verify_return_error, gnutls-cli, a Java JSSE client with the
// default PKIX trust manager), over TLS 1.2 and 1.3. The server (Go)
// records the alert the client sends; a success needs the client to get
// the echo back. Each cell is compared with Evaluate given Server.Chain and
// Client.Trust.
func TestTrustInteropClients(t *testing.T) {
	if testing.Short() {
		t.Skip("trust interop suite: skipped in -short mode")
	}
	stacks.Need(t, "openssl")
	stacks.Need(t, "gnutls-cli")
	stacks.Need(t, "tstclnt")
	stacks.Need(t, "certutil")
	mbedBin := stacks.NeedMbedTLSClient(t)
	tp := testpki.NewTrust()
	dir := t.TempDir()
	java := stacks.StartJavaClient(t, false)
	ty := newTally()
	at := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, c := range tp.Cases() {
		trust, err := policy.TrustFromDER(c.Name+" store", c.Store...)
		if err != nil {
			t.Fatal(err)
		}
		srvChain, err := policy.ChainFromDER(c.Chain...)
		if err != nil {
			t.Fatal(err)
		}
		caFile := writePEM(t, dir, c.Name+".store.pem", c.Store)
		srv := startTrustEchoServer(t, c)
		nssDB, err := stacks.NSSClientDB(t.TempDir(), c.Store)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		for _, d := range c.Store {
			xc, _ := x509.ParseCertificate(d)
			pool.AddCert(xc)
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
				type client struct {
					family     string
					stack      policy.Stack
					serverName string
					run        func() (ok bool, detail string)
				}
				sent := -1
				clients := []client{
					{"go", policy.GoCryptoTLS, "localhost", func() (bool, string) {
						o := stacks.Handshake(context.Background(), srv.addr, stacks.ClientOptions{RootCAs: pool, ServerName: "localhost", MinVersion: v, MaxVersion: v})
						return o.OK && o.Echoed, o.String() + " " + o.Detail
					}},
					{"openssl", policy.OpenSSL3, "", func() (bool, string) {
						r := stacks.OpenSSLClient(context.Background(), srv.addr, stacks.CLIClientOptions{CAFile: caFile, Version: v})
						sent = r.AlertSent
						return r.OK, r.Detail
					}},
					{"gnutls", policy.GnuTLS, "127.0.0.1", func() (bool, string) {
						r := stacks.GnuTLSClient(context.Background(), srv.addr, stacks.CLIClientOptions{CAFile: caFile, Version: v})
						return r.OK, r.Detail
					}},
					{"java", policy.JavaJSSE, "", func() (bool, string) {
						got, detail := java.HandshakeTrust(srv.addr, []uint16{v}, caFile)
						return got != 0, detail
					}},
				}
				clients = append(clients, client{"nss", policy.NSS, "127.0.0.1", func() (bool, string) {
					r := stacks.NSSClient(context.Background(), srv.addr, nssDB, v, 0)
					return r.OK, r.Detail
				}})
				if v == tls.VersionTLS12 { // Debian's Mbed TLS 2.28 has no TLS 1.3
					clients = append(clients, client{"mbedtls", policy.MbedTLS, "localhost", func() (bool, string) {
						r := stacks.MbedTLSClient(context.Background(), mbedBin, srv.addr, caFile, "localhost", 0)
						return r.OK, r.Detail
					}})
				}
				if c.Name == "trusted" {
					// The dialled name is not in the SANs.
					const wrong = "wrong.example"
					clients = append(clients,
						client{"go", policy.GoCryptoTLS, wrong, func() (bool, string) {
							o := stacks.Handshake(context.Background(), srv.addr, stacks.ClientOptions{RootCAs: pool, ServerName: wrong, MinVersion: v, MaxVersion: v})
							return o.OK && o.Echoed, o.String() + " " + o.Detail
						}},
						client{"openssl", policy.OpenSSL3, wrong, func() (bool, string) {
							r := stacks.OpenSSLClient(context.Background(), srv.addr, stacks.CLIClientOptions{CAFile: caFile, Version: v, VerifyHostname: wrong})
							sent = r.AlertSent
							return r.OK, r.Detail
						}},
						client{"gnutls", policy.GnuTLS, wrong, func() (bool, string) {
							r := stacks.GnuTLSClient(context.Background(), srv.addr, stacks.CLIClientOptions{CAFile: caFile, Version: v, VerifyHostname: wrong})
							return r.OK, r.Detail
						}})
					if v == tls.VersionTLS12 {
						clients = append(clients, client{"mbedtls", policy.MbedTLS, wrong, func() (bool, string) {
							r := stacks.MbedTLSClient(context.Background(), mbedBin, srv.addr, caFile, wrong, 0)
							return r.OK, r.Detail
						}})
					}
				}
				for _, cl := range clients {
					ok, detail := cl.run()
					var real stacks.Outcome
					select {
					case real = <-srv.results:
					case <-time.After(20 * time.Second):
						real = stacks.Outcome{Alert: -1, Detail: "the server saw no connection"}
					}
					real.OK = ok && real.Echoed
					if real.Alert < 0 && sent >= 0 && strings.Contains(real.Detail, "bad record MAC") {
						// The server could not read the alert (TLS 1.3,
						// sent without handshake keys): the client's own
						// record of what it wrote is the observation.
						real.Alert = sent
					}
					sent = -1
					real.Detail = detail + " / server: " + real.Detail
					pred := policy.Evaluate(policy.Scenario{
						Client: policy.Client{Name: cl.family + " client", Stack: cl.stack, Versions: vset(v, v), Trust: trust, ServerName: cl.serverName},
						Server: policy.Server{Name: "go server", Stack: policy.GoCryptoTLS, Versions: vset(tls.VersionTLS12, tls.VersionTLS13), ClientAuth: policy.ClientAuthNone, Chain: srvChain},
						At:     at,
					})
					ty.judge(cl.family, c.Name+" | "+cl.family+" client "+stacks.VersionName(v), real, &pred, policy.SideClient)
				}
			}
		}()
	}
	wg.Wait()
	ty.report(t, "trust suite, clients verifying server chains")
}
