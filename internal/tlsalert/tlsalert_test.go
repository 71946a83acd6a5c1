package tlsalert

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"testing"
)

func TestRemoteNotAnAlert(t *testing.T) {
	if _, ok := Remote(errors.New("remote error: tls: bad certificate")); ok {
		t.Error("Remote(plain error) reported an alert")
	}
	if _, ok := Remote(&net.OpError{Op: "read", Err: io.EOF}); ok {
		t.Error("Remote(read error) reported an alert")
	}
	if _, ok := Remote(&net.OpError{Op: "remote error", Err: errors.New("x")}); ok {
		t.Error("Remote(remote error without an alert) reported an alert")
	}
	if _, ok := Remote(nil); ok {
		t.Error("Remote(nil) reported an alert")
	}
}

// TestRemoteRealAlert: a crypto/tls server without a certificate answers a
// ClientHello with unrecognized_name (112); the client's error carries it.
func TestRemoteRealAlert(t *testing.T) {
	c, s := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = tls.Server(s, &tls.Config{}).Handshake()
		s.Close()
	}()
	err := tls.Client(c, &tls.Config{InsecureSkipVerify: true}).Handshake()
	c.Close()
	<-done
	if a, ok := Remote(err); !ok || a != 112 {
		t.Errorf("Remote(%v) = %d, %v; want 112 (unrecognized_name), true", err, a, ok)
	}
}
