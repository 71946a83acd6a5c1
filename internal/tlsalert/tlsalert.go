// Package tlsalert reads the TLS alert a peer sent out of a handshake or
// read error of crypto/tls (or of zcrypto, which copies its error types).
// It is shared by the library (policy/probe) and the test infrastructure
// (internal/stacks).
package tlsalert

import (
	"errors"
	"net"
	"reflect"
)

// Remote reports the alert description carried by err if err is a "remote
// error" of crypto/tls or zcrypto: an alert received from the peer. Zero
// with ok true is close_notify.
//
// Both libraries wrap the received alert in an unexported uint8 type inside
// a *net.OpError with Op "remote error"; the number is read with reflect.
func Remote(err error) (alert int, ok bool) {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "remote error" || op.Err == nil {
		return 0, false
	}
	v := reflect.ValueOf(op.Err)
	if v.Kind() != reflect.Uint8 {
		return 0, false
	}
	return int(v.Uint()), true
}
