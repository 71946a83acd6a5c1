package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/internal/golden"
	"github.com/tlscompat/tlscompat/internal/schematest"
	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
)

// at fixes the evaluation instant, so the golden files do not age.
const at = "2026-02-01"

type result struct {
	stdout, stderr string
	status         int
}

func runArgs(args ...string) result {
	var out, errs bytes.Buffer
	st := run(&out, &errs, args)
	return result{out.String(), errs.String(), st}
}

// transcript runs each argument list and records the command, its standard
// output and its exit status; replace maps strings that differ between runs
// (a server's port) to stable ones.
func transcript(t *testing.T, cases [][]string, want []int, replace map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	for i, args := range cases {
		r := runArgs(args...)
		if r.status != want[i] {
			t.Errorf("genesyscheck %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.status, want[i], r.stdout, r.stderr)
		}
		text := "$ genesyscheck " + strings.Join(args, " ") + "\n" + r.stdout + "exit " + itoa(r.status) + "\n\n"
		for from, to := range replace {
			text = strings.ReplaceAll(text, from, to)
		}
		b.WriteString(text)
	}
	return b.Bytes()
}

func itoa(i int) string { return string(rune('0' + i)) }

// TestOffline: the SBC described by flags.
func TestOffline(t *testing.T) {
	cases := [][]string{
		{"-at", at, "-mode", "require-and-verify", "-stack", "openssl3"},
		{"-at", at, "-mode", "none"},
		{"-at", at, "-mode", "request", "-stack", "openssl3"},
		{"-at", at, "-mode", "require-and-verify"},
		{"-at", at, "-mode", "verify-if-given", "-stack", "java", "-versions", "TLS 1.2, 1.3"},
		{"-at", "2026-03-11", "-mode", "require-and-verify", "-stack", "openssl3"},
		{"-at", at, "-mode", "require-and-verify", "-stack", "openssl3", "-cert", "testdata/genesys-2025.pem"},
		{"-at", at, "-mode", "require-and-verify", "-stack", "openssl3", "-versions", "TLS 1.3"},
	}
	got := transcript(t, cases, []int{1, 0, 0, 2, 1, 1, 1, 1}, nil)
	golden.Check(t, filepath.Join("testdata", "offline.txt"), got)
}

// TestCaptures: recorded handshakes (copies of examples/capture/testdata).
func TestCaptures(t *testing.T) {
	cases := [][]string{
		{"-at", at, "-capture", "testdata/tls12-nocertreq.pcap"},
		{"-at", at, "-capture", "testdata/tls12-clientcert-noclientauth.pcap", "-stack", "openssl3"},
		{"-at", at, "-capture", "testdata/tls12-certreq.pcap", "-stack", "openssl3"},
		{"-at", at, "-capture", "testdata/tls12-rejected.pcap"},
		{"-at", at, "-capture", "testdata/tls13-certreq.pcap"},
		{"-at", at, "-capture", "testdata/tls12-clientcert.pcap", "-stack", "openssl3", "-cert", "testdata/genesys-2025.pem"},
		// Two connections: the worst verdict is the exit status.
		{"-at", at, "-capture", "testdata/two-conns.pcapng", "-stack", "openssl3"},
	}
	got := transcript(t, cases, []int{0, 1, 2, 2, 2, 2, 2}, nil)
	golden.Check(t, filepath.Join("testdata", "captures.txt"), got)
}

// TestJSON: the -json output is JSON Lines, one object per connection, and
// carries the same verdicts and exit statuses.
func TestJSON(t *testing.T) {
	cases := [][]string{
		{"-json", "-at", at, "-mode", "require-and-verify", "-stack", "openssl3"},
		{"-json", "-at", at, "-capture", "testdata/tls12-nocertreq.pcap"},
		{"-json", "-at", at, "-capture", "testdata/tls12-certreq.pcap"},
		{"-json", "-at", at, "-capture", "testdata/two-conns.pcapng"},
	}
	ss := schematest.Compile(t, "scenario.schema.json", policy.ScenarioSchema)
	osch := schematest.Compile(t, "outcome.schema.json", policy.OutcomeSchema)
	var b bytes.Buffer
	for i, want := range []int{1, 0, 2, 2} {
		r := runArgs(cases[i]...)
		if r.status != want {
			t.Errorf("%q: exit %d, want %d: %s", cases[i], r.status, want, r.stderr)
		}
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			var rep struct {
				Verdict    policy.Verdict `json:"verdict"`
				ExitStatus int            `json:"exit_status"`
				Renewed    struct {
					Scenario policy.Scenario `json:"scenario"`
					Outcome  policy.Outcome  `json:"outcome"`
				} `json:"renewed"`
			}
			if err := json.Unmarshal([]byte(line), &rep); err != nil {
				t.Fatalf("%q: line is not JSON: %v\n%s", cases[i], err, line)
			}
			if rep.ExitStatus != exitStatus(rep.Verdict) || worse(rep.ExitStatus, want) != want || rep.Verdict != rep.Renewed.Outcome.Verdict {
				t.Errorf("%q: exit_status %d verdict %v renewed %v", cases[i], rep.ExitStatus, rep.Verdict, rep.Renewed.Outcome.Verdict)
			}
			// The embedded scenarios and outcomes follow the policy schemas.
			var raw struct {
				Now, Renewed struct {
					Scenario, Outcome json.RawMessage
				}
			}
			if err := json.Unmarshal([]byte(line), &raw); err != nil {
				t.Fatal(err)
			}
			for _, e := range []struct {
				what              string
				scenario, outcome json.RawMessage
			}{{"now", raw.Now.Scenario, raw.Now.Outcome}, {"renewed", raw.Renewed.Scenario, raw.Renewed.Outcome}} {
				schematest.Validate(t, ss, e.what+" scenario", e.scenario)
				schematest.Validate(t, osch, e.what+" outcome", e.outcome)
			}
			// The embedded scenario round-trips and predicts the same.
			if o := policy.Evaluate(rep.Renewed.Scenario); o.Verdict != rep.Verdict {
				t.Errorf("%q: re-evaluated scenario gives %v, JSON says %v", cases[i], o.Verdict, rep.Verdict)
			}
		}
		b.WriteString("$ genesyscheck " + strings.Join(cases[i], " ") + "\n" + r.stdout + "exit " + itoa(r.status) + "\n\n")
	}
	golden.Check(t, filepath.Join("testdata", "json.txt"), b.Bytes())
}

// TestRealServers probes real TLS servers on 127.0.0.1.
func TestRealServers(t *testing.T) {
	ossl := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyRequire, ReturnError: true})
	osslNone := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{})
	gnutls := stacks.StartGnuTLS(t, stacks.GnuTLSOptions{})
	java := stacks.StartJava(t, stacks.JavaOptions{ClientAuth: stacks.JavaNeed})[0]
	goReq := stacks.StartGo(t, stacks.GoOptions{ClientAuth: 1}) // tls.RequestClientCert

	cases := [][]string{
		{"-at", at, "-stack", "openssl3", ossl.Addr},
		{"-at", at, osslNone.Addr},
		{"-at", at, "-stack", "gnutls", gnutls.Addr},
		{"-at", at, java.Addr},
		{"-at", at, "-stack", "java", java.Addr},
		{"-at", at, "-stack", "go", goReq.Addr},
		// The server lists the CAs it trusts; the given certificate's
		// issuer is not among them (and the renewed one lacks clientAuth).
		{"-at", at, "-stack", "openssl3", "-cert", "testdata/genesys-2025.pem", ossl.Addr},
		{"-json", "-at", at, "-stack", "openssl3", ossl.Addr},
		{"-json", "-at", at, osslNone.Addr},
	}
	replace := map[string]string{
		ossl.Addr: "127.0.0.1:OPENSSL-VERIFY", osslNone.Addr: "127.0.0.1:OPENSSL-NONE", gnutls.Addr: "127.0.0.1:GNUTLS",
		java.Addr: "127.0.0.1:JAVA-NEED", goReq.Addr: "127.0.0.1:GO-REQUEST",
	}
	// The probed server chain is in the -json scenario (Server.Chain) as
	// DER, generated afresh by each test process.
	for i, der := range testpki.New().Server().Chain {
		replace[base64.StdEncoding.EncodeToString(der)] = "TESTPKI-SERVER-CHAIN-DER-" + itoa(i)
	}
	got := transcript(t, cases, []int{1, 0, 0, 2, 1, 0, 1, 1, 0}, replace)
	golden.Check(t, filepath.Join("testdata", "servers.txt"), got)

	r := runArgs("-json", "-at", at, "-stack", "openssl3", ossl.Addr)
	if r.status != exitFails || !strings.Contains(r.stderr, "probing "+ossl.Addr) {
		t.Errorf("-json probe: exit %d, stderr %q; want 1 and progress on stderr", r.status, r.stderr)
	}
	if n := strings.Count(r.stdout, "\n"); n != 1 || !json.Valid([]byte(r.stdout)) {
		t.Errorf("-json probe: want one JSON line, got %d lines:\n%s", n, r.stdout)
	}
}

// TestNetworkError: nothing listens, nothing is observed: exit 3, not a
// verdict.
func TestNetworkError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r := runArgs("-timeout", "2s", addr)
	if r.status != exitError || r.stdout != "" || !strings.Contains(r.stderr, addr) {
		t.Errorf("closed port: exit %d, stdout %q, stderr %q; want 3, nothing on stdout, an error naming %s", r.status, r.stdout, r.stderr, addr)
	}
}

func TestUsage(t *testing.T) {
	for _, h := range []string{"-h", "--help", "-help"} {
		r := runArgs(h)
		if r.status != 0 || !strings.Contains(r.stdout, "Exit status") || !strings.Contains(r.stdout, "-capture") || !strings.Contains(r.stdout, "-trust SPEC") ||
			strings.Count(r.stdout, "Usage: genesyscheck") != 1 || r.stderr != "" {
			t.Errorf("%s: exit %d, stdout %q", h, r.status, r.stdout)
		}
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.pem")
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}}), 0o644)
	for _, tc := range []struct {
		args []string
		want string // in stderr
	}{
		{nil, "nothing to check"},
		{[]string{"-nope"}, "-nope"},
		{[]string{"a:1", "b:2"}, "at most one address"},
		{[]string{"no-port"}, `"no-port"`},
		{[]string{"-mode", "sometimes"}, "sometimes"},
		{[]string{"-mode", "none", "-stack", "bogus"}, "bogus"},
		{[]string{"-mode", "none", "-versions", "TLS 9"}, "TLS 9"},
		{[]string{"-mode", "none", "-at", "July"}, "July"},
		{[]string{"-mode", "none", "x:1"}, "offline"},
		{[]string{"-mode", "none", "-cert", filepath.Join(dir, "missing.pem")}, "missing.pem"},
		{[]string{"-mode", "none", "-cert", keyFile}, "no certificate"},
		{[]string{"-mode", "none", "-cert", "main.go"}, "main.go"},
		{[]string{"-capture", filepath.Join(dir, "missing.pcap")}, "missing.pcap"},
		{[]string{"-capture", "main.go"}, "main.go"},
		{[]string{"-mode", "none", "-trust", filepath.Join(dir, "missing.pem")}, "-trust " + filepath.Join(dir, "missing.pem")},
		{[]string{"-mode", "none", "-trust", "main.go"}, "neither PEM nor a DER certificate"},
		{[]string{"-mode", "none", "-trust", "a,,b"}, "empty trust spec"},
		{[]string{"-mode", "none", "-trust", "jks:main.go"}, "jks:main.go"},
		{[]string{"-mode", "none", "-name", "sbc.example.net"}, "-name without -trust"},
	} {
		r := runArgs(tc.args...)
		if r.status != exitError || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want 3 and an error containing %q", tc.args, r.status, r.stderr, r.stdout, tc.want)
		}
	}
}

// TestDamagedCapture: a capture cut inside its first packet is an error
// naming the file; one cut after its connections were read is checked, with
// a warning.
func TestDamagedCapture(t *testing.T) {
	data, err := os.ReadFile("testdata/tls12-nocertreq.pcap")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	head := filepath.Join(dir, "head.pcap")
	os.WriteFile(head, data[:100], 0o644)
	r := runArgs("-capture", head)
	if r.status != exitError || !strings.Contains(r.stderr, "head.pcap") || r.stdout != "" {
		t.Errorf("capture cut in packet 1: exit %d, stderr %q; want 3 and the file named", r.status, r.stderr)
	}
	// A second, broken packet record after the whole first capture.
	tail := filepath.Join(dir, "tail.pcap")
	os.WriteFile(tail, append(append([]byte{}, data...), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0xff, 0xff, 0, 0), 0o644)
	r = runArgs("-at", at, "-capture", tail)
	if r.status != exitSucceeds || !strings.Contains(r.stderr, "warning") || !strings.Contains(r.stdout, "WILL SUCCEED") {
		t.Errorf("capture with a damaged tail: exit %d, stderr %q; want 0 with a warning", r.status, r.stderr)
	}
}

// TestCertDER: -cert reads DER as well as PEM, with the same answer.
func TestCertDER(t *testing.T) {
	data, err := os.ReadFile("testdata/genesys-2026.pem")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(data)
	der := filepath.Join(t.TempDir(), "genesys-2026.der")
	if err := os.WriteFile(der, b.Bytes, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-at", at, "-mode", "require-and-verify", "-stack", "openssl3", "-cert"}
	p := runArgs(append(args, "testdata/genesys-2026.pem")...)
	d := runArgs(append(args, der)...)
	// A serverAuth-only certificate fails already now.
	if p.status != exitFails || d.status != exitFails {
		t.Fatalf("PEM exit %d, DER exit %d, want 1 and 1\n%s%s", p.status, d.status, p.stderr, d.stderr)
	}
	if strings.ReplaceAll(d.stdout, der, "testdata/genesys-2026.pem") != p.stdout {
		t.Errorf("DER and PEM give different reports:\n%s\n---\n%s", p.stdout, d.stdout)
	}
	if !strings.Contains(p.stdout, "now (2026-02-01):               fails") {
		t.Errorf("a serverAuth-only certificate should fail now:\n%s", p.stdout)
	}
}

// startChainServers starts openssl s_server (no client certificates)
// presenting chains of the trust PKI (internal/testpki.NewTrust): a
// trusted chain, a chain to an unknown root and an expired leaf; root is
// the old root, the store the tests give Genesys, as a PEM file.
func startChainServers(t *testing.T) (trusted, unknownRoot, expired, root string) {
	t.Helper()
	tp := testpki.NewTrust()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pemOf := func(names ...string) []byte {
		var b []byte
		for _, d := range tp.DER(names...) {
			b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})...)
		}
		return b
	}
	start := func(leaf, inter string) string {
		k := write(leaf+".key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: tp.Certs[leaf].KeyPKCS8}))
		return stacks.StartOpenSSL(t, stacks.OpenSSLOptions{
			CertFile: write(leaf+".pem", pemOf(leaf)), ChainFile: write(inter+".pem", pemOf(inter)), KeyFile: k,
		}).Addr
	}
	return start("leaf", "int"), start("leaf-unknown", "int-unknown"), start("leaf-expired", "int"), write("root.pem", pemOf("old-root"))
}

// TestSBCChain: with -trust, genesyscheck also answers whether Genesys (the
// TLS client of outbound calls) accepts the SBC's server chain observed by
// the probe, against the name it dials (-name); the verdict and the exit
// status include it. Real servers (openssl s_server) on 127.0.0.1 present
// the chains.
func TestSBCChain(t *testing.T) {
	trusted, unknownRoot, expired, root := startChainServers(t)
	cases := [][]string{
		{"-at", at, "-stack", "openssl3", "-trust", root, trusted},
		{"-at", at, "-stack", "openssl3", "-trust", root, unknownRoot},
		{"-at", at, "-stack", "openssl3", "-trust", root, expired},
		{"-at", at, "-stack", "openssl3", "-trust", root, "-name", "sbc.example.net", trusted},
		// Without -trust: the same chains, the exit status as before.
		{"-at", at, "-stack", "openssl3", unknownRoot},
		{"-json", "-at", at, "-stack", "openssl3", "-trust", root, trusted},
		{"-json", "-at", at, "-stack", "openssl3", "-trust", root, expired},
		{"-json", "-at", at, "-stack", "openssl3", "-trust", root, "-name", "sbc.example.net", trusted},
	}
	want := []int{0, 1, 1, 1, 0, 0, 1, 1}
	replace := map[string]string{trusted: "127.0.0.1:TRUSTED", unknownRoot: "127.0.0.1:UNKNOWN-ROOT", expired: "127.0.0.1:EXPIRED", root: "ROOT.pem"}
	for _, name := range []string{"old-root", "leaf", "int", "leaf-unknown", "int-unknown", "leaf-expired"} {
		replace[base64.StdEncoding.EncodeToString(testpki.NewTrust().Certs[name].DER)] = "TRUST-PKI-DER-" + name
	}
	got := transcript(t, cases, want, replace)
	golden.Check(t, filepath.Join("testdata", "sbc-chain.txt"), got)

	for i, args := range cases {
		if args[0] != "-json" {
			continue
		}
		r := runArgs(args...)
		var rep struct {
			Verdict    policy.Verdict `json:"verdict"`
			ExitStatus int            `json:"exit_status"`
			SBCChain   *struct {
				Result string      `json:"result"`
				Code   policy.Code `json:"code"`
			} `json:"sbc_chain"`
			Renewed struct {
				Scenario policy.Scenario `json:"scenario"`
			} `json:"renewed"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("%q: not one JSON object: %v", args, err)
		}
		if rep.SBCChain == nil || rep.ExitStatus != want[i] {
			t.Errorf("%q: exit_status %d sbc_chain %+v, want %d and a chain verdict", args, rep.ExitStatus, rep.SBCChain, want[i])
		}
		// The scenario carries Genesys' store and re-evaluates alike.
		if o := policy.Evaluate(rep.Renewed.Scenario); o.Verdict != rep.Verdict || rep.Renewed.Scenario.Client.Trust == nil {
			t.Errorf("%q: re-evaluated %v, JSON says %v", args, o.Verdict, rep.Verdict)
		}
	}
}
