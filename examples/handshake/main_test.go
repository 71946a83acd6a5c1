package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/tlscompat/tlscompat/internal/golden"
)

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		args []string
	}{
		{"golden.txt", nil},
		{"golden-json.txt", []string{"-json"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := run(&buf, tc.args); err != nil {
				t.Fatalf("run(%v): %v", tc.args, err)
			}
			golden.Check(t, filepath.Join("testdata", tc.file), buf.Bytes())
		})
	}
}

func TestBadFlag(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, []string{"-nope"}); err == nil {
		t.Errorf("run(-nope) = nil, want an error")
	}
}
