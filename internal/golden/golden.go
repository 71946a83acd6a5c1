// Package golden compares test output with golden files under testdata/.
// It registers the -update flag once for every test binary that imports it:
//
//	go test ./examples/... -update
//
// rewrites the golden files instead of comparing with them. It is test
// infrastructure; only _test.go files import it.
package golden

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata instead of comparing with them")

// Update reports whether the test binary runs with -update. Tests that
// keep other generated files in testdata (sample certificates) rewrite them
// when it is true.
func Update() bool { return *update }

// Check compares got with the golden file at path and reports a mismatch as
// a test error with a cmp.Diff (-want +got). With -update it first writes
// got to path (creating its directory), so the comparison passes.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		hint := ""
		if errors.Is(err, fs.ErrNotExist) {
			hint = " (run go test -update to create it)"
		}
		t.Fatalf("golden file: %v%s", err, hint)
		return
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}
