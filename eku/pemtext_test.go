package eku_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/eku"
)

// sameSetContent reports whether a and b describe the same extensions
// (they may have been parsed from different memory).
func sameSetContent(a, b eku.Set) bool {
	aku, akp := a.KeyUsage()
	bku, bkp := b.KeyUsage()
	aca, abc := a.BasicConstraints()
	bca, bbc := b.BasicConstraints()
	return a.Present() == b.Present() && a.Critical() == b.Critical() && a.Purposes() == b.Purposes() &&
		aku == bku && akp == bkp && aca == bca && abc == bbc && bytes.Equal(a.Raw(), b.Raw()) &&
		a.Len() == b.Len() && a.Unknown() == b.Unknown()
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// comparePEMPaths checks that the fast PEM paths (the one-pass block
// finder, the sparse decoding of ParsePEM, the line decoder of ScanPEM)
// give exactly what the reference path gives (encoding/pem's block search
// and decodeBase64 on every block): the same Sets or the same error, the
// same DER and the same scanner error. It returns how many certificates
// ParsePEM took from their sparse decoding.
func comparePEMPaths(t *testing.T, name string, bundle []byte) (sparse int) {
	t.Helper()
	got, sparse, err := eku.ParsePEMSparseForTest(bundle, nil, nil)
	want, _, werr := eku.ParsePEMReferenceForTest(bundle, nil, nil)
	if errText(err) != errText(werr) || len(got) != len(want) {
		t.Fatalf("%s: ParsePEM = %d sets, %v; reference path %d sets, %v", name, len(got), err, len(want), werr)
	}
	for i := range got {
		if !sameSetContent(got[i], want[i]) {
			t.Fatalf("%s: certificate %d: ParsePEM %+v, reference path %+v", name, i, got[i], want[i])
		}
	}
	chain, _, cerr := eku.ParsePEMChain(bundle, nil)
	if len(want) < eku.MaxChainLen && errText(cerr) != errText(werr) {
		t.Fatalf("%s: ParsePEMChain error %v, reference path %v", name, cerr, werr)
	}
	if cerr == nil {
		for i := range chain.Len() {
			if !sameSetContent(chain.At(i), want[i]) {
				t.Fatalf("%s: ParsePEMChain certificate %d differs from the reference path", name, i)
			}
		}
	}
	sc, ref := eku.ScanPEM(bundle, nil), eku.ScanPEMReferenceForTest(bundle, nil)
	for {
		ok, rok := sc.Next(), ref.Next()
		if ok != rok || !bytes.Equal(sc.DER(), ref.DER()) || sc.Offset() != ref.Offset() || sc.Block() != ref.Block() {
			t.Fatalf("%s: ScanPEM block %d: %v %x at %d; reference path %v %x at %d", name, sc.Block(), ok, sc.DER(), sc.Offset(), rok, ref.DER(), ref.Offset())
		}
		if !ok {
			break
		}
	}
	if errText(sc.Err()) != errText(ref.Err()) {
		t.Fatalf("%s: ScanPEM error %v, reference path %v", name, sc.Err(), ref.Err())
	}
	return sparse
}

// wrapPEM encodes der as a CERTIFICATE block with lines of width
// characters ending in eol.
func wrapPEM(der []byte, width int, eol string) []byte {
	text := base64.StdEncoding.EncodeToString(der)
	var b strings.Builder
	b.WriteString("-----BEGIN CERTIFICATE-----" + eol)
	for len(text) > 0 {
		n := min(width, len(text))
		b.WriteString(text[:n] + eol)
		text = text[n:]
	}
	b.WriteString("-----END CERTIFICATE-----" + eol)
	return []byte(b.String())
}

// TestPEMFastPathAgrees runs comparePEMPaths on bundles in the RFC 7468
// layout (which must take the sparse path), in other layouts (which must
// not, and agree anyway), and on every single-character mutation and every
// truncation of the small ECDSA CA certificate's PEM and of a leaf+CA
// bundle's first lines.
func TestPEMFastPathAgrees(t *testing.T) {
	shapes := benchShapes(&testing.B{})
	var all []byte
	for _, c := range shapes {
		all = append(all, pemOf(c.der)...)
		for _, eol := range []string{"\n", "\r\n"} {
			if n := comparePEMPaths(t, c.name+" eol "+eol, wrapPEM(c.der, 64, eol)); n != 1 {
				t.Errorf("%s (%q line endings): ParsePEM decoded %d certificates sparsely, want 1", c.name, eol, n)
			}
		}
		for _, width := range []int{76, 60, 63, 65, 1 << 20} {
			comparePEMPaths(t, c.name+" width "+itoa(width), wrapPEM(c.der, width, "\n"))
		}
	}
	if n := comparePEMPaths(t, "all shapes", all); n != len(shapes) {
		t.Errorf("all shapes: %d sparse, want %d", n, len(shapes))
	}
	roots := benchRoots(&testing.B{})
	if n := comparePEMPaths(t, "150 roots", roots); n != 150 {
		t.Errorf("150 roots: %d sparse, want 150", n)
	}
	if system, err := os.ReadFile(systemRoots); err == nil {
		n := comparePEMPaths(t, systemRoots, system)
		t.Logf("%s: %d certificates decoded sparsely", systemRoots, n)
	}
	leaf := pemOf(shapes[0].der)
	for _, tc := range []struct{ name, bundle string }{
		{"text before", "subject=CN = x\nissuer=CN = y\n" + string(leaf)},
		{"text before without newline", "junk" + string(leaf)},
		{"key before", "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n" + string(leaf)},
		{"broken key before", "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n" + string(leaf)},
		{"END before", "-----END CERTIFICATE-----\n" + string(leaf)},
		{"two BEGIN lines", "-----BEGIN CERTIFICATE-----\n" + string(leaf)},
		{"headers", strings.Replace(string(leaf), "-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n", 1)},
		{"spaces after END", strings.Replace(string(leaf), "-----END CERTIFICATE-----", "-----END CERTIFICATE-----  \t", 1)},
		{"spaces after BEGIN", strings.Replace(string(leaf), "-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE----- ", 1)},
		{"lone CR at the end", strings.TrimSuffix(string(leaf), "\n") + "\r"},
		{"no newline at the end", strings.TrimSuffix(string(leaf), "\n")},
		{"blank line before END", strings.Replace(string(leaf), "\n-----END", "\n\n-----END", 1)},
		{"trailing spaces on a line", strings.Replace(string(leaf), "\n", " \n", 3)},
		{"END of another type", strings.Replace(string(leaf), "-----END CERTIFICATE-----", "-----END X509 CRL-----", 1)},
	} {
		comparePEMPaths(t, tc.name, []byte(tc.bundle))
	}
	// Every single-character mutation and truncation.
	mutated := 0
	for _, c := range []struct {
		name string
		pem  []byte
	}{
		{"ecdsaCA", pemOf(shapes[5].der)},
		{"ecdsaCA CRLF", wrapPEM(shapes[5].der, 64, "\r\n")},
		{"leaf+CA head", append(pemOf(shapes[0].der), pemOf(shapes[2].der)...)},
	} {
		b := bytes.Clone(c.pem)
		limit := len(b)
		if c.name == "leaf+CA head" {
			limit = 400 // the headers of the leaf; the rest is covered by FuzzPEM
		}
		for i := range limit {
			orig := b[i]
			for _, v := range []byte{'A', 'g', '/', '+', '=', '!', '-', '\n', '\r', ' ', 0x80, orig ^ 1} {
				if v == orig {
					continue
				}
				b[i] = v
				comparePEMPaths(t, c.name+" byte "+itoa(i)+"="+string(v), b)
				mutated++
			}
			b[i] = orig
		}
		for n := range len(c.pem) {
			comparePEMPaths(t, c.name+" truncated", c.pem[:n])
		}
	}
	t.Logf("%d mutations agree", mutated)
}

// TestB64Alphabet checks the word-at-a-time alphabet check against the
// alphabet, for every byte value in every position of a word.
func TestB64Alphabet(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for c := range 256 {
		for pos := range 64 {
			line := bytes.Repeat([]byte("QUJD"), 16)
			line[pos] = byte(c)
			want := strings.IndexByte(alphabet, byte(c)) >= 0
			if got := eku.B64LineValidForTest(line); got != want {
				t.Fatalf("byte %#02x at %d: valid %v, want %v", c, pos, got, want)
			}
		}
	}
	// Neighbours: a bad byte must not hide, or be hidden by, the bytes
	// next to it (the additions must not carry between bytes).
	for _, pair := range [][2]byte{{0xff, 'A'}, {'A', 0xff}, {0x7f, 0x7f}, {0xff, 0xff}, {'z', '{'}, {'@', 'A'}, {'/', '0'}, {'.', '+'}} {
		for pos := range 63 {
			line := bytes.Repeat([]byte("QUJD"), 16)
			line[pos], line[pos+1] = pair[0], pair[1]
			want := strings.IndexByte(alphabet, pair[0]) >= 0 && strings.IndexByte(alphabet, pair[1]) >= 0
			if got := eku.B64LineValidForTest(line); got != want {
				t.Fatalf("% x at %d: valid %v, want %v", pair, pos, got, want)
			}
		}
	}
}

// TestPEMSparseNoAllocs: the sparse path does not allocate, on a chain and
// on the 150-root trust store.
func TestPEMSparseNoAllocs(t *testing.T) {
	roots := benchRoots(&testing.B{})
	shapes := benchShapes(&testing.B{})
	chain := append(pemOf(shapes[0].der), pemOf(shapes[2].der)...)
	buf := make([]byte, 0, len(roots))
	sets := make([]eku.Set, 0, 150)
	for _, tc := range []struct {
		bundle []byte
		certs  int
	}{{chain, 2}, {roots, 150}} {
		bundle := tc.bundle
		if _, n, err := eku.ParsePEMSparseForTest(bundle, buf[:0], sets[:0]); err != nil || n != tc.certs {
			t.Fatalf("ParsePEM: %d certificates decoded sparsely (want %d), %v", n, tc.certs, err)
		}
		if got := testing.AllocsPerRun(50, func() {
			var err error
			sets, _, err = eku.ParsePEM(bundle, buf[:0], sets[:0])
			if err != nil {
				panic(err)
			}
		}); got != 0 {
			t.Errorf("ParsePEM of %d bytes: %v allocations per run, want 0", len(bundle), got)
		}
		if got := testing.AllocsPerRun(50, func() {
			c, _, err := eku.ParsePEMChain(chain, buf[:0])
			if err != nil {
				panic(err)
			}
			sinkBool = c.Permits(eku.ServerAuth, eku.Nested)
		}); got != 0 {
			t.Errorf("ParsePEMChain: %v allocations per run, want 0", got)
		}
	}
}
