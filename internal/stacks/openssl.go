package stacks

import (
	"crypto/tls"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

// OpenSSLVerify is the client-certificate option of `openssl s_server`.
type OpenSSLVerify uint8

// s_server client-certificate options.
const (
	// OpenSSLNone sends no CertificateRequest (no -verify option).
	OpenSSLNone OpenSSLVerify = iota
	// OpenSSLVerifyPeer is `-verify N`: request a certificate, verify
	// whatever arrives (SSL_VERIFY_PEER), accept a connection without one.
	OpenSSLVerifyPeer
	// OpenSSLVerifyRequire is `-Verify N`: like OpenSSLVerifyPeer, and an
	// empty Certificate is fatal (SSL_VERIFY_FAIL_IF_NO_PEER_CERT).
	OpenSSLVerifyRequire
)

// OpenSSLOptions configures `openssl s_server`.
type OpenSSLOptions struct {
	// Verify selects none, -verify or -Verify.
	Verify OpenSSLVerify
	// VerifyDepth is N in -verify N / -Verify N; zero means 1. Note that
	// the s_server verify callback fails errors deeper than N even without
	// -verify_return_error.
	VerifyDepth int
	// ReturnError adds -verify_return_error: without it s_server logs a
	// verification error and continues the handshake.
	ReturnError bool
	// MinVersion and MaxVersion bound the accepted versions; zero means
	// TLS 1.2 and TLS 1.3. Below TLS 1.2 the server runs with
	// -cipher DEFAULT:@SECLEVEL=0 (OpenSSL 3 refuses TLS 1.0/1.1 otherwise).
	MinVersion, MaxVersion uint16
	// Versions, if set, are the accepted versions exactly, gaps included
	// (TLS 1.0 and 1.2 without 1.1 become -no_tls1_1); MinVersion and
	// MaxVersion are then ignored.
	Versions []uint16
	// ExtraArgs are appended to the command line (e.g. "-purpose", "any").
	ExtraArgs []string
	// CAFile, if set, replaces the -CAfile of both testpki roots: the
	// store client chains are verified against.
	CAFile string
	// CertFile, ChainFile and KeyFile, if CertFile is set, replace the
	// testpki server certificate: the leaf (PEM), the certificates sent
	// after it (PEM; empty: none) and the leaf's key (PEM).
	CertFile, ChainFile, KeyFile string
}

// opensslNoFlag disables one version between -min_protocol and
// -max_protocol.
var opensslNoFlag = map[uint16]string{
	tls.VersionTLS10: "-no_tls1", tls.VersionTLS11: "-no_tls1_1", tls.VersionTLS12: "-no_tls1_2", tls.VersionTLS13: "-no_tls1_3",
}

// versionArgs returns -min_protocol/-max_protocol and the -no_* options for
// the gaps.
func (o OpenSSLOptions) versionArgs() (args []string, lo uint16) {
	lo, hi := versionRange(o.MinVersion, o.MaxVersion)
	var gaps []string
	if len(o.Versions) > 0 {
		lo, hi = o.Versions[0], o.Versions[0]
		has := map[uint16]bool{}
		for _, v := range o.Versions {
			has[v] = true
			lo, hi = min(lo, v), max(hi, v)
		}
		for v := lo; v <= hi; v++ {
			if !has[v] {
				gaps = append(gaps, opensslNoFlag[v])
			}
		}
	}
	return append([]string{"-min_protocol", VersionName(lo), "-max_protocol", VersionName(hi)}, gaps...), lo
}

// Args returns the s_server options that select the client-certificate
// mode and versions (what Description shows), without files and ports.
func (o OpenSSLOptions) Args() []string {
	var args []string
	depth := o.VerifyDepth
	if depth == 0 {
		depth = 1
	}
	switch o.Verify {
	case OpenSSLVerifyPeer:
		args = append(args, "-verify", strconv.Itoa(depth))
	case OpenSSLVerifyRequire:
		args = append(args, "-Verify", strconv.Itoa(depth))
	}
	if o.ReturnError {
		args = append(args, "-verify_return_error")
	}
	vargs, lo := o.versionArgs()
	args = append(args, vargs...)
	if lo < tls.VersionTLS12 {
		args = append(args, "-cipher", "DEFAULT:@SECLEVEL=0")
	}
	return append(args, o.ExtraArgs...)
}

// StartOpenSSL starts `openssl s_server -rev` (an echo server that reverses
// each line) on 127.0.0.1 with the [testpki] server chain and both test
// roots as -CAfile (trust anchors and the CertificateRequest's CA names).
func StartOpenSSL(t testing.TB, opts OpenSSLOptions) *Server {
	t.Helper()
	Need(t, "openssl")
	files, err := testpki.New().WriteFiles(t.TempDir())
	if err != nil {
		t.Fatalf("stacks: %v", err)
	}
	mode := opts.Args()
	ca := files.CA
	if opts.CAFile != "" {
		ca = opts.CAFile
	}
	certArgs := []string{"-cert", files.ServerLeaf, "-cert_chain", files.ServerIntermediates, "-key", files.ServerKey}
	if opts.CertFile != "" {
		certArgs = []string{"-cert", opts.CertFile, "-key", opts.KeyFile}
		if opts.ChainFile != "" {
			certArgs = append(certArgs, "-cert_chain", opts.ChainFile)
		}
	}
	args := append([]string{"s_server", "-accept", "127.0.0.1:0", "-rev"}, certArgs...)
	args = append(args, "-CAfile", ca, "-no-CApath", "-no-CAstore")
	args = append(args, mode...)
	desc := "openssl s_server " + strings.Join(mode, " ")
	return startRetry(t, desc, func() (*Server, error) {
		p, err := startProc("openssl", args...)
		if err != nil {
			return nil, err
		}
		// OpenSSL 3 prints "ACCEPT 127.0.0.1:<port>" once it listens.
		line, err := p.waitLine(StartTimeout, func(l string) bool { return strings.HasPrefix(l, "ACCEPT ") })
		p.stopLines()
		if err != nil {
			p.kill()
			return nil, fmt.Errorf("%v\n%s", err, p.log)
		}
		t.Cleanup(p.kill)
		return &Server{Kind: OpenSSL, Addr: strings.TrimSpace(strings.TrimPrefix(line, "ACCEPT ")), Description: desc, log: p.log}, nil
	})
}
