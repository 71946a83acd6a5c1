package stacks

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

// TestHarnessMbedTLS runs the Mbed TLS 2.28 server in its three authmodes,
// with the outcomes observed on Debian 12's 2.28.3: REQUIRED rejects a leaf
// without clientAuth in its EKU, or with a KeyUsage lacking
// digitalSignature, with unsupported_certificate (43), and a missing
// certificate by closing without an alert; OPTIONAL continues in both cases.
func TestHarnessMbedTLS(t *testing.T) {
	t.Parallel()
	servers := map[string]*Server{
		"mbedtls-none":     StartMbedTLS(t, MbedTLSOptions{AuthMode: MbedTLSNone, MinVersion: v10, MaxVersion: v12}),
		"mbedtls-optional": StartMbedTLS(t, MbedTLSOptions{AuthMode: MbedTLSOptional, MinVersion: v10, MaxVersion: v12}),
		"mbedtls-required": StartMbedTLS(t, MbedTLSOptions{AuthMode: MbedTLSRequired, MinVersion: v10, MaxVersion: v12}),
	}
	closed := want{alert: -1, requested: true}
	var cases []harnessCase
	for _, v := range []uint16{v10, v11, v12} {
		cases = append(cases,
			harnessCase{"mbedtls-none", testpki.ServerOnly, v, okNoReq},
			harnessCase{"mbedtls-optional", "", v, okReq},
			harnessCase{"mbedtls-optional", testpki.ServerOnly, v, okReq},
			harnessCase{"mbedtls-optional", testpki.KeyEnciphermentOnly, v, okReq},
			harnessCase{"mbedtls-required", "", v, closed},
			harnessCase{"mbedtls-required", testpki.ClientOnly, v, okReq},
			harnessCase{"mbedtls-required", testpki.AnyEKU, v, okReq},
			harnessCase{"mbedtls-required", testpki.NSCertTypeServer, v, okReq},
			harnessCase{"mbedtls-required", testpki.ClientUnderServerInt, v, okReq},
			harnessCase{"mbedtls-required", testpki.ServerOnly, v, alert(43)},
			harnessCase{"mbedtls-required", testpki.KeyEnciphermentOnly, v, alert(43)},
		)
	}
	runCases(t, servers, cases)
}

var connLine = regexp.MustCompile(`(?m)^CONN [0-9]+ (ok|fail) .*verify=(0x[0-9a-f]{8})`)

// TestMbedTLSOptionalFlags: with authmode OPTIONAL the library still checks
// the client certificate and records what it found for
// mbedtls_ssl_get_verify_result (the server logs it), while the handshake
// goes on.
func TestMbedTLSOptionalFlags(t *testing.T) {
	t.Parallel()
	s := StartMbedTLS(t, MbedTLSOptions{AuthMode: MbedTLSOptional})
	pki := testpki.New()
	for _, tc := range []struct {
		variant testpki.Name
		flags   string
	}{
		{testpki.ClientOnly, "0x00000000"},
		{testpki.ServerOnly, "0x00001000"},          // MBEDTLS_X509_BADCERT_EXT_KEY_USAGE
		{testpki.KeyEnciphermentOnly, "0x00000800"}, // MBEDTLS_X509_BADCERT_KEY_USAGE
		{"", "0x00000040"},                          // MBEDTLS_X509_BADCERT_MISSING
	} {
		before := len(connLine.FindAllString(s.Log(), -1))
		opts := ClientOptions{MinVersion: v12, MaxVersion: v12}
		if tc.variant != "" {
			l := pki.Variant(tc.variant)
			opts.Chain, opts.Key = l.Chain, l.Key
		}
		got := Handshake(context.Background(), s.Addr, opts)
		if !got.OK || !got.Echoed {
			t.Errorf("%s: Handshake(%q) = %v (%s), want an echoed success\n%s", s, tc.variant, got, got.Detail, s.Log())
			continue
		}
		// The child logs before it echoes; the log reader may lag a little.
		var m []string
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if all := connLine.FindAllStringSubmatch(s.Log(), -1); len(all) > before {
				m = all[len(all)-1]
				break
			}
		}
		if m == nil {
			t.Errorf("%s: no CONN line for %q in the server log:\n%s", s, tc.variant, s.Log())
			continue
		}
		if m[1] != "ok" || m[2] != tc.flags {
			t.Errorf("%s: %q: server logged %q, want ok with verify=%s", s, tc.variant, m[0], tc.flags)
		}
	}
}

// TestMbedTLSBuild: the library the server links with reports a version,
// and a version range it cannot serve stops the server with a clear error.
func TestMbedTLSBuild(t *testing.T) {
	t.Parallel()
	b := MbedTLSInfo(t)
	if _, ok := parseVersion3(b.Version); !ok {
		t.Fatalf("MbedTLSInfo().Version = %q", b.Version)
	}
	t.Logf("Mbed TLS %s, TLS 1.3 compiled in: %v", b.Version, b.TLS13)
	if b.TLS13 {
		return
	}
	bin, err := mbedtlsBinary()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "/dev/null", "/dev/null", "/dev/null", "required", "0303", "0304").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "ERROR version range 0303-0304") {
		t.Errorf("mbedtls_server with TLS 1.3 on a build without it: err %v, output %q; want an ERROR version range line", err, out)
	}
}

func TestParseMbedTLSBuild(t *testing.T) {
	for _, tc := range []struct {
		line string
		want MbedTLSBuild
		ok   bool
	}{
		{"MBEDTLS version=2.28.3 tls1_3=no tls1_3_lib=no", MbedTLSBuild{Version: "2.28.3"}, true},
		{"MBEDTLS version=3.6.2 tls1_3=yes tls1_3_lib=yes", MbedTLSBuild{Version: "3.6.2", TLS13: true}, true},
		{"MBEDTLS version=2.28.3 tls1_3=yes tls1_3_lib=no", MbedTLSBuild{Version: "2.28.3"}, true},
		{"MBEDTLS version=2.28 tls1_3=no tls1_3_lib=no", MbedTLSBuild{}, false},
		{"MBEDTLS version=2.28.3", MbedTLSBuild{}, false},
		{"READY 1234", MbedTLSBuild{}, false},
		{"MBEDTLS version=2.28.3 tls1_3 tls1_3_lib=no", MbedTLSBuild{}, false},
	} {
		got, err := parseMbedTLSBuild(tc.line)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseMbedTLSBuild(%q) = %+v, %v; want %+v, ok %v", tc.line, got, err, tc.want, tc.ok)
		}
	}
	for m, want := range map[MbedTLSAuthMode]string{MbedTLSNone: "none", MbedTLSOptional: "optional", MbedTLSRequired: "required", 9: "MbedTLSAuthMode(9)"} {
		if got := m.String(); got != want {
			t.Errorf("MbedTLSAuthMode(%d).String() = %q, want %q", m, got, want)
		}
	}
}

func TestMissingMbedTLSHeaders(t *testing.T) {
	noHeaders := "/tmp/x/mbedtls_server.c:38:10: fatal error: mbedtls/ctr_drbg.h: No such file or directory\n   38 | #include <mbedtls/ctr_drbg.h>\n"
	if !missingMbedTLSHeaders([]byte(noHeaders)) {
		t.Errorf("missingMbedTLSHeaders(%q) = false", noHeaders)
	}
	other := "mbedtls_server.c:12:1: error: unknown type name 'foo'\n/usr/bin/ld: cannot find -lmbedtls: No such file or directory\n"
	if missingMbedTLSHeaders([]byte(other)) {
		t.Errorf("missingMbedTLSHeaders(%q) = true", other)
	}
}

func TestKindNames(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range []Kind{GoTLS, OpenSSL, GnuTLS, Java, Kamailio, MbedTLS, NSS} {
		name := k.String()
		if strings.HasPrefix(name, "Kind(") || seen[name] {
			t.Errorf("Kind %d: name %q missing or repeated", uint8(k), name)
		}
		seen[name] = true
	}
}
