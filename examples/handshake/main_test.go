package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/examples/internal/cli"
	"github.com/tlscompat/tlscompat/internal/golden"
	"github.com/tlscompat/tlscompat/internal/schematest"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
)

func runArgs(args ...string) (stdout, stderr string, status int) {
	var out, errs bytes.Buffer
	status = run(&out, &errs, args)
	return out.String(), errs.String(), status
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		args []string
	}{
		{"golden.txt", nil},
		{"golden-json.txt", []string{"-json"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			out, errs, status := runArgs(tc.args...)
			// The report of all stories exits 0 although several fail.
			if status != cli.Succeeds {
				t.Errorf("run(%v) exit %d, want 0; stderr %q", tc.args, status, errs)
			}
			// With -worst: several built-in stories fail by design.
			if _, errs, status := runArgs(append([]string{"-worst"}, tc.args...)...); status != cli.Fails {
				t.Errorf("run(-worst %v) exit %d, want 1; stderr %q", tc.args, status, errs)
			}
			golden.Check(t, filepath.Join("testdata", tc.file), []byte(out))
		})
	}
}

// TestStoryExitStatus: with -story the exit status is that story's verdict,
// for every built-in story; the JSON line carries the same verdict.
func TestStoryExitStatus(t *testing.T) {
	want := map[policy.Verdict]int{policy.Succeeds: 0, policy.Fails: 1, policy.Unknown: 2}
	var transcript bytes.Buffer
	seen := map[int]bool{}
	for _, s := range products.Stories() {
		out, errs, status := runArgs("-json", "-story", s.Name)
		var got story
		if err := json.Unmarshal([]byte(out), &got); err != nil || strings.Count(out, "\n") != 1 {
			t.Fatalf("-story %s -json: want one JSON line: %v\n%s%s", s.Name, err, out, errs)
		}
		if w := want[got.Outcome.Verdict]; status != w {
			t.Errorf("-story %s: exit %d, verdict %v wants %d", s.Name, status, got.Outcome.Verdict, w)
		}
		if o := policy.Evaluate(s); o.Verdict != got.Outcome.Verdict {
			t.Errorf("-story %s: JSON verdict %v, Evaluate %v", s.Name, got.Outcome.Verdict, o.Verdict)
		}
		seen[status] = true
		fmt := "$ handshake -story " + s.Name + "\nexit " + string(rune('0'+status)) + " (" + got.Outcome.Verdict.String() + ")\n"
		transcript.WriteString(fmt)
	}
	for _, st := range []int{0, 1, 2} {
		if !seen[st] {
			t.Errorf("no built-in story exits %d; the statuses are not all exercised", st)
		}
	}
	golden.Check(t, filepath.Join("testdata", "golden-status.txt"), transcript.Bytes())
}

func TestUsage(t *testing.T) {
	for _, h := range []string{"-h", "--help"} {
		out, _, status := runArgs(h)
		if status != 0 || !strings.Contains(out, "Exit status") {
			t.Errorf("%s: exit %d, stdout %q", h, status, out)
		}
	}
	out, _, status := runArgs("-list")
	if status != 0 || strings.Count(out, "\n") != len(products.Stories()) {
		t.Errorf("-list: exit %d, %q", status, out)
	}
	for _, args := range [][]string{{"-nope"}, {"extra"}, {"-story", "no-such-story"}} {
		out, errs, status := runArgs(args...)
		if status != cli.Error || out != "" || errs == "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 3 and an error", args, status, out, errs)
		}
	}
	if _, errs, _ := runArgs("-story", "no-such-story"); !strings.Contains(errs, "no-such-story") {
		t.Errorf("unknown story: error %q does not name it", errs)
	}
}

// TestJSONSchema validates every line of the -json output against the
// policy schemas (policy.ScenarioSchema, policy.OutcomeSchema).
func TestJSONSchema(t *testing.T) {
	ss := schematest.Compile(t, "scenario.schema.json", policy.ScenarioSchema)
	osch := schematest.Compile(t, "outcome.schema.json", policy.OutcomeSchema)
	out, _, _ := runArgs("-json")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(products.Stories()) {
		t.Fatalf("-json printed %d lines, want one per story (%d)", len(lines), len(products.Stories()))
	}
	for _, l := range lines {
		var raw struct {
			Name     string          `json:"name"`
			Scenario json.RawMessage `json:"scenario"`
			Outcome  json.RawMessage `json:"outcome"`
		}
		if err := json.Unmarshal([]byte(l), &raw); err != nil {
			t.Fatal(err)
		}
		schematest.Validate(t, ss, raw.Name+" scenario", raw.Scenario)
		schematest.Validate(t, osch, raw.Name+" outcome", raw.Outcome)
	}
}
