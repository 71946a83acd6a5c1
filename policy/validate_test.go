package policy_test

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// renewing is a client whose certificate is renewed by r, in front of a Go
// server that verifies client certificates: a renewed certificate without
// clientAuth fails.
func renewing(r *policy.Renewal) policy.Scenario {
	return policy.Scenario{
		Client: policy.Client{Name: "app", Versions: tlsver.SetOf(tlsver.TLS12),
			Chain: &policy.Chain{Certs: []policy.Cert{{HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth, eku.ClientAuth),
				NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}, CAs: policy.CAsPermitClientAuth},
			Renewal: r},
		Server: products.SBC("SBC", policy.GoCryptoTLS, policy.ClientAuthRequireAndVerify, tlsver.SetOf(tlsver.TLS12)),
	}
}

// TestRenewalOutOfRange: windows and periods that overflowed time.Duration
// (and flipped verdicts) are invalid input, named by field, never an answer.
func TestRenewalOutOfRange(t *testing.T) {
	at := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	cut := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		r     policy.Renewal
		field string
	}{
		{"window 106752 days", policy.Renewal{At: at, WindowDays: 106752, DropsClientAuthFrom: cut}, "client.renewal.window_days"},
		{"window max int", policy.Renewal{At: at, WindowDays: 1<<63 - 1, DropsClientAuthFrom: cut}, "client.renewal.window_days"},
		{"negative window", policy.Renewal{At: at, WindowDays: -7, DropsClientAuthFrom: cut}, "client.renewal.window_days"},
		{"every_days wrapping", policy.Renewal{At: at, EveryDays: 106751*1000 + 1, DropsClientAuthFrom: cut}, "client.renewal.every_days"},
		{"negative every_days", policy.Renewal{At: at, EveryDays: -365, DropsClientAuthFrom: cut}, "client.renewal.every_days"},
		{"window not shorter than period", policy.Renewal{At: at, EveryDays: 7, WindowDays: 7, DropsClientAuthFrom: cut}, "client.renewal.window_days"},
		{"instant past 2^62 s", policy.Renewal{At: time.Unix(1<<62+1, 0)}, "client.renewal.at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			s := renewing(&r)
			s.At = at.Add(time.Hour)
			err := s.Validate()
			var fe *policy.FieldError
			if !errors.Is(err, policy.ErrInvalidScenario) || !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("Validate = %v, want ErrInvalidScenario with a *FieldError for %s", err, tc.field)
			}
			o := policy.Evaluate(s)
			if o.Verdict != policy.Unknown || !o.Has(policy.CodeInvalidInput) || len(o.Findings()) != 1 || o.Findings()[0].Subject != tc.field {
				t.Errorf("Evaluate = %v %v, want unknown with only invalid-input naming %s", o.Verdict, o.Findings(), tc.field)
			}
			if ch := policy.Timeline(s, at.AddDate(-1, 0, 0), at.AddDate(1000, 0, 0)); len(ch) != 0 {
				t.Errorf("Timeline = %v, want no change for an invalid scenario", ch)
			}
		})
	}
	// The largest valid values evaluate exactly: a window of MaxRenewalDays
	// still contains an instant 100 years after the renewal.
	r := policy.Renewal{At: at, WindowDays: policy.MaxRenewalDays, DropsClientAuthFrom: cut}
	s := renewing(&r)
	s.At = at.AddDate(99, 0, 0)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if o := policy.Evaluate(s); o.Verdict != policy.Unknown || !o.Has(policy.CodeRenewalWindow) {
		t.Errorf("inside a %d-day window: %v %v, want unknown (renewal-window)", policy.MaxRenewalDays, o.Verdict, o.Findings())
	}
	s.At = at.AddDate(101, 0, 0)
	if o := policy.Evaluate(s); o.Verdict != policy.Fails {
		t.Errorf("after a %d-day window: %v %v, want fails", policy.MaxRenewalDays, o.Verdict, o.Findings())
	}
}

// TestRenewalFarAway: a yearly renewal with the cut-over in 2400 is applied
// at 2500, and Timeline over 1,000 years reports the change; a daily renewal
// with the cut-over 900 years away (far past the 100000-instant bound) too.
func TestRenewalFarAway(t *testing.T) {
	start := time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		every int
		cut   time.Time
	}{
		{"yearly, cut-over 2400", 365, time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"daily, cut-over 2926", 1, time.Date(2926, 6, 1, 0, 0, 0, 0, time.UTC)},
		{"every 36524 days, cut-over 2400", 36524, time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := policy.Renewal{At: start, EveryDays: tc.every, WindowDays: 0, DropsClientAuthFrom: tc.cut}
			s := renewing(&r)
			// The first renewal at or after the cut-over, by counting in
			// whole periods of 86,400 s days.
			period := int64(tc.every) * 86400
			k := (tc.cut.Unix() - start.Unix() + period - 1) / period
			want := time.Unix(start.Unix()+k*period, 0).UTC()
			s.At = want.Add(-time.Nanosecond)
			if o := policy.Evaluate(s); o.Verdict != policy.Succeeds {
				t.Errorf("just before the renewal at %v: %v, want succeeds\n%s", want, o.Verdict, o.Explain())
			}
			s.At = time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)
			if want.After(s.At) {
				s.At = want
			}
			if o := policy.Evaluate(s); o.Verdict != policy.Fails {
				t.Errorf("at %v, after the renewal at %v: %v, want fails\n%s", s.At, want, o.Verdict, o.Explain())
			}
			ch := policy.Timeline(s, start.Add(-time.Hour), start.AddDate(1000, 0, 0))
			if len(ch) != 1 || !ch[0].At.Equal(want) || ch[0].To != policy.Fails {
				t.Errorf("Timeline over 1000 years = %v, want one change to fails at %v", ch, want)
			}
		})
	}
}

// TestLastRenewalSubSecond: renewal instants keep their nanoseconds, and an
// instant in the same second but before the renewal is before it.
func TestLastRenewalSubSecond(t *testing.T) {
	start := time.Date(2026, 3, 9, 12, 0, 0, 500, time.UTC)
	r := policy.Renewal{At: start, EveryDays: 30, DropsClientAuthFrom: start.AddDate(0, 0, 60)}
	s := renewing(&r)
	renewal := start.Add(60 * 24 * time.Hour)
	s.At = renewal.Add(-100) // same second, 100 ns before
	if o := policy.Evaluate(s); o.Verdict != policy.Succeeds {
		t.Errorf("100 ns before the renewal: %v\n%s", o.Verdict, o.Explain())
	}
	s.At = renewal
	if o := policy.Evaluate(s); o.Verdict != policy.Fails {
		t.Errorf("at the renewal: %v\n%s", o.Verdict, o.Explain())
	}
}

// TestTimelineMatchesBruteForce compares Timeline with an evaluation at
// every renewal instant and window end of random periodic renewals over
// ranges short enough to enumerate.
func TestTimelineMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 34))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 300; i++ {
		every := 1 + rng.IntN(120)
		window := 0
		if rng.IntN(2) == 0 {
			window = rng.IntN(every)
		}
		at := base.Add(time.Duration(rng.Int64N(int64(400 * 24 * time.Hour))))
		r := policy.Renewal{At: at, EveryDays: every, WindowDays: window,
			DropsClientAuthFrom: base.Add(time.Duration(rng.Int64N(int64(800 * 24 * time.Hour))))}
		s := renewing(&r)
		s.Client.Chain.Certs[0].NotBefore = base.Add(time.Duration(rng.Int64N(int64(600*24*time.Hour))) - 100*24*time.Hour)
		if rng.IntN(3) == 0 {
			s.Server.ClientAuth = policy.ClientAuthVerifyIfGiven
		}
		from, to := base.AddDate(0, -1, 0), base.AddDate(3, 0, 0)
		got := policy.Timeline(s, from, to)

		var points []time.Time
		for t := at; !t.After(to); t = t.Add(time.Duration(every) * 24 * time.Hour) {
			points = append(points, t, t.Add(time.Duration(window)*24*time.Hour))
		}
		points = append(points, r.DropsClientAuthFrom, s.Client.Chain.Certs[0].NotBefore)
		var want []time.Time
		s.At = from
		prev := policy.Evaluate(s).Verdict
		for _, p := range sortedIn(points, from, to) {
			s.At = p
			v := policy.Evaluate(s).Verdict
			if v != prev {
				want = append(want, p)
			}
			prev = v
		}
		if len(got) != len(want) {
			t.Fatalf("case %d (every %d, window %d, at %v, cut %v): Timeline = %v, brute force changes at %v", i, every, window, at, r.DropsClientAuthFrom, got, want)
		}
		for j := range got {
			if !got[j].At.Equal(want[j]) {
				t.Fatalf("case %d: change %d at %v, brute force %v", i, j, got[j].At, want[j])
			}
		}
	}
}

func sortedIn(ts []time.Time, from, to time.Time) []time.Time {
	var out []time.Time
	for _, t := range ts {
		if t.After(from) && !t.After(to) {
			out = append(out, t)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Before(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// TestUnknownNames: unknown wire names wrap ErrUnknownName.
func TestUnknownNames(t *testing.T) {
	_, e1 := policy.ParseStack("boringssl")
	_, e2 := policy.ParseClientAuthMode("sometimes")
	_, e3 := policy.ParseCode("nope")
	var v policy.Verdict
	e4 := v.UnmarshalText([]byte("maybe"))
	for i, err := range []error{e1, e2, e3, e4} {
		if !errors.Is(err, policy.ErrUnknownName) {
			t.Errorf("error %d: %v, want ErrUnknownName", i, err)
		}
	}
}

// TestRenewalPastYear9999: the arithmetic does not stop at what RFC 3339
// can write; Timeline over ten thousand years finds a cut-over in 11000.
func TestRenewalPastYear9999(t *testing.T) {
	start := time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)
	r := policy.Renewal{At: start, EveryDays: 365, DropsClientAuthFrom: time.Date(11000, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := renewing(&r)
	s.At = time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if o := policy.Evaluate(s); o.Verdict != policy.Fails {
		t.Errorf("at year 20000: %v\n%s", o.Verdict, o.Explain())
	}
	ch := policy.Timeline(s, start, start.AddDate(10000, 0, 0))
	if len(ch) != 1 || ch[0].At.Year() != 11000 || ch[0].To != policy.Fails {
		t.Errorf("Timeline over 10000 years = %v, want one change to fails in 11000", ch)
	}
}
