package eku_test

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"testing"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
)

func TestParseGenerated(t *testing.T) {
	oidUnknown := asn1.ObjectIdentifier{1, 2, 3, 4, 5}
	tests := []struct {
		name                       string
		spec                       certgen.Spec
		present, critical, isCA    bool
		has                        []eku.Purpose
		notHas                     []eku.Purpose
		len, unknown               int
		permitsClient, permitsAuth bool
	}{
		{name: "server+client", spec: certgen.Spec{EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth, certgen.OIDClientAuth}},
			present: true, has: []eku.Purpose{eku.ServerAuth, eku.ClientAuth}, notHas: []eku.Purpose{eku.Any, eku.Unknown}, len: 2, permitsClient: true, permitsAuth: true},
		{name: "server only", spec: certgen.Spec{EKU: []asn1.ObjectIdentifier{certgen.OIDServerAuth}},
			present: true, has: []eku.Purpose{eku.ServerAuth}, notHas: []eku.Purpose{eku.ClientAuth}, len: 1, permitsAuth: true},
		{name: "no EKU", spec: certgen.Spec{NoEKU: true}, notHas: []eku.Purpose{eku.ServerAuth}, permitsClient: true, permitsAuth: true},
		{name: "anyEKU critical CA", spec: certgen.Spec{EKU: []asn1.ObjectIdentifier{certgen.OIDAny}, CriticalEKU: true, CA: true},
			present: true, critical: true, isCA: true, has: []eku.Purpose{eku.Any}, len: 1, permitsClient: true, permitsAuth: true},
		{name: "empty EKU", spec: certgen.Spec{}, present: true},
		{name: "unknown OID", spec: certgen.Spec{EKU: []asn1.ObjectIdentifier{oidUnknown, certgen.OIDClientAuth}},
			present: true, has: []eku.Purpose{eku.ClientAuth}, len: 2, unknown: 1, permitsClient: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.Name = "parse " + tc.name
			c := certgen.MustIssue(tc.spec, nil)
			s, err := eku.Parse(c.DER)
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if s.Present() != tc.present || s.Critical() != tc.critical || s.IsCA() != tc.isCA {
				t.Errorf("Present, Critical, IsCA = %v, %v, %v, want %v, %v, %v", s.Present(), s.Critical(), s.IsCA(), tc.present, tc.critical, tc.isCA)
			}
			for _, p := range tc.has {
				if !s.Has(p) {
					t.Errorf("Has(%v) = false, want true", p)
				}
			}
			for _, p := range tc.notHas {
				if s.Has(p) {
					t.Errorf("Has(%v) = true, want false", p)
				}
			}
			if s.Len() != tc.len || s.Unknown() != tc.unknown {
				t.Errorf("Len, Unknown = %d, %d, want %d, %d", s.Len(), s.Unknown(), tc.len, tc.unknown)
			}
			if got := s.Permits(eku.ClientAuth); got != tc.permitsClient {
				t.Errorf("Permits(ClientAuth) = %v, want %v", got, tc.permitsClient)
			}
			if got := s.Permits(eku.ServerAuth); got != tc.permitsAuth {
				t.Errorf("Permits(ServerAuth) = %v, want %v", got, tc.permitsAuth)
			}
			if bc, ok := s.BasicConstraints(); !ok || bc != tc.isCA {
				t.Errorf("BasicConstraints() = %v, %v, want %v, true", bc, ok, tc.isCA)
			}
			// The OID walk agrees with crypto/x509's lists.
			var got []string
			it := s.OIDs()
			for it.Next() {
				got = append(got, string(it.AppendText(nil)))
			}
			if want := len(c.Cert.ExtKeyUsage) + len(c.Cert.UnknownExtKeyUsage); len(got) != want || len(got) != s.Len() {
				t.Errorf("OIDs() = %q, want %d OIDs", got, want)
			}
		})
	}
}

func TestKeyUsage(t *testing.T) {
	c := certgen.MustIssue(certgen.Spec{Name: "ku", NoEKU: true, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageDecipherOnly}, nil)
	s, err := eku.Parse(c.DER)
	if err != nil {
		t.Fatal(err)
	}
	ku, ok := s.KeyUsage()
	if !ok || x509.KeyUsage(ku) != c.Cert.KeyUsage {
		t.Errorf("KeyUsage() = %v, %v, want %v, true", ku, ok, eku.KeyUsage(c.Cert.KeyUsage))
	}
	if got, want := ku.String(), "digitalSignature|keyEncipherment|decipherOnly"; got != want {
		t.Errorf("KeyUsage.String() = %q, want %q", got, want)
	}
	if !ku.Has(eku.KeyUsageDigitalSignature) || ku.Has(eku.KeyUsageCertSign) {
		t.Errorf("KeyUsage.Has wrong for %v", ku)
	}
}

// der builds DER from nested TLVs for the hostile-input tables.
func tlv(tag byte, content ...[]byte) []byte {
	var body []byte
	for _, c := range content {
		body = append(body, c...)
	}
	out := []byte{tag}
	switch n := len(body); {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x100:
		out = append(out, 0x81, byte(n))
	default:
		out = append(out, 0x82, byte(n>>8), byte(n))
	}
	return append(out, body...)
}

var (
	oidEKUExt = []byte{0x06, 0x03, 0x55, 0x1d, 0x25}
	oidKUExt  = []byte{0x06, 0x03, 0x55, 0x1d, 0x0f}
	kpServer  = []byte{0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01}
)

// certWith returns a minimal v3 Certificate whose extensions SEQUENCE holds exts.
func certWith(exts ...[]byte) []byte {
	return certWithTBSTail(tlv(0xa3, tlv(0x30, exts...)))
}

func certWithTBSTail(tail []byte) []byte {
	alg := tlv(0x30, []byte{0x06, 0x03, 0x2b, 0x65, 0x70}) // Ed25519
	name := tlv(0x30)
	validity := tlv(0x30, tlv(0x17, []byte("250101000000Z")), tlv(0x17, []byte("350101000000Z")))
	spki := tlv(0x30, alg, tlv(0x03, make([]byte, 33)))
	tbs := tlv(0x30, tlv(0xa0, []byte{0x02, 0x01, 0x02}), []byte{0x02, 0x01, 0x01}, alg, name, validity, name, spki, tail)
	return tlv(0x30, tbs, alg, tlv(0x03, make([]byte, 65)))
}

func ext(oid []byte, critical bool, value []byte) []byte {
	if critical {
		return tlv(0x30, oid, []byte{0x01, 0x01, 0xff}, tlv(0x04, value))
	}
	return tlv(0x30, oid, tlv(0x04, value))
}

func TestParseHostile(t *testing.T) {
	good := certWith(ext(oidEKUExt, false, tlv(0x30, kpServer)))
	if s, err := eku.Parse(good); err != nil || !s.Has(eku.ServerAuth) {
		t.Fatalf("Parse(good) = %v, %v", s.Has(eku.ServerAuth), err)
	}
	tests := []struct {
		name      string
		der       []byte
		kind      eku.ErrorKind
		structure string
	}{
		{"empty input", nil, eku.KindMalformed, "Certificate"},
		{"truncated", good[:len(good)-1], eku.KindMalformed, "Certificate"},
		{"trailing data", append(append([]byte{}, good...), 0), eku.KindTrailingData, "Certificate"},
		{"wrong outer tag", append([]byte{0x31}, good[1:]...), eku.KindMalformed, "Certificate"},
		{"huge length", []byte{0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30}, eku.KindMalformed, "Certificate"},
		{"non-minimal length", append([]byte{0x30, 0x82, 0x00, byte(len(good) - 2)}, good[2:]...), eku.KindMalformed, "Certificate"},
		{"indefinite length", append([]byte{0x30, 0x80}, good[2:]...), eku.KindMalformed, "Certificate"},
		{"duplicate EKU", certWith(ext(oidEKUExt, false, tlv(0x30, kpServer)), ext(oidEKUExt, false, tlv(0x30, kpServer))), eku.KindDuplicateExtension, "Extension"},
		{"duplicate other extension", certWith(ext([]byte{0x06, 0x03, 0x2b, 0x06, 0x01}, false, nil), ext([]byte{0x06, 0x03, 0x2b, 0x06, 0x01}, false, nil)), eku.KindDuplicateExtension, "Extension"},
		{"EKU not a SEQUENCE", certWith(ext(oidEKUExt, false, tlv(0x31, kpServer))), eku.KindMalformed, "ExtKeyUsageSyntax"},
		{"KeyPurposeId not an OID", certWith(ext(oidEKUExt, false, tlv(0x30, []byte{0x04, 0x01, 0x00}))), eku.KindMalformed, "KeyPurposeId"},
		{"KeyPurposeId empty", certWith(ext(oidEKUExt, false, tlv(0x30, []byte{0x06, 0x00}))), eku.KindMalformed, "KeyPurposeId"},
		{"KeyPurposeId non-minimal arc", certWith(ext(oidEKUExt, false, tlv(0x30, []byte{0x06, 0x03, 0x2b, 0x80, 0x01}))), eku.KindMalformed, "KeyPurposeId"},
		{"KeyPurposeId truncated arc", certWith(ext(oidEKUExt, false, tlv(0x30, []byte{0x06, 0x02, 0x2b, 0x86}))), eku.KindMalformed, "KeyPurposeId"},
		{"KeyPurposeId arc >= 2^31", certWith(ext(oidEKUExt, false, tlv(0x30, []byte{0x06, 0x06, 0x2b, 0x88, 0x80, 0x80, 0x80, 0x00}))), eku.KindMalformed, "KeyPurposeId"},
		{"critical not DER BOOLEAN", certWith(tlv(0x30, oidEKUExt, []byte{0x01, 0x01, 0x01}, tlv(0x04, tlv(0x30, kpServer)))), eku.KindMalformed, "Extension critical"},
		{"extnValue missing", certWith(tlv(0x30, oidEKUExt)), eku.KindMalformed, "Extension extnValue"},
		{"KeyUsage bad padding", certWith(ext(oidKUExt, false, []byte{0x03, 0x02, 0x07, 0x81})), eku.KindMalformed, "KeyUsage"},
		{"extensions wrong tag", certWithTBSTail(tlv(0xa3, tlv(0x31))), eku.KindMalformed, "Extensions"},
		{"deep nesting", nest(200), eku.KindMalformed, "signatureAlgorithm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := eku.Parse(tc.der)
			var pe *eku.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse() = %+v, %v, want a *ParseError", s, err)
			}
			if pe.Kind != tc.kind || pe.Structure != tc.structure {
				t.Errorf("Parse() error = %v (kind %d, structure %q), want kind %d structure %q", err, pe.Kind, pe.Structure, tc.kind, tc.structure)
			}
			if pe.Offset < 0 || pe.Offset > len(tc.der) {
				t.Errorf("Offset = %d outside input of %d bytes", pe.Offset, len(tc.der))
			}
			if s.Present() || s.Len() != 0 {
				t.Errorf("Parse() returned a partial Set alongside the error")
			}
			// crypto/x509 must reject it too (we are never stricter than
			// crypto/x509 here, except where documented).
			if _, xerr := x509.ParseCertificate(tc.der); xerr == nil {
				t.Errorf("crypto/x509 accepts input that eku rejects with %v", err)
			}
		})
	}
}

func nest(depth int) []byte {
	b := []byte{0x05, 0x00}
	for i := 0; i < depth; i++ {
		b = tlv(0x30, b)
	}
	return b
}

func TestParseErrorText(t *testing.T) {
	der := certWith(ext(oidEKUExt, false, tlv(0x30, kpServer)), ext(oidEKUExt, false, tlv(0x30, kpServer)))
	_, err := eku.Parse(der)
	var pe *eku.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("Parse() error = %v, want *ParseError", err)
	}
	if got := err.Error(); got != "eku: duplicate Extension 2.5.29.37 at offset "+itoa(pe.Offset) {
		t.Errorf("Error() = %q", got)
	}
	// The offset points at the second extension's SEQUENCE.
	if der[pe.Offset] != 0x30 || string(der[pe.Offset+2:pe.Offset+7]) != string(oidEKUExt) {
		t.Errorf("Offset %d does not point at the duplicate Extension", pe.Offset)
	}
}

func itoa(i int) string {
	return string(appendInt(nil, i))
}

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}

func TestVersions(t *testing.T) {
	// A v1 certificate's extensions are ignored, as crypto/x509 ignores them.
	v1 := certWith(ext(oidEKUExt, false, tlv(0x30, kpServer)))
	// Patch version 2 (v3) to 0 (v1).
	i := indexOf(v1, []byte{0xa0, 0x03, 0x02, 0x01, 0x02})
	v1[i+4] = 0
	s, err := eku.Parse(v1)
	if err != nil || s.Present() {
		t.Errorf("Parse(v1 with extensions) = present %v, %v; want not present, nil", s.Present(), err)
	}
	v1[i+4] = 3
	_, err = eku.Parse(v1)
	var pe *eku.ParseError
	if !errors.As(err, &pe) || pe.Kind != eku.KindVersion {
		t.Errorf("Parse(version 4) error = %v, want KindVersion", err)
	}
}

func indexOf(b, sub []byte) int {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	panic("not found")
}

// TestLenientLikeX509 checks the documented decisions where eku accepts what
// crypto/x509 accepts: data after the ExtKeyUsageSyntax SEQUENCE inside
// extnValue, data after extnValue inside an Extension, and an empty EKU
// SEQUENCE. Each is run through crypto/x509 as well, so the test fails if
// crypto/x509 changes its mind.
func TestLenientLikeX509(t *testing.T) {
	for _, tc := range []struct {
		name    string
		der     []byte
		present bool
		len     int
	}{
		{"data after ExtKeyUsageSyntax", certWith(ext(oidEKUExt, false, append(tlv(0x30, kpServer), 0x05, 0x00))), true, 1},
		{"data after extnValue", certWith(tlv(0x30, oidEKUExt, tlv(0x04, tlv(0x30, kpServer)), []byte{0x05, 0x00})), true, 1},
		{"empty EKU SEQUENCE", certWith(ext(oidEKUExt, false, tlv(0x30))), true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xc, xerr := x509.ParseCertificate(tc.der)
			if xerr != nil {
				t.Fatalf("crypto/x509 rejects it (%v); the package doc's decision needs revisiting", xerr)
			}
			s, err := eku.Parse(tc.der)
			if err != nil || s.Present() != tc.present || s.Len() != tc.len {
				t.Fatalf("Parse() = present %v len %d, %v; want present %v len %d", s.Present(), s.Len(), err, tc.present, tc.len)
			}
			if got := len(xc.ExtKeyUsage) + len(xc.UnknownExtKeyUsage); got != s.Len() {
				t.Errorf("crypto/x509 lists %d purposes, eku %d", got, s.Len())
			}
			if tc.len == 0 && (s.Permits(eku.ClientAuth) || s.Permits(eku.ServerAuth)) {
				t.Error("an empty EKU extension permits a purpose; the doc says it permits nothing")
			}
		})
	}
	// A high tag number form (0x1f) where the Certificate SEQUENCE should be:
	// a DER rule, rejected like crypto/x509 does.
	high := append([]byte{0x1f, 0x81, 0x01}, certWith()[1:]...)
	if _, err := eku.Parse(high); err == nil {
		t.Error("Parse accepts a high tag number")
	}
	if _, err := x509.ParseCertificate(high); err == nil {
		t.Error("crypto/x509 accepts a high tag number")
	}
}
