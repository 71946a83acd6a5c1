// Command uccx answers the questions of the Cisco UCCX TLS TechNote from
// tlsver's built-in data.
//
// Without arguments it prints the UCCX support matrix (with the basis of
// every answer and the upgrade targets) and the Salesforce story: which UCCX
// releases can still post to Salesforce sandbox and production systems
// before and after their TLS 1.0 cut-offs.
//
// With arguments it predicts one connection from UCCX as client:
//
//	uccx <release> <peer> [date]
//
// where peer is Product/name ("Salesforce/production", "Exchange/2013",
// "SocialMiner/11.5(1)SU1") or a version set ("TLS 1.1, 1.2"), and date is
// YYYY-MM-DD or an RFC 3339 time (default: the latest state in the data).
//
//	go run ./examples/uccx 11.0(1) Salesforce/production 2017-07-23
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "uccx:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, args []string) error {
	switch len(args) {
	case 0:
		return overview(w)
	case 2, 3:
		var at time.Time
		if len(args) == 3 {
			var err error
			if at, err = parseTime(args[2]); err != nil {
				return err
			}
		}
		return predict(w, args[0], args[1], at)
	}
	return errors.New("usage: uccx [<release> <peer> [date]]")
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
	"11.5", "11.5(1)", "11.5(1)SU1", "11.5(1)SU2", "11.6(1)", "12.5(1)SU2"}

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
	return s.Provenance.Section
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
	fmt.Fprintf(w, "UCCX TLS support over HTTPS (source: %s)\n\n", tlsver.SeedDocument)
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
	type col struct {
		name, deployment string
		at               time.Time
	}
	cols := []col{
		{"sandbox before", tlsver.SalesforceSandbox, time.Date(2016, 6, 25, 16, 29, 59, 0, time.UTC)},
		{"sandbox after", tlsver.SalesforceSandbox, time.Date(2016, 6, 25, 16, 30, 0, 0, time.UTC)},
		{"production before", tlsver.SalesforceProduction, time.Date(2017, 7, 22, 6, 59, 59, 0, time.UTC)},
		{"production after", tlsver.SalesforceProduction, time.Date(2017, 7, 22, 7, 0, 0, 0, time.UTC)},
		{"new deployment", tlsver.SalesforceNew, time.Time{}},
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "UCCX release")
	for _, c := range cols {
		fmt.Fprintf(tw, "\t%s", c.name)
	}
	fmt.Fprintln(tw)
	for _, r := range []string{"10.5", "10.6(1)SU2", "10.6(1)SU3", "11.0(1)", "11.5(1)", "11.5(1)SU1", "11.6(1)"} {
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

func predict(w io.Writer, release, peer string, at time.Time) error {
	m := tlsver.Builtin()
	cl, err := m.Support(tlsver.UCCX, release, tlsver.Client, tlsver.HTTPS, at)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "client: %v\n", cl)
	if !cl.Known {
		return nil
	}
	var server tlsver.Set
	if product, name, ok := strings.Cut(peer, "/"); ok {
		sv, err := m.Support(product, name, tlsver.Server, 0, at)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "server: %v\n", sv)
		if !sv.Known {
			return nil
		}
		server = sv.Versions
	} else {
		if server, err = tlsver.ParseSet(peer); err != nil {
			return fmt.Errorf("peer %q is neither Product/name nor a version set: %v", peer, err)
		}
		fmt.Fprintf(w, "server: %v (given)\n", server)
	}
	n := tlsver.Negotiate(cl.Versions, server)
	if n.OK {
		fmt.Fprintf(w, "result: %v\n", n)
		return nil
	}
	fmt.Fprintf(w, "result: FAILS — %v\n", n)
	if u, err := m.UpgradeTarget(tlsver.UCCX, release, tlsver.ClientTLS11); err == nil && u.Known && u.Needed {
		fmt.Fprintf(w, "fix: upgrade UCCX to %v (%s)\n", u.Target, u.Provenance)
	}
	return nil
}
