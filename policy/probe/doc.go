// Package probe connects to a live TLS server and finds out what it accepts:
// which protocol versions (SSL 3.0 to TLS 1.3), whether it sends a
// CertificateRequest, whether a client certificate is required and whether
// it is verified, which CA names and signature schemes the request lists,
// and the server's certificate chain with its EKU facts.
//
// Call [Probe]. It makes one connection per version and up to three more for
// the client-certificate questions, one after another, each bounded by
// [Options.AttemptTimeout]; the context cancels everything and no goroutine
// outlives the call. SIP over TLS (port 5061) is TLS from the first byte and
// needs nothing special.
//
// # What "unknown" means
//
// The probe reports only what it saw. A version whose attempt timed out is
// in [Result.Untested], not in [Result.Rejected]; a client-certificate mode
// that could not be derived is [policy.ClientAuthUnknown] with
// [Result.ClientAuthReason] saying why.
//
// # How the mode is derived
//
// Without a certificate: no CertificateRequest means none; failure means a
// certificate is required. With a freshly generated self-signed
// certificate: failure means the server verifies. The four combinations are
// request, require-any, verify-if-given and require-and-verify, the modes
// policy.ClientAuthMode models. In TLS 1.3 the server's verdict arrives after the
// client's handshake has returned, so the probe reads for up to
// [Options.ReadTimeout]: an alert or a close is a rejection; a
// NewSessionTicket (which Go, OpenSSL, GnuTLS and Java send only after the
// client's certificate flight has passed) or data is an acceptance
// ([Attempt.Ticket]). Silence is not taken for either ([Attempt.Silent]):
// the questions are asked again at TLS 1.2 if the server accepts it, and
// otherwise the mode is unknown.
//
// # Legacy servers
//
// Versions are tried with crypto/tls and every cipher suite it implements.
// When that gets no ServerHello, TLS 1.0–1.2 are retried with
// github.com/zmap/zcrypto/tls offering legacy suites (only the ServerHello
// counts, see [Result.Legacy]). SSL 3.0 is tried with a ClientHello this
// package builds itself, because neither library speaks SSL 3.0 any more;
// an accepted SSL 3.0 is always in Result.Legacy. The SSL 3.0 path is
// tested against a real SSL 3.0 server (Java JSSE with SSL 3.0 enabled
// again), the zcrypto path against an OpenSSL server offering only a suite
// crypto/tls lacks.
package probe
