package chaincheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpecs: -trust takes repeated flags and comma lists; an empty element
// is an error.
func TestSpecs(t *testing.T) {
	var s Specs
	if err := s.Set("mozilla, debian"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("jks:/x"); err != nil {
		t.Fatal(err)
	}
	if got := s.String(); got != "mozilla,debian,jks:/x" {
		t.Errorf("String() = %q", got)
	}
	if err := s.Set("a,,b"); err == nil || !strings.Contains(err.Error(), "empty trust spec") {
		t.Errorf("Set(a,,b) = %v, want an error", err)
	}
}

// TestLoad reads the machine's real stores (Debian's bundle, Debian's Java
// cacerts) and Mozilla's, merges them, and names the spec in each error.
func TestLoad(t *testing.T) {
	moz, err := Load([]string{"mozilla"}, "")
	if err != nil || len(moz.Anchors) < 100 {
		t.Fatalf("mozilla: %v", err)
	}
	deb, err := Load([]string{"debian"}, "")
	if err != nil || len(deb.Anchors) < 100 {
		t.Fatalf("debian: %v", err)
	}
	jks, err := Load([]string{"jks:/etc/ssl/certs/java/cacerts"}, "changeit")
	if err != nil || len(jks.Anchors) < 100 {
		t.Fatalf("jks: %v", err)
	}
	all, err := Load([]string{"mozilla", "debian"}, "")
	if err != nil || len(all.Anchors) != len(moz.Anchors)+len(deb.Anchors) || !strings.Contains(all.Source, " + ") {
		t.Fatalf("merged: %v", err)
	}
	if _, err := Load([]string{"jks:/etc/ssl/certs/java/cacerts"}, "wrong"); err == nil || !strings.Contains(err.Error(), "-trust jks:/etc/ssl/certs/java/cacerts") {
		t.Errorf("jks with a wrong password: %v", err)
	}
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.txt")
	if err := os.WriteFile(junk, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{filepath.Join(dir, "missing.pem"), junk} {
		if _, err := Load([]string{spec}, ""); err == nil || !strings.Contains(err.Error(), "-trust "+spec) {
			t.Errorf("Load(%s) = %v, want an error naming it", spec, err)
		}
	}
	if tr, err := Load(nil, ""); tr != nil || err != nil {
		t.Errorf("Load(nil) = %v, %v", tr, err)
	}
}
