package stacks

import (
	"net"
	"sync"
	"testing"
)

// Serve accepts connections on l and runs handle for each in its own
// goroutine. When t ends it closes l and every connection still open and
// waits for the accept loop and all handlers, so no goroutine outlives the
// test. handle need not close c.
func Serve(t testing.TB, l net.Listener, handle func(c net.Conn)) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns = map[net.Conn]bool{}
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					mu.Lock()
					delete(conns, c)
					mu.Unlock()
					c.Close()
				}()
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
}
