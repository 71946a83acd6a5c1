package stacks

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// StartTimeout bounds how long a server process may take to become ready.
// Java needs the most (JVM start-up plus key store set-up).
const StartTimeout = 30 * time.Second

// logBuffer keeps the last maxLog bytes of a process's combined output.
type logBuffer struct {
	mu  sync.Mutex
	buf []byte
}

const maxLog = 256 << 10

func (b *logBuffer) add(line string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, line...)
	b.buf = append(b.buf, '\n')
	if len(b.buf) > maxLog {
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-maxLog/2:]...)
	}
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// proc is a running server process with its output captured.
type proc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	log    *logBuffer
	exited chan struct{} // closed when the process has exited
	lines  chan string   // output lines until the watcher stops listening
	stopMu sync.Mutex
	stop   bool
}

// startProc starts name with args; combined output is logged and also sent
// to lines until stopLines is called.
func startProc(name string, args ...string) (*proc, error) {
	cmd := exec.Command(name, args...)
	setProcAttr(cmd)
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	cmd.Stderr = pw
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, stdin: stdin, log: &logBuffer{}, exited: make(chan struct{}), lines: make(chan string, 64)}
	p.log.add("$ " + name + " " + strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.log.add(line)
			p.stopMu.Lock()
			if !p.stop {
				select {
				case p.lines <- line:
				default: // nobody is waiting for this many lines; the log has it
				}
			}
			p.stopMu.Unlock()
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	go func() {
		err := cmd.Wait()
		p.log.add(fmt.Sprintf("[exit: %v]", err))
		pw.Close()
		close(p.exited)
	}()
	return p, nil
}

// waitLine waits until match reports true for an output line. It returns
// the line, or an error when the process exits or the timeout passes.
func (p *proc) waitLine(timeout time.Duration, match func(string) bool) (string, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case line := <-p.lines:
			if match(line) {
				return line, nil
			}
		case <-p.exited:
			// Drain lines already queued; the readiness line may be among them.
			for {
				select {
				case line := <-p.lines:
					if match(line) {
						return line, nil
					}
				default:
					return "", fmt.Errorf("process exited before it was ready")
				}
			}
		case <-timer.C:
			return "", fmt.Errorf("not ready after %v", timeout)
		}
	}
}

func (p *proc) stopLines() {
	p.stopMu.Lock()
	p.stop = true
	p.stopMu.Unlock()
}

// kill ends the process and waits (bounded) for it to exit.
func (p *proc) kill() {
	p.stopLines()
	_ = p.stdin.Close()
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
	}
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
	}
}

// waitConnect polls a TCP connect to addr until it succeeds, the process
// exits or the timeout passes.
func waitConnect(ctx context.Context, addr string, exited <-chan struct{}) error {
	var d net.Dialer
	delay := 5 * time.Millisecond
	for {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("process exited before accepting connections")
		case <-ctx.Done():
			return fmt.Errorf("no listener on %s: %v", addr, err)
		case <-time.After(delay):
		}
		if delay < 100*time.Millisecond {
			delay *= 2
		}
	}
}

// freePort asks the kernel for a free TCP port on 127.0.0.1. Another
// process may take it before the server binds it; callers retry.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startRetry runs start up to three times (a free port can be lost to a
// race between choosing and binding it).
func startRetry(t testing.TB, what string, start func() (*Server, error)) *Server {
	t.Helper()
	var err error
	for range 3 {
		var s *Server
		if s, err = start(); err == nil {
			return s
		}
	}
	t.Fatalf("stacks: starting %s: %v", what, err)
	return nil
}
