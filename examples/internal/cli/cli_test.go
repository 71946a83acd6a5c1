package cli

import (
	"bytes"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/policy"
)

func TestFromVerdict(t *testing.T) {
	for _, tc := range []struct {
		v    policy.Verdict
		want int
	}{
		{policy.Succeeds, Succeeds},
		{policy.Fails, Fails},
		{policy.Unknown, Unknown},
		{policy.VerdictUnset, Unknown},
		{policy.Verdict(200), Unknown},
	} {
		if got := FromVerdict(tc.v); got != tc.want {
			t.Errorf("FromVerdict(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
}

func TestWorse(t *testing.T) {
	// order is best first: 0, then 2, then 1, then 3.
	order := []int{Succeeds, Unknown, Fails, Error}
	for i, a := range order {
		for j, b := range order {
			want := a
			if j > i {
				want = b
			}
			if got := Worse(a, b); got != want {
				t.Errorf("Worse(%d, %d) = %d, want %d", a, b, got, want)
			}
		}
	}
	if got := Worse(Fails, 7); got != 7 {
		t.Errorf("Worse(1, 7) = %d, want 7 (out of range ranks as an error)", got)
	}
	// Folding from Succeeds, as the programs do over several results.
	for _, tc := range []struct {
		in   []int
		want int
	}{
		{nil, Succeeds},
		{[]int{0, 0}, Succeeds},
		{[]int{0, 2, 0}, Unknown},
		{[]int{2, 1, 2}, Fails},
		{[]int{1, 3, 2}, Error},
	} {
		s := Succeeds
		for _, x := range tc.in {
			s = Worse(s, x)
		}
		if s != tc.want {
			t.Errorf("worst of %v = %d, want %d", tc.in, s, tc.want)
		}
	}
}

func newFlagSet() (*flag.FlagSet, *bool, *string) {
	fs := flag.NewFlagSet("prog", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: prog [-json] [-name N]\n")
		fs.PrintDefaults()
	}
	return fs, fs.Bool("json", false, "print JSON"), fs.String("name", "", "a `N`ame")
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		status     int
		ok         bool
		stdout     string // substring; "" means empty
		stderr     string // substring; "" means empty
		usageTimes int    // in stdout
	}{
		{name: "-h", args: []string{"-h"}, status: Succeeds, stdout: "Usage: prog", usageTimes: 1},
		{name: "--help", args: []string{"--help"}, status: Succeeds, stdout: "Usage: prog", usageTimes: 1},
		{name: "-help after a flag", args: []string{"-json", "-help"}, status: Succeeds, stdout: "Usage: prog", usageTimes: 1},
		{name: "bad flag", args: []string{"-nope"}, status: Error, stderr: "flag provided but not defined: -nope"},
		{name: "missing value", args: []string{"-name"}, status: Error, stderr: "flag needs an argument: -name"},
		{name: "good flags", args: []string{"-json", "-name", "x", "arg"}, status: Succeeds, ok: true},
		{name: "no flags", args: nil, status: Succeeds, ok: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, asJSON, name := newFlagSet()
			var stdout, stderr bytes.Buffer
			status, ok := Parse(fs, tc.args, &stdout, &stderr)
			if status != tc.status || ok != tc.ok {
				t.Fatalf("Parse(%q) = %d, %v; want %d, %v", tc.args, status, ok, tc.status, tc.ok)
			}
			check := func(what, got, want string) {
				t.Helper()
				if want == "" && got != "" || !strings.Contains(got, want) {
					t.Errorf("%s = %q, want it to hold %q", what, got, want)
				}
			}
			check("stdout", stdout.String(), tc.stdout)
			check("stderr", stderr.String(), tc.stderr)
			if n := strings.Count(stdout.String(), "Usage: prog"); n != tc.usageTimes {
				t.Errorf("usage printed %d times on stdout, want %d", n, tc.usageTimes)
			}
			if tc.status == Error && !strings.Contains(stderr.String(), "Usage: prog") {
				t.Errorf("a parse error should come with the usage on stderr: %q", stderr.String())
			}
			if fs.Output() != &stderr {
				t.Errorf("after Parse, fs should write to stderr")
			}
			if tc.ok {
				if !*asJSON && tc.args != nil {
					t.Errorf("-json not set")
				}
				if tc.args != nil && (*name != "x" || fs.NArg() != 1 || fs.Arg(0) != "arg") {
					t.Errorf("-name = %q, args %q", *name, fs.Args())
				}
			}
		})
	}
}
