package tlsver_test

import (
	"fmt"
	"testing"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/tlsver"
)

// TestJavaSSL3Handshakes extends TestJavaHandshakes to SSL 3.0, which Java
// JSSE (JDK 17) still implements once jdk.tls.disabledAlgorithms allows it:
// a JSSE server for every subset of SSL 3.0–TLS 1.3 that contains SSL 3.0
// against the JSSE client with every non-empty subset (16 x 31), and every
// server subset without SSL 3.0 against the client subsets with it (15 x
// 16): 736 real handshakes, each compared with NegotiateStacks(client,
// JavaStack, server, JavaStack). It fails on any difference, and if no
// handshake actually negotiated SSL 3.0 (SSL 3.0 would then not be enabled
// at all, and the test would prove nothing about it).
func TestJavaSSL3Handshakes(t *testing.T) {
	if testing.Short() {
		t.Skip("SSL 3.0 handshake matrix: skipped in -short mode")
	}
	subsets := subsetsOf(tlsver.SSL30, tlsver.TLS10, tlsver.TLS11, tlsver.TLS12, tlsver.TLS13)
	opts := make([]stacks.JavaOptions, len(subsets))
	for i, s := range subsets {
		opts[i] = stacks.JavaOptions{Protocols: wireVersions(s)}
	}
	servers := stacks.StartJava(t, opts...)
	client := stacks.StartJavaClientSSL3(t)

	cells, agree, ssl3 := 0, 0, 0
	for i, s := range subsets {
		for _, c := range subsets {
			if !s.Has(tlsver.SSL30) && !c.Has(tlsver.SSL30) {
				continue // TestJavaHandshakes
			}
			got, detail := client.Handshake(servers[i].Addr, wireVersions(c))
			cells++
			if checkOutcome(t, fmt.Sprintf("java client %v -> java server %v", c, s), tlsver.NegotiateStacks(c, tlsver.JavaStack, s, tlsver.JavaStack), tlsver.Version(got), detail) {
				agree++
			}
			if tlsver.Version(got) == tlsver.SSL30 {
				ssl3++
			}
		}
	}
	t.Logf("java client vs java server with SSL 3.0: %d of %d pairs agree; %d negotiated SSL 3.0", agree, cells, ssl3)
	if ssl3 == 0 {
		t.Error("no handshake negotiated SSL 3.0: it is not enabled, and the test proves nothing about it")
	}
}
