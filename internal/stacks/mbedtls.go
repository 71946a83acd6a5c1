package stacks

import (
	"bytes"
	"crypto/tls"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

//go:embed testdata/mbedtls_server.c
var mbedtlsServerC []byte

// MbedTLSAuthMode is the mbedtls_ssl_conf_authmode setting of the server.
type MbedTLSAuthMode uint8

// Mbed TLS authmode settings.
const (
	// MbedTLSNone is MBEDTLS_SSL_VERIFY_NONE, the server default: no
	// CertificateRequest.
	MbedTLSNone MbedTLSAuthMode = iota
	// MbedTLSOptional is MBEDTLS_SSL_VERIFY_OPTIONAL: request a
	// certificate, verify what arrives and record the result for
	// mbedtls_ssl_get_verify_result; the server application logs it and
	// continues, as a typical application does.
	MbedTLSOptional
	// MbedTLSRequired is MBEDTLS_SSL_VERIFY_REQUIRED: a certificate must
	// be sent and must verify.
	MbedTLSRequired
)

var mbedtlsAuthModeNames = [...]string{MbedTLSNone: "none", MbedTLSOptional: "optional", MbedTLSRequired: "required"}

// String returns "none", "optional" or "required".
func (m MbedTLSAuthMode) String() string {
	if int(m) < len(mbedtlsAuthModeNames) {
		return mbedtlsAuthModeNames[m]
	}
	return "MbedTLSAuthMode(" + strconv.Itoa(int(m)) + ")"
}

// MbedTLSOptions configures [StartMbedTLS].
type MbedTLSOptions struct {
	// AuthMode selects none, optional or required.
	AuthMode MbedTLSAuthMode
	// MinVersion and MaxVersion bound the accepted versions; zero means
	// TLS 1.2 for both. Debian 12's Mbed TLS 2.28.3 does TLS 1.0 to 1.2;
	// its experimental TLS 1.3 is not compiled in (see [MbedTLSInfo]), and
	// the server refuses to start with a range it cannot serve.
	MinVersion, MaxVersion uint16
	// CAFile, if set, replaces both testpki roots as the CA chain client
	// certificates are verified against.
	CAFile string
}

func (o MbedTLSOptions) versions() (uint16, uint16) {
	lo, hi := o.MinVersion, o.MaxVersion
	if lo == 0 {
		lo = tls.VersionTLS12
	}
	if hi == 0 {
		hi = tls.VersionTLS12
	}
	return lo, hi
}

// MbedTLSBuild describes the Mbed TLS library the test server is linked with.
type MbedTLSBuild struct {
	// Version is the library version, e.g. "2.28.3".
	Version string
	// TLS13 reports whether the experimental TLS 1.3 support
	// (MBEDTLS_SSL_PROTO_TLS1_3_EXPERIMENTAL) is compiled in, according to
	// both the headers and the shared library.
	TLS13 bool
}

// mbedtlsHeaders is the include directory prefix whose absence in gcc's
// "No such file or directory" error means libmbedtls-dev is missing.
const mbedtlsHeaders = "mbedtls/"

const mbedtlsHint = "apt-get install libmbedtls-dev gcc"

var (
	mbedtlsOnce sync.Once
	mbedtlsBin  string
	mbedtlsErr  error
	// mbedtlsNoHeaders reports that the compile failed because the Mbed
	// TLS headers are missing (as opposed to any other compile error).
	mbedtlsNoHeaders bool
)

// mbedtlsBinary compiles testdata/mbedtls_server.c once per process into a
// cache directory keyed by the source's hash (shared between test binaries)
// and returns the executable's path.
func mbedtlsBinary() (string, error) {
	mbedtlsOnce.Do(func() {
		dir, err := cachedBuild("tlscompat-mbedtls-", map[string][]byte{"mbedtls_server.c": mbedtlsServerC}, "mbedtls_server", func(dir string) error {
			out, err := exec.Command("gcc", "-O1", "-Wall", "-o", filepath.Join(dir, "mbedtls_server"), filepath.Join(dir, "mbedtls_server.c"),
				"-lmbedtls", "-lmbedx509", "-lmbedcrypto").CombinedOutput()
			switch {
			case err == nil:
				return nil
			case missingMbedTLSHeaders(out):
				mbedtlsNoHeaders = true
				return fmt.Errorf("compiling testdata/mbedtls_server.c: the Mbed TLS headers (<mbedtls/*.h>) are missing (%s)\n%s", mbedtlsHint, out)
			}
			return fmt.Errorf("compiling testdata/mbedtls_server.c with gcc: %v\n%s", err, out)
		})
		if err != nil {
			mbedtlsErr = err
			return
		}
		mbedtlsBin = filepath.Join(dir, "mbedtls_server")
	})
	return mbedtlsBin, mbedtlsErr
}

// missingMbedTLSHeaders reports whether gcc's output says an <mbedtls/...>
// header was not found.
func missingMbedTLSHeaders(gccOutput []byte) bool {
	for _, line := range bytes.Split(gccOutput, []byte("\n")) {
		if bytes.Contains(line, []byte(mbedtlsHeaders)) && bytes.Contains(line, []byte("No such file or directory")) {
			return true
		}
	}
	return false
}

// needMbedTLS returns the compiled server. Without gcc, or without the Mbed
// TLS headers, the test is skipped, or fails when TLSCOMPAT_REQUIRE_STACKS=1
// (as [Need] does); any other compile error fails it.
func needMbedTLS(t testing.TB) string {
	t.Helper()
	Need(t, "gcc")
	bin, err := mbedtlsBinary()
	if err == nil {
		return bin
	}
	if mbedtlsNoHeaders && os.Getenv(RequireEnv) != "1" {
		t.Skipf("stacks: %v; set %s=1 to make this fatal", err, RequireEnv)
	}
	t.Fatalf("stacks: %v", err)
	return ""
}

// parseMbedTLSBuild parses the server's "MBEDTLS version=2.28.3 tls1_3=no
// tls1_3_lib=no" line.
func parseMbedTLSBuild(line string) (MbedTLSBuild, error) {
	f := strings.Fields(line)
	if len(f) != 4 || f[0] != "MBEDTLS" {
		return MbedTLSBuild{}, fmt.Errorf("mbedtls_server: bad version line %q", line)
	}
	kv := map[string]string{}
	for _, x := range f[1:] {
		k, v, ok := strings.Cut(x, "=")
		if !ok {
			return MbedTLSBuild{}, fmt.Errorf("mbedtls_server: bad version line %q", line)
		}
		kv[k] = v
	}
	b := MbedTLSBuild{Version: kv["version"], TLS13: kv["tls1_3"] == "yes" && kv["tls1_3_lib"] == "yes"}
	if _, ok := parseVersion3(b.Version); !ok {
		return MbedTLSBuild{}, fmt.Errorf("mbedtls_server: bad version in %q", line)
	}
	return b, nil
}

// parseVersion3 checks "X.Y.Z".
func parseVersion3(s string) ([3]int, bool) {
	var out [3]int
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return out, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return out, false
		}
		out[i] = n
	}
	return out, true
}

// MbedTLSInfo compiles the test server if needed and reports the library it
// is linked with (version, and whether TLS 1.3 is compiled in). It skips or
// fails the test as [StartMbedTLS] does when gcc or the headers are missing.
func MbedTLSInfo(t testing.TB) MbedTLSBuild {
	t.Helper()
	bin := needMbedTLS(t)
	out, err := exec.Command(bin, "-version").CombinedOutput()
	if err != nil {
		t.Fatalf("stacks: %s -version: %v\n%s", bin, err, out)
	}
	b, err := parseMbedTLSBuild(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("stacks: %v", err)
	}
	return b
}

// StartMbedTLS starts the Mbed TLS echo server (testdata/mbedtls_server.c,
// compiled once per process with gcc against -lmbedtls -lmbedx509
// -lmbedcrypto) on 127.0.0.1 with the [testpki] server chain as its own
// certificate and both test roots as the CA chain for client certificates.
// It serves every connection in a forked child and logs, per connection,
// the handshake result and mbedtls_ssl_get_verify_result's flags (see
// [Server.Log]). It needs gcc and the Mbed TLS headers (libmbedtls-dev).
func StartMbedTLS(t testing.TB, opts MbedTLSOptions) *Server {
	t.Helper()
	bin := needMbedTLS(t)
	files, err := testpki.New().WriteFiles(t.TempDir())
	if err != nil {
		t.Fatalf("stacks: %v", err)
	}
	lo, hi := opts.versions()
	desc := fmt.Sprintf("mbedtls_server authmode=%s %s-%s", opts.AuthMode, VersionName(lo), VersionName(hi))
	ca := files.CA
	if opts.CAFile != "" {
		ca = opts.CAFile
	}
	p, err := startProc(bin, files.ServerChain, files.ServerKey, ca, opts.AuthMode.String(),
		fmt.Sprintf("%04x", lo), fmt.Sprintf("%04x", hi))
	if err != nil {
		t.Fatalf("stacks: %s: %v", desc, err)
	}
	line, err := p.waitLine(StartTimeout, func(l string) bool { return strings.HasPrefix(l, "READY ") })
	p.stopLines()
	if err != nil {
		p.kill()
		t.Fatalf("stacks: %s: %v\n%s", desc, err, p.log)
	}
	port, err := strconv.Atoi(strings.TrimPrefix(line, "READY "))
	if err != nil || port <= 0 || port > 65535 {
		p.kill()
		t.Fatalf("stacks: %s: bad readiness line %q", desc, line)
	}
	t.Cleanup(p.kill)
	return &Server{Kind: MbedTLS, Addr: "127.0.0.1:" + strconv.Itoa(port), Description: desc, log: p.log}
}
