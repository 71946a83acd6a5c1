package stacks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// cachedBuild returns a directory under os.TempDir, shared between test
// binaries, that holds files (name → contents) and what build made of them
// there. The directory's name is a hash of the files, so a changed source
// gets a new build; build runs only when no directory for these contents
// holds marker yet. build works in a fresh directory that is renamed into
// place once it succeeds; if another process won that race, its directory is
// used.
func cachedBuild(prefix string, files map[string][]byte, marker string, build func(dir string) error) (string, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		fmt.Fprintf(h, "%s %d\n", name, len(files[name]))
		h.Write(files[name])
	}
	dir := filepath.Join(os.TempDir(), prefix+hex.EncodeToString(h.Sum(nil)[:8]))
	if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
		return dir, nil
	}
	tmp, err := os.MkdirTemp(os.TempDir(), prefix+"build-")
	if err != nil {
		return "", err
	}
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(tmp, name), files[name], 0o644); err != nil {
			os.RemoveAll(tmp)
			return "", err
		}
	}
	if err := build(tmp); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(dir, marker)); serr != nil {
			return "", err
		}
	}
	return dir, nil
}
