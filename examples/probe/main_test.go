package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/tlscompat/tlscompat/internal/golden"
)

func TestGolden(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "golden.txt"), out.Bytes())
}

func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{{"a", "b"}, {"no-port"}, {"-stack", "bogus", "x:1"}} {
		var out bytes.Buffer
		if err := run(&out, args); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
