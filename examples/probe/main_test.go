package main

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tlscompat/tlscompat/internal/golden"
	"github.com/tlscompat/tlscompat/internal/schematest"
	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/probe"
)

var (
	portRE = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	derRE  = regexp.MustCompile(`"der":"[A-Za-z0-9+/=]*"`)
)

// normalize replaces loopback ports and certificates' DER (the test PKI's
// ECDSA signatures differ from run to run), which change from run to run.
func normalize(b []byte) []byte {
	b = portRE.ReplaceAll(b, []byte("127.0.0.1:PORT"))
	return derRE.ReplaceAll(b, []byte(`"der":"BASE64"`))
}

// silentServer accepts TCP connections and never answers.
func silentServer(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stacks.Serve(t, l, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	return l.Addr().String()
}

func refusedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestGolden runs the command against real servers on 127.0.0.1 (OpenSSL
// s_server requiring and verifying client certificates, a silent listener,
// a refused port, the built-in demo endpoint) and compares stdout and the
// exit status with testdata/*.golden; stderr must carry the progress or
// the error naming the input.
func TestGolden(t *testing.T) {
	t.Parallel()
	openssl := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Verify: stacks.OpenSSLVerifyRequire, ReturnError: true}).Addr
	silent := silentServer(t)
	refused := refusedPort(t)
	dir := t.TempDir()
	targets := filepath.Join(dir, "targets.txt")
	if err := os.WriteFile(targets, []byte("# fleet\n"+openssl+"\n\n"+silent+"  # silent\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badTargets := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(badTargets, []byte(openssl+"\nno-port\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		exit   int
		stderr string // in stderr
	}{
		{"help", []string{"-h"}, 0, ""},
		{"demo", nil, 0, "probe: 127.0.0.1:PORT: TLS 1.3 crypto/tls no certificate: requested, alert 116"},
		{"openssl", []string{"-stack", "openssl3", openssl}, 0, "probe: 127.0.0.1:PORT: SSL 3.0 ssl3-hello no certificate: alert 40"},
		{"openssl-json", []string{"-json", "-q", openssl}, 0, "!probe:"},
		{"openssl-predict", []string{"-predict", "-stack", "openssl3", "-q", openssl}, 1, ""},
		{"openssl-predict-json", []string{"-predict", "-json", "-stack", "openssl3", "-q", "-min", "TLS1.2", openssl}, 1, ""},
		{"silent", []string{"-timeout", "300ms", silent}, 2, "undecided (no answer before the attempt's deadline)"},
		{"refused-json", []string{"-json", refused}, 3, "server unreachable"},
		{"refused", []string{refused}, 3, "server unreachable: dial tcp 127.0.0.1:PORT: connect: connection refused"},
		{"targets-jsonl", []string{"-json", "-q", "-timeout", "300ms", "-targets", targets}, 2, ""},
		{"usage-min", []string{"-min", "bogus", openssl}, 3, `-min "bogus"`},
		{"usage-no-port", []string{"no-port"}, 3, `target "no-port": want host:port`},
		{"usage-targets-line", []string{"-targets", badTargets}, 3, "bad.txt:2: \"no-port\": want host:port"},
		{"usage-targets-missing", []string{"-targets", filepath.Join(dir, "missing.txt")}, 3, "missing.txt: no such file"},
		{"usage-flag", []string{"-bogus"}, 3, "flag provided but not defined: -bogus"},
		{"usage-cert", []string{"-cert", filepath.Join(dir, "missing.pem"), openssl}, 3, "-cert " + filepath.Join(dir, "missing.pem")},
		{"usage-stack", []string{"-stack", "bogus", openssl}, 3, `-stack "bogus"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			exit := run(&stdout, &stderr, tc.args)
			out := normalize(stdout.Bytes())
			errText := string(normalize(stderr.Bytes()))
			if exit != tc.exit {
				t.Errorf("run(%q) exit %d, want %d; stderr:\n%s", tc.args, exit, tc.exit, errText)
			}
			switch {
			case strings.HasPrefix(tc.stderr, "!"):
				if strings.Contains(errText, tc.stderr[1:]) {
					t.Errorf("stderr contains %q:\n%s", tc.stderr[1:], errText)
				}
			case !strings.Contains(errText, tc.stderr):
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, errText)
			}
			if strings.Contains(strings.Join(tc.args, " "), "-json") {
				for i, line := range bytes.Split(bytes.TrimSuffix(stdout.Bytes(), []byte("\n")), []byte("\n")) {
					var v struct {
						Result json.RawMessage `json:"result"`
					}
					if err := json.Unmarshal(line, &v); err != nil {
						t.Errorf("line %d is not JSON: %v", i+1, err)
					}
					if v.Result != nil {
						schematest.Validate(t, resultSchema(t), fmt.Sprintf("line %d's result", i+1), v.Result)
					}
				}
			}
			golden.Check(t, filepath.Join("testdata", tc.name+".golden"), append(out, fmt.Sprintf("[exit %d]\n", exit)...))
		})
	}
}

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
)

// resultSchema compiles probe.ResultSchema once.
func resultSchema(t *testing.T) *jsonschema.Schema {
	schemaOnce.Do(func() { schema = schematest.Compile(t, "result.schema.json", probe.ResultSchema) })
	return schema
}

// TestHelpSpellings: -h, -help and --help all print the usage on stdout and
// exit 0, and the usage lists the exit statuses.
func TestHelpSpellings(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		var stdout, stderr bytes.Buffer
		if exit := run(&stdout, &stderr, []string{arg}); exit != 0 || stderr.Len() != 0 || !strings.Contains(stdout.String(), "Exit status:\n  0  every question was answered") ||
			strings.Count(stdout.String(), "Usage:") != 1 || !strings.Contains(stdout.String(), "-trust SPEC") {
			t.Errorf("run(%s) = exit %d, stderr %q, stdout %q", arg, exit, stderr.String(), stdout.String())
		}
	}
}

// TestClientCertificateFlags: -cert/-key present a certificate in one
// extra attempt, reported in the text.
func TestClientCertificateFlags(t *testing.T) {
	t.Parallel()
	s := stacks.StartGo(t, stacks.GoOptions{ClientAuth: tls.RequireAndVerifyClientCert})
	dir := t.TempDir()
	certFile, keyFile := writeClientPEM(t, dir)
	var stdout, stderr bytes.Buffer
	exit := run(&stdout, &stderr, []string{"-q", "-min", "TLS1.2", "-cert", certFile, "-key", keyFile, "-source", "127.0.0.1", s.Addr})
	if exit != 2 || !strings.Contains(stdout.String(), "your certificate:    accepted") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", exit, stdout.String(), stderr.String())
	}
}

// writeClientPEM writes a testpki client certificate (serverAuth+clientAuth,
// issued under the root the test servers trust) and its key as PEM files.
func writeClientPEM(t *testing.T, dir string) (certFile, keyFile string) {
	l := testpki.New().Variant(testpki.ServerClient)
	certFile, keyFile = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	if err := os.WriteFile(certFile, l.ChainPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, l.KeyPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// trustServers starts openssl s_server presenting chains of the trust PKI
// (internal/testpki.NewTrust): a trusted chain, a chain to an unknown root
// and an expired leaf; it writes the old root, the store the tests trust,
// as a PEM file. Name mismatches use the trusted server with another SNI.
type trustServers struct {
	trusted, unknownRoot, expired string
	rootPEM, rootDER              string
}

func startTrustServers(t *testing.T) trustServers {
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
	return trustServers{
		trusted:     start("leaf", "int"),
		unknownRoot: start("leaf-unknown", "int-unknown"),
		expired:     start("leaf-expired", "int"),
		rootPEM:     write("root.pem", pemOf("old-root")),
		rootDER:     write("root.der", tp.DER("old-root")[0]),
	}
}

// TestChainCheck: with -trust, the probe checks the observed server chain
// as a client with that store (and -client-stack) would, in text and
// JSON, and the exit status carries the verdict.
func TestChainCheck(t *testing.T) {
	t.Parallel()
	ts := startTrustServers(t)
	replace := map[string]string{ts.rootPEM: "ROOT.pem", ts.rootDER: "ROOT.der"}
	for _, tc := range []struct {
		name string
		args []string
		exit int
	}{
		{"chain-trusted", []string{"-q", "-trust", ts.rootPEM, "-client-stack", "openssl3", ts.trusted}, 0},
		{"chain-trusted-json", []string{"-q", "-json", "-trust", ts.rootDER, "-client-stack", "go", ts.trusted}, 0},
		{"chain-unknown-root", []string{"-q", "-trust", ts.rootPEM, "-client-stack", "gnutls", ts.unknownRoot}, 1},
		{"chain-unknown-root-json", []string{"-q", "-json", "-trust", ts.rootPEM + ",mozilla", "-client-stack", "openssl3", ts.unknownRoot}, 1},
		{"chain-expired", []string{"-q", "-trust", ts.rootPEM, "-client-stack", "java", ts.expired}, 1},
		{"chain-expired-json", []string{"-q", "-json", "-trust", ts.rootPEM, "-client-stack", "openssl3", ts.expired}, 1},
		{"chain-name-mismatch", []string{"-q", "-trust", ts.rootPEM, "-client-stack", "go", "-sni", "sbc.example.net", ts.trusted}, 1},
		{"chain-name-mismatch-json", []string{"-q", "-json", "-trust", ts.rootPEM, "-client-stack", "openssl3", "-sni", "sbc.example.net", ts.trusted}, 1},
		// The stack of the client is not known: the modelled stacks agree
		// on a trusted chain.
		{"chain-unknown-stack", []string{"-q", "-trust", ts.rootPEM, ts.trusted}, 0},
		{"usage-trust-missing", []string{"-trust", filepath.Join(t.TempDir(), "missing.pem"), ts.trusted}, 3},
		{"usage-client-stack", []string{"-trust", ts.rootPEM, "-client-stack", "bogus", ts.trusted}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			exit := run(&stdout, &stderr, tc.args)
			out := string(normalize(stdout.Bytes()))
			for from, to := range replace {
				out = strings.ReplaceAll(out, from, to)
			}
			if exit != tc.exit {
				t.Errorf("run(%q) exit %d, want %d; stdout:\n%s\nstderr:\n%s", tc.args, exit, tc.exit, out, stderr.String())
			}
			if exit == exitError && (stdout.Len() != 0 || !strings.Contains(stderr.String(), "-")) {
				t.Errorf("usage error: stdout %q, stderr %q", stdout.String(), stderr.String())
			}
			if strings.Contains(strings.Join(tc.args, " "), "-json") {
				var v struct {
					ExitStatus int             `json:"exit_status"`
					Result     json.RawMessage `json:"result"`
					Chain      struct {
						Result     string         `json:"result"`
						ExitStatus int            `json:"exit_status"`
						Outcome    policy.Outcome `json:"outcome"`
					} `json:"chain"`
				}
				if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, out)
				}
				schematest.Validate(t, resultSchema(t), "result", v.Result)
				if v.ExitStatus != exit || v.Chain.ExitStatus != tc.exit || v.Chain.Result == "" {
					t.Errorf("exit_status %d, chain %+v; want %d", v.ExitStatus, v.Chain, exit)
				}
			}
			golden.Check(t, filepath.Join("testdata", tc.name+".golden"), []byte(out+fmt.Sprintf("[exit %d]\n", exit)))
		})
	}
}
