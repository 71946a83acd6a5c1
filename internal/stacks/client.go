package stacks

import (
	"bufio"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tlscompat/tlscompat/internal/ctxconn"
	"github.com/tlscompat/tlscompat/internal/tlsalert"
)

// ClientOptions configures [Handshake].
type ClientOptions struct {
	// Chain is the certificate chain (leaf first, DER) the client presents
	// whenever the server sends a CertificateRequest, whatever the request
	// says. Nil or empty means: answer a request with an empty Certificate.
	Chain [][]byte
	// Key is the private key of Chain[0].
	Key crypto.Signer
	// MinVersion and MaxVersion bound the offered versions; zero means
	// TLS 1.0 and TLS 1.3 (note: crypto/tls's own client default minimum is
	// TLS 1.2).
	MinVersion, MaxVersion uint16
	// RootCAs, if set, verifies the server chain (for name "localhost" or
	// ServerName). If nil the server certificate is not verified.
	RootCAs *x509.CertPool
	// ServerName is the SNI; empty means none.
	ServerName string
	// Timeout bounds the whole attempt (dial, handshake, echo); zero means
	// 10 s. The context can end it earlier.
	Timeout time.Duration
	// ReadTimeout bounds the wait for the echo after the handshake; zero
	// means 5 s. It only runs out for servers that neither echo nor reject.
	ReadTimeout time.Duration
	// CipherSuites, if set, replaces crypto/tls's TLS 1.0–1.2 defaults.
	CipherSuites []uint16
	// Request, if set, returns what is written after the handshake instead
	// of the line "tlscompat ping\n", given the connection's local and
	// remote addresses (for messages that name them, like SIP's Via).
	// [SIPOptions] sets it.
	Request func(local, remote net.Addr) string
	// Answer, if set, is the prefix the first line read after the
	// handshake must have: only that line makes the connection OK (and
	// Echoed). Another line is a failure (Detail quotes it), and so is
	// silence until ReadTimeout, so a success always rests on the server's
	// answer. Empty means any line is the echo, and silence until
	// ReadTimeout counts as success.
	Answer string
}

// Stage says how far a connection got.
type Stage uint8

// Connection stages. The zero value is unknown.
const (
	// StageDial: the TCP connection failed.
	StageDial Stage = 1 + iota
	// StageHandshake: the client's handshake did not complete.
	StageHandshake
	// StageAfterHandshake: the client's handshake completed but the
	// connection failed before the echo came back. In TLS 1.3 this is
	// where a server's rejection of the client certificate shows up.
	StageAfterHandshake
	// StageDone: handshake completed and the echo (or the read timeout)
	// came back without an error.
	StageDone
)

var stageNames = [...]string{StageDial: "dial", StageHandshake: "handshake", StageAfterHandshake: "after-handshake", StageDone: "done"}

// String returns "dial", "handshake", "after-handshake" or "done".
func (s Stage) String() string {
	if int(s) < len(stageNames) && stageNames[s] != "" {
		return stageNames[s]
	}
	return "Stage(" + strconv.Itoa(int(s)) + ")"
}

// Outcome is what really happened in one connection.
type Outcome struct {
	// OK reports whether the handshake completed and the connection was
	// still usable afterwards (no alert, no close).
	OK bool
	// Version is the negotiated version; zero if the handshake failed.
	Version uint16
	// Alert is the alert the server sent (e.g. 42 bad_certificate, 116
	// certificate_required), or -1 if none was received.
	Alert int
	// Closed reports that the server closed or reset the connection without
	// an alert.
	Closed bool
	// Stage is how far the connection got.
	Stage Stage
	// CertificateRequested reports whether the server sent a
	// CertificateRequest (the client's GetClientCertificate ran). It is
	// false also when the handshake failed before that point.
	CertificateRequested bool
	// CertificateSent reports whether a non-empty chain was sent in reply.
	CertificateSent bool
	// AcceptableCAs and SignatureSchemes are from the CertificateRequest.
	AcceptableCAs [][]byte
	// SignatureSchemes lists the schemes the CertificateRequest allows.
	SignatureSchemes []tls.SignatureScheme
	// PeerChain is the server's certificate chain (DER), if it got that far.
	PeerChain [][]byte
	// Echoed reports whether the server answered the line written after the
	// handshake (with [ClientOptions.Answer] set: with that answer).
	Echoed bool
	// Detail is the error text or a note, for failure messages.
	Detail string
	// TimedOut reports a failure that ended because Timeout, ReadTimeout or
	// the context ran out, not because of anything the server sent: on a
	// loaded machine it says nothing about the server's decision.
	TimedOut bool
}

// String summarizes the outcome, e.g. "ok TLSv1.3 (certificate requested)"
// or "fail alert 42 at handshake".
func (o Outcome) String() string {
	req := ""
	if o.CertificateRequested {
		req = " (certificate requested)"
	}
	if o.OK {
		return "ok " + VersionName(o.Version) + req
	}
	switch {
	case o.Alert >= 0:
		return fmt.Sprintf("fail alert %d at %s%s", o.Alert, o.Stage, req)
	case o.Closed:
		return fmt.Sprintf("fail closed at %s%s", o.Stage, req)
	}
	return fmt.Sprintf("fail at %s%s: %s", o.Stage, req, o.Detail)
}

// Handshake dials addr, runs a crypto/tls client handshake and then writes a
// line and waits for the echo, so that a server which rejects the client
// certificate after the client's side of a TLS 1.3 handshake has finished
// is seen as a failure. [ClientOptions.Request] and [ClientOptions.Answer]
// replace the line and say which answer counts. It never returns an error:
// everything it learned is in the Outcome.
func Handshake(ctx context.Context, addr string, opts ClientOptions) Outcome {
	out := Outcome{Alert: -1}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	readTimeout := opts.ReadTimeout
	if readTimeout == 0 {
		readTimeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		out.Stage = StageDial
		out.Detail = err.Error()
		out.TimedOut = isTimeout(err) || errors.Is(err, context.DeadlineExceeded)
		return out
	}
	defer raw.Close()
	// Tie the connection to ctx: cancellation unblocks any read.
	defer ctxconn.Watch(ctx, raw)()

	lo, hi := opts.MinVersion, opts.MaxVersion
	if lo == 0 {
		lo = tls.VersionTLS10
	}
	if hi == 0 {
		hi = tls.VersionTLS13
	}
	cfg := &tls.Config{
		MinVersion:         lo,
		MaxVersion:         hi,
		ServerName:         opts.ServerName,
		RootCAs:            opts.RootCAs,
		InsecureSkipVerify: opts.RootCAs == nil,
		CipherSuites:       opts.CipherSuites,
		GetClientCertificate: func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			out.CertificateRequested = true
			out.AcceptableCAs = cri.AcceptableCAs
			out.SignatureSchemes = cri.SignatureSchemes
			if len(opts.Chain) == 0 {
				return &tls.Certificate{}, nil
			}
			out.CertificateSent = true
			return &tls.Certificate{Certificate: opts.Chain, PrivateKey: opts.Key}, nil
		},
	}
	if opts.RootCAs != nil && cfg.ServerName == "" {
		cfg.ServerName = "localhost"
	}
	c := tls.Client(raw, cfg)
	if dl, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(dl)
	}
	err = c.HandshakeContext(ctx)
	st := c.ConnectionState()
	for _, pc := range st.PeerCertificates {
		out.PeerChain = append(out.PeerChain, pc.Raw)
	}
	if err != nil {
		out.Stage = StageHandshake
		classify(&out, err)
		return out
	}
	out.Version = st.Version

	// After the handshake: write a line, read the echo.
	rd := time.Now().Add(readTimeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(rd) {
		rd = dl
	}
	_ = raw.SetDeadline(rd)
	// A failed write (the server may already have closed) does not end the
	// attempt: the server's alert may still be waiting to be read.
	req := "tlscompat ping\n"
	if opts.Request != nil {
		req = opts.Request(raw.LocalAddr(), raw.RemoteAddr())
	}
	_, werr := io.WriteString(c, req)
	line, err := bufio.NewReader(c).ReadString('\n')
	wrong := opts.Answer != "" && len(line) > 0 && !strings.HasPrefix(line, opts.Answer)
	if len(line) > 0 && !wrong {
		out.Echoed = true
	}
	if _, isAlert := tlsalert.Remote(err); werr != nil && !isAlert {
		err = werr
	}
	switch {
	case out.Echoed && werr == nil:
		out.OK, out.Stage = true, StageDone
	case wrong:
		out.Stage = StageAfterHandshake
		out.Detail = fmt.Sprintf("answer %q, want one starting with %q", line, opts.Answer)
	case err != nil && isTimeout(err) && ctx.Err() == nil && opts.Answer == "":
		out.OK, out.Stage = true, StageDone
		out.Detail = fmt.Sprintf("no echo within %v (server neither answered nor rejected)", readTimeout)
	case err != nil && isTimeout(err) && ctx.Err() == nil:
		out.Stage = StageAfterHandshake
		out.TimedOut = true
		out.Detail = fmt.Sprintf("no answer within %v (want one starting with %q): %v", readTimeout, opts.Answer, err)
	default:
		out.Stage = StageAfterHandshake
		classify(&out, err)
	}
	return out
}

// classify fills Alert, Closed and Detail from a connection error.
func classify(out *Outcome, err error) {
	if err == nil {
		return
	}
	out.Detail = err.Error()
	if isTimeout(err) || errors.Is(err, context.DeadlineExceeded) {
		out.TimedOut = true
	}
	if a, ok := tlsalert.Remote(err); ok {
		out.Alert = a
		if a == 0 { // close_notify
			out.Alert = -1
			out.Closed = true
		}
		return
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		out.Closed = true
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
