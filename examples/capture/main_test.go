package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/internal/golden"
)

// TestGolden runs the program on its built-in captures (the recorded ones),
// in text and in JSON Lines, and checks the exit status.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		golden string
	}{
		{nil, "golden.txt"},
		{[]string{"-json"}, "golden.jsonl"},
	} {
		var out, errOut bytes.Buffer
		status := run(&out, &errOut, tc.args)
		got := out.String() + "exit status " + string(rune('0'+status)) + "\n"
		golden.Check(t, filepath.Join("testdata", tc.golden), []byte(got))
		if status != exitFails {
			t.Errorf("%v: exit status %d, want %d (the samples hold a server that rejects a client certificate without clientAuth)", tc.args, status, exitFails)
		}
		if tc.args != nil {
			for i, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				var r map[string]any
				if err := json.Unmarshal([]byte(line), &r); err != nil {
					t.Errorf("line %d is not JSON: %v", i+1, err)
				}
			}
		}
	}
}

// TestExitStatuses: one recorded capture per exit status, and the filters.
func TestExitStatuses(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
		in   string // in stdout
	}{
		{[]string{"testdata/tls12-nocertreq.pcap"}, exitOK, "no CertificateRequest: not affected"},
		{[]string{"-stack", "openssl3", "testdata/tls12-rejected.pcap"}, exitFails, "after renewal (2026-03-10): fails (alert unsupported_certificate)"},
		{[]string{"testdata/tls12-rejected.pcap"}, exitUnknown, "if the endpoint runs OpenSSL 3: fails"},
		{[]string{"testdata/tls13-certreq.pcap"}, exitUnknown, "cannot tell from a TLS 1.3 capture"},
		{[]string{"testdata/tls12-clientcert-noclientauth.pcap"}, exitFails, "observed: the server sent fatal alert 43 (unsupported_certificate) after the client's Certificate"},
		{[]string{"-port", "1", "testdata/tls12-nocertreq.pcap"}, exitUnknown, "0 TLS connection(s)"},
		{[]string{"-host", "sbc.example.test", "testdata/tls12-nocertreq.pcap"}, exitOK, "SNI sbc.example.test"},
		{[]string{"-host", "192.0.2.99", "testdata/tls12-nocertreq.pcap"}, exitUnknown, ""},
		{[]string{"-h"}, exitOK, "Exit status:"},
		{[]string{"--help"}, exitOK, "3  usage or read error"},
		{[]string{"no-such-file.pcap"}, exitUsage, ""},
		{[]string{"main.go"}, exitUsage, ""},
		{[]string{"-stack", "bogus"}, exitUsage, ""},
		{[]string{"-port", "70000"}, exitUsage, ""},
		{[]string{"-bogus"}, exitUsage, ""},
	} {
		var out, errOut bytes.Buffer
		if got := run(&out, &errOut, tc.args); got != tc.want || !strings.Contains(out.String(), tc.in) {
			t.Errorf("run(%q) = %d, want %d; output lacks %q:\n%s\nstderr: %s", tc.args, got, tc.want, tc.in, out.String(), errOut.String())
		}
		if tc.want == exitUsage && len(tc.args) == 1 && !strings.HasPrefix(tc.args[0], "-") && !strings.Contains(errOut.String(), tc.args[0]) {
			t.Errorf("run(%q): the error does not name the file: %s", tc.args, errOut.String())
		}
	}
}

// TestObservedVsPredicted: the Genesys failure recorded with OpenSSL: the
// client certificate lacks clientAuth, the server answers with alert 43,
// and the prediction for that certificate (with the stack named) agrees.
func TestObservedVsPredicted(t *testing.T) {
	var out, errOut bytes.Buffer
	run(&out, &errOut, []string{"-stack", "openssl3", "testdata/tls12-clientcert-noclientauth.pcap"})
	for _, want := range []string{
		"observed: the server sent fatal alert 43 (unsupported_certificate) after the client's Certificate",
		"predicted for this client's certificate: fails (alert unsupported_certificate)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "DIFFERS") {
		t.Errorf("prediction differs from the observation:\n%s", out.String())
	}
}

// TestSamplesMatchLibrary: the built-in samples are copies of
// policy/capture/testdata; they must not drift apart.
func TestSamplesMatchLibrary(t *testing.T) {
	lib, err := filepath.Glob("../../policy/capture/testdata/*.pcap*")
	if err != nil || len(lib) == 0 {
		t.Fatalf("library captures: %v %v", lib, err)
	}
	for _, p := range lib {
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := samples.ReadFile("testdata/" + filepath.Base(p))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("testdata/%s differs from %s (copy it again): %v", filepath.Base(p), p, err)
		}
	}
}
