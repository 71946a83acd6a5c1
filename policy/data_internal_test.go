package policy

import (
	"sync"
	"testing"

	"github.com/tlscompat/tlscompat/tlsver"
)

// TestReleaseStringBounded checks that the upgrade-target name cache gives
// the same text as Release.String, stays bounded, and is safe for
// concurrent use (run with -race).
func TestReleaseStringBounded(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				r := tlsver.Release{Major: 90, Minor: uint16(i), HasMaint: true, Maint: 1, SU: 1}
				if got, want := releaseString(r), r.String(); got != want {
					t.Errorf("releaseString(%v) = %q, want %q", r, got, want)
				}
			}
		}()
	}
	wg.Wait()
	releaseNames.Lock()
	n := releaseNames.n
	releaseNames.Unlock()
	if n > len(releaseNames.rel) {
		t.Errorf("cache holds %d entries, want at most %d", n, len(releaseNames.rel))
	}
}
