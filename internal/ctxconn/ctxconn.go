// Package ctxconn ties a network connection to a context, for code that
// must be cancellable in the middle of a read (a TLS handshake that waits
// for the peer). It is shared by policy/probe and internal/stacks.
package ctxconn

import (
	"context"
	"net"
	"sync"
	"time"
)

// Watch sets a deadline in the past on c when ctx is done, which unblocks
// any read or write on c. The returned stop function ends the watch and
// waits for its goroutine, so none outlives the caller; call it before c is
// dropped. It does not close c.
func Watch(ctx context.Context, c net.Conn) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-ctx.Done():
			_ = c.SetDeadline(time.Unix(1, 0))
		case <-done:
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}
