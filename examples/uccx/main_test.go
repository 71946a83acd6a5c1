package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/tlscompat/tlscompat/internal/golden"
)

// TestGolden runs the program with the argument lists below and compares
// the combined output with testdata/golden.txt.
func TestGolden(t *testing.T) {
	runs := [][]string{
		nil,
		{"11.0(1)", "Salesforce/production", "2017-07-21"},
		{"11.0(1)", "Salesforce/production", "2017-07-23"},
		{"10,6(1)SU3", "Salesforce/production"},
		{"11.5(1)SU1", "Exchange/2010"},
		{"10.5", "TLS 1.1, 1.2"},
		{"12.5(1)SU2", "Salesforce/production"},
	}
	var got bytes.Buffer
	for _, args := range runs {
		got.WriteString("$ uccx")
		for _, a := range args {
			got.WriteString(" " + a)
		}
		got.WriteString("\n")
		if err := run(&got, args); err != nil {
			t.Fatalf("run(%q): %v", args, err)
		}
		got.WriteString("\n")
	}
	golden.Check(t, filepath.Join("testdata", "golden.txt"), got.Bytes())
}

func TestErrors(t *testing.T) {
	for _, args := range [][]string{{"11.0(1)"}, {"eleven", "Salesforce/production"}, {"11.0(1)", "TLS 9"}, {"11.0(1)", "Salesforce/production", "July"}} {
		if err := run(new(bytes.Buffer), args); err == nil {
			t.Errorf("run(%q) succeeded, want an error", args)
		}
	}
}
