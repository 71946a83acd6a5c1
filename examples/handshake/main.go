// Command handshake prints tlscompat's predictions for the seed stories: the
// Genesys Cloud clientAuth removal against SIP servers, and the UCCX,
// SocialMiner, Salesforce and Exchange TLS version stories.
//
//	go run ./examples/handshake         # a readable table, then the explanations
//	go run ./examples/handshake -json   # one JSON object per story
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "handshake:", err)
		os.Exit(2)
	}
}

// story is the JSON form of one prediction.
type story struct {
	Name     string          `json:"name"`
	Scenario policy.Scenario `json:"scenario"`
	Outcome  policy.Outcome  `json:"outcome"`
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("handshake", flag.ContinueOnError)
	fs.SetOutput(w)
	asJSON := fs.Bool("json", false, "print the scenarios and outcomes as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stories := products.Stories()
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		var out []story
		for _, s := range stories {
			out = append(out, story{Name: s.Name, Scenario: s, Outcome: policy.Evaluate(s)})
		}
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STORY\tVERDICT\tVERSION\tALERT\tDECIDED BY\tREMEDY")
	for _, s := range stories {
		o := policy.Evaluate(s)
		f := decider(&o)
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
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range stories {
		o := policy.Evaluate(s)
		fmt.Fprintf(w, "\n%s\n%s\n%s", s.Name, strings.Repeat("-", len(s.Name)), o.Explain())
	}
	return nil
}

// decider returns the finding that decided the verdict: the first failure,
// else the first unknown, else the last finding.
func decider(o *policy.Outcome) policy.Finding {
	if f, ok := o.First(policy.EffectFail); ok {
		return f
	}
	if f, ok := o.First(policy.EffectUnknown); ok {
		return f
	}
	if f, ok := o.First(policy.EffectWarning); ok {
		return f
	}
	fs := o.Findings()
	if len(fs) == 0 {
		return policy.Finding{}
	}
	return fs[len(fs)-1]
}
