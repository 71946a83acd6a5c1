package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of reporting them.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.msg = fmt.Sprintf(format, args...)
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func TestCheck(t *testing.T) {
	if *update {
		t.Skip("compares without -update only")
	}
	path := filepath.Join(t.TempDir(), "golden.txt")
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Check(r, path, []byte("a\nb\n"))
	if r.failed {
		t.Errorf("Check(equal) failed: %s", r.msg)
	}
	r = &recorder{TB: t}
	Check(r, path, []byte("a\nc\n"))
	if !r.failed || !strings.Contains(r.msg, "(-want +got)") {
		t.Errorf("Check(different) = failed %v, %q; want a (-want +got) diff", r.failed, r.msg)
	}
	r = &recorder{TB: t}
	Check(r, filepath.Join(t.TempDir(), "missing.txt"), nil)
	if !r.failed || !strings.Contains(r.msg, "-update") {
		t.Errorf("Check(missing) = failed %v, %q; want a hint to -update", r.failed, r.msg)
	}
}

func TestUpdateWrites(t *testing.T) {
	old := *update
	*update = true
	defer func() { *update = old }()
	path := filepath.Join(t.TempDir(), "sub", "golden.txt")
	r := &recorder{TB: t}
	Check(r, path, []byte("new\n"))
	if got, err := os.ReadFile(path); r.failed || err != nil || string(got) != "new\n" {
		t.Errorf("Check with -update: failed %v, file %q, %v", r.failed, got, err)
	}
	if !Update() {
		t.Error("Update() = false with -update set")
	}
}
