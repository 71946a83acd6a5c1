package eku_test

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"slices"
	"testing"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
	"golang.org/x/crypto/cryptobyte"
	cryptobyte_asn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// hostileSeeds are malformed inputs for both fuzz targets.
func hostileSeeds() [][]byte {
	good := certWith(ext(oidEKUExt, true, tlv(0x30, kpServer)), ext(oidKUExt, false, []byte{0x03, 0x02, 0x07, 0x80}))
	return [][]byte{
		nil,
		{0x30},
		{0x30, 0x00},
		{0x30, 0x84, 0xff, 0xff, 0xff, 0xff},       // huge length
		{0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9},    // length of length too big
		{0x30, 0x80, 0x00, 0x00},                   // indefinite length (BER)
		{0x30, 0x81, 0x01, 0x00},                   // non-minimal length
		{0x1f, 0x81, 0x01, 0x00},                   // high tag number
		good[:len(good)/2],                         // truncated
		append(append([]byte{}, good...), 0x00),    // trailing data
		append([]byte{0x31}, good[1:]...),          // wrong tag
		nest(500),                                  // deep nesting
		certWith(ext(oidEKUExt, false, tlv(0x30))), // empty EKU
		certWith(ext(oidEKUExt, false, tlv(0x30, kpServer)), ext(oidEKUExt, false, tlv(0x30, kpServer))),
		certWith(ext(oidEKUExt, false, tlv(0x30, []byte{0x06, 0x03, 0x2b, 0x80, 0x01}))),
		good,
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range hostileSeeds() {
		f.Add(s)
	}
	for _, spec := range []certgen.Spec{
		{Name: "fuzz a", EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth, certgen.OIDClientAuth, {1, 2, 3}}},
		{Name: "fuzz b", NoEKU: true, CA: true, KeyUsage: x509.KeyUsageCertSign},
		{Name: "fuzz c", EKU: []asn1.ObjectIdentifier{certgen.OIDAny}, CriticalEKU: true},
	} {
		f.Add(certgen.MustIssue(spec, nil).DER)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		s, err := eku.Parse(der)
		if err != nil {
			var pe *eku.ParseError
			if !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(der) || pe.Structure == "" {
				t.Fatalf("Parse() error = %#v, want a *ParseError with an offset in [0,%d]", err, len(der))
			}
			if s.Present() || s.Len() != 0 || s.Raw() != nil {
				t.Fatalf("partial Set alongside error %v", err)
			}
		}
		n := 0
		var text []byte
		for it := s.OIDs(); it.Next(); n++ {
			text = it.AppendText(text[:0])
			if p := it.Purpose(); p != eku.Unknown && string(text) != p.OID() {
				t.Fatalf("OID text %q for purpose %v (%s)", text, p, p.OID())
			}
		}
		if n != s.Len() {
			t.Fatalf("OID walk yields %d, Len() = %d", n, s.Len())
		}
		gc, gerr := x509.ParseCertificate(der)
		if gerr != nil {
			return
		}
		if err != nil {
			t.Fatalf("crypto/x509 accepts, eku.Parse() error = %v", err)
		}
		present, critical := false, false
		var seq cryptobyte.String
		for _, e := range gc.Extensions {
			if e.Id.Equal(oidExtEKU) {
				present, critical = true, e.Critical
				val := cryptobyte.String(e.Value)
				val.ReadASN1(&seq, cryptobyte_asn1.SEQUENCE)
			}
		}
		if raw := s.Raw(); !bytes.Equal(raw, seq) || cap(raw) != len(raw) {
			t.Fatalf("Raw() = % x (cap %d); crypto/x509's extnValue SEQUENCE holds % x", raw, cap(raw), []byte(seq))
		}
		if s.Present() != present || s.Critical() != critical || s.Len() != len(gc.ExtKeyUsage)+len(gc.UnknownExtKeyUsage) {
			t.Fatalf("Present, Critical, Len = %v, %v, %d; crypto/x509 %v, %v, %d", s.Present(), s.Critical(), s.Len(), present, critical, len(gc.ExtKeyUsage)+len(gc.UnknownExtKeyUsage))
		}
		for _, u := range gc.ExtKeyUsage {
			p, _ := eku.ParsePurpose(goEKU[u])
			if p != eku.Unknown && !s.Has(p) {
				t.Fatalf("crypto/x509 lists %s, eku does not", goEKU[u])
			}
		}
		if ku, _ := s.KeyUsage(); x509.KeyUsage(ku) != gc.KeyUsage || s.IsCA() != (gc.BasicConstraintsValid && gc.IsCA) {
			t.Fatalf("KeyUsage, IsCA = %v, %v; crypto/x509 %v, %v", ku, s.IsCA(), gc.KeyUsage, gc.IsCA)
		}
	})
}

func FuzzPEM(f *testing.F) {
	leaf := certgen.MustIssue(certgen.Spec{Name: "fuzz pem", EKU: []asn1.ObjectIdentifier{certgen.OIDClientAuth}}, nil)
	good := leaf.PEM()
	f.Add(good)
	f.Add(append(append([]byte("junk\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), good...), good...))
	f.Add(bytes.Replace(good, []byte("M"), []byte("!"), 1))                             // broken base64
	f.Add(good[:len(good)-20])                                                          // no END line
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))           // empty
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nQQ==QUJD\n-----END CERTIFICATE-----\n")) // data after padding
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\nMAA=\n-----END CERTIFICATE-----\n"))
	for _, s := range hostileSeeds() {
		f.Add(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s}))
	}
	for _, c := range benchShapes(&testing.B{}) { // the shapes the sparse PEM path is measured on
		f.Add(pemOf(c.der))
	}
	f.Add(bytes.ReplaceAll(good, []byte("\n"), []byte("\r\n")))
	f.Add(append(append([]byte{}, good...), good...))
	f.Fuzz(func(t *testing.T, bundle []byte) {
		// The fast paths (one-pass block finder, sparse decoding, line
		// decoder) agree with the reference path in everything.
		comparePEMPaths(t, "input", bundle)
		sc := eku.ScanPEM(bundle, nil)
		var got [][]byte
		for sc.Next() {
			got = append(got, sc.DER())
			_, _ = eku.Parse(sc.DER())
		}
		if err := sc.Err(); err != nil {
			var pe *eku.PEMError
			if !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(bundle) {
				t.Fatalf("Err() = %#v, want a *PEMError with an offset in [0,%d]", err, len(bundle))
			}
			return
		}
		// Without an error, the scanner finds what encoding/pem finds.
		want := stdlibPEMCertificates(bundle)
		if !slices.EqualFunc(got, want, bytes.Equal) {
			t.Fatalf("ScanPEM found %d certificates %x, encoding/pem %d %x", len(got), got, len(want), want)
		}
		// ParsePEM agrees with the scanner.
		sets, _, err := eku.ParsePEM(bundle, nil, nil)
		if err == nil && len(sets) != len(got) {
			t.Fatalf("ParsePEM() = %d sets, scanner %d certificates", len(sets), len(got))
		}
	})
}

func errorsAs[T any](err error, target *T) bool { return errors.As(err, target) }

// TestPEMHeadersLikeEncodingPEM pins the RFC 1421 header and line-ending
// cases FuzzPEM found (testdata/fuzz/FuzzPEM): the headers are the lines
// with a colon, and the first line without one starts the base64 text
// whether or not it is blank; lines end in "\n" or "\r\n" only. Where both succeed, the scanner finds
// what encoding/pem finds; where encoding/pem silently skips a block with
// broken base64, the scanner reports an error.
func TestPEMHeadersLikeEncodingPEM(t *testing.T) {
	for _, tc := range []struct {
		name, bundle string
		wantErr      bool
	}{
		{"blank line after headers", "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\nMAA=\n-----END CERTIFICATE-----\n", false},
		{"no blank line after headers", "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nMAA=\n-----END CERTIFICATE-----\n", false},
		{"non-header line ends the headers", "-----BEGIN CERTIFICATE-----\n:\n4,ENCRYPTED\n\nMAA=\n-----END CERTIFICATE-----", true},
		{"headers then END: encoding/pem reads no block, the scanner says so", "-----BEGIN CERTIFICATE-----\nA: b\n-----END CERTIFICATE-----\n", true},
		{"headers, blank line, END: an empty block is an error", "-----BEGIN CERTIFICATE-----\nA: b\n\n-----END CERTIFICATE-----\n", true},
		// FuzzPEM, testdata/fuzz/FuzzPEM/068e186bf649761b: a "\r" not
		// followed by "\n" is part of the line, so this END line is not one.
		{"END line ending in a lone CR", "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\r", true},
		{"END line ending in CR LF", "-----BEGIN CERTIFICATE-----\r\nMAA=\r\n-----END CERTIFICATE-----\r\n", false},
		{"CR before a space at the end of the END line", "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\r \n", true},
		// FuzzPEM, testdata/fuzz/FuzzPEM/a7fd84109dc9de8c: a header line that
		// swallows the END line makes encoding/pem give up on the rest.
		{"header swallows END, encoding/pem gives up", "-----BEGIN -----\n-----END X :Y-----\n-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n", true},
		{"bad base64 in a skipped block resumes after END's prefix", "-----BEGIN X-----\n!!!!\n-----END X-----\n-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := eku.ScanPEM([]byte(tc.bundle), nil)
			var got [][]byte
			for sc.Next() {
				got = append(got, sc.DER())
			}
			if (sc.Err() != nil) != tc.wantErr {
				t.Fatalf("Err() = %v, want error %v", sc.Err(), tc.wantErr)
			}
			if want := stdlibPEMCertificates([]byte(tc.bundle)); !tc.wantErr && !slices.EqualFunc(got, want, bytes.Equal) {
				t.Errorf("ScanPEM found %x, encoding/pem %x", got, want)
			}
		})
	}
}
