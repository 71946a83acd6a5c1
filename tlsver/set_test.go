package tlsver_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/tlscompat/tlscompat/tlsver"
)

func TestSetOps(t *testing.T) {
	s := tlsver.SetOf(tlsver.TLS10, tlsver.TLS12)
	if !s.Has(tlsver.TLS10) || s.Has(tlsver.TLS11) || !s.Has(tlsver.TLS12) || s.Has(0x9999) {
		t.Errorf("Has on %v wrong", s)
	}
	if s.Min() != tlsver.TLS10 || s.Max() != tlsver.TLS12 || s.Len() != 2 || s.Contiguous() {
		t.Errorf("%v: Min %v Max %v Len %d Contiguous %v", s, s.Min(), s.Max(), s.Len(), s.Contiguous())
	}
	if got := s.Add(tlsver.TLS11); got != tlsver.Range(tlsver.TLS10, tlsver.TLS12) || !got.Contiguous() {
		t.Errorf("Add = %v", got)
	}
	if got := s.Remove(tlsver.TLS10); got != tlsver.SetOf(tlsver.TLS12) {
		t.Errorf("Remove = %v", got)
	}
	if got := s.Union(tlsver.SetOf(tlsver.TLS13)); got.String() != "TLS 1.0, 1.2, 1.3" {
		t.Errorf("Union = %v", got)
	}
	if got := s.Intersect(tlsver.Range(tlsver.TLS11, tlsver.TLS13)); got != tlsver.SetOf(tlsver.TLS12) {
		t.Errorf("Intersect = %v", got)
	}
	if got := tlsver.All().Difference(s); got.String() != "SSL 3.0, TLS 1.1, 1.3" {
		t.Errorf("Difference = %v", got)
	}
	var empty tlsver.Set
	if !empty.IsEmpty() || empty.Min() != 0 || empty.Max() != 0 || empty.String() != "none" || tlsver.Range(tlsver.TLS12, tlsver.TLS10) != 0 {
		t.Errorf("empty set misbehaves")
	}
	if got := slices.Collect(s.Versions()); !slices.Equal(got, []tlsver.Version{tlsver.TLS10, tlsver.TLS12}) {
		t.Errorf("Versions = %v", got)
	}
	if got := tlsver.SetOf(tlsver.TLS10, 0x0305, 0); got != tlsver.SetOf(tlsver.TLS10) {
		t.Errorf("SetOf ignores unknown versions: %v", got)
	}
	if s.MaxAtMost(tlsver.TLS11) != tlsver.TLS10 || s.MaxAtMost(tlsver.SSL30) != 0 {
		t.Errorf("MaxAtMost wrong")
	}
}

func TestSetString(t *testing.T) {
	for _, tc := range []struct {
		s    tlsver.Set
		want string
	}{
		{tlsver.Range(tlsver.TLS10, tlsver.TLS12), "TLS 1.0–1.2"},
		{tlsver.SetOf(tlsver.TLS11, tlsver.TLS12), "TLS 1.1, 1.2"},
		{tlsver.SetOf(tlsver.TLS10, tlsver.TLS12), "TLS 1.0, 1.2"},
		{tlsver.Range(tlsver.TLS10, tlsver.TLS13), "TLS 1.0–1.3"},
		{tlsver.Range(tlsver.SSL30, tlsver.TLS12), "SSL 3.0, TLS 1.0–1.2"},
		{tlsver.SetOf(tlsver.SSL30), "SSL 3.0"},
		{tlsver.SetOf(tlsver.TLS10, tlsver.TLS11, tlsver.TLS13), "TLS 1.0, 1.1, 1.3"},
		{0, "none"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

// TestSetRoundTrip: every set's String, MarshalText and JSON form parse back.
func TestSetRoundTrip(t *testing.T) {
	for i := 0; i < 32; i++ {
		s := tlsver.Set(i)
		back, err := tlsver.ParseSet(s.String())
		if err != nil || back != s {
			t.Errorf("ParseSet(%q) = %v, %v; want %v", s.String(), back, err, s)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var j tlsver.Set
		if err := json.Unmarshal(b, &j); err != nil || j != s {
			t.Errorf("JSON %s -> %v, %v; want %v", b, j, err, s)
		}
	}
}

func TestParseSet(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want tlsver.Set
	}{
		{"1,0, 1,1, 1,2", tlsver.Range(tlsver.TLS10, tlsver.TLS12)}, // the seed's German cells
		{"1,1, 1,2", tlsver.SetOf(tlsver.TLS11, tlsver.TLS12)},
		{"1,2", tlsver.SetOf(tlsver.TLS12)},
		{"TLS 1.0-1.2", tlsver.Range(tlsver.TLS10, tlsver.TLS12)},
		{"TLS 1.0 .. TLS 1.2", tlsver.Range(tlsver.TLS10, tlsver.TLS12)},
		{"TLSv1.2 TLSv1.3", tlsver.SetOf(tlsver.TLS12, tlsver.TLS13)},
		{"1.0,1.1", tlsver.SetOf(tlsver.TLS10, tlsver.TLS11)},
		{"TLS 1.1/1.2", tlsver.SetOf(tlsver.TLS11, tlsver.TLS12)},
		{"none", 0}, {"", 0},
	} {
		got, err := tlsver.ParseSet(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseSet(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"1.2-1.0", "1.0 x", "1.0,", "TLS 1.4", "1.0;;1.1", "1,2,3"} {
		if s, err := tlsver.ParseSet(bad); err == nil {
			t.Errorf("ParseSet(%q) = %v, want an error", bad, s)
		}
	}
}

func TestSetNoAllocs(t *testing.T) {
	s := tlsver.SetOf(tlsver.TLS10, tlsver.TLS12)
	var sinkS string
	var sinkV tlsver.Version
	n := testing.AllocsPerRun(100, func() {
		s2 := s.Add(tlsver.TLS13).Remove(tlsver.TLS10).Union(tlsver.Range(tlsver.TLS10, tlsver.TLS11)).Intersect(tlsver.All())
		sinkV = s2.Min() + s2.Max() + s2.MaxAtMost(tlsver.TLS12)
		sinkS = s2.String() + ""
		for v := range s2.Versions() {
			sinkV += v
			sinkS = v.String()
		}
		if s2.Contiguous() && s2.Len() > 0 && s2.Has(tlsver.TLS12) && !s2.Difference(s).IsEmpty() {
			sinkV++
		}
	})
	if n != 0 {
		t.Errorf("Set operations allocate %v times, want 0", n)
	}
	_, _ = sinkS, sinkV
}

func FuzzParseSet(f *testing.F) {
	for _, s := range []string{"1,0, 1,1, 1,2", "TLS 1.0–1.2", "TLS 1.1, 1.2", "SSL 3.0, TLS 1.0–1.3", "none", "1.2-1.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		set, err := tlsver.ParseSet(s)
		if err != nil {
			if set != 0 {
				t.Fatalf("ParseSet(%q) = %v with error %v", s, set, err)
			}
			return
		}
		if back, err := tlsver.ParseSet(set.String()); err != nil || back != set {
			t.Fatalf("round trip of %q: ParseSet(%q) = %v, %v", s, set.String(), back, err)
		}
	})
}
