package tlsver_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/tlsver"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in   string
		want tlsver.Version
	}{
		{"TLS 1.2", tlsver.TLS12}, {"TLSv1.2", tlsver.TLS12}, {"tls1_2", tlsver.TLS12}, {"TLS_1_2", tlsver.TLS12},
		{"TLS-1.2", tlsver.TLS12}, {"TLS12", tlsver.TLS12}, {"tls v1.2", tlsver.TLS12}, {"VersionTLS12", tlsver.TLS12},
		{"1.2", tlsver.TLS12}, {"1,2", tlsver.TLS12}, {"0x0303", tlsver.TLS12}, {"0X0303", tlsver.TLS12}, {"  TLS 1.2\t", tlsver.TLS12},
		{"TLSv1", tlsver.TLS10}, {"TLS 1.0", tlsver.TLS10}, {"1,0", tlsver.TLS10}, {"0x0301", tlsver.TLS10}, {"TLS1", tlsver.TLS10},
		{"TLSv1.1", tlsver.TLS11}, {"tls1_1", tlsver.TLS11},
		{"TLSv1.3", tlsver.TLS13}, {"TLS 1.3", tlsver.TLS13}, {"0x0304", tlsver.TLS13}, {"VersionTLS13", tlsver.TLS13},
		{"SSLv3", tlsver.SSL30}, {"SSL 3.0", tlsver.SSL30}, {"ssl3_0", tlsver.SSL30}, {"SSL3", tlsver.SSL30}, {"0x0300", tlsver.SSL30}, {"VersionSSL30", tlsver.SSL30},
	}
	for _, tc := range tests {
		got, err := tlsver.ParseVersion(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseVersionErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "empty version"},
		{"   ", 3, "empty version"},
		{"TLS 1.4", 4, "TLS versions are 1.0 to 1.3"},
		{"TLS 2.0", 4, "TLS versions are 1.0 to 1.3"},
		{"1.4", 0, "TLS versions are 1.0 to 1.3"},
		{"3.1", 0, "ambiguous"},
		{"SSLv2", 4, "SSL 2.0 is not supported"},
		{"SSL 3.1", 4, "SSL versions are 3.0 only"},
		{"0x0305", 0, "wire value 0x0305 is not SSL 3.0 or TLS 1.0-1.3"},
		{"0x303", 0, "four hex digits"},
		{"TLS 1.2x", 7, `unexpected "x" after TLS 1.2`},
		{"1.2.3", 3, `unexpected ".3" after TLS 1.2`},
		{"TLS 1.23", 7, "one digit each"},
		{"1", 0, "needs a minor version"},
		{"TLS", 3, "expected a version number"},
		{"hello", 0, "expected a version such as"},
	}
	for _, tc := range tests {
		v, err := tlsver.ParseVersion(tc.in)
		var pe *tlsver.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("ParseVersion(%q) = %v, %v; want a *ParseError", tc.in, v, err)
			continue
		}
		if v != 0 || pe.Offset != tc.offset || !strings.Contains(pe.Msg, tc.msg) || !strings.HasPrefix(err.Error(), "tlsver: parsing version ") {
			t.Errorf("ParseVersion(%q) = %v, %q (offset %d); want offset %d and %q", tc.in, v, err, pe.Offset, tc.offset, tc.msg)
		}
	}
}

func TestVersionString(t *testing.T) {
	for v, want := range map[tlsver.Version]string{
		tlsver.SSL30: "SSL 3.0", tlsver.TLS10: "TLS 1.0", tlsver.TLS13: "TLS 1.3",
		0: "none", 0x0200: "0x0200", 0x7f1c: "0x7F1C", 0xffff: "0xFFFF", 0x0305: "0x0305",
	} {
		if got := v.String(); got != want {
			t.Errorf("Version(%#04x).String() = %q, want %q", uint16(v), got, want)
		}
	}
	// Every value formats without panicking, and known ones round-trip.
	for i := 0; i <= 0xffff; i++ {
		v := tlsver.Version(i)
		s := v.String()
		if v.Known() {
			if back, err := tlsver.ParseVersion(s); err != nil || back != v {
				t.Errorf("ParseVersion(%q) = %v, %v", s, back, err)
			}
		}
	}
}

func TestVersionJSON(t *testing.T) {
	b, err := json.Marshal([]tlsver.Version{tlsver.TLS10, tlsver.TLS13})
	if err != nil || string(b) != `["TLS 1.0","TLS 1.3"]` {
		t.Fatalf("json.Marshal = %s, %v", b, err)
	}
	var back []tlsver.Version
	if err := json.Unmarshal([]byte(`["TLSv1","1,2","0x0304"]`), &back); err != nil || len(back) != 3 || back[1] != tlsver.TLS12 {
		t.Fatalf("json.Unmarshal = %v, %v", back, err)
	}
	if _, err := json.Marshal(tlsver.Version(0x9999)); err == nil {
		t.Error("json.Marshal(0x9999) succeeded; want an error for an unknown version")
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"TLS 1.2", "TLSv1.2", "tls1_2", "1.2", "1,2", "0x0303", "SSLv3", "TLSv1", "3.1", "VersionTLS13", "TLS 1.0–1.2", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := tlsver.ParseVersion(s)
		if err != nil {
			var pe *tlsver.ParseError
			if v != 0 || !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(s) {
				t.Fatalf("ParseVersion(%q) = %v, %v: want zero value and a *ParseError with an offset inside the input", s, v, err)
			}
			return
		}
		if !v.Known() {
			t.Fatalf("ParseVersion(%q) = %v, not a known version", s, v)
		}
		if back, err := tlsver.ParseVersion(v.String()); err != nil || back != v {
			t.Fatalf("round trip of %q: ParseVersion(%q) = %v, %v", s, v.String(), back, err)
		}
	})
}
