package tlsver_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/tlsver"
)

// wireVersions lists s's versions as wire values, lowest first.
func wireVersions(s tlsver.Set) []uint16 {
	var out []uint16
	for v := range s.Versions() {
		out = append(out, uint16(v))
	}
	return out
}

// TestJavaHandshakes compares Negotiate with Java JSSE (JDK 17), the stack
// UCCX, Finesse and SocialMiner run on: one JSSE server per non-empty subset
// of TLS 1.0–1.3 (setEnabledProtocols, gaps included) against the JSSE
// client with every subset, OpenSSL s_client with every subset and
// crypto/tls with every range; and the JSSE client against openssl s_server
// with every subset. TLS 1.0 and 1.1 are re-enabled in both JVMs with a
// java.security override (JDK 17 disables them by default).
func TestJavaHandshakes(t *testing.T) {
	stacks.Need(t, "openssl")
	subsets := tlsSubsets()
	opts := make([]stacks.JavaOptions, len(subsets))
	for i, s := range subsets {
		opts[i] = stacks.JavaOptions{Protocols: wireVersions(s)}
	}
	servers := stacks.StartJava(t, opts...)
	client := stacks.StartJavaClient(t, true)

	var mu sync.Mutex
	agree := map[string]int{}
	total := map[string]int{}
	count := func(k string, ok bool) {
		mu.Lock()
		defer mu.Unlock()
		total[k]++
		if ok {
			agree[k]++
		}
	}
	t.Cleanup(func() {
		for _, k := range []string{"java client vs java server", "openssl client vs java server", "go client vs java server", "java client vs openssl server"} {
			t.Logf("%s: %d of %d pairs agree", k, agree[k], total[k])
		}
	})

	ctx := context.Background()
	t.Run("java-servers", func(t *testing.T) {
		for i, s := range subsets {
			srv := servers[i]
			if testing.Short() && !s.Contiguous() {
				continue // -short: the gap-free server sets only
			}
			t.Run("server="+strings.ReplaceAll(s.String(), " ", ""), func(t *testing.T) {
				t.Parallel()
				for _, c := range subsets {
					got, detail := client.Handshake(srv.Addr, wireVersions(c))
					count("java client vs java server", checkOutcome(t, fmt.Sprintf("java client %v -> %s", c, srv.Description), tlsver.NegotiateStacks(c, tlsver.JavaStack, s, tlsver.JavaStack), tlsver.Version(got), detail))

					args := append([]string{"s_client", "-connect", srv.Addr, "-brief", "-cipher", "DEFAULT:@SECLEVEL=0"}, opensslVersionArgs(c)...)
					out := runClient(ctx, "openssl", args...)
					count("openssl client vs java server", checkOutcome(t, fmt.Sprintf("openssl s_client %v -> %s", c, srv.Description), tlsver.NegotiateStacks(c, tlsver.OpenSSLStack, s, tlsver.JavaStack), parseOpenSSLVersion(out), out))
				}
				for _, c := range tlsRanges() {
					o := stacks.Handshake(ctx, srv.Addr, stacks.ClientOptions{MinVersion: uint16(c.Min()), MaxVersion: uint16(c.Max()), Timeout: 10 * time.Second})
					count("go client vs java server", checkOutcome(t, fmt.Sprintf("Go client %v -> %s", c, srv.Description), tlsver.NegotiateStacks(c, tlsver.GoStack, s, tlsver.JavaStack), tlsver.Version(o.Version), o.String()))
				}
			})
		}
	})
	t.Run("openssl-servers", func(t *testing.T) {
		for _, s := range subsets {
			if testing.Short() && !s.Contiguous() {
				continue
			}
			t.Run("server="+strings.ReplaceAll(s.String(), " ", ""), func(t *testing.T) {
				t.Parallel()
				srv := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Versions: wireVersions(s)})
				for _, c := range subsets {
					got, detail := client.Handshake(srv.Addr, wireVersions(c))
					count("java client vs openssl server", checkOutcome(t, fmt.Sprintf("java client %v -> %s", c, srv.Description), tlsver.NegotiateStacks(c, tlsver.JavaStack, s, tlsver.OpenSSLStack), tlsver.Version(got), detail))
				}
			})
		}
	})
}
