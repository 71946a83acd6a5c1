package probe

import (
	"bytes"
	"testing"
)

func TestParseSSL3Answer(t *testing.T) {
	hello, err := ssl3ClientHello()
	if err != nil {
		t.Fatal(err)
	}
	if hello[0] != 22 || !bytes.Equal(hello[1:3], []byte{3, 0}) || hello[5] != 1 || !bytes.Equal(hello[9:11], []byte{3, 0}) {
		t.Errorf("ssl3ClientHello() = % x", hello[:11])
	}
	tests := []struct {
		name    string
		in      []byte
		alert   int
		version uint16
		err     bool
	}{
		{"alert handshake_failure", []byte{21, 3, 0, 0, 2, 2, 40}, 40, 0, false},
		{"alert protocol_version", []byte{21, 3, 1, 0, 2, 2, 70}, 70, 0, false},
		{"server hello ssl3", []byte{22, 3, 0, 0, 6, 2, 0, 0, 70, 3, 0}, -1, 0x0300, false},
		{"server hello tls12", []byte{22, 3, 3, 0, 6, 2, 0, 0, 70, 3, 3}, -1, 0x0303, false},
		{"truncated record", []byte{22, 3, 0, 0, 9, 2}, -1, 0, true},
		{"truncated alert", []byte{21, 3, 0, 0, 1, 2}, -1, 0, true},
		{"not a server hello", []byte{22, 3, 0, 0, 6, 11, 0, 0, 70, 3, 0}, -1, 0, true},
		{"application data", []byte{23, 3, 0, 0, 1, 0}, -1, 0, true},
		{"empty", nil, -1, 0, true},
		{"trailing bytes", []byte{21, 3, 0, 0, 2, 2, 40, 0}, -1, 0, true},
	}
	for _, tc := range tests {
		got, err := parseSSL3Answer(tc.in)
		gotAlert := -1
		if got.isAlert {
			gotAlert = int(got.alert)
		}
		if (err != nil) != tc.err || gotAlert != tc.alert || got.version != tc.version {
			t.Errorf("%s: parseSSL3Answer(% x) = %+v, %v; want alert %d version %#x err %v", tc.name, tc.in, got, err, tc.alert, tc.version, tc.err)
		}
	}
}

func FuzzParseSSL3Answer(f *testing.F) {
	f.Add([]byte{21, 3, 0, 0, 2, 2, 40})
	f.Add([]byte{22, 3, 0, 0, 6, 2, 0, 0, 70, 3, 0})
	f.Add([]byte{22, 3, 3, 0, 4, 2, 0, 0, 70})
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := parseSSL3Answer(in)
		if err != nil && (got.isAlert || got.alert != 0 || got.version != 0) {
			t.Errorf("parseSSL3Answer(% x) returned %+v with error %v", in, got, err)
		}
	})
}
