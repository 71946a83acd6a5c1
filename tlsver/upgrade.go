package tlsver

import (
	"strconv"
	"strings"
)

// Goal is what an upgrade is for, one per column of the seed's upgrade table.
// The zero value is not a goal.
type Goal uint8

// Upgrade goals.
const (
	// ClientTLS11 is "TLS 1.1, 1.2 support with UCCX as client" (JSON
	// "client-tls1.1").
	ClientTLS11 Goal = 1 + iota
	// RemoveTLS10 is "removal of TLS 1.0 from UCCX" (JSON "remove-tls1.0").
	RemoveTLS10
)

var goalNames = [...]string{"", "client-tls1.1", "remove-tls1.0"}

// String returns "client-tls1.1" or "remove-tls1.0", and "goal(0xNNNN)"
// otherwise; it never panics.
func (g Goal) String() string {
	if g != 0 && int(g) < len(goalNames) {
		return goalNames[g]
	}
	return "goal(" + hex4(uint16(g)) + ")"
}

// ParseGoal parses "client-tls1.1" or "remove-tls1.0" (case-insensitive).
func ParseGoal(s string) (Goal, error) {
	for i := 1; i < len(goalNames); i++ {
		if strings.EqualFold(strings.TrimSpace(s), goalNames[i]) {
			return Goal(i), nil
		}
	}
	return 0, &ParseError{What: "goal", Input: s, Msg: "expected \"client-tls1.1\" or \"remove-tls1.0\""}
}

// Upgrade is the answer of [Matrix.UpgradeTarget].
type Upgrade struct {
	Product string
	Release string // as asked
	Goal    Goal

	// Known reports whether the data answers; when false, Reason says why.
	Known  bool
	Reason string

	// Target is the release to upgrade to. Needed is false when Release is
	// already at or past Target (then Target may equal Release).
	Target Release
	Needed bool
	// Derived reports an inferred answer: a release the upgrade table does
	// not list (or one past the table's target) whose support rows show the
	// goal already met.
	Derived    bool
	Provenance Provenance
	Note       string
}

// String returns a one-line explanation.
func (u Upgrade) String() string {
	head := u.Product + " " + u.Release + " (" + u.Goal.String() + ")"
	if !u.Known {
		return head + ": unknown — " + u.Reason
	}
	var s string
	if u.Needed {
		s = head + ": upgrade to " + u.Target.String()
	} else {
		s = head + ": no upgrade needed (target " + u.Target.String() + ")"
	}
	if u.Derived {
		s += "; derived from "
	} else {
		s += "; stated in "
	}
	s += u.Provenance.String()
	if u.Note != "" {
		s += "; note: " + u.Note
	}
	return s
}

// UpgradeTarget answers which release a customer on release must upgrade to
// for goal, from the upgrade table (whose rows name release trains: "10.6"
// covers 10.6(1)SU2). For a release the table does not list, or one past the
// table's target (11.5(1)SU2), the support rows are consulted: if they show
// the goal already met, the answer is "no upgrade needed", marked Derived.
// Otherwise Known is false with the reason: no guess that a later release
// keeps the change.
func (m *Matrix) UpgradeTarget(product, release string, goal Goal) (Upgrade, error) {
	out := Upgrade{Product: product, Release: release, Goal: goal}
	if goal != ClientTLS11 && goal != RemoveTLS10 {
		return out, &ParseError{What: "goal", Input: goal.String(), Msg: "not a known goal"}
	}
	p := m.product(product)
	if p == nil {
		out.Reason = "the data has no product " + strconv.Quote(product)
		return out, nil
	}
	out.Product = p.name
	if !p.cisco {
		out.Reason = "the data has no upgrade table for " + p.name
		return out, nil
	}
	r, err := ParseRelease(release)
	if err != nil {
		return out, err
	}
	var past *upgradeRow
	for i := range p.upgrades {
		u := &p.upgrades[i]
		if u.goal != goal {
			continue
		}
		if c, _ := u.from.match(r, -1); !c {
			continue
		}
		if r.Compare(u.target) > 0 {
			past = u // after the target: only the support rows can tell
			break
		}
		out.Known, out.Target, out.Provenance, out.Note = true, u.target, u.src, u.note
		out.Needed = r.Compare(u.target) < 0
		return out, nil
	}
	// Not in the upgrade table, or past its target: do the support rows
	// show the goal already met?
	cl, _ := m.Support(p.name, release, Client, HTTPS, zeroTime)
	met := cl.Known && !cl.Partial && (cl.Versions.Has(TLS11) || cl.Versions.Has(TLS12))
	if goal == RemoveTLS10 {
		sv, _ := m.Support(p.name, release, Server, HTTPS, zeroTime)
		met = cl.Known && sv.Known && !cl.Partial && !sv.Partial && !cl.Versions.Has(TLS10) && !sv.Versions.Has(TLS10)
	}
	if met && !cl.Derived {
		out.Known, out.Target, out.Derived, out.Provenance = true, r, true, cl.Provenance
		out.Note = "not in the upgrade table; the support rows show the goal already met"
		return out, nil
	}
	if past != nil {
		out.Reason = p.name + " " + release + " is past the upgrade table's target " + past.target.String() +
			" (row " + past.src.Row + "), and the data does not say whether it keeps that change"
		return out, nil
	}
	out.Reason = "the upgrade table has no row for " + p.name + " " + release + "'s train"
	if cl.Known {
		out.Reason += ", and its support data (" + cl.Versions.String() + " as client) does not show the goal met"
	}
	return out, nil
}
