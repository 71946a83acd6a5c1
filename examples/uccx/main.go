// Command uccx answers the questions of the Cisco UCCX TLS TechNote
// (https://www.cisco.com/c/en/us/support/docs/customer-collaboration/unified-contact-center-express-1151/201000-TechNote-on-Handling-TLS-Support-with-UC.html)
// from tlsver's built-in data, and for UCCX 12.5(1) and later what Cisco's
// release notes and the 15.0 Administration and Operations Guide state (the
// basis column names the section; derived and partial answers say so).
//
// Without arguments it prints the UCCX support matrix (with the basis of
// every answer and the upgrade targets) and the Salesforce story: which UCCX
// releases can still post to Salesforce sandbox and production systems
// before and after their TLS 1.0 cut-offs.
//
// With arguments it predicts one connection from UCCX as client:
//
//	uccx [-json] <release> <peer> [date]
//
// where peer is Product/name ("Salesforce/production", "Exchange/2013",
// "SocialMiner/11.5(1)SU1") or a version set ("TLS 1.1, 1.2"), and date is
// YYYY-MM-DD or an RFC 3339 time (default: the latest state in the data).
//
//	go run ./examples/uccx 11.0(1) Salesforce/production 2017-07-23
//
// -json prints JSON: for a prediction one object; for the overview JSON
// Lines, one object per table row ("record": "support" or "salesforce").
//
// Exit status:
//
//	0  the connection succeeds (the overview and -h always exit 0)
//	1  the connection fails (no common TLS version)
//	2  cannot tell (the data does not cover the release or the peer, or the
//	   stated versions have none in common but one side's data is partial)
//	3  usage error or bad input (unknown release syntax, bad date or version set)
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// Exit statuses.
const (
	exitSucceeds = 0
	exitFails    = 1
	exitUnknown  = 2
	exitUsage    = 3
)

const usageText = `Usage: uccx [-json] [<release> <peer> [date]]

Answers the Cisco UCCX TLS TechNote's questions from tlsver's built-in data.
Without arguments: the UCCX support matrix and the Salesforce story. With
arguments: one connection from UCCX <release> as client to <peer>, which is
Product/name ("Salesforce/production", "Exchange/2013") or a version set
("TLS 1.1, 1.2"), at date (YYYY-MM-DD or RFC 3339; default: the latest state).

  uccx 11.0(1) Salesforce/production 2017-07-23

Exit status:
  0  the connection succeeds (the overview and -h always exit 0)
  1  the connection fails (no common TLS version)
  2  cannot tell (the data does not cover the release or the peer, or the
     stated versions have none in common but one side's data is partial)
  3  usage error or bad input

Flags:
`

func main() {
	os.Exit(run(os.Stdout, os.Stderr, os.Args[1:]))
}

func run(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("uccx", flag.ContinueOnError)
	var parseOut bytes.Buffer // -h prints only to stdout; parse errors to stderr
	fs.SetOutput(&parseOut)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "print JSON (JSON Lines for the overview)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitSucceeds
		}
		stderr.Write(parseOut.Bytes())
		return exitUsage
	}
	args = fs.Args()
	fail := func(err error) int {
		fmt.Fprintln(stderr, "uccx:", err)
		return exitUsage
	}
	switch len(args) {
	case 0:
		var err error
		if *asJSON {
			err = overviewJSON(stdout)
		} else {
			err = overview(stdout)
		}
		if err != nil {
			return fail(err)
		}
		return exitSucceeds
	case 2, 3:
		var at time.Time
		if len(args) == 3 {
			var err error
			if at, err = parseTime(args[2]); err != nil {
				return fail(err)
			}
		}
		p, err := predict(args[0], args[1], at)
		if err != nil {
			return fail(err)
		}
		if *asJSON {
			b, err := json.Marshal(p)
			if err != nil {
				return fail(err)
			}
			fmt.Fprintf(stdout, "%s\n", b)
		} else {
			p.writeText(stdout)
		}
		switch p.Verdict {
		case "succeeds":
			return exitSucceeds
		case "fails":
			return exitFails
		}
		return exitUnknown
	}
	fmt.Fprintf(stderr, "uccx: want no arguments or <release> <peer> [date], got %d argument(s) (run uccx -h)\n", len(args))
	return exitUsage
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD or RFC 3339", s)
	}
	return t, nil
}

var releases = []string{"10.0", "10.5", "10.6", "10.6(1)SU2", "10.6(1)SU3", "11.0", "11.0(1)", "11.0(1)SU1",
	"11.5", "11.5(1)", "11.5(1)SU1", "11.5(1)SU2", "11.6(1)", "12.0(1)", "12.5(1)", "12.5(1)SU1", "12.5(1)SU2",
	"12.5(1)SU3", "15.0(1)"}

// salesforceColumns are the columns of the Salesforce table: each
// deployment just before and at its TLS 1.0 cut-off.
var salesforceColumns = []struct {
	name, deployment string
	at               time.Time
}{
	{"sandbox before", tlsver.SalesforceSandbox, time.Date(2016, 6, 25, 16, 29, 59, 0, time.UTC)},
	{"sandbox after", tlsver.SalesforceSandbox, time.Date(2016, 6, 25, 16, 30, 0, 0, time.UTC)},
	{"production before", tlsver.SalesforceProduction, time.Date(2017, 7, 22, 6, 59, 59, 0, time.UTC)},
	{"production after", tlsver.SalesforceProduction, time.Date(2017, 7, 22, 7, 0, 0, 0, time.UTC)},
	{"new deployment", tlsver.SalesforceNew, time.Time{}},
}

// salesforceReleases are the rows of the Salesforce table.
var salesforceReleases = []string{"10.5", "10.6(1)SU2", "10.6(1)SU3", "11.0(1)", "11.5(1)", "11.5(1)SU1", "11.6(1)",
	"12.5(1)", "12.5(1)SU3", "15.0(1)"}

// cell renders a Support answer for a table cell.
func cell(s tlsver.Support) string {
	if !s.Known {
		return "unknown"
	}
	out := s.Versions.String()
	if s.Default != 0 {
		out += " (default " + strings.TrimPrefix(s.Default.String(), "TLS ") + ")"
	}
	return out
}

// basis says which data an answer rests on.
func basis(s tlsver.Support) string {
	switch {
	case !s.Known:
		return "-"
	case s.Provenance.General && s.Derived:
		return "general statement, derived"
	case s.Provenance.General:
		return "general statement"
	case !s.Overrides.IsZero():
		return "table " + s.Provenance.Table + " (overrides general)"
	case s.Provenance.Table != "":
		return "table " + s.Provenance.Table
	}
	b := s.Provenance.Section
	if s.Derived {
		b += ", derived"
	}
	if s.Partial {
		b += ", partial"
	}
	return b
}

func upgrade(m *tlsver.Matrix, rel string, g tlsver.Goal) string {
	u, err := m.UpgradeTarget(tlsver.UCCX, rel, g)
	switch {
	case err != nil || !u.Known:
		return "unknown"
	case !u.Needed && u.Derived:
		return "none needed (derived)"
	case !u.Needed:
		return "none needed"
	}
	return u.Target.String()
}

func overview(w io.Writer) error {
	m := tlsver.Builtin()
	fmt.Fprintf(w, "UCCX TLS support over HTTPS (source up to 11.6(1): %s;\n12.5(1) and later: Cisco's UCCX release notes and the 15.0 Administration and Operations Guide, section in the basis column)\n\n", tlsver.SeedDocument)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "release\tas server\tbasis\tas client\tbasis\tupgrade for TLS 1.1/1.2 client\tupgrade to remove TLS 1.0")
	for _, r := range releases {
		sv, err := m.Support(tlsver.UCCX, r, tlsver.Server, tlsver.HTTPS, time.Time{})
		if err != nil {
			return err
		}
		cl, err := m.Support(tlsver.UCCX, r, tlsver.Client, tlsver.HTTPS, time.Time{})
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r, cell(sv), basis(sv), cell(cl), basis(cl),
			upgrade(m, r, tlsver.ClientTLS11), upgrade(m, r, tlsver.RemoveTLS10))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if o, src, ok := m.ClientOrigins(tlsver.UCCX); ok {
		fmt.Fprintf(w, "\nUCCX client requests originate from: %s (%s)\n", strings.Join(o, ", "), src)
	}
	jdbc, _ := m.Support(tlsver.UCCX, "11.5(1)SU1", tlsver.Client, tlsver.JDBC, time.Time{})
	fmt.Fprintf(w, "JDBC: %s — %s\n", cell(jdbc), jdbc.Provenance.Statement)

	fmt.Fprintf(w, "\nUCCX as client posting to Salesforce (cut-offs: sandbox 2016-06-25 16:30 UTC, production 2017-07-22 07:00 UTC)\n\n")
	cols := salesforceColumns
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "UCCX release")
	for _, c := range cols {
		fmt.Fprintf(tw, "\t%s", c.name)
	}
	fmt.Fprintln(tw)
	for _, r := range salesforceReleases {
		cl, _ := m.Support(tlsver.UCCX, r, tlsver.Client, tlsver.HTTPS, time.Time{})
		fmt.Fprint(tw, r)
		for _, c := range cols {
			sf, _ := m.Support(tlsver.Salesforce, c.deployment, tlsver.Server, tlsver.HTTPS, c.at)
			n := tlsver.Negotiate(cl.Versions, sf.Versions)
			res := "FAILS"
			if n.OK {
				res = n.Version.String()
			}
			fmt.Fprintf(tw, "\t%s", res)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	sf, _ := m.Support(tlsver.Salesforce, tlsver.SalesforceProduction, tlsver.Server, tlsver.HTTPS, time.Time{})
	fmt.Fprintf(w, "\nNote: %s\n", sf.Note)
	return nil
}

// prediction is one connection from UCCX as client; its JSON form is the
// -json output.
type prediction struct {
	Release string       `json:"release"`
	Peer    string       `json:"peer"`
	At      *time.Time   `json:"at,omitempty"`
	Client  supportJSON  `json:"client"`
	Server  *supportJSON `json:"server,omitempty"`
	// Verdict is "succeeds", "fails" or "unknown".
	Verdict     string         `json:"verdict"`
	Version     tlsver.Version `json:"version,omitempty"`
	Negotiation string         `json:"negotiation,omitempty"`
	// Partial says which side's versions are only partly stated by the
	// data ("client", "server"); a failure with such a side is "unknown",
	// since a version the data does not state may be common.
	Partial string `json:"partial,omitempty"`
	Fix     string `json:"fix,omitempty"`

	clientText, serverText string
	// mayDiffer: the connection succeeds, but a partial side's unstated
	// versions reach above the version chosen, so another may be chosen.
	mayDiffer bool
}

// supportJSON is the JSON form of a tlsver.Support answer.
type supportJSON struct {
	Product  string         `json:"product,omitempty"`
	Release  string         `json:"release,omitempty"`
	Role     string         `json:"role,omitempty"`
	Known    bool           `json:"known"`
	Reason   string         `json:"reason,omitempty"`
	Versions tlsver.Set     `json:"versions,omitempty"`
	Default  tlsver.Version `json:"default,omitempty"`
	Basis    string         `json:"basis,omitempty"`
	Source   string         `json:"source,omitempty"`
	Note     string         `json:"note,omitempty"`
	Given    bool           `json:"given,omitempty"`
}

func supportOf(s tlsver.Support) supportJSON {
	j := supportJSON{Product: s.Product, Release: s.Release, Known: s.Known, Reason: s.Reason, Note: s.Note}
	if s.Role != 0 {
		j.Role = s.Role.String()
	}
	if s.Known {
		j.Versions, j.Default, j.Basis = s.Versions, s.Default, basis(s)
		j.Source = s.Provenance.String()
	}
	return j
}

func predict(release, peer string, at time.Time) (*prediction, error) {
	m := tlsver.Builtin()
	p := &prediction{Release: release, Peer: peer, Verdict: "unknown"}
	if !at.IsZero() {
		p.At = &at
	}
	cl, err := m.Support(tlsver.UCCX, release, tlsver.Client, tlsver.HTTPS, at)
	if err != nil {
		return nil, fmt.Errorf("release %q: %w", release, err)
	}
	p.Client, p.clientText = supportOf(cl), cl.String()
	if !cl.Known {
		return p, nil
	}
	var server tlsver.Set
	serverPartial := false
	if cl.Partial {
		p.Partial = "client"
	}
	if product, name, ok := strings.Cut(peer, "/"); ok {
		sv, err := m.Support(product, name, tlsver.Server, 0, at)
		if err != nil {
			return nil, fmt.Errorf("peer %q: %w", peer, err)
		}
		j := supportOf(sv)
		p.Server, p.serverText = &j, sv.String()
		if !sv.Known {
			return p, nil
		}
		server = sv.Versions
		if sv.Partial {
			serverPartial = true
			p.Partial = strings.TrimPrefix(p.Partial+", server", ", ")
		}
	} else {
		if server, err = tlsver.ParseSet(peer); err != nil {
			return nil, fmt.Errorf("peer %q is neither Product/name nor a version set: %v", peer, err)
		}
		p.Server = &supportJSON{Known: true, Versions: server, Given: true}
		p.serverText = server.String() + " (given)"
	}
	n := tlsver.Negotiate(cl.Versions, server)
	p.Negotiation = n.String()
	if n.OK {
		p.Verdict, p.Version = "succeeds", n.Version
		p.mayDiffer = (cl.Partial && server.Max() > cl.Versions.Max()) || (serverPartial && cl.Versions.Max() > server.Max())
		return p, nil
	}
	if p.Partial != "" {
		// The stated versions have none in common, but the data does not
		// state all of them: not a failure, undecided.
		return p, nil
	}
	p.Verdict = "fails"
	if u, err := m.UpgradeTarget(tlsver.UCCX, release, tlsver.ClientTLS11); err == nil && u.Known && u.Needed {
		p.Fix = fmt.Sprintf("upgrade UCCX to %v (%s)", u.Target, u.Provenance)
	}
	return p, nil
}

func (p *prediction) writeText(w io.Writer) {
	fmt.Fprintf(w, "client: %s\n", p.clientText)
	if p.serverText != "" {
		fmt.Fprintf(w, "server: %s\n", p.serverText)
	}
	switch p.Verdict {
	case "succeeds":
		fmt.Fprintf(w, "result: %s\n", p.Negotiation)
		if p.mayDiffer {
			fmt.Fprintf(w, "note: the %s data is partial (other versions not stated); the connection succeeds with the stated versions, but a higher version the data does not state may be chosen\n", p.Partial)
		}
	case "fails":
		fmt.Fprintf(w, "result: FAILS — %s\n", p.Negotiation)
		if p.Fix != "" {
			fmt.Fprintf(w, "fix: %s\n", p.Fix)
		}
	default:
		if p.Partial != "" && p.Negotiation != "" {
			fmt.Fprintf(w, "result: cannot tell — the stated versions have none in common (%s), but the %s data is partial: other versions are not stated\n", p.Negotiation, p.Partial)
			return
		}
		fmt.Fprintf(w, "result: cannot tell (the data does not cover this connection)\n")
	}
}

// supportRecord is one row of the overview's support matrix (-json).
type supportRecord struct {
	Record            string      `json:"record"` // "support"
	Release           string      `json:"release"`
	AsServer          supportJSON `json:"as_server"`
	AsClient          supportJSON `json:"as_client"`
	UpgradeClientTLS1 string      `json:"upgrade_for_tls11_client"`
	UpgradeRemoveTLS  string      `json:"upgrade_to_remove_tls10"`
}

// salesforceRecord is one row of the overview's Salesforce table (-json):
// the negotiated version per column, or "" where the connection fails.
type salesforceRecord struct {
	Record  string             `json:"record"` // "salesforce"
	Release string             `json:"release"`
	Columns []salesforceColumn `json:"columns"`
}

type salesforceColumn struct {
	Deployment string         `json:"deployment"`
	At         *time.Time     `json:"at,omitempty"`
	Verdict    string         `json:"verdict"`
	Version    tlsver.Version `json:"version,omitempty"`
}

// overviewJSON prints the overview's tables as JSON Lines.
func overviewJSON(w io.Writer) error {
	m := tlsver.Builtin()
	enc := json.NewEncoder(w)
	for _, r := range releases {
		sv, err := m.Support(tlsver.UCCX, r, tlsver.Server, tlsver.HTTPS, time.Time{})
		if err != nil {
			return err
		}
		cl, err := m.Support(tlsver.UCCX, r, tlsver.Client, tlsver.HTTPS, time.Time{})
		if err != nil {
			return err
		}
		if err := enc.Encode(supportRecord{Record: "support", Release: r, AsServer: supportOf(sv), AsClient: supportOf(cl),
			UpgradeClientTLS1: upgrade(m, r, tlsver.ClientTLS11), UpgradeRemoveTLS: upgrade(m, r, tlsver.RemoveTLS10)}); err != nil {
			return err
		}
	}
	for _, r := range salesforceReleases {
		cl, _ := m.Support(tlsver.UCCX, r, tlsver.Client, tlsver.HTTPS, time.Time{})
		rec := salesforceRecord{Record: "salesforce", Release: r}
		for _, c := range salesforceColumns {
			sf, _ := m.Support(tlsver.Salesforce, c.deployment, tlsver.Server, tlsver.HTTPS, c.at)
			n := tlsver.Negotiate(cl.Versions, sf.Versions)
			col := salesforceColumn{Deployment: c.deployment, Verdict: "fails"}
			if !c.at.IsZero() {
				at := c.at
				col.At = &at
			}
			if n.OK {
				col.Verdict, col.Version = "succeeds", n.Version
			}
			rec.Columns = append(rec.Columns, col)
		}
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return nil
}
