// Package cli holds what the programs under examples/ share on the command
// line: the exit statuses, the mapping of a verdict onto them, the rule
// that combines two statuses, and flag parsing where -h and --help print
// the usage once to stdout and exit 0 while a bad flag goes to stderr with
// status 3, and the finding a program names as the reason for its verdict.
package cli

import (
	"bytes"
	"errors"
	"flag"
	"io"

	"github.com/tlscompat/tlscompat/policy"
)

// Exit statuses of the examples. The verdict travels in the exit status so
// that scripts can act on it; see each program's -h for what its statuses
// mean.
const (
	// Succeeds: the handshake succeeds, or every question was answered (also
	// the status of -h and --help).
	Succeeds = 0
	// Fails: the prediction or observation is that the handshake fails.
	Fails = 1
	// Unknown: cannot tell; the inputs do not decide it (never "fails").
	Unknown = 2
	// Error: a usage error, unreadable or bad input, or a network error; no
	// answer was reached.
	Error = 3
)

// FromVerdict maps a verdict to an exit status: [policy.Succeeds] to
// [Succeeds], [policy.Fails] to [Fails], anything else (unknown, unset) to
// [Unknown].
func FromVerdict(v policy.Verdict) int {
	switch v {
	case policy.Succeeds:
		return Succeeds
	case policy.Fails:
		return Fails
	}
	return Unknown
}

// rank orders the statuses from best to worst; a status outside 0..3 ranks
// with Error.
func rank(s int) int {
	switch s {
	case Succeeds:
		return 0
	case Unknown:
		return 1
	case Fails:
		return 2
	}
	return 3
}

// Worse returns the worse of two exit statuses, in the order 3 (error),
// then 1 (fails), then 2 (cannot tell), then 0 (succeeds): a failure
// outweighs "cannot tell", and no answer outweighs every answer (the
// numbers are not ordered that way). On a tie it returns a.
func Worse(a, b int) int {
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// Parse parses args with fs, which must use [flag.ContinueOnError] and
// have its Usage set. On -h or --help it prints the usage once, to stdout,
// and returns ([Succeeds], false); on a parse error it writes what the flag
// package printed (the error and the usage) to stderr and returns ([Error],
// false); otherwise it returns ([Succeeds], true) and leaves fs writing to
// stderr. A program returns the status when ok is false.
//
// The flag package itself prints the usage on -h, to fs's output; Parse
// collects that output and throws it away on -h so the usage is printed
// only once.
func Parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (status int, ok bool) {
	var parseOut bytes.Buffer
	fs.SetOutput(&parseOut)
	err := fs.Parse(args)
	switch {
	case err == nil:
		fs.SetOutput(stderr)
		return Succeeds, true
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		fs.SetOutput(stderr)
		return Succeeds, false
	}
	stderr.Write(parseOut.Bytes())
	fs.SetOutput(stderr)
	return Error, false
}
