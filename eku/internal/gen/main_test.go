package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestGeneratedFileIsCurrent fails when eku/purposes_gen.go is not what the
// generator writes for the checked-in purposes.csv. Fix with `go generate ./eku`.
func TestGeneratedFileIsCurrent(t *testing.T) {
	src, err := os.ReadFile("purposes.csv")
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(src)
	if err != nil {
		t.Fatalf("generate(purposes.csv) error: %v", err)
	}
	got, err := os.ReadFile("../../purposes_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("eku/purposes_gen.go is stale; run `go generate ./eku`")
	}
}

func TestEncodeOID(t *testing.T) {
	tests := []struct {
		oid, want string
	}{
		{"1.3.6.1.5.5.7.3.1", "\x2b\x06\x01\x05\x05\x07\x03\x01"},
		{"2.5.29.37.0", "\x55\x1d\x25\x00"},
		{"1.2.840.113635.100.4.1", "\x2a\x86\x48\x86\xf7\x63\x64\x04\x01"},
		{"2.999.3", "\x88\x37\x03"},
	}
	for _, tc := range tests {
		got, err := encodeOID(tc.oid)
		if err != nil || string(got) != tc.want {
			t.Errorf("encodeOID(%q) = %x, %v, want %x", tc.oid, got, err, tc.want)
		}
	}
	for _, bad := range []string{"1", "3.1", "1.40", "1.02", "1.x", "1.2.4294967296"} {
		if _, err := encodeOID(bad); err == nil {
			t.Errorf("encodeOID(%q) succeeded, want error", bad)
		}
	}
}

func TestReadTableRejects(t *testing.T) {
	const hdr = "ident,name,oid,source,reference\n"
	tests := []struct{ name, csv, want string }{
		{"dup oid", hdr + "A,a,1.2.3,extra,x\nB,b,1.2.3,extra,x\n", "already used"},
		{"dup name", hdr + "A,a,1.2.3,extra,x\nB,A,1.2.4,extra,x\n", "already used"},
		{"bad ident", hdr + "a,a,1.2.3,extra,x\n", "exported Go identifier"},
		{"bad source", hdr + "A,a,1.2.3,nowhere,x\n", "source"},
		{"bad header", "x,y,z,w,v\nA,a,1.2.3,extra,x\n", "header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readTable([]byte(tc.csv))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("readTable() error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
