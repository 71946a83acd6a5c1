package probe

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// Options configures [Probe]. The zero value probes SSL 3.0 through TLS 1.3
// with the default timeouts, sends the host name as SNI when the address
// names a host, and dials with a net.Dialer.
type Options struct {
	// Versions are the versions to try; empty means SSL 3.0 to TLS 1.3.
	// Versions not tried are undecided ([Result.Untested]).
	Versions tlsver.Set
	// AttemptTimeout bounds each connection attempt (dial, handshake and
	// the TLS 1.3 wait for a verdict); zero means 5 s.
	AttemptTimeout time.Duration
	// ReadTimeout is how long to wait after a TLS 1.3 handshake in which the
	// server asked for a certificate, for the server's verdict on it (a TLS
	// 1.3 server sends that verdict after the client's handshake has
	// returned): an alert or close rejects, a NewSessionTicket or data
	// accepts, and either ends the wait at once. Zero means 2 s; the wait
	// never outlasts AttemptTimeout. A server that sends nothing within
	// ReadTimeout gave no verdict ([Attempt.Silent]): the probe then asks at
	// TLS 1.2, or answers "unknown".
	ReadTimeout time.Duration
	// Timeout, if positive, bounds the whole probe (as a context deadline
	// would). Without it the probe takes at most about
	// (2·⌈versions/Concurrency⌉ + 6) · AttemptTimeout, and a silent server
	// about one AttemptTimeout.
	Timeout time.Duration
	// Concurrency is how many version attempts run at once; zero means 5
	// (every version at once, so a silent server costs one AttemptTimeout).
	// The client-certificate attempts, which depend on the version
	// attempts, follow one after another. The Result does not depend on the
	// order in which attempts complete.
	Concurrency int
	// MaxBytes bounds what the server may send in one attempt; an attempt
	// that reaches it ends undecided ("size limit reached"). Zero means
	// 1 MiB, far more than a certificate chain and CertificateRequest need.
	MaxBytes int64
	// ServerName is sent as SNI. Empty means the host part of the address
	// when it is a name (as openssl s_client does), and none for an IP
	// address; see OmitServerName.
	ServerName string
	// OmitServerName sends no SNI even when the address names a host.
	OmitServerName bool
	// Dialer makes the TCP connections; nil means a net.Dialer. Set it to
	// choose the local address (a net.Dialer with LocalAddr), to go through
	// a proxy (golang.org/x/net/proxy dialers have DialContext), or to use
	// a test network.
	Dialer Dialer
	// Certificate, if set, is presented in one extra attempt at the highest
	// accepted version, and the outcome is reported in
	// [Result.WithCertificate]. Use it to ask "does the server accept this
	// client certificate?".
	Certificate *tls.Certificate
	// Progress, if set, is called once for each attempt as soon as it has
	// ended, with the attempt as it appears in [Result.Attempts]. Calls
	// never overlap and all happen before Probe returns; attempts running
	// concurrently may be reported in any order. Keep it quick: attempts
	// wait for it.
	Progress func(Attempt)
}

// Dialer makes the probe's connections. *net.Dialer implements it, and so
// do the dialers of golang.org/x/net/proxy (proxy.ContextDialer).
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// check reports the first field out of range.
func (o Options) check() error {
	for _, f := range []struct {
		name string
		neg  bool
	}{
		{"AttemptTimeout", o.AttemptTimeout < 0}, {"ReadTimeout", o.ReadTimeout < 0}, {"Timeout", o.Timeout < 0},
		{"Concurrency", o.Concurrency < 0}, {"MaxBytes", o.MaxBytes < 0},
	} {
		if f.neg {
			return fmt.Errorf("probe: Options.%s: %w: negative", f.name, ErrOptions)
		}
	}
	return nil
}

// withDefaults returns o with its zero fields replaced by the defaults.
func (o Options) withDefaults() Options {
	if o.Versions.IsEmpty() {
		o.Versions = tlsver.Range(tlsver.SSL30, tlsver.TLS13)
	}
	if o.AttemptTimeout <= 0 {
		o.AttemptTimeout = 5 * time.Second
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = 2 * time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 5
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 1 << 20
	}
	if o.Dialer == nil {
		o.Dialer = &net.Dialer{}
	}
	return o
}
