// Command handshake prints tlscompat's predictions for the seed stories: the
// Genesys Cloud clientAuth removal against SIP servers, and the UCCX,
// SocialMiner, Salesforce and Exchange TLS version stories.
//
//	handshake                    # a table of all stories, then the explanations
//	handshake -json              # JSON Lines: one {name, scenario, outcome} per story
//	handshake -story NAME        # one story (see -list)
//	handshake -list              # the story names
//
// Exit status: with -story, that story's verdict. Without -story the program
// prints a report of all stories (several fail by design) and exits 0 once
// every story has been evaluated; -worst makes it exit with the worst verdict
// instead (fails before cannot tell before succeeds):
//
//	0  the handshake succeeds (the report; -list, -h)
//	1  the handshake fails
//	2  cannot tell (the verdict is unknown)
//	3  usage error (bad flag, unknown story name)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/tlscompat/tlscompat/examples/internal/cli"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
)

const usageText = `Usage: handshake [-json] [-worst | -story NAME | -list]

Prints tlscompat's predictions for the seed stories: the Genesys Cloud
clientAuth removal against SIP servers, and the UCCX, SocialMiner,
Salesforce and Exchange TLS version stories. -json prints JSON Lines, one
{"name", "scenario", "outcome"} object per story (schemas: policy/schema).

Exit status: with -story, that story's verdict. Without it, the report of
all stories (several fail by design) exits 0; with -worst, the worst verdict
over all stories.
  0  succeeds (and the report, -list, -h)
  1  fails
  2  cannot tell
  3  usage error (bad flag, unknown story name)

Flags:
`

func main() {
	os.Exit(run(os.Stdout, os.Stderr, os.Args[1:]))
}

// story is the JSON form of one prediction (one line of -json).
type story struct {
	Name     string          `json:"name"`
	Scenario policy.Scenario `json:"scenario"`
	Outcome  policy.Outcome  `json:"outcome"`
}

func run(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("handshake", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "print JSON Lines: one {name, scenario, outcome} object per story")
	only := fs.String("story", "", "predict only the story `NAME` (see -list)")
	list := fs.Bool("list", false, "print the story names and exit")
	worst := fs.Bool("worst", false, "without -story: exit with the worst verdict over all stories instead of 0")
	if status, ok := cli.Parse(fs, args, stdout, stderr); !ok {
		return status
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "handshake: unexpected argument %q (run handshake -h for usage)\n", fs.Arg(0))
		return cli.Error
	}
	stories := products.Stories()
	if *list {
		for _, s := range stories {
			fmt.Fprintln(stdout, s.Name)
		}
		return cli.Succeeds
	}
	if *only != "" {
		var sel []policy.Scenario
		for _, s := range stories {
			if s.Name == *only {
				sel = append(sel, s)
			}
		}
		if len(sel) == 0 {
			fmt.Fprintf(stderr, "handshake: -story %q: no such story (run handshake -list)\n", *only)
			return cli.Error
		}
		stories = sel
	}
	outcomes := make([]policy.Outcome, len(stories))
	status := cli.Succeeds
	for i, s := range stories {
		outcomes[i] = policy.Evaluate(s)
		status = cli.Worse(status, cli.FromVerdict(outcomes[i].Verdict))
	}
	if *only == "" && !*worst {
		status = cli.Succeeds // the report of all stories
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for i, s := range stories {
			if err := enc.Encode(story{Name: s.Name, Scenario: s, Outcome: outcomes[i]}); err != nil {
				fmt.Fprintln(stderr, "handshake:", err)
				return cli.Error
			}
		}
		return status
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STORY\tVERDICT\tVERSION\tALERT\tDECIDED BY\tREMEDY")
	for i, s := range stories {
		o := &outcomes[i]
		f := cli.Decider(o)
		ver, alert := "-", "-"
		if o.Version != 0 {
			ver = o.Version.String()
		}
		if o.Alert != 0 {
			alert = fmt.Sprintf("%d %s", uint8(o.Alert), o.Alert)
		}
		remedy := "-"
		for _, g := range o.Findings() {
			if r := g.Remedy.String(); r != "" {
				remedy = r
				break
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.Name, o.Verdict, ver, alert, f.Code, remedy)
	}
	tw.Flush()
	for i, s := range stories {
		fmt.Fprintf(stdout, "\n%s\n%s\n%s", s.Name, strings.Repeat("-", len(s.Name)), outcomes[i].Explain())
	}
	return status
}
