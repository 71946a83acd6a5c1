package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/internal/golden"
)

// TestGolden runs the program on its built-in captures.
func TestGolden(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "golden.txt"), out.Bytes())
}

// TestFiles runs the program on a file argument with a stack.
func TestFiles(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, []string{"-stack", "openssl3", "testdata/tls12-rejected.pcap"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"CertificateRequest: yes",
		"stack openssl3",
		"after renewal (2026-03-10): fails (alert unsupported_certificate)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{{"no-such-file.pcap"}, {"-stack", "bogus"}, {"main.go"}} {
		var out bytes.Buffer
		if err := run(&out, args); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// TestSamplesMatchLibrary: the built-in samples are copies of
// policy/capture/testdata; they must not drift apart.
func TestSamplesMatchLibrary(t *testing.T) {
	lib, err := filepath.Glob("../../policy/capture/testdata/*.pcap*")
	if err != nil || len(lib) == 0 {
		t.Fatalf("library captures: %v %v", lib, err)
	}
	for _, p := range lib {
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := samples.ReadFile("testdata/" + filepath.Base(p))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("testdata/%s differs from %s (copy it again): %v", filepath.Base(p), p, err)
		}
	}
}
