package eku_test

import (
	"bytes"
	"crypto/x509"
	"encoding/csv"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/eku"
	zx509 "github.com/zmap/zcrypto/x509"
	"golang.org/x/crypto/cryptobyte"
	cryptobyte_asn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// goEKU maps crypto/x509's ExtKeyUsage values to dotted OIDs (crypto/x509
// does not export its table). This is the oracle side of the test, not a
// second purpose table: it only translates crypto/x509's answers.
var goEKU = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny:                            "2.5.29.37.0",
	x509.ExtKeyUsageServerAuth:                     "1.3.6.1.5.5.7.3.1",
	x509.ExtKeyUsageClientAuth:                     "1.3.6.1.5.5.7.3.2",
	x509.ExtKeyUsageCodeSigning:                    "1.3.6.1.5.5.7.3.3",
	x509.ExtKeyUsageEmailProtection:                "1.3.6.1.5.5.7.3.4",
	x509.ExtKeyUsageIPSECEndSystem:                 "1.3.6.1.5.5.7.3.5",
	x509.ExtKeyUsageIPSECTunnel:                    "1.3.6.1.5.5.7.3.6",
	x509.ExtKeyUsageIPSECUser:                      "1.3.6.1.5.5.7.3.7",
	x509.ExtKeyUsageTimeStamping:                   "1.3.6.1.5.5.7.3.8",
	x509.ExtKeyUsageOCSPSigning:                    "1.3.6.1.5.5.7.3.9",
	x509.ExtKeyUsageMicrosoftServerGatedCrypto:     "1.3.6.1.4.1.311.10.3.3",
	x509.ExtKeyUsageNetscapeServerGatedCrypto:      "2.16.840.1.113730.4.1",
	x509.ExtKeyUsageMicrosoftCommercialCodeSigning: "1.3.6.1.4.1.311.2.1.22",
	x509.ExtKeyUsageMicrosoftKernelCodeSigning:     "1.3.6.1.4.1.311.61.1.1",
}

// zEKU maps the zcrypto ExtKeyUsage values of the common purposes.
var zEKU = map[zx509.ExtKeyUsage]eku.Purpose{
	zx509.ExtKeyUsageAny:                        eku.Any,
	zx509.ExtKeyUsageServerAuth:                 eku.ServerAuth,
	zx509.ExtKeyUsageClientAuth:                 eku.ClientAuth,
	zx509.ExtKeyUsageCodeSigning:                eku.CodeSigning,
	zx509.ExtKeyUsageEmailProtection:            eku.EmailProtection,
	zx509.ExtKeyUsageIpsecEndSystem:             eku.IPsecEndSystem,
	zx509.ExtKeyUsageIpsecTunnel:                eku.IPsecTunnel,
	zx509.ExtKeyUsageIpsecUser:                  eku.IPsecUser,
	zx509.ExtKeyUsageTimeStamping:               eku.TimeStamping,
	zx509.ExtKeyUsageOcspSigning:                eku.OCSPSigning,
	zx509.ExtKeyUsageMicrosoftServerGatedCrypto: eku.MicrosoftServerGatedCrypto,
	zx509.ExtKeyUsageNetscapeServerGatedCrypto:  eku.NetscapeServerGatedCrypto,
}

// inZcrypto reports, from the checked-in table, which purposes zcrypto knows.
func inZcrypto(t *testing.T) map[string]bool {
	f, err := os.ReadFile("internal/gen/purposes.csv")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(f), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(strings.Join(lines, "\n"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, r := range recs[1:] {
		m[r[2]] = r[3] == "zcrypto"
	}
	return m
}

var (
	oidExtEKU = []int{2, 5, 29, 37}
	oidExtKU  = []int{2, 5, 29, 15}
)

// diffStats counts what the differential test saw.
type diffStats struct {
	files, certs, x509Rejected, ekuAlsoAccepted int
	withEKU, agreeX509                          int
	zRejected, agreeZ                           int
	pemAgree, pemIntentional                    int
	fastFallback                                int // accepted by the reference parser, declined by the fast path
	intentional                                 map[string]int
}

// TestDifferential runs eku.Parse, crypto/x509 and zcrypto over certificates
// nobody here wrote: Go's own crypto testdata (NIST PKITS included) and the
// zlint v3.7.3 module's testdata, and fails on any disagreement about
// presence, criticality, listed purposes and unknown count (and KeyUsage and
// basicConstraints cA) for every certificate crypto/x509 accepts.
func TestDifferential(t *testing.T) {
	zc := inZcrypto(t)
	t.Run("goroot", func(t *testing.T) {
		t.Parallel()
		root := filepath.Join(goEnv(t, "GOROOT"), "src", "crypto")
		st := runCorpus(t, root, zc)
		if st.certs < 400 {
			t.Errorf("only %d certificates found under %s, want the x509 testdata and NIST PKITS (400+)", st.certs, root)
		}
	})
	t.Run("zlint", func(t *testing.T) {
		t.Parallel()
		dir := zlintDir(t)
		st := runCorpus(t, filepath.Join(dir, "testdata"), zc)
		if st.certs < 1000 {
			t.Errorf("only %d certificates in zlint testdata, want 1000+", st.certs)
		}
	})
}

// zlintDir finds zlint v3.7.3 with `go mod download -json` (into the module
// cache, never into this repository or go.mod).
func zlintDir(t *testing.T) string {
	cmd := exec.Command(goCmd(t), "mod", "download", "-json", "github.com/zmap/zlint/v3@v3.7.3")
	cmd.Dir = t.TempDir() // outside any module: nothing is recorded anywhere
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	if err == nil {
		err = json.Unmarshal(out, &info)
	}
	if err != nil || info.Dir == "" {
		msg := "cannot download github.com/zmap/zlint/v3@v3.7.3 (offline?): " + string(out)
		if err != nil {
			msg += " " + err.Error()
		}
		if os.Getenv("TLSCOMPAT_REQUIRE_STACKS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (set TLSCOMPAT_REQUIRE_STACKS=1 to make this fatal)")
	}
	return info.Dir
}

func runCorpus(t *testing.T, root string, zc map[string]bool) diffStats {
	st := diffStats{intentional: map[string]int{}}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".pem", ".crt", ".der", ".cer":
		default:
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		st.files++
		rel, _ := filepath.Rel(root, path)
		var ders [][]byte
		if bytes.Contains(data, []byte("-----BEGIN")) {
			ders = stdlibPEMCertificates(data)
			comparePEM(t, rel, data, ders, &st)
		} else {
			ders = [][]byte{data}
		}
		for i, der := range ders {
			compareOne(t, rel, i, der, zc, &st)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d files, %d certificates; crypto/x509 rejected %d (eku accepted %d of those: it does not read names, keys or other extensions); "+
		"%d accepted by crypto/x509, %d with EKU, %d agree with crypto/x509; zcrypto rejected %d, %d agree with zcrypto; "+
		"PEM scanner: %d files agree with encoding/pem, %d intentional differences; "+
		"fast path agrees with the reference parser on all, %d accepted certificates took the reference parser",
		root, st.files, st.certs, st.x509Rejected, st.ekuAlsoAccepted,
		st.certs-st.x509Rejected, st.withEKU, st.agreeX509, st.zRejected, st.agreeZ, st.pemAgree, st.pemIntentional, st.fastFallback)
	for reason, n := range st.intentional {
		t.Logf("  intentional disagreement (%d): %s", n, reason)
	}
	return st
}

// comparePEM checks that eku's PEM scanner yields exactly the CERTIFICATE
// blocks encoding/pem yields.
func comparePEM(t *testing.T, name string, data []byte, want [][]byte, st *diffStats) {
	sc := eku.ScanPEM(data, make([]byte, 0, len(data)))
	var got [][]byte
	for sc.Next() {
		got = append(got, sc.DER())
	}
	if err := sc.Err(); err != nil {
		// encoding/pem silently skips a block with broken base64; eku reports it.
		st.pemIntentional++
		st.intentional["PEM block with broken base64: encoding/pem skips it, eku reports a *PEMError"]++
		t.Logf("%s: %v", name, err)
		return
	}
	if !slices.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("%s: PEM scanner found %d certificates, encoding/pem %d (or different bytes)", name, len(got), len(want))
		return
	}
	st.pemAgree++
}

func compareOne(t *testing.T, file string, idx int, der []byte, zc map[string]bool, st *diffStats) {
	t.Helper()
	st.certs++
	if checkFastSlow(t, file+"#"+strconv.Itoa(idx), der) {
		st.fastFallback++
	}
	s, err := eku.Parse(der)
	gc, gerr := x509.ParseCertificate(der)
	if gerr != nil {
		st.x509Rejected++
		if err == nil {
			st.ekuAlsoAccepted++
		}
		return
	}
	where := file + "#" + strconv.Itoa(idx)
	if err != nil {
		t.Errorf("%s: crypto/x509 accepts, eku.Parse error: %v", where, err)
		return
	}
	ok := true
	fail := func(format string, args ...any) {
		t.Errorf(where+": "+format, args...)
		ok = false
	}

	// Presence and criticality, from crypto/x509's raw extension list.
	var present, critical, kuPresent bool
	var ekuValue []byte
	for _, e := range gc.Extensions {
		if e.Id.Equal(oidExtEKU) {
			present, critical, ekuValue = true, e.Critical, e.Value
		}
		if e.Id.Equal(oidExtKU) {
			kuPresent = true
		}
	}
	if present {
		st.withEKU++
	}
	if s.Present() != present || s.Critical() != critical {
		fail("Present, Critical = %v, %v; crypto/x509 %v, %v", s.Present(), s.Critical(), present, critical)
	}

	// Listed OIDs: crypto/x509 splits them into known and unknown lists; the
	// walk, split the same way, must give the same sequences.
	var gotKnown, gotUnknown, all []string
	unknown := 0
	it := s.OIDs()
	for it.Next() {
		d := string(it.AppendText(nil))
		all = append(all, d)
		if it.Purpose() == eku.Unknown {
			unknown++
		}
		if slices.Contains(mapsValues(goEKU), d) {
			gotKnown = append(gotKnown, d)
		} else {
			gotUnknown = append(gotUnknown, d)
		}
	}
	var wantKnown, wantUnknown []string
	for _, u := range gc.ExtKeyUsage {
		wantKnown = append(wantKnown, goEKU[u])
	}
	for _, u := range gc.UnknownExtKeyUsage {
		wantUnknown = append(wantUnknown, u.String())
	}
	if !slices.Equal(gotKnown, wantKnown) || !slices.Equal(gotUnknown, wantUnknown) {
		fail("OIDs = %q + %q; crypto/x509 %q + %q", gotKnown, gotUnknown, wantKnown, wantUnknown)
	}
	if n := len(gc.ExtKeyUsage) + len(gc.UnknownExtKeyUsage); s.Len() != n || s.Unknown() != unknown {
		fail("Len, Unknown = %d, %d; crypto/x509 lists %d KeyPurposeIds, the walk %d unknown", s.Len(), s.Unknown(), n, unknown)
	}
	// Raw: exactly the SEQUENCE contents of crypto/x509's extnValue.
	var seq cryptobyte.String
	if val := cryptobyte.String(ekuValue); present && !val.ReadASN1(&seq, cryptobyte_asn1.SEQUENCE) {
		fail("crypto/x509's EKU extnValue % x is not a SEQUENCE", ekuValue)
	}
	if raw := s.Raw(); !bytes.Equal(raw, seq) || (raw == nil) != !present || cap(raw) != len(raw) {
		fail("Raw() = % x (cap %d); the extnValue's SEQUENCE holds % x", raw, cap(raw), []byte(seq))
	}
	for _, p := range eku.Purposes() {
		if s.Has(p) != slices.Contains(all, p.OID()) {
			fail("Has(%v) = %v, but the listed OIDs are %q", p, s.Has(p), all)
		}
	}
	ku, kuOK := s.KeyUsage()
	if kuOK != kuPresent || (kuOK && x509.KeyUsage(ku) != gc.KeyUsage) {
		fail("KeyUsage() = %v, %v; crypto/x509 %v, %v", ku, kuOK, gc.KeyUsage, kuPresent)
	}
	if s.IsCA() != (gc.BasicConstraintsValid && gc.IsCA) {
		fail("IsCA() = %v; crypto/x509 %v", s.IsCA(), gc.IsCA)
	}
	if ok {
		st.agreeX509++
	}

	if gc.Version < 3 && len(zcertExtensions(der)) > 0 {
		// RFC 5280, 4.1.2.9: extensions appear only in v3. crypto/x509 and
		// eku ignore them in a v1/v2 certificate; zcrypto reads them.
		st.intentional["v1/v2 certificate carrying extensions: crypto/x509 and eku ignore them (RFC 5280 4.1.2.9), zcrypto reads them"]++
		return
	}
	zcert, zerr := zx509.ParseCertificate(der)
	if zerr != nil {
		st.zRejected++
		st.intentional["zcrypto rejects a certificate crypto/x509 accepts (not compared with zcrypto)"]++
		return
	}
	zok := true
	zpresent, zcritical := false, false
	for _, e := range zcert.Extensions {
		if e.Id.Equal(oidExtEKU) {
			zpresent, zcritical = true, e.Critical
		}
	}
	if s.Present() != zpresent || s.Critical() != zcritical {
		t.Errorf("%s: Present, Critical = %v, %v; zcrypto %v, %v", where, s.Present(), s.Critical(), zpresent, zcritical)
		zok = false
	}
	// zcrypto knows the "zcrypto" rows of the table; the "extra" rows and
	// the truly unknown OIDs are zcrypto's UnknownExtKeyUsage, in order.
	var zWantUnknown []string
	zKnown := 0
	for _, d := range all {
		if zc[d] {
			zKnown++
		} else {
			zWantUnknown = append(zWantUnknown, d)
		}
	}
	var zUnknown []string
	for _, u := range zcert.UnknownExtKeyUsage {
		zUnknown = append(zUnknown, u.String())
	}
	if len(zcert.ExtKeyUsage) != zKnown || !slices.Equal(zUnknown, zWantUnknown) {
		t.Errorf("%s: zcrypto lists %d known + %q unknown; eku %d zcrypto-known + %q", where, len(zcert.ExtKeyUsage), zUnknown, zKnown, zWantUnknown)
		zok = false
	}
	for _, u := range zcert.ExtKeyUsage {
		if p, ok := zEKU[u]; ok && !s.Has(p) {
			t.Errorf("%s: zcrypto lists %v, eku does not", where, p)
			zok = false
		}
	}
	if zok {
		st.agreeZ++
	}
}

func mapsValues(m map[x509.ExtKeyUsage]string) []string {
	var v []string
	for _, s := range m {
		v = append(v, s)
	}
	return v
}

// zcertExtensions returns zcrypto's view of the extensions, or nil.
func zcertExtensions(der []byte) []string {
	c, err := zx509.ParseCertificate(der)
	if err != nil {
		return nil
	}
	var ids []string
	for _, e := range c.Extensions {
		ids = append(ids, e.Id.String())
	}
	return ids
}

// goCmd returns the go command (go test puts GOROOT/bin on PATH).
func goCmd(t *testing.T) string {
	p, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go command not found: %v", err)
	}
	return p
}

func goEnv(t *testing.T, key string) string {
	out, err := exec.Command(goCmd(t), "env", key).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	return strings.TrimSpace(string(out))
}

// stdlibPEMCertificates returns the DER of every CERTIFICATE block that
// encoding/pem finds in data: the reference the PEM scanner is compared with.
func stdlibPEMCertificates(data []byte) [][]byte {
	var ders [][]byte
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return ders
		}
		if b.Type == "CERTIFICATE" {
			ders = append(ders, b.Bytes)
		}
	}
}
