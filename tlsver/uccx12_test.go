package tlsver_test

import (
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// TestUCCXAfter11Unknown: the built-in data has no public Cisco statement on
// the TLS versions of UCCX 12.x and later (the TLS TechNote it rests on
// covers 10.x and 11.x), so those releases stay unknown in both roles, with
// a reason, rather than inheriting a guess from 11.x.
func TestUCCXAfter11Unknown(t *testing.T) {
	m := tlsver.Builtin()
	for _, rel := range []string{"12.0(1)", "12.5(1)", "12.5(1)SU3", "15.0(1)", "12.x"} {
		for _, role := range []tlsver.Role{tlsver.Client, tlsver.Server} {
			for _, proto := range []tlsver.Protocol{0, tlsver.HTTPS} {
				s, err := m.Support(tlsver.UCCX, rel, role, proto, time.Time{})
				if rel == "12.x" {
					if err == nil {
						t.Errorf("Support(UCCX, %q) = nil error, want a release parse error", rel)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Support(UCCX, %s, %v): %v", rel, role, err)
				}
				if s.Known || s.Reason == "" {
					t.Errorf("Support(UCCX, %s, %v, %v) = %v, want unknown with a reason", rel, role, proto, s)
				}
			}
		}
	}
}
