package stacks

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

// NSSClientCert is selfserv's client-certificate option (-r).
type NSSClientCert uint8

// selfserv client-certificate options. selfserv installs its own
// certificate hook, which calls NSS's default SSL_AuthCertificate (usage
// certUsageSSLClient) and fails the handshake on any error, so a
// certificate that is sent is verified in both request modes.
const (
	// NSSNoRequest sends no CertificateRequest (no -r).
	NSSNoRequest NSSClientCert = iota
	// NSSRequest is `-r`: request a certificate on the initial handshake
	// (SSL_REQUEST_CERTIFICATE), accept a connection without one.
	NSSRequest
	// NSSRequire is `-r -r`: request and require a certificate
	// (SSL_REQUIRE_CERTIFICATE).
	NSSRequire
)

// NSSOptions configures `selfserv`.
type NSSOptions struct {
	// ClientCert selects no request, -r or -r -r. (selfserv's third and
	// fourth -r ask on a second handshake: renegotiation, or TLS 1.3
	// post-handshake authentication with -E; crypto/tls supports neither
	// as a client, so they are not offered here.)
	ClientCert NSSClientCert
	// MinVersion and MaxVersion bound the accepted versions; zero means
	// TLS 1.2 and TLS 1.3. They become -V tls1.2:tls1.3. (Debian's NSS 3.87
	// refuses ssl3 in the range.)
	MinVersion, MaxVersion uint16
	// ClientRoots are more self-signed roots (DER) trusted, like the
	// testpki roots, to issue client certificates ("T,,").
	ClientRoots [][]byte
	// Trust, if non-nil, replaces both testpki roots and ClientRoots: these
	// certificates (DER) get trust "T,," and nothing else does.
	Trust [][]byte
}

// nssVersionNames are selfserv's -V spellings.
var nssVersionNames = map[uint16]string{
	versionSSL30:     "ssl3",
	tls.VersionTLS10: "tls1.0",
	tls.VersionTLS11: "tls1.1",
	tls.VersionTLS12: "tls1.2",
	tls.VersionTLS13: "tls1.3",
}

// Args returns the selfserv options that select the client-certificate mode
// and versions (what Description shows), e.g. "-r -r -V tls1.2:tls1.3".
func (o NSSOptions) Args() []string {
	var args []string
	switch o.ClientCert {
	case NSSRequest:
		args = append(args, "-r")
	case NSSRequire:
		args = append(args, "-r", "-r")
	}
	lo, hi := versionRange(o.MinVersion, o.MaxVersion)
	return append(args, "-V", nssVersionNames[lo]+":"+nssVersionNames[hi])
}

// NSSRequestLine is what a client writes to selfserv after the handshake: an
// HTTP/1.0 GET, which selfserv answers with a page starting with
// [NSSAnswer].
const NSSRequestLine = "GET / HTTP/1.0\r\n\r\n"

// NSSAnswer is the start of selfserv's answer to [NSSRequestLine].
const NSSAnswer = "HTTP/1.0 200 OK"

// NSSClientOptions returns opts set up for [StartNSS]'s selfserv, which does
// not echo: after the handshake the client writes an HTTP GET
// ([NSSRequestLine]) and only selfserv's "HTTP/1.0 200 OK" ([NSSAnswer])
// makes the connection OK. An alert or close is a rejection, and silence
// until ReadTimeout is a failure, never a success.
func NSSClientOptions(opts ClientOptions) ClientOptions {
	opts.Request = func(net.Addr, net.Addr) string { return NSSRequestLine }
	opts.Answer = NSSAnswer
	return opts
}

// nssBinaries are the NSS tools [StartNSS] runs.
var nssBinaries = []string{"selfserv", "certutil", "pk12util", "openssl"}

// StartNSS starts NSS's `selfserv` on a free port of 127.0.0.1 with a fresh
// NSS database in t.TempDir(): the [testpki] server chain and key (imported
// with pk12util from a PKCS #12 file that `openssl pkcs12` builds, empty
// password) and both test roots (and [NSSOptions.ClientRoots]) with trust
// "T,," (trusted to issue client certificates; NSS needs that trust bit,
// not "C", for client authentication). selfserv does not echo and writes its log to a buffered
// stdout, so readiness is a connect poll; connect with [NSSClientOptions].
// The process is killed at the end of the test.
func StartNSS(t testing.TB, opts NSSOptions) *Server {
	t.Helper()
	for _, b := range nssBinaries {
		Need(t, b)
	}
	db, err := nssDB(t.TempDir(), opts.ClientRoots, opts.Trust)
	if err != nil {
		t.Fatalf("stacks: %v", err)
	}
	mode := opts.Args()
	desc := "selfserv " + strings.Join(mode, " ")
	return startRetry(t, desc, func() (*Server, error) {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		args := append([]string{"-d", db, "-n", nssServerNickname, "-p", strconv.Itoa(port)}, mode...)
		p, err := startProc("selfserv", args...)
		if err != nil {
			return nil, err
		}
		p.stopLines() // readiness is the connect poll; the log keeps the output
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
		err = waitConnect(ctx, addr, p.exited)
		cancel()
		if err != nil {
			p.kill()
			return nil, fmt.Errorf("selfserv: %v\n%s", err, p.log)
		}
		t.Cleanup(p.kill)
		return &Server{Kind: NSS, Addr: addr, Description: desc, log: p.log}, nil
	})
}

// nssServerNickname is the server key's nickname in the database.
const nssServerNickname = "tlscompat-server"

// nssDB creates an NSS database ("sql:" form) in dir holding the testpki
// server chain and key, and both testpki roots and extra trusted for client
// certificates.
func nssDB(dir string, extra, only [][]byte) (string, error) {
	pki := testpki.New()
	pkiDir := filepath.Join(dir, "pki")
	if err := os.Mkdir(pkiDir, 0o755); err != nil {
		return "", fmt.Errorf("nss database: %v", err)
	}
	files, err := pki.WriteFiles(pkiDir)
	if err != nil {
		return "", fmt.Errorf("nss database: %v", err)
	}
	dbDir := filepath.Join(dir, "nssdb")
	if err := os.Mkdir(dbDir, 0o755); err != nil {
		return "", fmt.Errorf("nss database: %v", err)
	}
	db := "sql:" + dbDir
	p12 := filepath.Join(dir, "server.p12")
	steps := [][]string{
		{"certutil", "-N", "-d", db, "--empty-password"},
		{"openssl", "pkcs12", "-export", "-in", files.ServerChain, "-inkey", files.ServerKey,
			"-name", nssServerNickname, "-passout", "pass:", "-out", p12},
		{"pk12util", "-i", p12, "-d", db, "-W", ""},
	}
	trusted := append(pki.Roots(), extra...)
	if only != nil {
		trusted = only
	}
	for i, root := range trusted {
		f := filepath.Join(dir, "root"+strconv.Itoa(i)+".pem")
		if err := os.WriteFile(f, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root}), 0o644); err != nil {
			return "", fmt.Errorf("nss database: %v", err)
		}
		steps = append(steps, []string{"certutil", "-A", "-d", db, "-n", "tlscompat-root" + strconv.Itoa(i), "-t", "T,,", "-a", "-i", f})
	}
	for _, s := range steps {
		out, err := exec.Command(s[0], s[1:]...).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("nss database in %s: %s: %v\n%s", dbDir, strings.Join(s, " "), err, out)
		}
	}
	return db, nil
}
