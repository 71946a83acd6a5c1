package tlsver_test

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// A seed cell, written down from Cisco TechNote 201000 (SeedDocument),
// independently of builtin.json.
type cell struct {
	name             string // table/row/column
	product, release string
	role             tlsver.Role
	proto            tlsver.Protocol
	at               time.Time
	versions         string // "" = unknown expected
	def              tlsver.Version
	derived          bool
	partial          bool
	table, row       string // provenance; table "" = section statement
	section          string // provenance: section of the document (English heading)
	general          bool   // answer rests on a general statement
	overrides        string // versions of an overridden general statement
	since, until     time.Time
	reason           string // for unknown cells: a phrase the reason must hold
}

var (
	pdt           = time.FixedZone("PDT", -7*3600)
	sandboxCutoff = time.Date(2016, 6, 25, 16, 30, 0, 0, time.UTC)
	prodCutoff    = time.Date(2017, 7, 22, 0, 0, 0, 0, pdt) // date-only statement, taken as 00:00 PDT
)

func seedCells() []cell {
	S, C := tlsver.Server, tlsver.Client
	const doc = tlsver.SeedDocument
	_ = doc
	return []cell{
		// Support matrix, "current releases".
		{name: "current/10.6(1)SU2/server", product: "UCCX", release: "10.6(1)SU2", role: S, versions: "1.0, 1.1, 1.2", table: "current", row: "10.6(1)SU2"},
		{name: "current/10.6(1)SU2/client", product: "UCCX", release: "10.6(1)SU2", role: C, versions: "1.0", def: tlsver.TLS10, table: "current", row: "10.6(1)SU2"},
		{name: "current/11.0(1)/server", product: "UCCX", release: "11.0(1)", role: S, versions: "1.0, 1.1, 1.2", table: "current", row: "11.0(1)"},
		{name: "current/11.0(1)/client", product: "UCCX", release: "11.0(1)", role: C, versions: "1.0", def: tlsver.TLS10, table: "current", row: "11.0(1)"},
		{name: "current/11.0(1)SU1/server", product: "UCCX", release: "11.0(1)SU1", role: S, versions: "1.0, 1.1, 1.2", table: "current", row: "11.0(1)SU1"},
		{name: "current/11.0(1)SU1/client", product: "UCCX", release: "11.0(1)SU1", role: C, versions: "1.0", def: tlsver.TLS10, table: "current", row: "11.0(1)SU1"},
		{name: "current/11.5(1)/server", product: "UCCX", release: "11.5(1)", role: S, versions: "1.0, 1.1, 1.2", table: "current", row: "11.5(1)"},
		{name: "current/11.5(1)/client", product: "UCCX", release: "11.5(1)", role: C, versions: "1.0", def: tlsver.TLS10, table: "current", row: "11.5(1)"},
		// Support matrix, "next releases"; starred cells are the default.
		{name: "next/10.6(1)SU3/server", product: "UCCX", release: "10,6(1)SU3", role: S, versions: "1.0, 1.1, 1.2", table: "next", row: "10.6(1)SU3"},
		{name: "next/10.6(1)SU3/client", product: "UCCX", release: "10,6(1)SU3", role: C, versions: "1.1, 1.2", def: tlsver.TLS12, table: "next", row: "10.6(1)SU3", overrides: "1.0"},
		{name: "next/11.5(1)SU1/server", product: "UCCX", release: "11.5(1)SU1", role: S, versions: "1.1, 1.2", table: "next", row: "11.5(1)SU1", overrides: "1.0, 1.1, 1.2"},
		{name: "next/11.5(1)SU1/client", product: "UCCX", release: "11.5(1)SU1", role: C, versions: "1.1, 1.2", def: tlsver.TLS12, table: "next", row: "11.5(1)SU1"},
		{name: "next/11.6(1)/server", product: "UCCX", release: "11.6(1)", role: S, versions: "1.2", table: "next", row: "11.6(1)", overrides: "1.0, 1.1, 1.2"},
		{name: "next/11.6(1)/client", product: "UCCX", release: "11.6(1)", role: C, versions: "1.2", table: "next", row: "11.6(1)"},
		// General statements, for releases the tables do not list.
		{name: "general/server 10.6/10.6", product: "UCCX", release: "10.6", role: S, versions: "1.0, 1.1, 1.2", general: true, section: "UCCX as TLS server"},
		{name: "general/server 10.6/10.6(1)SU1", product: "UCCX", release: "10.6(1)SU1", role: S, versions: "1.0, 1.1, 1.2", general: true, derived: true, section: "UCCX as TLS server"},
		{name: "general/server 11.x/11.0", product: "UCCX", release: "11,0", role: S, versions: "1.0, 1.1, 1.2", general: true, derived: true, section: "UCCX as TLS server"},
		{name: "general/server 11.x/11.5", product: "UCCX", release: "11.5", role: S, versions: "1.0, 1.1, 1.2", general: true, derived: true, section: "UCCX as TLS server"},
		{name: "general/client 10.x/10.0", product: "UCCX", release: "10.0", role: C, versions: "1.0", def: tlsver.TLS10, general: true, derived: true, section: "UCCX as TLS client"},
		{name: "general/client 10.x/10.5", product: "UCCX", release: "10.5", role: C, versions: "1.0", def: tlsver.TLS10, general: true, derived: true, section: "UCCX as TLS client"},
		{name: "general/client 10.x/10.6(1)", product: "UCCX", release: "10.6(1)", role: C, versions: "1.0", def: tlsver.TLS10, general: true, derived: true, section: "UCCX as TLS client"},
		{name: "general/client 11.0(1)/11.0", product: "UCCX", release: "11.0", role: C, versions: "1.0", def: tlsver.TLS10, general: true, derived: true, section: "UCCX as TLS client"},
		{name: "general/client 11.5(1)/11.5", product: "UCCX", release: "11,5", role: C, versions: "1.0", def: tlsver.TLS10, general: true, derived: true, section: "UCCX as TLS client"},
		// Scope: HTTPS only; JDBC may still use TLS 1.0.
		{name: "faq/scope/11.5(1)SU1/client/JDBC", product: "UCCX", release: "11.5(1)SU1", role: C, proto: tlsver.JDBC, versions: "1.0", partial: true, general: true, derived: true, section: "FAQ"},
		{name: "faq/scope/11.5(1)SU1/server/JDBC", product: "UCCX", release: "11.5(1)SU1", role: S, proto: tlsver.JDBC, versions: "1.0", partial: true, general: true, derived: true, section: "FAQ"},
		{name: "faq/scope/11.5(1)SU1/client/HTTPS", product: "UCCX", release: "11.5(1)SU1", role: C, proto: tlsver.HTTPS, versions: "1.1, 1.2", def: tlsver.TLS12, table: "next", row: "11.5(1)SU1"},
		// SocialMiner.
		{name: "socialminer/11.5(1)SU1/inbound", product: "SocialMiner", release: "11.5(1)SU1", role: S, versions: "1.1, 1.2", row: "11.5(1)SU1", section: "SocialMiner and TLS support"},
		{name: "socialminer/11.5(1)SU1/outbound", product: "SocialMiner", release: "11.5(1)SU1", role: C, versions: "1.0, 1.1, 1.2", row: "11.5(1)SU1", section: "SocialMiner and TLS support"},
		{name: "socialminer/11.6/inbound", product: "SocialMiner", release: "11.6", role: S, versions: "1.1, 1.2", derived: true, row: "11.6", section: "SocialMiner and TLS support"},
		{name: "socialminer/11.6/outbound", product: "SocialMiner", release: "11.6(1)", role: C, versions: "1.1, 1.2", derived: true, row: "11.6", section: "SocialMiner and TLS support"},
		// Exchange.
		{name: "exchange/2010", product: "Exchange", release: "2010", role: S, versions: "1.0", section: "SocialMiner and TLS support: 11.5(1)SU1"},
		{name: "exchange/2013 default", product: "Exchange", release: "2013", role: S, versions: "1.0", def: tlsver.TLS10, derived: true, section: "SocialMiner and TLS support: 11.6"},
		{name: "exchange/2013 with TLS 1.1/1.2 enabled", product: "Exchange", release: "2013+TLS1.2", role: S, versions: "1.0, 1.1, 1.2", derived: true, section: "SocialMiner and TLS support: 11.6"},
		// Salesforce: TLS 1.0 disabled at instants; remaining versions derived.
		{name: "salesforce/sandbox/before", product: "Salesforce", release: "sandbox", role: S, at: sandboxCutoff.Add(-time.Second), versions: "1.0, 1.1, 1.2", derived: true, row: "sandbox/developer", until: sandboxCutoff, section: "TLS 1.0 support is being deprecated"},
		{name: "salesforce/sandbox/at cut-off", product: "Salesforce", release: "developer", role: S, at: sandboxCutoff, versions: "1.1, 1.2", derived: true, row: "sandbox/developer", since: sandboxCutoff, section: "TLS 1.0 support is being deprecated"},
		{name: "salesforce/production/before", product: "Salesforce", release: "production", role: S, at: prodCutoff.Add(-time.Second), versions: "1.0, 1.1, 1.2", derived: true, row: "production", until: prodCutoff, section: "TLS 1.0 support is being deprecated"},
		{name: "salesforce/production/after", product: "Salesforce", release: "production", role: S, at: prodCutoff, versions: "1.1, 1.2", derived: true, row: "production", since: prodCutoff, section: "TLS 1.0 support is being deprecated"},
		{name: "salesforce/production/latest", product: "Salesforce", release: "production", role: S, versions: "1.1, 1.2", derived: true, row: "production", since: prodCutoff, section: "TLS 1.0 support is being deprecated"},
		{name: "salesforce/new deployments", product: "Salesforce", release: "new", role: S, at: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), versions: "1.1, 1.2", derived: true, row: "new deployments", section: "TLS 1.0 support is being deprecated"},
		// Not covered by the document: unknown, never a guess.
		{name: "unknown/UCCX 10.0 as server", product: "UCCX", release: "10.0", role: S},
		{name: "unknown/UCCX 10.5 as server", product: "UCCX", release: "10.5", role: S},
		{name: "unknown/UCCX 11.5(1)SU2 as server", product: "UCCX", release: "11.5(1)SU2", role: S, reason: "names it only through 11.x"},
		{name: "unknown/UCCX 11.5(1)SU2 as client", product: "UCCX", release: "11.5(1)SU2", role: C},
		{name: "unknown/UCCX 10.6(1)SU4 as client", product: "UCCX", release: "10.6(1)SU4", role: C},
		{name: "unknown/UCCX 11.6 train", product: "UCCX", release: "11.6", role: S},
		{name: "unknown/UCCX 12.0(1)", product: "UCCX", release: "12.0(1)", role: C},
		{name: "unknown/UCCX 11.0(1) over SIP", product: "UCCX", release: "11.0(1)", role: C, proto: tlsver.SIP, reason: "client data for HTTPS, JDBC only"},
		{name: "unknown/UCCX 10.0 server over JDBC only", product: "UCCX", release: "10.0", role: S, proto: tlsver.HTTPS},
		{name: "unknown/SocialMiner 11.5(1)", product: "SocialMiner", release: "11.5(1)", role: C},
		{name: "unknown/Salesforce as client", product: "Salesforce", release: "production", role: C},
		{name: "unknown/Salesforce edition", product: "Salesforce", release: "enterprise", role: S},
		{name: "unknown/Exchange 2016", product: "Exchange", release: "2016", role: S},
		{name: "unknown/product", product: "Oracle", release: "19c", role: S, reason: `no product "Oracle"`},
		{name: "unknown/Salesforce before any data", product: "Salesforce", release: "new", role: C, reason: "only as server"},
	}
}

// TestSeedCells checks every cell of the seed through the public API.
func TestSeedCells(t *testing.T) {
	m := tlsver.Builtin()
	for _, c := range seedCells() {
		t.Run(c.name, func(t *testing.T) {
			got, err := m.Support(c.product, c.release, c.role, c.proto, c.at)
			if err != nil {
				t.Fatalf("Support(%q, %q, %v, %v, %v) error: %v", c.product, c.release, c.role, c.proto, c.at, err)
			}
			if c.versions == "" {
				if got.Known || got.Reason == "" || got.Versions != 0 || !strings.Contains(got.Reason, c.reason) {
					t.Fatalf("Support(%q, %q, %v) = %v; want unknown with a reason", c.product, c.release, c.role, got)
				}
				t.Logf("reason: %s", got.Reason)
				return
			}
			want, err := tlsver.ParseSet(c.versions)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Known || got.Versions != want || got.Default != c.def || got.Derived != c.derived || got.Partial != c.partial {
				t.Errorf("Support(%q, %q, %v, %v) = %v\nwant versions %v default %v derived %v partial %v", c.product, c.release, c.role, c.proto, got, want, c.def, c.derived, c.partial)
			}
			p := got.Provenance
			if p.Document != tlsver.SeedDocument || p.General != c.general || p.Table != c.table || p.Row != c.row || p.Section != c.section {
				t.Errorf("provenance = %+v; want document %s, table %q, row %q, section %q, general %v", p, tlsver.SeedDocument, c.table, c.row, c.section, c.general)
			}
			if c.general && p.Statement == "" {
				t.Errorf("a general-statement answer must quote the statement: %+v", p)
			}
			if c.overrides != "" {
				ov, _ := tlsver.ParseSet(c.overrides)
				if !got.Overrides.General || got.OverriddenVersions != ov || !strings.Contains(got.String(), "overrides the general statement") {
					t.Errorf("%v: want it to say it overrides a general statement with %v", got, ov)
				}
			} else if !got.Overrides.IsZero() {
				t.Errorf("%v: unexpected override of %+v", got, got.Overrides)
			}
			if !got.Since.Equal(c.since) || !got.Until.Equal(c.until) {
				t.Errorf("Since, Until = %v, %v; want %v, %v", got.Since, got.Until, c.since, c.until)
			}
		})
	}
}

// TestSeedUpgradeTable checks the upgrade-target table cell by cell.
func TestSeedUpgradeTable(t *testing.T) {
	m := tlsver.Builtin()
	rows := []struct{ from, client, remove string }{
		{"10.0", "10.6(1)SU3", "11.5(1)SU1"},
		{"10.5", "10.6(1)SU3", "11.5(1)SU1"},
		{"10.6", "10.6(1)SU3", "11.5(1)SU1"},
		{"11.0", "11.5(1)SU1", "11.5(1)SU1"},
		{"11.5", "11.5(1)SU1", "11.5(1)SU1"},
	}
	for _, r := range rows {
		for _, g := range []struct {
			goal   tlsver.Goal
			target string
		}{{tlsver.ClientTLS11, r.client}, {tlsver.RemoveTLS10, r.remove}} {
			t.Run("upgrade/"+r.from+"/"+g.goal.String(), func(t *testing.T) {
				// The row and a release of its train ("10,6(1)SU2" style) both hit it.
				for _, rel := range []string{r.from, strings.Replace(r.from, ".", ",", 1) + "(1)"} {
					u, err := m.UpgradeTarget("UCCX", rel, g.goal)
					if err != nil || !u.Known || u.Target.String() != g.target || !u.Needed || u.Derived {
						t.Errorf("UpgradeTarget(UCCX, %q, %v) = %v, %v; want %s", rel, g.goal, u, err, g.target)
					}
					if u.Provenance.Table != "upgrade" || u.Provenance.Row != r.from || u.Provenance.Document != tlsver.SeedDocument {
						t.Errorf("provenance = %+v", u.Provenance)
					}
					if !strings.Contains(u.Note, "COP") {
						t.Errorf("note %q should say no ES/COP file provides it", u.Note)
					}
				}
			})
		}
	}
	for _, tc := range []struct {
		rel     string
		goal    tlsver.Goal
		known   bool
		needed  bool
		derived bool
	}{
		{"10.6(1)SU3", tlsver.ClientTLS11, true, false, false},
		{"10.6(1)SU3", tlsver.RemoveTLS10, true, true, false},
		{"11.5(1)SU1", tlsver.RemoveTLS10, true, false, false},
		{"11.5(1)SU2", tlsver.RemoveTLS10, false, false, false},
		{"11.6(1)", tlsver.RemoveTLS10, true, false, true},
		{"11.6(1)", tlsver.ClientTLS11, true, false, true},
		// 12.5(1): the release notes state only TLS 1.2, so the goals are met.
		{"12.5(1)", tlsver.ClientTLS11, true, false, true},
		{"12.5(1)", tlsver.RemoveTLS10, true, false, true},
		// 12.5(1)SU2 and 15.0(1): partial sets (TLS 1.3 not stated) do not
		// show a goal met; 12.0(1): no data.
		{"12.5(1)SU2", tlsver.RemoveTLS10, false, false, false},
		{"15.0(1)", tlsver.ClientTLS11, false, false, false},
		{"12.0(1)", tlsver.ClientTLS11, false, false, false},
	} {
		u, err := m.UpgradeTarget("UCCX", tc.rel, tc.goal)
		if err != nil || u.Known != tc.known || u.Needed != tc.needed || u.Derived != tc.derived {
			t.Errorf("UpgradeTarget(UCCX, %q, %v) = %v, %v; want known %v needed %v derived %v", tc.rel, tc.goal, u, err, tc.known, tc.needed, tc.derived)
		}
	}
}

func TestSeedClientOrigins(t *testing.T) {
	o, src, ok := tlsver.Builtin().ClientOrigins("uccx")
	if !ok || strings.Join(o, "; ") != "UCCX scripts; Finesse workflows; Finesse gadgets" || src.Document != tlsver.SeedDocument {
		t.Errorf("ClientOrigins(uccx) = %q, %+v, %v", o, src, ok)
	}
	if _, _, ok := tlsver.Builtin().ClientOrigins("Salesforce"); ok {
		t.Error("ClientOrigins(Salesforce) should be unknown")
	}
}

// TestSeedStories checks the document's conclusions through Negotiate.
func TestSeedStories(t *testing.T) {
	m := tlsver.Builtin()
	sup := func(p, r string, role tlsver.Role, at time.Time) tlsver.Set {
		t.Helper()
		s, err := m.Support(p, r, role, tlsver.HTTPS, at)
		if err != nil || !s.Known {
			t.Fatalf("Support(%s %s %v) = %v, %v", p, r, role, s, err)
		}
		return s.Versions
	}
	before, after := prodCutoff.Add(-time.Hour), prodCutoff.Add(time.Hour)
	// FAQ: releases that only speak TLS 1.0 as a client fail against a server without TLS 1.0.
	for _, r := range []string{"10.6(1)SU2", "11.0(1)", "11.0(1)SU1", "11.5(1)"} {
		t.Run("faq/tls1.0-only client fails/"+r, func(t *testing.T) {
			c := sup("UCCX", r, tlsver.Client, time.Time{})
			if n := tlsver.Negotiate(c, sup("Salesforce", "production", tlsver.Server, before)); !n.OK || n.Version != tlsver.TLS10 {
				t.Errorf("before the cut-off: %v", n)
			}
			n := tlsver.Negotiate(c, sup("Salesforce", "production", tlsver.Server, after))
			if n.OK || n.Failure != tlsver.ServerTooNew || !strings.Contains(n.String(), "client offers only TLS 1.0; server's lowest is TLS 1.1") {
				t.Errorf("after the cut-off: %v", n)
			}
		})
	}
	for _, r := range []string{"10.6(1)SU3", "11.5(1)SU1"} {
		if n := tlsver.Negotiate(sup("UCCX", r, tlsver.Client, time.Time{}), sup("Salesforce", "production", tlsver.Server, after)); n.Version != tlsver.TLS12 {
			t.Errorf("UCCX %s -> Salesforce after the cut-off: %v", r, n)
		}
	}
	// FAQ: 11.5(1)SU1 removes TLS 1.0 completely for external HTTPS connections.
	for _, role := range []tlsver.Role{tlsver.Client, tlsver.Server} {
		if sup("UCCX", "11.5(1)SU1", role, time.Time{}).Has(tlsver.TLS10) {
			t.Errorf("UCCX 11.5(1)SU1 as %v still has TLS 1.0", role)
		}
	}
	// SocialMiner 11.5(1)SU1 falls back to TLS 1.0 only for Exchange 2010.
	sm := sup("SocialMiner", "11.5(1)SU1", tlsver.Client, time.Time{})
	for ex, want := range map[string]tlsver.Version{"2010": tlsver.TLS10, "2013": tlsver.TLS10, "2013+TLS1.2": tlsver.TLS12} {
		if n := tlsver.Negotiate(sm, sup("Exchange", ex, tlsver.Server, time.Time{})); n.Version != want {
			t.Errorf("SocialMiner 11.5(1)SU1 -> Exchange %s = %v, want %v", ex, n, want)
		}
	}
	// SocialMiner 11.6: e-mail campaigns fail against Exchange 2013 until TLS 1.1/1.2 is enabled.
	sm6 := sup("SocialMiner", "11.6", tlsver.Client, time.Time{})
	if n := tlsver.Negotiate(sm6, sup("Exchange", "2013", tlsver.Server, time.Time{})); n.OK {
		t.Errorf("SocialMiner 11.6 -> Exchange 2013 = %v, want failure", n)
	}
	if n := tlsver.Negotiate(sm6, sup("Exchange", "2013+TLS1.2", tlsver.Server, time.Time{})); n.Version != tlsver.TLS12 {
		t.Errorf("SocialMiner 11.6 -> Exchange 2013 with TLS 1.2 = %v", n)
	}
	// SocialMiner 11.5(1)SU1 inbound refuses a TLS 1.0 client.
	if n := tlsver.Negotiate(tlsver.SetOf(tlsver.TLS10), sup("SocialMiner", "11.5(1)SU1", tlsver.Server, time.Time{})); n.OK {
		t.Errorf("TLS 1.0 client -> SocialMiner 11.5(1)SU1 = %v, want failure", n)
	}
}

func TestSupportInputErrors(t *testing.T) {
	m := tlsver.Builtin()
	if _, err := m.Support("UCCX", "eleven", tlsver.Client, 0, time.Time{}); err == nil {
		t.Error("bad release: want an error")
	}
	if _, err := m.Support("UCCX", "11.0(1)", 0, 0, time.Time{}); err == nil {
		t.Error("role 0: want an error")
	}
	if _, err := m.Support("UCCX", "11.0(1)", tlsver.Client, 9, time.Time{}); err == nil {
		t.Error("protocol 9: want an error")
	}
	if _, err := m.UpgradeTarget("UCCX", "11.0", 0); err == nil {
		t.Error("goal 0: want an error")
	}
}

// TestSupportNoAllocs: looking up a built-in row does not allocate.
func TestSupportNoAllocs(t *testing.T) {
	m := tlsver.Builtin()
	at := prodCutoff.Add(time.Hour)
	var sink tlsver.Support
	for _, q := range []struct {
		p, r string
		role tlsver.Role
	}{{"UCCX", "11.5(1)SU1", tlsver.Server}, {"UCCX", "10.5", tlsver.Client}, {"salesforce", "production", tlsver.Server}} {
		n := testing.AllocsPerRun(100, func() {
			sink, _ = m.Support(q.p, q.r, q.role, tlsver.HTTPS, at)
		})
		if n != 0 || !sink.Known {
			t.Errorf("Support(%s %s) allocates %v times (known %v), want 0", q.p, q.r, n, sink.Known)
		}
	}
	n := testing.AllocsPerRun(100, func() { _, _ = tlsver.ParseRelease("10,6(1)SU3") })
	if n != 0 {
		t.Errorf("ParseRelease allocates %v times, want 0", n)
	}
	n = testing.AllocsPerRun(100, func() { _, _ = tlsver.ParseVersion("TLSv1.2") })
	if n != 0 {
		t.Errorf("ParseVersion allocates %v times, want 0", n)
	}
}

// TestExportRoundTrip: the built-in matrix exported and loaded again answers
// every seed cell the same way, and exports identically.
func TestExportRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := tlsver.Builtin().WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	m, err := tlsver.Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("Load(exported) = %v", err)
	}
	for _, c := range seedCells() {
		a, _ := tlsver.Builtin().Support(c.product, c.release, c.role, c.proto, c.at)
		b, _ := m.Support(c.product, c.release, c.role, c.proto, c.at)
		if a != b {
			t.Errorf("%s: after round trip %v, before %v", c.name, b, a)
		}
	}
	var again bytes.Buffer
	if err := m.WriteJSON(&again); err != nil || again.String() != buf.String() {
		t.Errorf("second export differs (err %v)", err)
	}
}

func TestLoadErrors(t *testing.T) {
	const head = `{"schema":"tlsver/v1","documents":[{"id":"d"}],"products":[{"name":"P","releases":"cisco"},{"name":"N","releases":"names","names":[{"name":"prod"}]}],`
	for _, tc := range []struct{ name, json, path, msg string }{
		{"schema", `{"schema":"v2"}`, "schema", `expected "tlsver/v1"`},
		{"syntax", `{"schema":`, "", "cannot decode"},
		{"syntax offset", `{"schema":"tlsver/v1",,}`, "", "JSON syntax error at byte offset 23"},
		{"unknown field", `{"schema":"tlsver/v1","extra":1}`, "extra", "unknown field"},
		{"unknown field in an element", head + `"support":[{"product":"P","releases":["1.0"],"versions":"1.2","source":{"document":"d","table":"t"}},{"product":"P","release":["1.0"]}]}`, "support[1].release", "unknown field"},
		{"unknown field in a source", head + `"upgrades":[{"product":"P","from":"1.0","goal":"remove-tls1.0","target":"1.1(1)","source":{"document":"d","tabel":"t"}}]}`, "upgrades[0].source.tabel", "unknown field"},
		{"unknown field in a name", `{"schema":"tlsver/v1","products":[{"name":"N","releases":"names","names":[{"name":"a"},{"name":"b","alias":["c"]}]}]}`, "products[0].names[1].alias", "unknown field"},
		{"type", `{"schema":"tlsver/v1","support":[{"versions":3}]}`, "support[0].versions", "expected string"},
		{"type in a nested object", head + `"support":[{"product":"P","releases":["1.0"],"versions":"1.2","source":{"document":7}}]}`, "support[0].source.document", "expected string"},
		{"type of a list", `{"schema":"tlsver/v1","products":{"name":"P"}}`, "products", "expected"},
		{"releases not a list", head + `"support":[{"product":"P","releases":"1.0","versions":"1.2","source":{"document":"d","table":"t"}}]}`, "support[0].releases", "expected []string"},
		{"duplicate doc", `{"schema":"tlsver/v1","documents":[{"id":"d"},{"id":"d"}]}`, "documents[1].id", "duplicate"},
		{"product releases", `{"schema":"tlsver/v1","products":[{"name":"P","releases":"semver"}]}`, "products[0].releases", `expected "cisco" or "names"`},
		{"alias clash", `{"schema":"tlsver/v1","products":[{"name":"P","releases":"cisco"},{"name":"Q","aliases":["p"],"releases":"cisco"}]}`, "products[1].aliases[0]", "already names"},
		{"bad product", head + `"support":[{"product":"X","releases":["1.0"],"role":"server","versions":"1.2","source":{"document":"d","table":"t"}}]}`, "support[0].product", "no product"},
		{"bad version", head + `"support":[{"product":"P","releases":["1.0"],"role":"server","versions":"1.2, 1.4","source":{"document":"d","table":"t"}}]}`, "support[0].versions", "offset 5"},
		{"bad release", head + `"support":[{"product":"P","releases":["1.0","11.5.1"],"role":"server","versions":"1.2","source":{"document":"d","table":"t"}}]}`, "support[0].releases[1]", "bad release pattern"},
		{"bad name", head + `"support":[{"product":"N","releases":["dev"],"role":"server","versions":"1.2","source":{"document":"d","table":"t"}}]}`, "support[0].releases[0]", "not a name"},
		{"bad role", head + `"support":[{"product":"P","releases":["1.0"],"role":"both","versions":"1.2","source":{"document":"d","table":"t"}}]}`, "support[0].role", "bad role"},
		{"default outside", head + `"support":[{"product":"P","releases":["1.0"],"role":"server","versions":"1.2","default":"1.0","source":{"document":"d","table":"t"}}]}`, "support[0].default", "not in versions"},
		{"bad time", head + `"support":[{"product":"P","releases":["1.0"],"role":"server","versions":"1.2","from":"2017-07-22","source":{"document":"d","table":"t"}}]}`, "support[0].from", "RFC 3339"},
		{"until before from", head + `"support":[{"product":"P","releases":["1.0"],"role":"server","versions":"1.2","from":"2017-07-22T00:00:00Z","until":"2017-07-21T00:00:00Z","source":{"document":"d","table":"t"}}]}`, "support[0].until", "after from"},
		{"unknown document", head + `"support":[{"product":"P","releases":["1.0"],"role":"server","versions":"1.2","source":{"document":"e","table":"t"}}]}`, "support[0].source.document", "no document"},
		{"empty source", head + `"support":[{"product":"P","releases":["1.0"],"role":"server","versions":"1.2","source":{"document":"d"}}]}`, "support[0].source", "needs a table"},
		{"applies_to on a row", head + `"support":[{"product":"P","releases":["1.0"],"applies_to":["1.0"],"role":"server","versions":"1.2","source":{"document":"d","table":"t"}}]}`, "support[0].applies_to", "only"},
		{"bad goal", head + `"upgrades":[{"product":"P","from":"1.0","goal":"tls13","target":"1.1(1)","source":{"document":"d","table":"t"}}]}`, "upgrades[0].goal", "bad goal"},
		{"upgrade on names product", head + `"upgrades":[{"product":"N","from":"prod","goal":"remove-tls1.0","target":"1.1(1)","source":{"document":"d","table":"t"}}]}`, "upgrades[0].product", "cisco"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tlsver.ParseMatrix([]byte(tc.json))
			var se *tlsver.SchemaError
			if !errors.As(err, &se) || se.Path != tc.path || !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "tlsver: matrix: ") {
				t.Errorf("ParseMatrix: %v (path %q); want path %q and %q", err, pathOf(se), tc.path, tc.msg)
			}
		})
	}
}

func pathOf(se *tlsver.SchemaError) string {
	if se == nil {
		return "<no SchemaError>"
	}
	return se.Path
}

// TestMerge: user data adds a product and wins over built-in rows.
func TestMerge(t *testing.T) {
	user, err := tlsver.Load(strings.NewReader(`{
	  "schema": "tlsver/v1",
	  "documents": [{"id": "ours-2026", "title": "our own probe"}],
	  "products": [
	    {"name": "Salesforce", "releases": "names", "names": [{"name": "production"}, {"name": "our-org"}]},
	    {"name": "Oracle DB", "releases": "cisco"}
	  ],
	  "support": [
	    {"product": "Salesforce", "releases": ["our-org"], "role": "server", "protocol": "HTTPS", "versions": "1.2, 1.3",
	     "source": {"document": "ours-2026", "section": "probe", "statement": "probed 2026-11-01"}},
	    {"product": "Salesforce", "releases": ["production"], "role": "server", "protocol": "HTTPS", "versions": "1.2",
	     "from": "2022-01-01T00:00:00Z", "source": {"document": "ours-2026", "section": "probe", "statement": "probed"}},
	    {"product": "Oracle DB", "releases": ["19.0(1)"], "role": "server", "protocol": "JDBC", "versions": "1.2",
	     "source": {"document": "ours-2026", "table": "inventory", "row": "db1"}}
	  ]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := tlsver.Builtin().Merge(user)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := m.Support("Salesforce", "our-org", tlsver.Server, 0, time.Time{})
	if !s.Known || s.Versions.String() != "TLS 1.2, 1.3" || s.Provenance.Document != "ours-2026" {
		t.Errorf("user row: %v", s)
	}
	s, _ = m.Support("Salesforce", "production", tlsver.Server, 0, time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC))
	if s.Versions != tlsver.SetOf(tlsver.TLS12) || s.Provenance.Document != "ours-2026" {
		t.Errorf("user row should win over the built-in one: %v", s)
	}
	s, _ = m.Support("Salesforce", "production", tlsver.Server, 0, time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC))
	if s.Versions != tlsver.Range(tlsver.TLS10, tlsver.TLS12) || s.Provenance.Document != tlsver.SeedDocument {
		t.Errorf("built-in row should still answer for 2017: %v", s)
	}
	s, _ = m.Support("Salesforce", "developer", tlsver.Server, 0, time.Time{})
	if !s.Known {
		t.Errorf("built-in alias lost in merge: %v", s)
	}
	s, _ = m.Support("oracle db", "19.0(1)", tlsver.Server, 0, time.Time{})
	if !s.Known || s.Protocol != tlsver.JDBC {
		t.Errorf("a product with JDBC data only should answer an unspecified protocol: %v", s)
	}
	s, _ = m.Support("UCCX", "11.5(1)SU1", tlsver.Server, 0, time.Time{})
	if s.Versions != tlsver.SetOf(tlsver.TLS11, tlsver.TLS12) {
		t.Errorf("built-in UCCX data lost: %v", s)
	}
	// The built-in matrix is unchanged.
	if s, _ := tlsver.Builtin().Support("Salesforce", "our-org", tlsver.Server, 0, time.Time{}); s.Known {
		t.Errorf("Merge changed the built-in matrix: %v", s)
	}
	// A conflicting product kind is an error naming the field.
	bad, _ := tlsver.ParseMatrix([]byte(`{"schema":"tlsver/v1","products":[{"name":"UCCX","releases":"names","names":[{"name":"x"}]}]}`))
	if _, err := tlsver.Builtin().Merge(bad); err == nil || !strings.Contains(err.Error(), "products[0].releases") {
		t.Errorf("Merge(conflicting kind) = %v", err)
	}
}

var supSink tlsver.Support

func BenchmarkSupport(b *testing.B) {
	m := tlsver.Builtin()
	at := prodCutoff.Add(time.Hour)
	for _, q := range []struct {
		name, p, r string
		role       tlsver.Role
	}{
		{"row", "UCCX", "11.5(1)SU1", tlsver.Server}, {"general", "UCCX", "10.5", tlsver.Client},
		{"dated", "Salesforce", "production", tlsver.Server}, {"unknown", "UCCX", "12.5(1)SU2", tlsver.Server},
	} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				supSink, _ = m.Support(q.p, q.r, q.role, tlsver.HTTPS, at)
			}
		})
	}
}

// TestSchemaExample loads the documented example user file and merges it.
func TestSchemaExample(t *testing.T) {
	f, err := os.Open("testdata/schema/user.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	user, err := tlsver.Load(f)
	if err != nil {
		t.Fatalf("Load(testdata/schema/user.json) = %v", err)
	}
	m, err := tlsver.Builtin().Merge(user)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := m.Support("UCCX", "12.5(1)SU2", tlsver.Client, tlsver.HTTPS, time.Time{})
	s, _ := m.Support("crm.example.com", "prod", tlsver.Server, tlsver.HTTPS, time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC))
	if !c.Known || !s.Known || tlsver.Negotiate(c.Versions, s.Versions).Version != tlsver.TLS12 {
		t.Errorf("merged answers: %v / %v", c, s)
	}
	st, _ := m.Support("CRM", "staging", tlsver.Server, 0, time.Time{})
	if st.Versions != tlsver.SetOf(tlsver.TLS12) {
		t.Errorf("CRM staging = %v", st)
	}
	u, _ := m.UpgradeTarget("UCCX", "12.0(1)", tlsver.RemoveTLS10)
	if !u.Known || u.Target.String() != "12.5(1)SU2" {
		t.Errorf("user upgrade row: %v", u)
	}
	if u, _ := m.UpgradeTarget("UCCX", "10.5", tlsver.RemoveTLS10); u.Target.String() != "11.5(1)SU1" {
		t.Errorf("built-in upgrade row lost: %v", u)
	}
}

// FuzzLoad: the matrix loader never panics, fails with a *SchemaError, and
// what it accepts exports and reloads to the same export.
func FuzzLoad(f *testing.F) {
	builtin, err := os.ReadFile("builtin.json")
	if err != nil {
		f.Fatal(err)
	}
	user, err := os.ReadFile("testdata/schema/user.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(builtin)
	f.Add(user)
	f.Add([]byte(`{"schema":"tlsver/v1"}`))
	f.Add([]byte(`{"schema":"tlsver/v1","documents":[{"id":"d"}],"products":[{"name":"P","releases":"cisco"}],"support":[{"product":"P","releases":["10.x","1.0 .. 1.1(1)SU2"],"versions":"1,0, 1,2","source":{"document":"d","table":"t"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := tlsver.ParseMatrix(data)
		if err != nil {
			var se *tlsver.SchemaError
			if m != nil || !errors.As(err, &se) {
				t.Fatalf("ParseMatrix error %v (%T) with matrix %v", err, err, m)
			}
			return
		}
		var a, b bytes.Buffer
		if err := m.WriteJSON(&a); err != nil {
			t.Fatal(err)
		}
		m2, err := tlsver.ParseMatrix(a.Bytes())
		if err != nil {
			t.Fatalf("reloading the export: %v\n%s", err, a.String())
		}
		if err := m2.WriteJSON(&b); err != nil || a.String() != b.String() {
			t.Fatalf("export not stable (err %v)", err)
		}
		for _, p := range m.Products() {
			_, _ = m.Support(p, "10.6(1)SU3", tlsver.Client, 0, time.Time{})
			_, _ = m.UpgradeTarget(p, "10.5", tlsver.RemoveTLS10)
		}
	})
}

// TestSchemaFromDoc loads a user file written from the package
// documentation's schema section alone, using every member and every
// release-pattern form it lists, and checks the answers it promises.
func TestSchemaFromDoc(t *testing.T) {
	const file = `{
	  "schema": "tlsver/v1",
	  "documents": [{"id": "inv-2026", "title": "our inventory", "published": "2026", "url": "https://intranet.example/inv"}],
	  "products": [
	    {"name": "Gateway", "aliases": ["GW"], "releases": "cisco",
	     "client_origins": ["cron jobs", "webhooks"], "origins_source": {"document": "inv-2026", "section": "clients", "statement": "gateways call out from cron jobs and webhooks"}},
	    {"name": "Billing", "releases": "names",
	     "names": [{"name": "live", "aliases": ["prod"]}, {"name": "test"}]}
	  ],
	  "support": [
	    {"product": "GW", "kind": "row", "releases": ["2.1(1)SU2"], "role": "server", "protocol": "HTTPS",
	     "versions": "1.1, 1.2", "default": "1.2", "derived": false, "partial": false, "note": "measured",
	     "source": {"document": "inv-2026", "table": "gateways", "row": "2.1(1)SU2"}},
	    {"product": "Gateway", "releases": ["2.1"], "role": "server", "protocol": "HTTPS", "versions": "TLS 1.0–1.2",
	     "source": {"document": "inv-2026", "table": "gateways", "row": "2.1 train"}},
	    {"product": "Gateway", "kind": "general", "releases": ["2.x"], "applies_to": ["2.0 .. 2.2(1)"], "role": "client",
	     "versions": "1,2", "source": {"document": "inv-2026", "section": "policy", "statement": "2.x gateways use TLS 1.2"}},
	    {"product": "Gateway", "releases": ["*"], "role": "", "protocol": "JDBC", "versions": "none",
	     "source": {"document": "inv-2026", "statement": "no JDBC"}},
	    {"product": "Billing", "releases": ["live"], "role": "server", "protocol": "HTTPS", "versions": "1.0-1.2",
	     "until": "2020-01-01T00:00:00Z", "source": {"document": "inv-2026", "table": "billing", "row": "live"}},
	    {"product": "Billing", "releases": ["live"], "role": "server", "protocol": "HTTPS", "versions": "1.2, 1.3",
	     "from": "2020-01-01T00:00:00Z", "source": {"document": "inv-2026", "table": "billing", "row": "live"}},
	    {"product": "Billing", "releases": ["*"], "role": "server", "protocol": "SIP", "versions": "1.2",
	     "source": {"document": "inv-2026", "table": "billing", "row": "sip"}}
	  ],
	  "upgrades": [
	    {"product": "Gateway", "from": "2.0", "goal": "client-tls1.1", "target": "2.1(1)SU2", "note": "vendor advice",
	     "source": {"document": "inv-2026", "table": "upgrades", "row": "2.0"}},
	    {"product": "Gateway", "from": "2.0", "goal": "remove-tls1.0", "target": "2.1(1)SU2",
	     "source": {"document": "inv-2026", "table": "upgrades", "row": "2.0"}}
	  ]
	}`
	m, err := tlsver.ParseMatrix([]byte(file))
	if err != nil {
		t.Fatalf("a file written from the documented schema does not load: %v", err)
	}
	at2021 := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, q := range []struct {
		product, release string
		role             tlsver.Role
		proto            tlsver.Protocol
		at               time.Time
		want             string // "" = unknown
		derived          bool
	}{
		{"gw", "2.1(1)SU2", tlsver.Server, tlsver.HTTPS, time.Time{}, "TLS 1.1, 1.2", false},     // exact row, alias
		{"Gateway", "2.1(1)SU1", tlsver.Server, tlsver.HTTPS, time.Time{}, "TLS 1.0–1.2", false}, // train row
		{"Gateway", "2.0", tlsver.Client, tlsver.HTTPS, time.Time{}, "TLS 1.2", true},            // general, applied by applies_to
		{"Gateway", "2.2(1)", tlsver.Client, 0, time.Time{}, "TLS 1.2", true},
		{"Gateway", "2.3", tlsver.Client, tlsver.HTTPS, time.Time{}, "", false}, // named by "2.x" but not applied
		{"Gateway", "7.0", tlsver.Server, tlsver.JDBC, time.Time{}, "none", false},
		{"Billing", "prod", tlsver.Server, tlsver.HTTPS, time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), "TLS 1.0–1.2", false},
		{"Billing", "live", tlsver.Server, tlsver.HTTPS, at2021, "TLS 1.2, 1.3", false},
		{"Billing", "test", tlsver.Server, tlsver.SIP, time.Time{}, "TLS 1.2", false},
		{"Billing", "test", tlsver.Server, tlsver.HTTPS, time.Time{}, "", false},
	} {
		s, err := m.Support(q.product, q.release, q.role, q.proto, q.at)
		if err != nil {
			t.Errorf("Support(%s %s %v %v): %v", q.product, q.release, q.role, q.proto, err)
			continue
		}
		if q.want == "" {
			if s.Known {
				t.Errorf("Support(%s %s %v %v) = %v, want unknown", q.product, q.release, q.role, q.proto, s)
			}
			continue
		}
		if !s.Known || s.Versions.String() != q.want || s.Derived != q.derived {
			t.Errorf("Support(%s %s %v %v) = %v, want %s (derived %v)", q.product, q.release, q.role, q.proto, s, q.want, q.derived)
		}
	}
	if s, _ := m.Support("GW", "2.1(1)SU2", tlsver.Server, tlsver.HTTPS, time.Time{}); s.Default != tlsver.TLS12 || s.Note != "measured" || s.Provenance.Row != "2.1(1)SU2" {
		t.Errorf("default/note/provenance: %v", s)
	}
	if o, src, ok := m.ClientOrigins("gw"); !ok || len(o) != 2 || src.Section != "clients" {
		t.Errorf("ClientOrigins = %v, %+v, %v", o, src, ok)
	}
	for _, g := range []tlsver.Goal{tlsver.ClientTLS11, tlsver.RemoveTLS10} {
		if u, err := m.UpgradeTarget("Gateway", "2.0(3)", g); err != nil || !u.Known || u.Target.String() != "2.1(1)SU2" {
			t.Errorf("UpgradeTarget(%v) = %v, %v", g, u, err)
		}
	}
}

// TestAppendChangeInstants checks that the built-in data's dated rows are
// reported: the two Salesforce cut-offs of the seed, written out literally.
func TestAppendChangeInstants(t *testing.T) {
	prefix := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	got := tlsver.Builtin().AppendChangeInstants([]time.Time{prefix})
	if len(got) == 0 || !got[0].Equal(prefix) {
		t.Fatalf("AppendChangeInstants dropped the caller's prefix: %v", got)
	}
	got = got[1:]
	for _, want := range []time.Time{
		time.Date(2016, 6, 25, 16, 30, 0, 0, time.UTC), // sandbox/developer: 09:30 PDT
		time.Date(2017, 7, 22, 7, 0, 0, 0, time.UTC),   // production: 2017-07-22, 00:00 PDT
	} {
		if !slices.ContainsFunc(got, want.Equal) {
			t.Errorf("AppendChangeInstants() = %v, missing %v", got, want)
		}
	}
	for i := 1; i < len(got); i++ {
		if !got[i-1].Before(got[i]) {
			t.Errorf("AppendChangeInstants() not strictly ascending at %d: %v", i, got)
		}
	}
}
