package stacks

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

// GnuTLSClientCert is the client-certificate option of `gnutls-serv`.
type GnuTLSClientCert uint8

// gnutls-serv client-certificate options.
const (
	// GnuTLSRequest is gnutls-serv's default: send a CertificateRequest,
	// continue without a certificate (GNUTLS_CERT_REQUEST).
	GnuTLSRequest GnuTLSClientCert = iota
	// GnuTLSRequire is --require-client-cert (GNUTLS_CERT_REQUIRE).
	GnuTLSRequire
	// GnuTLSDisabled is --disable-client-cert: no CertificateRequest.
	GnuTLSDisabled
)

// GnuTLSOptions configures `gnutls-serv`.
type GnuTLSOptions struct {
	// ClientCert selects request (default), require or disabled.
	ClientCert GnuTLSClientCert
	// Verify adds --verify-client-cert (verify a certificate if one is sent).
	Verify bool
	// MinVersion and MaxVersion bound the accepted versions; zero means
	// TLS 1.2 and TLS 1.3. They become a priority string such as
	// NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3.
	MinVersion, MaxVersion uint16
	// Priority, if set, replaces the priority string built from the versions.
	Priority string
	// CAFile, if set, replaces the --x509cafile of both testpki roots.
	CAFile string
}

// Args returns the gnutls-serv options that select the client-certificate
// mode and versions.
func (o GnuTLSOptions) Args() []string {
	var args []string
	switch o.ClientCert {
	case GnuTLSRequire:
		args = append(args, "--require-client-cert")
	case GnuTLSDisabled:
		args = append(args, "--disable-client-cert")
	}
	if o.Verify {
		args = append(args, "--verify-client-cert")
	}
	prio := o.Priority
	if prio == "" {
		lo, hi := versionRange(o.MinVersion, o.MaxVersion)
		prio = GnuTLSPriority(lo, hi)
	}
	return append(args, "--priority", prio)
}

// GnuTLSPriority returns "NORMAL:-VERS-ALL:+VERS-…" enabling exactly the
// versions lo..hi (SSL 3.0 is not supported by GnuTLS 3.7 and is left out).
func GnuTLSPriority(lo, hi uint16) string {
	var b strings.Builder
	b.WriteString("NORMAL:-VERS-ALL")
	for _, v := range Versions(lo, hi) {
		switch v {
		case tls.VersionTLS10:
			b.WriteString(":+VERS-TLS1.0")
		case tls.VersionTLS11:
			b.WriteString(":+VERS-TLS1.1")
		case tls.VersionTLS12:
			b.WriteString(":+VERS-TLS1.2")
		case tls.VersionTLS13:
			b.WriteString(":+VERS-TLS1.3")
		}
	}
	return b.String()
}

// StartGnuTLS starts `gnutls-serv --echo` on a free port with the [testpki]
// server chain and both test roots as --x509cafile. gnutls-serv listens on
// all interfaces; Addr is the 127.0.0.1 address.
func StartGnuTLS(t testing.TB, opts GnuTLSOptions) *Server {
	t.Helper()
	Need(t, "gnutls-serv")
	files, err := testpki.New().WriteFiles(t.TempDir())
	if err != nil {
		t.Fatalf("stacks: %v", err)
	}
	mode := opts.Args()
	desc := "gnutls-serv " + strings.Join(mode, " ")
	ca := files.CA
	if opts.CAFile != "" {
		ca = opts.CAFile
	}
	return startRetry(t, desc, func() (*Server, error) {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		args := append([]string{"--echo", "--port", strconv.Itoa(port),
			"--x509certfile", files.ServerChain, "--x509keyfile", files.ServerKey, "--x509cafile", ca}, mode...)
		p, err := startProc("gnutls-serv", args...)
		if err != nil {
			return nil, err
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		// "Echo Server listening on IPv4 0.0.0.0 port N...done", or
		// "...bind() failed: Address already in use" when the port was
		// taken meanwhile (gnutls-serv then goes on with IPv6 only).
		line, err := p.waitLine(StartTimeout, func(l string) bool {
			return strings.Contains(l, "IPv4") || strings.Contains(l, "failed")
		})
		p.stopLines()
		if err == nil && !strings.HasSuffix(strings.TrimSpace(line), "done") {
			err = fmt.Errorf("gnutls-serv: %s", line)
		}
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
			err = waitConnect(ctx, addr, p.exited)
			cancel()
		}
		if err != nil {
			p.kill()
			return nil, fmt.Errorf("%v\n%s", err, p.log)
		}
		t.Cleanup(p.kill)
		return &Server{Kind: GnuTLS, Addr: addr, Description: desc, log: p.log}, nil
	})
}
