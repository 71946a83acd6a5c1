package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/internal/golden"
)

func runArgs(args ...string) (stdout, stderr string, status int) {
	var out, errs bytes.Buffer
	status = run(&out, &errs, args)
	return out.String(), errs.String(), status
}

// transcript runs the program with each argument list and records its
// output and exit status; it fails the test when a status differs from want.
func transcript(t *testing.T, runs [][]string, want []int) []byte {
	t.Helper()
	var got bytes.Buffer
	for i, args := range runs {
		out, errs, status := runArgs(args...)
		if status != want[i] {
			t.Errorf("uccx %q: exit %d, want %d; stderr %q", args, status, want[i], errs)
		}
		fmt.Fprintf(&got, "%s\n%sexit %d\n\n", strings.Join(append([]string{"$ uccx"}, args...), " "), out, status)
	}
	return got.Bytes()
}

// TestGolden runs the program with the argument lists below and compares
// the output and exit statuses with testdata/golden.txt.
func TestGolden(t *testing.T) {
	runs := [][]string{
		nil,
		{"11.0(1)", "Salesforce/production", "2017-07-21"},
		{"11.0(1)", "Salesforce/production", "2017-07-23"},
		{"10,6(1)SU3", "Salesforce/production"},
		{"11.5(1)SU1", "Exchange/2010"},
		{"10.5", "TLS 1.1, 1.2"},
		{"12.0(1)", "Salesforce/production"},
		{"15.0(1)", "Salesforce/production"},
		{"12.5(1)SU2", "TLS 1.3"},
		{"15.0(1)", "TLS 1.2, 1.3"},
	}
	got := transcript(t, runs, []int{0, 0, 1, 0, 1, 1, 2, 0, 2, 0})
	golden.Check(t, filepath.Join("testdata", "golden.txt"), got)
}

// TestJSON: -json gives one object for a prediction and JSON Lines for the
// overview, with the verdict in the exit status.
func TestJSON(t *testing.T) {
	runs := [][]string{
		{"-json"},
		{"-json", "11.0(1)", "Salesforce/production", "2017-07-21"},
		{"-json", "11.0(1)", "Salesforce/production", "2017-07-23"},
		{"-json", "10.5", "TLS 1.1, 1.2"},
		{"-json", "12.0(1)", "Salesforce/production"},
		{"-json", "12.5(1)", "Salesforce/production"},
	}
	want := []int{0, 0, 1, 1, 2, 0}
	for i, args := range runs {
		out, _, status := runArgs(args...)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if i > 0 && len(lines) != 1 {
			t.Errorf("%q: %d lines, want one JSON object", args, len(lines))
		}
		for _, l := range lines {
			var v map[string]any
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Fatalf("%q: not JSON Lines: %v\n%s", args, err, l)
			}
			if i > 0 {
				wantVerdict := map[int]string{0: "succeeds", 1: "fails", 2: "unknown"}[want[i]]
				if v["verdict"] != wantVerdict || status != want[i] {
					t.Errorf("%q: verdict %v exit %d, want %s exit %d", args, v["verdict"], status, wantVerdict, want[i])
				}
			}
		}
	}
	golden.Check(t, filepath.Join("testdata", "golden-json.txt"), transcript(t, runs, want))
}

func TestUsage(t *testing.T) {
	for _, h := range []string{"-h", "--help"} {
		out, _, status := runArgs(h)
		if status != 0 || !strings.Contains(out, "Exit status") {
			t.Errorf("%s: exit %d, stdout %q", h, status, out)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"11.0(1)"}, "got 1 argument"},
		{[]string{"a", "b", "c", "d"}, "got 4 argument"},
		{[]string{"eleven", "Salesforce/production"}, `"eleven"`},
		{[]string{"11.0(1)", "TLS 9"}, `"TLS 9"`},
		{[]string{"11.0(1)", "Salesforce/production", "July"}, `"July"`},
		{[]string{"-nope"}, "-nope"},
	} {
		out, errs, status := runArgs(tc.args...)
		if status != exitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("run(%q): exit %d, stdout %q, stderr %q; want 3 and an error naming %s", tc.args, status, out, errs, tc.want)
		}
	}
}
