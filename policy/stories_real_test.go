package policy_test

import (
	"testing"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// TestStoriesVersionsRealHandshakes replays the version step of every seed
// story with real handshakes: the versions Evaluate resolved for the client
// (from the story or the tlsver data at the story's instant) are enabled on
// the Java JSSE client (UCCX, Finesse and SocialMiner are Java
// applications), those of the server on openssl s_server, and the version
// they really agree on must be the one Evaluate predicts, or both must
// fail. Only the version step is replayed: the certificate checks of the
// Genesys stories are the interop truth suite's subject.
func TestStoriesVersionsRealHandshakes(t *testing.T) {
	client := stacks.StartJavaClient(t, true)
	servers := map[tlsver.Set]*stacks.Server{}
	checked := 0
	for _, s := range products.Stories() {
		o := policy.Evaluate(s)
		var cv, sv tlsver.Set
		predicted, decided := tlsver.Version(0), false
		for _, f := range o.Findings() {
			switch f.Code {
			case policy.CodeVersionNegotiated:
				cv, sv, predicted, decided = f.ClientVersions, f.ServerVersions, f.Version, true
			case policy.CodeNoCommonVersion:
				cv, sv, decided = f.ClientVersions, f.ServerVersions, true
			}
		}
		if !decided {
			t.Errorf("story %s: no version finding: %v", s.Name, o.Findings())
			continue
		}
		srv, ok := servers[sv]
		if !ok {
			srv = startOpenSSLWith(t, sv)
			servers[sv] = srv
		}
		got, detail := client.Handshake(srv.Addr, wireVersions(cv))
		if tlsver.Version(got) != predicted {
			t.Errorf("story %s: Java client %v -> openssl s_server %v: real %v (%s), Evaluate predicts %v", s.Name, cv, sv, tlsver.Version(got), detail, predicted)
			continue
		}
		checked++
		t.Logf("%-45s client %-12v server %-12v real %v", s.Name, cv, sv, tlsver.Version(got))
	}
	t.Logf("seed stories: version step reproduced by real handshakes in %d of %d", checked, len(products.Stories()))
}
