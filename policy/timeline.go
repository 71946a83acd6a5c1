package policy

import (
	"sort"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// Change is an instant at which a scenario's prediction changes.
type Change struct {
	// At is the first instant with the new prediction.
	At time.Time
	// From and To are the verdicts before and from At.
	From, To Verdict
	// Outcome is the full prediction from At on.
	Outcome Outcome
}

// maxTimelineInstants bounds the number of renewal instants Timeline
// generates for a periodic renewal ([Renewal.EveryDays]).
const maxTimelineInstants = 100000

// Timeline answers "what breaks, and when?": every instant in (from, to] at
// which the verdict or the negotiated version of scenario s changes, with s.At
// moved along the range, in order.
//
// It does not sample. The built-in prediction changes only at instants
// found in the data: the issuer's clientAuth cut-over, the leaf's issue
// date, the notBefore and notAfter of every certificate of the client's
// and the server's chain, every from/until bound of the version matrix in use
// ([tlsver.Builtin] or [WithMatrix]), and, of the client's renewal instants
// and the ends of their windows ([Renewal]), the first renewal, the first
// at or after the cut-over and the one after it, and the first at or after
// the leaf's issue date: between these, a periodic renewal replaces a
// certificate by one with the same purposes. Those renewals are computed
// exactly (in seconds, without time.Duration), so a change is found
// however far from the first renewal it lies, over any range. Timeline
// evaluates the scenario at each of these instants inside the range and
// reports those where the answer differs from the one before, so several
// changes in one range, and a change and its reversal on the same day, are
// all reported, to the nanosecond.
//
// A service [Check] whose answer depends on the instant in other ways is
// evaluated only at these instants and at every renewal instant in the
// range, up to 100000 of them from the last renewal at or before from. An
// invalid scenario ([Scenario.Validate]) evaluates to Unknown at every
// instant, so Timeline reports no change for it.
func Timeline(s Scenario, from, to time.Time, opts ...Option) []Change {
	if !to.After(from) {
		return nil
	}
	var cfg config
	for _, op := range opts {
		if op != nil {
			op.apply(&cfg)
		}
	}
	points := timelineInstants(&s, newDataSource(cfg.matrix).m, from, to)

	type state struct {
		v   Verdict
		ver tlsver.Version
	}
	at := func(t time.Time) (state, Outcome) {
		s.At = t
		o := Evaluate(s, opts...)
		return state{o.Verdict, o.Version}, o
	}
	var out []Change
	prev, _ := at(from)
	for _, t := range points {
		cur, o := at(t)
		if cur != prev {
			out = append(out, Change{At: t, From: prev.v, To: cur.v, Outcome: o})
		}
		prev = cur
	}
	return out
}

func leafNotBefore(s *Scenario) time.Time {
	if ch := s.Client.Chain; ch != nil && len(ch.Certs) > 0 {
		return ch.Certs[0].NotBefore
	}
	return time.Time{}
}

// timelineInstants returns the sorted, distinct instants in (from, to] at
// which the prediction for s can change.
func timelineInstants(s *Scenario, m *tlsver.Matrix, from, to time.Time) []time.Time {
	var points []time.Time
	add := func(t time.Time) {
		if !t.IsZero() && t.After(from) && !t.After(to) {
			points = append(points, t)
		}
	}
	add(leafNotBefore(s))
	// Every certificate's validity period (a certificate is expired from
	// the first instant after notAfter).
	for _, ch := range [...]*Chain{s.Client.Chain, s.Server.Chain} {
		if ch == nil {
			continue
		}
		for i := range ch.Certs {
			add(ch.Certs[i].NotBefore)
			if na := ch.Certs[i].NotAfter; !na.IsZero() {
				add(na.Add(time.Nanosecond))
			}
		}
	}
	if r := s.Client.Renewal; r != nil {
		add(r.DropsClientAuthFrom)
		addRenewal := func(t time.Time) {
			add(t)
			if r.WindowDays > 0 {
				if end, ok := addDays(t, int64(r.WindowDays)); ok {
					add(end)
				}
			}
		}
		// The renewals at which the prediction can change (see the doc
		// comment): the first, the first at or after the cut-over (the
		// first certificate issued without clientAuth) and the one after
		// it (whose window compares two such certificates), and the first
		// after the leaf's issue date. They are found by arithmetic, so a
		// change is found however far it lies.
		if !r.At.IsZero() {
			addRenewal(r.At)
			for _, from := range [...]time.Time{r.DropsClientAuthFrom, leafNotBefore(s)} {
				if from.IsZero() {
					continue
				}
				if t, ok := firstRenewalFrom(r, from); ok {
					addRenewal(t)
					if t, ok = nextRenewal(r, t); ok {
						addRenewal(t)
					}
				}
			}
		}
		// Every renewal instant in the range as well (from the last one at
		// or before from, whose window may end in the range), up to a
		// bound: a service Check sees each of them.
		t, ok := r.At, !r.At.IsZero()
		if last, lok := lastRenewal(r, from); lok {
			t = last
		}
		for n := 0; ok && !t.After(to) && n < maxTimelineInstants; n++ {
			addRenewal(t)
			t, ok = nextRenewal(r, t)
		}
	}
	if m != nil && (s.Client.Product != "" || s.Server.Product != "") {
		for _, t := range m.AppendChangeInstants(nil) {
			add(t)
		}
	}
	sort.Slice(points, func(i, j int) bool { return points[i].Before(points[j]) })
	out := points[:0]
	for i, t := range points {
		if i == 0 || !t.Equal(points[i-1]) {
			out = append(out, t)
		}
	}
	return out
}
