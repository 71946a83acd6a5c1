package stacks

import (
	"crypto/tls"
	"fmt"
	"strconv"
)

// Kind names a TLS server implementation.
type Kind uint8

// Server kinds. The zero value is unknown.
const (
	// GoTLS is Go's crypto/tls, in process.
	GoTLS Kind = 1 + iota
	// OpenSSL is `openssl s_server`.
	OpenSSL
	// GnuTLS is `gnutls-serv`.
	GnuTLS
	// Java is a small JSSE server (testdata/EchoServer.java) run by `java`.
	Java
	// Kamailio is a Kamailio SIP server with its tls module (OpenSSL), run
	// by [StartKamailio].
	Kamailio
	// MbedTLS is a small echo server (testdata/mbedtls_server.c) on the Mbed
	// TLS 2.28 library's server path, compiled with gcc and run by
	// [StartMbedTLS].
	MbedTLS
	// NSS is Mozilla NSS's test server `selfserv` (libnss3-tools), run by
	// [StartNSS].
	NSS
)

var kindNames = [...]string{GoTLS: "go", OpenSSL: "openssl", GnuTLS: "gnutls", Java: "java", Kamailio: "kamailio", MbedTLS: "mbedtls", NSS: "nss"}

// String returns "go", "openssl", "gnutls", "java", "kamailio", "mbedtls" or
// "nss".
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Server is a running TLS server on 127.0.0.1. It stops at the end of the
// test that started it (t.Cleanup). Every server kind answers what a client
// writes after the handshake (s_server reverses each line; Kamailio answers
// SIP requests, see [SIPOptions]; the others echo), so a client can tell a
// completed connection from a post-handshake rejection.
type Server struct {
	// Kind is the implementation.
	Kind Kind
	// Addr is host:port to dial.
	Addr string
	// Description is the configuration in the stack's own words, for test
	// names and failure messages, e.g. "openssl s_server -Verify 1 -verify_return_error TLSv1.2-TLSv1.3".
	Description string
	log         *logBuffer
}

// Log returns the server's recent output (process stdout and stderr, or the Go
// server's handshake log), for failure messages.
func (s *Server) Log() string {
	if s.log == nil {
		return ""
	}
	return s.log.String()
}

// String returns the description and address.
func (s *Server) String() string { return s.Description + " @" + s.Addr }

// versionSSL30 is SSL 3.0's wire value (crypto/tls's constant is deprecated).
const versionSSL30 = 0x0300

// versionRange fills defaults (TLS 1.2–1.3) into a min/max pair.
func versionRange(lo, hi uint16) (uint16, uint16) {
	if lo == 0 {
		lo = tls.VersionTLS12
	}
	if hi == 0 {
		hi = tls.VersionTLS13
	}
	return lo, hi
}

// VersionName returns "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2" or "TLSv1.3"
// (OpenSSL's and Java's spelling), or "0x%04x".
func VersionName(v uint16) string {
	switch v {
	case versionSSL30:
		return "SSLv3"
	case tls.VersionTLS10:
		return "TLSv1"
	case tls.VersionTLS11:
		return "TLSv1.1"
	case tls.VersionTLS12:
		return "TLSv1.2"
	case tls.VersionTLS13:
		return "TLSv1.3"
	}
	return fmt.Sprintf("0x%04x", v)
}

// Versions returns the TLS versions from lo to hi inclusive (SSL 3.0 through
// TLS 1.3 wire values).
func Versions(lo, hi uint16) []uint16 {
	var out []uint16
	for v := lo; v <= hi && v <= tls.VersionTLS13; v++ {
		if v >= versionSSL30 {
			out = append(out, v)
		}
	}
	return out
}
