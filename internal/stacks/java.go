package stacks

import (
	_ "embed"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

//go:embed testdata/EchoServer.java
var echoServerJava []byte

//go:embed testdata/JavaClient.java
var javaClientJava []byte

// JavaClientAuth is the client-authentication setting of a JSSE
// SSLServerSocket.
type JavaClientAuth uint8

// JSSE client-authentication settings.
const (
	// JavaNone requests no client certificate.
	JavaNone JavaClientAuth = iota
	// JavaWant is setWantClientAuth(true).
	JavaWant
	// JavaNeed is setNeedClientAuth(true).
	JavaNeed
)

var javaClientAuthNames = [...]string{JavaNone: "none", JavaWant: "want", JavaNeed: "need"}

// String returns "none", "want" or "need".
func (a JavaClientAuth) String() string {
	if int(a) < len(javaClientAuthNames) {
		return javaClientAuthNames[a]
	}
	return "JavaClientAuth(" + strconv.Itoa(int(a)) + ")"
}

// JavaOptions configures one listener of the Java JSSE server.
type JavaOptions struct {
	// ClientAuth selects none, want or need.
	ClientAuth JavaClientAuth
	// MinVersion and MaxVersion bound the enabled protocols; zero means
	// TLS 1.2 and TLS 1.3. Below TLS 1.2 the JVM runs with a
	// java.security override that removes TLSv1 and TLSv1.1 from
	// jdk.tls.disabledAlgorithms (JDK 17 disables them by default).
	MinVersion, MaxVersion uint16
	// Protocols, if set, are the enabled protocols exactly (gaps allowed,
	// e.g. TLS 1.0 and 1.2 without 1.1); MinVersion and MaxVersion are
	// then ignored.
	Protocols []uint16
	// CAFile, if set, is this listener's trust store (PEM) instead of both
	// testpki roots.
	CAFile string
}

func (o JavaOptions) versions() []uint16 {
	if len(o.Protocols) > 0 {
		return o.Protocols
	}
	return Versions(versionRange(o.MinVersion, o.MaxVersion))
}

func (o JavaOptions) protocols() string { return javaProtocols(o.versions()) }

// javaProtocols renders versions as JSSE protocol names, comma-separated
// ("TLSv1,TLSv1.2").
func javaProtocols(vs []uint16) string {
	var names []string
	for _, v := range vs {
		names = append(names, VersionName(v))
	}
	return strings.Join(names, ",")
}

// needsLegacyJava reports whether vs includes a version below TLS 1.2, which
// JDK 17 disables unless the JVM runs with the tls-legacy.security override.
func needsLegacyJava(vs []uint16) bool {
	for _, v := range vs {
		if v < 0x0303 {
			return true
		}
	}
	return false
}

// javaSecurityOverride re-enables TLS 1.0/1.1 by restating JDK 17's
// jdk.tls.disabledAlgorithms without them.
const javaSecurityOverride = "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n"

// javaSSL3Override re-enables SSL 3.0 as well: JSSE still implements it
// (RFC 6101), and JDK 17 only disables it by this property. It is the one
// real SSL 3.0 server the tests can run (OpenSSL 3 and GnuTLS 3.7 are built
// without it).
const javaSSL3Override = "jdk.tls.disabledAlgorithms=RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n"

var (
	javaOnce    sync.Once
	javaClasses string
	javaErr     error
)

// javaClassDir compiles EchoServer.java and JavaClient.java once per
// process into a cache directory keyed by the sources' hash (shared between
// test binaries), next to the tls-legacy.security override.
func javaClassDir() (string, error) {
	javaOnce.Do(func() {
		files := map[string][]byte{
			"EchoServer.java":     echoServerJava,
			"JavaClient.java":     javaClientJava,
			"tls-legacy.security": []byte(javaSecurityOverride),
			"tls-ssl3.security":   []byte(javaSSL3Override),
		}
		javaClasses, javaErr = cachedBuild("tlscompat-java-", files, "JavaClient.class", func(dir string) error {
			cmd := exec.Command("javac", "-d", dir, filepath.Join(dir, "EchoServer.java"), filepath.Join(dir, "JavaClient.java"))
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("javac: %v\n%s", err, out)
			}
			return nil
		})
	})
	return javaClasses, javaErr
}

// StartJava starts one JVM running the JSSE echo server
// (testdata/EchoServer.java) with one listener per option, and returns the
// servers in the same order. JVM start-up takes about a second, so start
// every mode a test needs in one call and reuse the servers across
// handshakes. The key store is the [testpki] server chain; the trust store
// holds both test roots.
func StartJava(t testing.TB, opts ...JavaOptions) []*Server {
	t.Helper()
	Need(t, "java")
	Need(t, "javac")
	if len(opts) == 0 {
		t.Fatalf("stacks: StartJava needs at least one listener")
	}
	classes, err := javaClassDir()
	if err != nil {
		t.Fatalf("stacks: %v", err)
	}
	files, err := testpki.New().WriteFiles(t.TempDir())
	if err != nil {
		t.Fatalf("stacks: %v", err)
	}
	args := []string{"-Xshare:auto", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"}
	override := ""
	for _, o := range opts {
		if needsLegacyJava(o.versions()) {
			override = "tls-legacy.security"
		}
		if slices.Contains(o.versions(), versionSSL30) {
			override = "tls-ssl3.security"
			break
		}
	}
	if override != "" {
		args = append(args, "-Djava.security.properties="+filepath.Join(classes, override))
	}
	args = append(args, "-cp", classes, "EchoServer", files.ServerChain, files.ServerKey, files.CA)
	for _, o := range opts {
		l := o.ClientAuth.String() + ":" + o.protocols()
		if o.CAFile != "" {
			l += ":" + o.CAFile
		}
		args = append(args, l)
	}
	p, err := startProc("java", args...)
	if err != nil {
		t.Fatalf("stacks: java: %v", err)
	}
	servers := make([]*Server, len(opts))
	for range opts {
		line, err := p.waitLine(StartTimeout, func(l string) bool { return strings.HasPrefix(l, "READY ") })
		if err != nil {
			p.kill()
			t.Fatalf("stacks: java: %v\n%s", err, p.log)
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			p.kill()
			t.Fatalf("stacks: java: bad readiness line %q", line)
		}
		i, err1 := strconv.Atoi(f[1])
		_, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || i < 0 || i >= len(opts) || servers[i] != nil {
			p.kill()
			t.Fatalf("stacks: java: bad readiness line %q", line)
		}
		o := opts[i]
		servers[i] = &Server{
			Kind:        Java,
			Addr:        "127.0.0.1:" + f[2],
			Description: strings.TrimSpace(fmt.Sprintf("java jsse %s %s %s", o.ClientAuth, o.protocols(), o.CAFile)),
			log:         p.log,
		}
	}
	p.stopLines()
	t.Cleanup(p.kill)
	return servers
}
