package probe

import (
	"errors"
)

// Errors [Probe] returns. Callers decide with errors.Is and errors.As:
//
//   - errors.Is(err, ErrAddress): the address is not host:port with a
//     valid port; nothing was dialled.
//   - errors.Is(err, ErrOptions): a field of [Options] is out of range
//     (a negative timeout, concurrency or byte budget); the error names it.
//   - errors.Is(err, ErrUnreachable) (and errors.As(err, &*NetError)): no
//     attempt could connect (refused, DNS failure, unreachable network, no
//     answer to the TCP handshake); nothing about the server was observed.
//     The dial error is wrapped too, so errors.Is(err, syscall.ECONNREFUSED)
//     and errors.As(err, &*net.DNSError) work.
//   - errors.Is(err, context.Canceled) or context.DeadlineExceeded: ctx
//     ended (or [Options.Timeout] passed) before the probe finished; the
//     Result holds what was observed until then.
//
// When some attempts connected and others could not, Probe returns no
// error: the versions whose attempts failed to connect stay undecided
// ([Result.Undecided] says why), never refused.
var (
	// ErrAddress reports an address that is not host:port with a port in
	// 1–65535 (or a service name).
	ErrAddress = errors.New("invalid address")
	// ErrUnreachable reports that no attempt could connect to the server.
	ErrUnreachable = errors.New("server unreachable")
	// ErrOptions reports an Options field out of range.
	ErrOptions = errors.New("invalid options")
)

// NetError is the error [Probe] returns when no attempt could connect. It
// matches [ErrUnreachable] and wraps the first dial error (Err).
type NetError struct {
	// Address is the probed address.
	Address string
	// Err is the first dial error (a *net.OpError, *net.DNSError, ...).
	Err error
}

// Error returns "probe: ADDRESS: server unreachable: DIAL ERROR".
func (e *NetError) Error() string {
	return "probe: " + e.Address + ": " + ErrUnreachable.Error() + ": " + e.Err.Error()
}

// Unwrap returns ErrUnreachable and the dial error.
func (e *NetError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }

// errSizeLimit ends an attempt whose server sent more than
// [Options.MaxBytes] bytes.
var errSizeLimit = errors.New("size limit reached")
