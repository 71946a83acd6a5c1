package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/golden"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/capture"
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
		if tc.args[0] == "-h" && errOut.Len() > 0 {
			t.Errorf("-h wrote to stderr: %s", errOut.String())
		}
		if tc.args[0] == "-bogus" && !strings.Contains(errOut.String(), "-bogus") {
			t.Errorf("-bogus: stderr %q does not name the flag", errOut.String())
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

// sipPcap is a pcap of one plaintext SIP/TCP connection on port 5060: the
// handshake, an OPTIONS request and its answer, and FINs.
func sipPcap() []byte {
	le := binary.LittleEndian
	file := le.AppendUint32(nil, 0xa1b2c3d4)
	file = le.AppendUint16(file, 2)
	file = le.AppendUint16(file, 4)
	file = append(file, make([]byte, 8)...)
	file = le.AppendUint32(file, 65535)
	file = le.AppendUint32(file, 1) // Ethernet
	seq := map[bool]uint32{true: 1000, false: 5000}
	n := 0
	pkt := func(fromClient bool, flags byte, payload string) {
		sp, dp := uint16(40000), uint16(5060)
		src, dst := []byte{192, 0, 2, 10}, []byte{198, 51, 100, 5}
		if !fromClient {
			sp, dp, src, dst = dp, sp, dst, src
		}
		tcp := binary.BigEndian.AppendUint16(nil, sp)
		tcp = binary.BigEndian.AppendUint16(tcp, dp)
		tcp = binary.BigEndian.AppendUint32(tcp, seq[fromClient])
		tcp = append(tcp, 0, 0, 0, 0, 5<<4, flags, 0xff, 0xff, 0, 0, 0, 0)
		tcp = append(tcp, payload...)
		seq[fromClient] += uint32(len(payload))
		if flags&0x03 != 0 {
			seq[fromClient]++
		}
		ip := []byte{0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0}
		binary.BigEndian.PutUint16(ip[2:], uint16(20+len(tcp)))
		ip = append(append(append(ip, src...), dst...), tcp...)
		eth := append([]byte{1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1, 8, 0}, ip...)
		n++
		file = le.AppendUint32(file, uint32(1700000000))
		file = le.AppendUint32(file, uint32(n))
		file = le.AppendUint32(file, uint32(len(eth)))
		file = le.AppendUint32(file, uint32(len(eth)))
		file = append(file, eth...)
	}
	pkt(true, 0x02, "")
	pkt(false, 0x12, "")
	pkt(true, 0x10, "OPTIONS sip:bob@sbc.example.test SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.10:40000\r\n\r\n")
	pkt(false, 0x10, "SIP/2.0 200 OK\r\n\r\n")
	pkt(true, 0x11, "")
	pkt(false, 0x11, "")
	return file
}

// TestNotTLS: a plaintext SIP/TCP connection is reported as not TLS, in
// text and JSON, and does not count as a TLS connection (exit status 2:
// no TLS connection to judge).
func TestNotTLS(t *testing.T) {
	name := filepath.Join(t.TempDir(), "sip-tcp.pcap")
	if err := os.WriteFile(name, sipPcap(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if got := run(&out, &errOut, []string{name}); got != exitUnknown {
		t.Errorf("exit status %d, want %d", got, exitUnknown)
	}
	for _, want := range []string{`192.0.2.10:40000 -> 198.51.100.5:5060 (packets 1-6): not TLS, first bytes "OPTIONS sip:bob@sbc.example.test"`,
		"0 TLS connection(s), 1 not TLS, 0 unrecognized"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	run(&out, &errOut, []string{"-json", name})
	if !strings.Contains(out.String(), `"protocol":"not-tls"`) || !strings.Contains(out.String(), `"first_bytes":"OPTIONS sip:`) {
		t.Errorf("JSON: %s", out.String())
	}
}

// TestDiffers: when what the capture shows differs from the prediction for
// the client's certificate, the report says so. The recorded Genesys
// failure is turned (through its JSON) into a handshake the server
// finished: OpenSSL's prediction (fails) then differs from the observation.
func TestDiffers(t *testing.T) {
	var out, errOut bytes.Buffer
	run(&out, &errOut, []string{"-json", "testdata/tls12-clientcert-noclientauth.pcap"})
	var rec struct {
		Connection json.RawMessage `json:"connection"`
	}
	if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(rec.Connection, &m)
	m["server_alerts"] = map[string]any{"count": 0, "alerts": []any{}}
	m["server_change_cipher_spec"] = true
	b, _ := json.Marshal(m)
	var c capture.Connection
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	a := assess(c, policy.OpenSSL3)
	out.Reset()
	report(&out, c, a)
	if !a.differs || !strings.Contains(out.String(), "fails (alert unsupported_certificate)  << DIFFERS from what was observed") ||
		!strings.Contains(out.String(), "seen: the server accepted a client certificate without clientAuth") {
		t.Errorf("differs %v:\n%s", a.differs, out.String())
	}
}

// TestProgress: reading that takes more than a second reports progress on
// stderr, naming the file, and nothing on stdout changes.
func TestProgress(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock = func() time.Time { now = now.Add(700 * time.Millisecond); return now }
	defer func() { clock = time.Now }()
	var out, errOut bytes.Buffer
	run(&out, &errOut, []string{"testdata/two-conns.pcapng"})
	if !strings.Contains(errOut.String(), " connections, 0.0 of 0.0 MB read") ||
		!strings.Contains(errOut.String(), "capture: testdata/two-conns.pcapng: done, 2 connections in") {
		t.Errorf("stderr:\n%s", errOut.String())
	}
	if strings.Contains(out.String(), "MB read") {
		t.Errorf("progress on stdout:\n%s", out.String())
	}
}
