package eku_test

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
)

// checkFastSlow checks the contract between Parse's fast path and the
// reference cryptobyte parser: the fast path succeeds only where the reference
// succeeds, with an identical Set. It reports whether the fast path declined
// input that the reference accepts (a fallback: correct, only slower).
func checkFastSlow(t *testing.T, name string, der []byte) (fellBack bool) {
	t.Helper()
	fs, fok := eku.ParseFastForTest(der)
	ss, serr := eku.ParseSlowForTest(der)
	ps, perr := eku.Parse(der)
	switch {
	case fok && serr != nil:
		t.Errorf("%s: fast path accepts, reference parser rejects: %v", name, serr)
	case fok && !eku.SameSet(fs, ss):
		t.Errorf("%s: fast path and reference parser disagree:\nfast %+v\nslow %+v", name, fs, ss)
	}
	// Parse is the fast path or else the reference, errors included.
	if (perr == nil) != (serr == nil) || perr != nil && perr.Error() != serr.Error() || !eku.SameSet(ps, ss) {
		t.Errorf("%s: Parse() = %+v, %v; reference parser %+v, %v", name, ps, perr, ss, serr)
	}
	return !fok && serr == nil
}

// fastPathCerts are certificates the fast path must take without falling
// back: the benchmark shapes and typical generated certificates.
func fastPathCerts(tb testing.TB) map[string][]byte {
	m := map[string][]byte{}
	for _, c := range benchShapes(&testing.B{}) {
		m["bench "+c.name] = c.der
	}
	for i, spec := range []certgen.Spec{
		{Name: "fast a", EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth, certgen.OIDClientAuth, {1, 2, 3}, {1, 3, 6, 1, 5, 5, 7, 3, 99}}},
		{Name: "fast b", NoEKU: true, CA: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDecipherOnly},
		{Name: "fast c", EKU: []asn1.ObjectIdentifier{certgen.OIDAny}, CriticalEKU: true, DNSNames: certgen.ManyNames(40)},
		// A subject of 128-255 bytes (0x81 length: certHeadersAny) and a
		// subjectAltName of 128-255 bytes (an id-ce Extension with 0x81
		// lengths: extState.slowExt).
		{Name: "fast d " + strings.Repeat("n", 140), EKU: []asn1.ObjectIdentifier{certgen.OIDClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature},
		{Name: "fast e", EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth}, DNSNames: certgen.ManyNames(6)},
	} {
		m["generated "+string(rune('a'+i))] = certgen.MustIssue(spec, nil).DER
	}
	return m
}

// TestFastAgreesWithSlow checks the fast-path contract on the benchmark
// shapes and generated certificates (which must take the fast path), on the
// hostile seeds, and on every single-byte mutation and truncation of the
// benchmark shapes. The differential test checks it on every corpus
// certificate as well.
func TestFastAgreesWithSlow(t *testing.T) {
	for name, der := range fastPathCerts(t) {
		if checkFastSlow(t, name, der) {
			t.Errorf("%s: fast path declined a well-formed certificate", name)
		}
	}
	for i, der := range hostileSeeds() {
		checkFastSlow(t, "hostile seed "+itoa(i), der)
	}
	mutated, fallbacks := 0, 0
	for _, c := range benchShapes(&testing.B{}) {
		der := bytes.Clone(c.der)
		for i := range der {
			orig := der[i]
			for _, v := range [...]byte{orig ^ 0xff, orig + 1, orig - 1, 0x80, 0x00, 0x81, 0x82} {
				der[i] = v
				mutated++
				if checkFastSlow(t, c.name+" byte "+itoa(i), der) {
					fallbacks++
				}
			}
			der[i] = orig
		}
		for n := range len(der) {
			checkFastSlow(t, c.name+" truncated", der[:n])
		}
	}
	t.Logf("%d single-byte mutations of the benchmark shapes agree; %d of the accepted ones took the reference parser", mutated, fallbacks)
}

// FuzzFastSlow checks the fast-path contract on arbitrary input.
func FuzzFastSlow(f *testing.F) {
	for _, s := range hostileSeeds() {
		f.Add(s)
	}
	for _, der := range fastPathCerts(f) {
		f.Add(der)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		checkFastSlow(t, "input", der)
	})
}

// TestFastExtnIDs checks the fast path's extnID check (validOIDShort, two
// words at a time for 8 to 12 bytes, written out in slowExt) through
// Parse: random extnIDs of 1 to 14 bytes over the bytes that matter (arc
// ends, continuation bytes, 0x80), in an Extension before an EKU. The fast
// path must agree with the reference parser, and take every valid extnID
// of that length whose arcs have at most four bytes.
func TestFastExtnIDs(t *testing.T) {
	alphabet := []byte{0x00, 0x01, 0x2b, 0x7f, 0x80, 0x81, 0xff}
	rng := rand.New(rand.NewPCG(3, 4))
	fast := 0
	for range 20000 {
		oid := make([]byte, 1+rng.IntN(14))
		for i := range oid {
			oid[i] = alphabet[rng.IntN(len(alphabet))]
		}
		der := certWith(ext(tlv(0x06, oid), rng.IntN(2) == 0, []byte{0x05, 0x00}), ext(oidEKUExt, false, tlv(0x30, kpServer)))
		fellBack := checkFastSlow(t, "extnID "+hex.EncodeToString(oid), der)
		if _, err := eku.ParseSlowForTest(der); err == nil && !fellBack {
			fast++
		} else if err == nil && oidArcsAtMost4(oid) {
			t.Errorf("extnID % x: a valid OID with short arcs took the reference parser", oid)
		}
	}
	t.Logf("%d of 20000 random extnIDs accepted on the fast path", fast)
}

// oidArcsAtMost4 reports whether every arc of oid has at most four bytes.
func oidArcsAtMost4(oid []byte) bool {
	run := 0 // continuation bytes of the current arc
	for _, c := range oid {
		if c < 0x80 {
			run = 0
			continue
		}
		if run++; run > 3 {
			return false
		}
	}
	return true
}
