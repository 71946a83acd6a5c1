package tlsver_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/tlsver"
)

func TestParseRelease(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		r        tlsver.Release
	}{
		{"10.0", "10.0", tlsver.Release{Major: 10}},
		{"10.6(1)", "10.6(1)", tlsver.Release{Major: 10, Minor: 6, Maint: 1, HasMaint: true}},
		{"10.6(1)SU3", "10.6(1)SU3", tlsver.Release{Major: 10, Minor: 6, Maint: 1, HasMaint: true, SU: 3}},
		{"10,6(1)SU3", "10.6(1)SU3", tlsver.Release{Major: 10, Minor: 6, Maint: 1, HasMaint: true, SU: 3}},
		{"11,0", "11.0", tlsver.Release{Major: 11}},
		{"11.0(1)SU1", "11.0(1)SU1", tlsver.Release{Major: 11, Maint: 1, HasMaint: true, SU: 1}},
		{"11.6(1)", "11.6(1)", tlsver.Release{Major: 11, Minor: 6, Maint: 1, HasMaint: true}},
		{"12.5(1)SU2", "12.5(1)SU2", tlsver.Release{Major: 12, Minor: 5, Maint: 1, HasMaint: true, SU: 2}},
		{" 11.5(1) su1 ", "11.5(1)SU1", tlsver.Release{Major: 11, Minor: 5, Maint: 1, HasMaint: true, SU: 1}},
	} {
		r, err := tlsver.ParseRelease(tc.in)
		if err != nil || r != tc.r || r.String() != tc.want {
			t.Errorf("ParseRelease(%q) = %#v (%q), %v; want %q", tc.in, r, r.String(), err, tc.want)
		}
	}
}

func TestParseReleaseErrors(t *testing.T) {
	for _, tc := range []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "empty release"},
		{"x", 0, "expected a release"},
		{"11", 2, "expected \".\""},
		{"11.", 3, "expected a minor number"},
		{"11.5.1", 4, "two numbers before the parentheses"},
		{"11.6SU1", 4, "needs a maintenance number"},
		{"11.5(1", 6, "expected \")\""},
		{"11.5()", 5, "maintenance number"},
		{"10.6(1)SU0", 9, "start at SU1"},
		{"10.6(1)SU", 9, "service update number"},
		{"12.x", 3, "pattern"},
		{"0.1", 0, "major release 0"},
		{"99999.1", 0, "too large"},
		{"11.5(1)SU1 ES2", 10, "unexpected"},
	} {
		r, err := tlsver.ParseRelease(tc.in)
		var pe *tlsver.ParseError
		if !errors.As(err, &pe) || !r.IsZero() || pe.Offset != tc.offset || !strings.Contains(pe.Msg, tc.msg) {
			t.Errorf("ParseRelease(%q) = %v, %v; want offset %d and %q", tc.in, r, err, tc.offset, tc.msg)
		}
	}
}

func TestReleaseOrder(t *testing.T) {
	// Sorted ascending; every pair is compared.
	order := []string{"10.0", "10.0(1)", "10.5", "10.6", "10.6(1)", "10.6(1)SU2", "10.6(1)SU3", "10.6(2)",
		"11.0", "11.0(1)", "11.0(1)SU1", "11.5", "11.5(1)", "11.5(1)SU1", "11.5(1)SU2", "11.6", "11.6(1)", "12.5(1)SU2"}
	rs := make([]tlsver.Release, len(order))
	for i, s := range order {
		rs[i] = tlsver.MustParseRelease(s)
	}
	for i := range rs {
		for j := range rs {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := rs[i].Compare(rs[j]); got != want {
				t.Errorf("%v.Compare(%v) = %d, want %d", rs[i], rs[j], got, want)
			}
		}
	}
	shuffled := slices.Clone(rs)
	slices.Reverse(shuffled)
	slices.SortFunc(shuffled, tlsver.Release.Compare)
	if !slices.Equal(shuffled, rs) {
		t.Errorf("sort gives %v", shuffled)
	}
}

func FuzzParseRelease(f *testing.F) {
	for _, s := range []string{"10.0", "10.6(1)SU3", "10,6(1)SU3", "11.5(1) SU1", "12.x", "11.5.1", "9999.9999(9999)SU9999", "((", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := tlsver.ParseRelease(s)
		if err != nil {
			var pe *tlsver.ParseError
			if !r.IsZero() || !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(s) {
				t.Fatalf("ParseRelease(%q) = %v, %v: want zero value and a *ParseError with an offset inside the input", s, r, err)
			}
			return
		}
		back, err := tlsver.ParseRelease(r.String())
		if err != nil || back != r || back.Compare(r) != 0 {
			t.Fatalf("round trip of %q: ParseRelease(%q) = %v, %v", s, r.String(), back, err)
		}
	})
}
