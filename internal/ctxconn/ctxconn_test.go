package ctxconn

import (
	"context"
	"errors"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestWatchCancelUnblocksRead: a read blocked on a silent peer returns a
// timeout once the context is canceled.
func TestWatchCancelUnblocksRead(t *testing.T) {
	c, peer := net.Pipe()
	defer c.Close()
	defer peer.Close()
	ctx, cancel := context.WithCancel(context.Background())
	stop := Watch(ctx, c)
	defer stop()
	cancel() // the read below blocks until the watcher sets the deadline
	var b [1]byte
	_, err := c.Read(b[:])
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Read after cancel = %v, want a deadline error", err)
	}
}

// watchers returns the stacks of the goroutines running Watch's watcher.
func watchers() []string {
	buf := make([]byte, 1<<20)
	var out []string
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "ctxconn.Watch.func1") {
			out = append(out, g)
		}
	}
	return out
}

// TestWatchStop: stop ends the goroutine and leaves the connection usable.
// The test waits until the watcher is blocked in its select, so that it is
// really waiting when stop is called. Once stop has returned, the watcher
// may at most be executing its return; one still blocked would be a leak.
// (Counting with runtime.NumGoroutine could see a watcher that is just
// exiting.)
func TestWatchStop(t *testing.T) {
	c, peer := net.Pipe()
	defer c.Close()
	defer peer.Close()
	stop := Watch(context.Background(), c)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if w := watchers(); len(w) == 1 && strings.Contains(w[0], " [select") {
			break
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("no watcher blocked in select after 5 s: %q", watchers())
		}
	}
	stop()
	for _, g := range watchers() {
		if !strings.Contains(g, " [running") && !strings.Contains(g, " [runnable") {
			t.Errorf("watcher still blocked after stop:\n%s", g)
		}
	}
	go func() { _, _ = peer.Write([]byte{1}) }()
	var b [1]byte
	if _, err := c.Read(b[:]); err != nil {
		t.Errorf("Read after stop = %v", err)
	}
}
