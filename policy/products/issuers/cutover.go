package issuers

import (
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/policy"
)

// Exact reports whether the sources agree on one instant.
func (c Cutover) Exact() bool { return c.From.Equal(c.Until) }

// IssuedWithClientAuth answers whether a certificate issued at t, in the
// cut-over's scope, carries clientAuth: Yes before From, No from Until (from
// From when Exact), Unknown inside the range.
func (c Cutover) IssuedWithClientAuth(t time.Time) Answer {
	switch {
	case t.Before(c.From):
		return Yes
	case c.Exact() || !t.Before(c.Until):
		return No
	}
	return AnswerUnknown
}

// DropsClientAuthFrom returns the cut-over instant and ok when the sources
// agree on one (Exact); otherwise the zero time and false: use From and
// Until.
func (c Cutover) DropsClientAuthFrom() (time.Time, bool) {
	if !c.Exact() {
		return time.Time{}, false
	}
	return c.From, true
}

// SourceText cites the sources: "Title <URL> (date: statement)", joined by
// "; ", superseded ones marked.
func (c Cutover) SourceText() string {
	var b strings.Builder
	for i, d := range c.Dates {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(d.Source.Title)
		b.WriteString(" <")
		b.WriteString(d.Source.URL)
		b.WriteString("> (")
		b.WriteString(d.Start.Format("2006-01-02"))
		if !d.End.Equal(d.Start) {
			b.WriteString(" to ")
			b.WriteString(d.End.Format("2006-01-02"))
		}
		if d.Superseded {
			b.WriteString(", superseded")
		}
		b.WriteString(": ")
		b.WriteString(d.Statement)
		b.WriteString(")")
	}
	return b.String()
}

// RangeError reports a renewal that falls inside a cut-over range: whether
// the renewed certificate carries clientAuth is not known.
type RangeError struct {
	Cutover Cutover
	// Renewal is the first renewal instant inside [From, Until).
	Renewal time.Time
}

// Error names the subject, the renewal and the range with its sources.
func (e *RangeError) Error() string {
	return "issuers: " + e.Cutover.Subject + " " + e.Cutover.Scope.String() + ": renewal at " +
		e.Renewal.Format(time.RFC3339) + " falls inside the cut-over range [" +
		e.Cutover.From.Format("2006-01-02") + ", " + e.Cutover.Until.Format("2006-01-02") +
		"): the sources disagree or name no day, so whether the renewed certificate carries clientAuth is unknown (" +
		e.Cutover.SourceText() + ")"
}

// maxRenewals bounds the renewal instants Renewal checks.
const maxRenewals = 100000

// Renewal returns a policy.Renewal for a certificate renewed at at and then
// every everyDays days (0: once), whose issuer stops including clientAuth at
// this cut-over. If the cut-over is a range and a renewal instant falls
// inside it, the renewed certificate's extended key usage is not known, and
// the error is a [*RangeError]: model that certificate as opaque instead.
func (c Cutover) Renewal(at time.Time, everyDays int) (*policy.Renewal, error) {
	if everyDays < 0 {
		return nil, &SchemaError{Path: "everyDays", Msg: "negative renewal interval"}
	}
	if !c.Exact() {
		r := at
		for n := 0; r.Before(c.Until); n++ {
			if !r.Before(c.From) {
				return nil, &RangeError{Cutover: c, Renewal: r}
			}
			if everyDays == 0 {
				break
			}
			if n >= maxRenewals {
				return nil, &SchemaError{Path: "everyDays", Msg: "more than 100000 renewals before the end of the cut-over range: not checked"}
			}
			r = r.AddDate(0, 0, everyDays)
		}
	}
	return newRenewal(at.UTC(), everyDays, 0, c, nil), nil
}

// Renewal returns the policy.Renewal of the provider's announced renewal
// (the first entry of Renewals; its window, if any, becomes WindowDays) and
// its hard-stop cut-over. It fails with [*NotFoundError] if the data has no
// renewal or cut-over for the provider, and with [*RangeError] if the
// cut-over is a range that the renewal window meets.
func (p Provider) Renewal() (*policy.Renewal, error) {
	c, ok := p.Cutover(ScopeHardStop)
	if !ok || len(p.Renewals) == 0 {
		return nil, &NotFoundError{What: "renewal and cut-over of provider", Name: p.Name + " " + p.Direction.String()}
	}
	w := p.Renewals[0]
	if !c.Exact() && w.Start.Before(c.Until) && (w.End.After(c.From) || !w.Start.Before(c.From)) {
		return nil, &RangeError{Cutover: c, Renewal: w.Start}
	}
	days := int(w.End.Sub(w.Start) / (24 * time.Hour))
	return newRenewal(w.Start, 0, days, c, &w), nil
}

// Option configures the package-level lookups ([Forecast]).
type Option func(*options)

type options struct{ data *Data }

// WithData makes the lookups use d instead of [Builtin] (d from [Load]).
func WithData(d *Data) Option { return func(o *options) { o.data = d } }

// Forecast answers "my certificate comes from CA X": the policy.Renewal of a
// certificate renewed at at and every everyDays days, from the CA's
// cut-over. optIn says the subscriber asks for clientAuth explicitly: then
// the hard stop applies; otherwise the default cut-over (or the hard stop if
// the CA announced no default change).
func Forecast(ca string, optIn bool, at time.Time, everyDays int, opts ...Option) (*policy.Renewal, error) {
	o := options{data: Builtin()}
	for _, op := range opts {
		if op != nil {
			op(&o)
		}
	}
	c, err := o.data.CACutover(ca, ScopeHardStop)
	if !optIn {
		if dc, derr := o.data.CACutover(ca, ScopeDefault); derr == nil {
			c, err = dc, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return c.Renewal(at, everyDays)
}
