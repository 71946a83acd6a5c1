// Package probe connects to a live TLS server and finds out what it accepts:
// which protocol versions (SSL 3.0 to TLS 1.3), whether it sends a
// CertificateRequest, whether a client certificate is required and whether
// it is verified, which CA names and signature schemes the request lists,
// and the server's certificate chain with its EKU facts.
//
// Call [Probe]. It makes one connection per version, up to
// [Options.Concurrency] at once (default: all five), then up to three more
// for the client-certificate questions, one after another. Each attempt is
// bounded by [Options.AttemptTimeout]; [Options.Timeout] and the context
// bound the whole probe, so a server that accepts connections and never
// answers costs about one AttemptTimeout. [Options.Progress] reports each
// attempt as it ends. No goroutine outlives the call. SIP over TLS (port
// 5061) is TLS from the first byte and needs nothing special.
//
// # Accepted, refused, undecided
//
// The probe reads the server's answer to each ClientHello itself, up to
// and including the ServerHello, whichever client library made the
// attempt:
//
//   - Accepted ([Result.Versions]): a ServerHello (or HelloRetryRequest)
//     selecting the one version offered. What a ServerHello proved stays
//     proved, whatever the server does next.
//   - Refused ([Result.Rejected]): a fatal alert, a close_notify, a clean
//     close (end of stream, nothing sent), or a ServerHello selecting a
//     lower version (RFC 5246, E.1), in answer to the ClientHello.
//   - Undecided ([Result.Untested], with the reason in [Result.Undecided]):
//     anything else — no answer in time, a reset, bytes that are not TLS
//     (an HTTP response), malformed records, warning alerts, more than
//     [Options.MaxBytes], a network failure — and versions not tried.
//
// A network failure is not an answer: when no attempt could connect, Probe
// returns an error matching [ErrUnreachable] (a [*NetError] wrapping the
// dial error); a bad address is [ErrAddress]; a context error is wrapped
// so that errors.Is(err, context.DeadlineExceeded) holds.
// [Result.Endpoint] gives policy a version set only when every version was
// decided, so that [policy.Evaluate] never answers "no common version"
// from a version the probe could not decide.
//
// A client-certificate mode that could not be derived is
// [policy.ClientAuthUnknown] with [Result.ClientAuthReason] saying why; the
// answers after a ServerHello follow the same rule (an alert or a clean
// close is the server's verdict; a reset, garbage or a timeout is not).
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
// # Connections
//
// [Options.Dialer] makes the TCP connections (a net.Dialer with LocalAddr
// for the source address, a golang.org/x/net/proxy dialer, a test
// network). SNI is [Options.ServerName], or by default the host part of
// the address when it is a name (as openssl s_client does) and none for an
// IP address ([Options.OmitServerName] sends none).
//
// # Legacy servers
//
// Versions are tried with crypto/tls and every cipher suite it implements.
// When that gets no ServerHello, TLS 1.0–1.2 are retried with
// github.com/zmap/zcrypto/tls offering legacy suites (the ServerHello
// decides the version, see [Result.Legacy]). When crypto/tls completes no
// handshake at all but zcrypto does (DHE-RSA and other suites only zcrypto
// implements), the client-certificate questions are asked through zcrypto,
// and [Result.ClientAuthMethod] says so. SSL 3.0 is tried with a ClientHello this
// package builds itself, because neither library speaks SSL 3.0 any more;
// an accepted SSL 3.0 is always in Result.Legacy. The SSL 3.0 path is
// tested against a real SSL 3.0 server (Java JSSE with SSL 3.0 enabled
// again), the zcrypto path against an OpenSSL server offering only a suite
// crypto/tls lacks.
//
// # JSON
//
// [Result] and [Attempt] have a stable snake_case JSON form that
// round-trips (enumerations as names, certificates as base64 DER beside
// their parsed subject, issuer, validity and EKU); [ResultSchema] is its
// JSON Schema (draft 2020-12).
package probe
