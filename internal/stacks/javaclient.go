package stacks

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// JavaClient is a running JVM with the JSSE test client
// (testdata/JavaClient.java): one JVM for many handshakes, because JVM
// start-up takes about a second. It does not check the server's
// certificate; it is for version negotiation. Use it from one goroutine at
// a time or rely on its lock: handshakes run one after another.
type JavaClient struct {
	mu   sync.Mutex
	p    *proc
	next int
}

// StartJavaClient starts the JVM; legacy re-enables TLS 1.0 and 1.1 (JDK 17
// disables them in jdk.tls.disabledAlgorithms) with the same java.security
// override as [StartJava]. The JVM is stopped when the test ends.
func StartJavaClient(t testing.TB, legacy bool) *JavaClient {
	t.Helper()
	override := ""
	if legacy {
		override = "tls-legacy.security"
	}
	return startJavaClient(t, override)
}

// StartJavaClientSSL3 is StartJavaClient with SSL 3.0 enabled again as
// well as TLS 1.0 and 1.1 (JSSE implements SSL 3.0; JDK 17 disables it only
// by jdk.tls.disabledAlgorithms).
func StartJavaClientSSL3(t testing.TB) *JavaClient {
	t.Helper()
	return startJavaClient(t, "tls-ssl3.security")
}

func startJavaClient(t testing.TB, override string) *JavaClient {
	t.Helper()
	Need(t, "java")
	Need(t, "javac")
	classes, err := javaClassDir()
	if err != nil {
		t.Fatalf("stacks: %v", err)
	}
	args := []string{"-Xshare:auto", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"}
	if override != "" {
		args = append(args, "-Djava.security.properties="+filepath.Join(classes, override))
	}
	args = append(args, "-cp", classes, "JavaClient")
	p, err := startProc("java", args...)
	if err != nil {
		t.Fatalf("stacks: java: %v", err)
	}
	if _, err := p.waitLine(StartTimeout, func(l string) bool { return l == "READY" }); err != nil {
		p.kill()
		t.Fatalf("stacks: java client: %v\n%s", err, p.log)
	}
	t.Cleanup(p.kill)
	return &JavaClient{p: p}
}

// Handshake connects to addr with exactly the given protocols enabled
// (SSLSocket.setEnabledProtocols) and returns the negotiated version, or 0
// and JSSE's exception text if the handshake failed.
func (c *JavaClient) Handshake(addr string, versions []uint16) (uint16, string) {
	return c.HandshakeTrust(addr, versions, "")
}

// HandshakeTrust is Handshake with the server's chain checked by JSSE's
// default PKIX trust manager against the certificates of caFile (PEM); ok
// then also needs the echo of a line written after the handshake. An
// empty caFile checks nothing, as Handshake.
func (c *JavaClient) HandshakeTrust(addr string, versions []uint16, caFile string) (uint16, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	id := strconv.Itoa(c.next)
	job := id + " " + addr + " " + javaProtocols(versions)
	if caFile != "" {
		job += " " + caFile
	}
	if _, err := fmt.Fprintf(c.p.stdin, "%s\n", job); err != nil {
		return 0, "stacks: java client: " + err.Error()
	}
	prefix := "RESULT " + id + " "
	line, err := c.p.waitLine(30*time.Second, func(l string) bool { return strings.HasPrefix(l, prefix) })
	if err != nil {
		return 0, "stacks: java client: " + err.Error()
	}
	res := strings.TrimPrefix(line, prefix)
	if name, ok := strings.CutPrefix(res, "ok "); ok {
		for v := uint16(versionSSL30); v <= 0x0304; v++ {
			if VersionName(v) == name {
				return v, ""
			}
		}
		return 0, "unknown protocol name " + name
	}
	return 0, strings.TrimPrefix(res, "fail ")
}
