// Package stacks runs real TLS servers on 127.0.0.1 for tests and connects
// to them with a client that reports what really happened.
//
// Servers: [StartGo] (crypto/tls in process, any tls.ClientAuthType),
// [StartOpenSSL] (`openssl s_server -rev`), [StartGnuTLS] (`gnutls-serv
// --echo`) and [StartJava] (a JSSE SSLServerSocket, testdata/EchoServer.java,
// compiled once per process; one JVM serves several listeners). Each takes a
// version range and the stack's own client-certificate options, uses the
// [testpki] server chain and trusts both testpki roots, echoes what a client
// writes, and stops at the end of the test (t.Cleanup). Start-up waits for
// readiness (the process's "listening" line plus a connect poll), never a
// fixed sleep, and is bounded by [StartTimeout]. Processes get SIGKILL when
// the test binary dies (Linux). [StartKamailio] runs a real Kamailio SIP
// server with its tls module; it does not echo but answers every SIP request
// with 200 OK, and [SIPOptions] makes the client send an OPTIONS request and
// require that answer.
//
// [StartNSS] runs NSS's `selfserv` with a database built from testpki; it
// answers an HTTP GET ([NSSClientOptions] sends one and requires the 200).
// [StartMbedTLS] compiles testdata/mbedtls_server.c against the system's Mbed
// TLS once per process and runs it as an echo server.
//
// [StartJavaClient] keeps one JVM running the JSSE client
// (testdata/JavaClient.java) for many handshakes with exactly the enabled
// protocols given, gaps included, for version negotiation tests.
//
// For the trust suites, the stacks' own clients verify a server's chain:
// [OpenSSLClient] (s_client -verify_return_error), [GnuTLSClient]
// (gnutls-cli), [NSSClient] (tstclnt, with [NSSClientDB]), [MbedTLSClient]
// (testdata/mbedtls_client.c, built by [NeedMbedTLSClient]) and
// [JavaClient.HandshakeTrust]; each writes a line and waits for its echo.
//
// [Handshake] is the client: crypto/tls presenting a given chain whenever a
// CertificateRequest arrives, then writing a line and reading the echo, so
// that a TLS 1.3 server's rejection after the client's handshake completed is
// seen. Its [Outcome] says ok / alert number / closed, the version, the stage,
// and whether a certificate was requested (with the request's CA names and
// signature schemes).
//
// [Need] skips a test when a binary is missing, or fails it when
// TLSCOMPAT_REQUIRE_STACKS=1 (CI).
package stacks
