package stacks

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// CLIClientOptions configures [OpenSSLClient] and [GnuTLSClient], the
// command-line clients used to test how each stack's client verifies a
// server's chain.
type CLIClientOptions struct {
	// CAFile is the client's trust store (PEM); the server chain is
	// verified against it and a verification error ends the connection
	// (s_client -verify_return_error; gnutls-cli's default).
	CAFile string
	// Version is the one protocol version offered.
	Version uint16
	// VerifyHostname, if set, is checked against the server certificate
	// (s_client -verify_hostname, gnutls-cli --verify-hostname).
	// gnutls-cli otherwise checks the host it connects to (127.0.0.1).
	VerifyHostname string
	// Timeout bounds the attempt; zero means 15 s.
	Timeout time.Duration
}

// CLIResult is what a command-line client did.
type CLIResult struct {
	// OK: the line written after the handshake came back.
	OK bool
	// Detail is the tail of the client's output, for messages.
	Detail string
	// TimedOut: the attempt ended on Timeout.
	TimedOut bool
	// AlertSent is the fatal alert the client reports it sent (s_client
	// -msg prints every record it writes), or -1. In TLS 1.3 a client that
	// rejects the server's chain sends its alert before it has handshake
	// keys to protect it, so the server may not be able to read it.
	AlertSent int
}

// OpenSSLClient (call [Need] for "openssl" first) connects with `openssl s_client -quiet -verify_return_error
// -CAfile … -no-CApath -no-CAstore`, writes a line and waits for its echo.
func OpenSSLClient(ctx context.Context, addr string, o CLIClientOptions) CLIResult {
	v := VersionName(o.Version)
	args := []string{"s_client", "-connect", addr, "-quiet", "-msg", "-verify_return_error", "-CAfile", o.CAFile, "-no-CApath", "-no-CAstore",
		"-min_protocol", v, "-max_protocol", v}
	if o.VerifyHostname != "" {
		args = append(args, "-verify_hostname", o.VerifyHostname)
	}
	return runCLIClient(ctx, o.Timeout, "openssl", args...)
}

// GnuTLSClient (call [Need] for "gnutls-cli" first) connects with `gnutls-cli --x509cafile … --priority …`
// (verification on, as by default), writes a line and waits for its echo.
func GnuTLSClient(ctx context.Context, addr string, o CLIClientOptions) CLIResult {
	host, port, _ := strings.Cut(addr, ":")
	args := []string{"--x509cafile", o.CAFile, "--priority", GnuTLSPriority(o.Version, o.Version), "-p", port}
	if o.VerifyHostname != "" {
		args = append(args, "--verify-hostname", o.VerifyHostname)
	}
	args = append(args, host)
	return runCLIClient(ctx, o.Timeout, "gnutls-cli", args...)
}

// cliPing is the line written and expected back.
const cliPing = "tlscompat ping"

func runCLIClient(ctx context.Context, timeout time.Duration, name string, args ...string) CLIResult {
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return CLIResult{Detail: err.Error()}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return CLIResult{Detail: err.Error()}
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return CLIResult{Detail: err.Error()}
	}
	_, _ = stdin.Write([]byte(cliPing + "\n"))
	res := CLIResult{AlertSent: -1}
	var tail []string
	sc := bufio.NewScanner(stdout)
	alertNext := false
	for sc.Scan() {
		l := strings.TrimRight(sc.Text(), "\r")
		if l == cliPing {
			res.OK = true
			break
		}
		if alertNext {
			// "    02 30": level fatal (2), description.
			f := strings.Fields(l)
			if len(f) == 2 && f[0] == "02" {
				if n, err := strconv.ParseUint(f[1], 16, 8); err == nil {
					res.AlertSent = int(n)
				}
			}
		}
		alertNext = strings.HasPrefix(l, ">>> ") && strings.Contains(l, "Alert")
		if strings.HasPrefix(l, ">>> ") || strings.HasPrefix(l, "<<< ") || strings.HasPrefix(l, "    ") {
			continue
		}
		tail = append(tail, l)
		if len(tail) > 6 {
			tail = tail[1:]
		}
	}
	_ = stdin.Close()
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
	werr := cmd.Wait()
	res.TimedOut = !res.OK && ctx.Err() != nil
	detail := strings.TrimSpace(stderr.String())
	if len(detail) > 400 {
		detail = detail[len(detail)-400:]
	}
	res.Detail = strings.Join(tail, " | ") + " || " + detail
	if werr != nil && !res.OK {
		res.Detail += " (exit: " + werr.Error() + ")"
	}
	return res
}

// NSSClientDB creates an NSS database in dir whose only trusted
// certificates are trusted (DER), each with trust "C,," (a CA trusted to
// issue server certificates), for [NSSClient].
func NSSClientDB(dir string, trusted [][]byte) (string, error) {
	db := "sql:" + dir
	if out, err := exec.Command("certutil", "-N", "-d", db, "--empty-password").CombinedOutput(); err != nil {
		return "", fmt.Errorf("nss client database: certutil -N: %v\n%s", err, out)
	}
	for i, d := range trusted {
		f := filepath.Join(dir, "ca"+strconv.Itoa(i)+".pem")
		if err := os.WriteFile(f, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d}), 0o644); err != nil {
			return "", fmt.Errorf("nss client database: %v", err)
		}
		if out, err := exec.Command("certutil", "-A", "-d", db, "-n", "ca"+strconv.Itoa(i), "-t", "C,,", "-a", "-i", f).CombinedOutput(); err != nil {
			return "", fmt.Errorf("nss client database: certutil -A: %v\n%s", err, out)
		}
	}
	return db, nil
}

// NSSClient (call [Need] for "tstclnt" first) connects with NSS's
// `tstclnt -d db -V v:v` (the default certificate hook verifies the chain
// against db and the name against the host, 127.0.0.1), writes a line and
// waits for its echo.
func NSSClient(ctx context.Context, addr, db string, version uint16, timeout time.Duration) CLIResult {
	host, port, _ := strings.Cut(addr, ":")
	v := nssVersionNames[version]
	return runCLIClient(ctx, timeout, "tstclnt", "-h", host, "-p", port, "-d", db, "-V", v+":"+v)
}

//go:embed testdata/mbedtls_client.c
var mbedtlsClientC []byte

var (
	mbedtlsClientOnce sync.Once
	mbedtlsClientBin  string
	mbedtlsClientErr  error
)

// NeedMbedTLSClient compiles testdata/mbedtls_client.c once per process
// (gcc, -lmbedtls -lmbedx509 -lmbedcrypto) and returns the binary, or
// skips or fails the test as [Need] does when it cannot be built.
func NeedMbedTLSClient(t testing.TB) string {
	t.Helper()
	Need(t, "gcc")
	mbedtlsClientOnce.Do(func() {
		dir, err := cachedBuild("tlscompat-mbedtls-client-", map[string][]byte{"mbedtls_client.c": mbedtlsClientC}, "mbedtls_client", func(dir string) error {
			out, err := exec.Command("gcc", "-O1", "-Wall", "-o", filepath.Join(dir, "mbedtls_client"), filepath.Join(dir, "mbedtls_client.c"),
				"-lmbedtls", "-lmbedx509", "-lmbedcrypto").CombinedOutput()
			if err != nil {
				return fmt.Errorf("compiling testdata/mbedtls_client.c with gcc: %v\n%s", err, out)
			}
			return nil
		})
		mbedtlsClientBin, mbedtlsClientErr = filepath.Join(dir, "mbedtls_client"), err
	})
	if mbedtlsClientErr != nil {
		if missingMbedTLSHeaders([]byte(mbedtlsClientErr.Error())) && os.Getenv(RequireEnv) != "1" {
			t.Skipf("stacks: %v", mbedtlsClientErr)
		}
		t.Fatalf("stacks: %v", mbedtlsClientErr)
	}
	return mbedtlsClientBin
}

// MbedTLSClient runs the Mbed TLS 2.28 client (bin from
// [NeedMbedTLSClient]): TLS 1.2 only, authmode REQUIRED, the chain checked
// against caFile and the server name against name; it writes a line and
// waits for its echo.
func MbedTLSClient(ctx context.Context, bin, addr, caFile, name string, timeout time.Duration) CLIResult {
	host, port, _ := strings.Cut(addr, ":")
	return runCLIClient(ctx, timeout, bin, caFile, host, port, name)
}
