package stacks

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

// GoOptions configures a crypto/tls server.
type GoOptions struct {
	// ClientAuth is the client-certificate mode (all five are supported).
	ClientAuth tls.ClientAuthType
	// MinVersion and MaxVersion bound the accepted versions; zero means
	// TLS 1.2 and TLS 1.3.
	MinVersion, MaxVersion uint16
	// Config, if set, is cloned and used instead of the default server
	// configuration; the fields above still apply.
	Config *tls.Config
}

var goClientAuthNames = [...]string{
	tls.NoClientCert:               "NoClientCert",
	tls.RequestClientCert:          "RequestClientCert",
	tls.RequireAnyClientCert:       "RequireAnyClientCert",
	tls.VerifyClientCertIfGiven:    "VerifyClientCertIfGiven",
	tls.RequireAndVerifyClientCert: "RequireAndVerifyClientCert",
}

// StartGo starts an in-process crypto/tls echo server on 127.0.0.1 with the
// [testpki] server certificate and both test roots as ClientCAs.
func StartGo(t testing.TB, opts GoOptions) *Server {
	t.Helper()
	pki := testpki.New()
	cfg := &tls.Config{}
	if opts.Config != nil {
		cfg = opts.Config.Clone()
	}
	if len(cfg.Certificates) == 0 && cfg.GetCertificate == nil {
		cfg.Certificates = []tls.Certificate{pki.Server().TLSCertificate()}
	}
	if cfg.ClientCAs == nil {
		cfg.ClientCAs = pki.RootPool()
	}
	cfg.ClientAuth = opts.ClientAuth
	cfg.MinVersion, cfg.MaxVersion = versionRange(opts.MinVersion, opts.MaxVersion)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("stacks: go server: %v", err)
	}
	mode := fmt.Sprint(opts.ClientAuth)
	if int(opts.ClientAuth) < len(goClientAuthNames) {
		mode = goClientAuthNames[opts.ClientAuth]
	}
	s := &Server{
		Kind:        GoTLS,
		Addr:        l.Addr().String(),
		Description: fmt.Sprintf("go crypto/tls %s %s-%s", mode, VersionName(cfg.MinVersion), VersionName(cfg.MaxVersion)),
		log:         &logBuffer{},
	}
	Serve(t, l, func(c net.Conn) { serveGo(tls.Server(c, cfg), s.log) })
	return s
}

func serveGo(c *tls.Conn, log *logBuffer) {
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if err := c.Handshake(); err != nil {
		log.add("HANDSHAKE fail " + err.Error())
		return
	}
	st := c.ConnectionState()
	log.add(fmt.Sprintf("HANDSHAKE ok %s peer certificates %d", VersionName(st.Version), len(st.PeerCertificates)))
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			if _, werr := c.Write(line); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
