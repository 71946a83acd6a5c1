package policy

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/tlscompat/tlscompat/policy/internal/pathbuild"
	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// Trust is a verifying endpoint's certificate store: the anchors it trusts
// and the intermediates it holds without trusting them. A server's Trust
// decides whether it accepts a client's chain ([Server].Trust), a client's
// whether it accepts the server's chain ([Client].Trust). Build one with
// [TrustFromPEM], [TrustFromDER], [TrustFromX509], [MozillaTrust],
// [DebianTrust] or [TrustFromJavaKeyStore]; its JSON form lists each
// certificate's DER (base64) and round-trips.
//
// A Trust built otherwise (a struct literal) is parsed at each [Evaluate];
// the constructors and JSON decoding parse it once.
type Trust struct {
	// Source says where the store comes from ("Mozilla root program
	// (golang.org/x/crypto/x509roots/fallback/bundle)", a file name).
	Source string `json:"source,omitempty"`
	// Anchors are the trusted certificates.
	Anchors []TrustedCert `json:"anchors"`
	// Intermediates are certificates the verifier holds and uses to build
	// paths, without trusting them (Go's Intermediates pool, OpenSSL's
	// untrusted chain store).
	Intermediates []TrustedCert `json:"intermediates,omitempty"`
	// PartialChain is OpenSSL's X509_V_FLAG_PARTIAL_CHAIN (s_server
	// -partial_chain): a non-self-signed anchor ends a path. Without it
	// OpenSSL needs a self-signed anchor; the other stacks modelled accept
	// any anchor (see the package documentation, "Trust").
	PartialChain bool `json:"partial_chain,omitempty"`

	store *pathbuild.Store
}

// TrustedCert is one certificate of a [Trust].
type TrustedCert struct {
	// DER is the certificate.
	DER []byte `json:"der"`
	// Subject is the subject DN (RFC 2253 form), for messages.
	Subject string `json:"subject,omitempty"`
	// DistrustAfter is a root program's distrust-after date: chains whose
	// leaf was issued later are not trusted (Mozilla's
	// CKA_NSS_SERVER_DISTRUST_AFTER). Zero: none.
	DistrustAfter time.Time `json:"distrust_after,omitzero"`
}

// TrustFromX509 returns a store whose anchors are certs.
func TrustFromX509(source string, certs ...*x509.Certificate) (*Trust, error) {
	t := &Trust{Source: source}
	for i, c := range certs {
		if c == nil {
			return nil, errorf("trust %q: certificate %d is nil", source, i)
		}
		t.Anchors = append(t.Anchors, TrustedCert{DER: c.Raw, Subject: c.Subject.String()})
	}
	if err := t.parse(); err != nil {
		return nil, err
	}
	return t, nil
}

// TrustFromDER returns a store whose anchors are the DER certificates.
func TrustFromDER(source string, ders ...[]byte) (*Trust, error) {
	t := &Trust{Source: source}
	for _, d := range ders {
		t.Anchors = append(t.Anchors, TrustedCert{DER: d})
	}
	if err := t.parse(); err != nil {
		return nil, err
	}
	return t, nil
}

// TrustFromPEM returns a store whose anchors are the CERTIFICATE blocks of
// a PEM bundle (a CAfile, Debian's ca-certificates.crt). Other block types
// are an error naming the block.
func TrustFromPEM(source string, data []byte) (*Trust, error) {
	var ders [][]byte
	rest, off := data, 0
	for {
		b, r := pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" && b.Type != "TRUSTED CERTIFICATE" {
			return nil, errorf("trust %q: PEM block %d at byte offset %d is %q, want CERTIFICATE", source, len(ders), off, b.Type)
		}
		ders = append(ders, b.Bytes)
		off += len(rest) - len(r)
		rest = r
	}
	if len(ders) == 0 {
		return nil, errorf("trust %q: no PEM CERTIFICATE block found", source)
	}
	return TrustFromDER(source, ders...)
}

// DebianCAFile is where Debian's ca-certificates package writes its PEM
// bundle (update-ca-certificates(8)).
const DebianCAFile = "/etc/ssl/certs/ca-certificates.crt"

// DebianTrust reads Debian's ca-certificates bundle from path (empty:
// [DebianCAFile]), the store OpenSSL and GnuTLS use by default on Debian.
func DebianTrust(path string) (*Trust, error) {
	if path == "" {
		path = DebianCAFile
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy: trust: %w", err)
	}
	return TrustFromPEM("Debian ca-certificates ("+path+")", data)
}

// MozillaSource names the Mozilla store's provenance.
const MozillaSource = "Mozilla root program (NSS certdata), via golang.org/x/crypto/x509roots/fallback/bundle"

var mozilla = sync.OnceValues(func() (*Trust, error) {
	t := &Trust{Source: MozillaSource}
	for r := range bundle.Roots() {
		tc := TrustedCert{DER: r.Certificate}
		if r.Constraint != nil {
			tc.DistrustAfter = distrustAfter(r.Constraint)
		}
		t.Anchors = append(t.Anchors, tc)
	}
	if err := t.parse(); err != nil {
		return nil, err
	}
	return t, nil
})

// MozillaTrust returns Mozilla's root store for TLS server authentication
// with its distrust-after dates, as golang.org/x/crypto/x509roots/fallback/bundle
// publishes it (the module's bundle package; importing it does not change
// crypto/x509's roots). It is the store of NSS-based clients and the
// origin of most others (Debian's ca-certificates is built from it). The
// value is shared: do not modify it.
func MozillaTrust() (*Trust, error) { return mozilla() }

// distrustAfter recovers a bundle root's distrust-after date from its
// Constraint, which rejects chains with a certificate issued after it: the
// date is found by bisection, to the second, between 1970 and 2200.
func distrustAfter(f func([]*x509.Certificate) error) time.Time {
	lo, hi := int64(0), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	probe := func(s int64) bool { // true: rejected
		return f([]*x509.Certificate{{NotBefore: time.Unix(s, 0)}}) != nil
	}
	if !probe(hi) {
		return time.Time{}
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if probe(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return time.Unix(lo, 0).UTC()
}

// TrustFromJavaKeyStore reads the trusted certificate entries of a Java
// key store in the JKS format (magic 0xFEEDFEED), as Debian's
// /etc/ssl/certs/java/cacerts is. Private-key entries are skipped. If
// password is non-empty the store's SHA-1 integrity digest is checked with
// it (Debian's default is "changeit"); empty skips the check. PKCS #12
// stores (the JDK's own cacerts since JDK 18) are not supported: use
// `keytool -exportcert -rfc` and [TrustFromPEM].
func TrustFromJavaKeyStore(source string, data []byte, password string) (*Trust, error) {
	r := jksReader{b: data}
	if r.u32("magic") != 0xFEEDFEED {
		if len(data) > 0 && data[0] == 0x30 {
			return nil, errorf("trust %q: a PKCS #12 key store is not supported; export it with keytool -exportcert -rfc", source)
		}
		return nil, errorf("trust %q: not a JKS key store (magic %#x)", source, binary.BigEndian.Uint32(append(append([]byte{}, data...), 0, 0, 0, 0)))
	}
	if v := r.u32("version"); r.err == nil && v != 1 && v != 2 {
		return nil, errorf("trust %q: JKS version %d, want 1 or 2", source, v)
	}
	n := int(r.u32("entry count"))
	var ders [][]byte
	for i := 0; i < n && r.err == nil; i++ {
		tag := r.u32("entry tag")
		r.utf("alias")
		r.skip(8, "timestamp")
		switch tag {
		case 1: // private key: key blob, then the chain
			r.skip(int(r.u32("key length")), "key")
			for k := int(r.u32("chain length")); k > 0 && r.err == nil; k-- {
				r.cert()
			}
		case 2:
			ders = append(ders, r.cert())
		default:
			if r.err == nil {
				return nil, errorf("trust %q: JKS entry %d has tag %d at byte offset %d, want 1 or 2", source, i, tag, r.off-4)
			}
		}
	}
	if r.err != nil {
		return nil, errorf("trust %q: JKS: %v", source, r.err)
	}
	if password != "" {
		if len(data)-r.off != sha1.Size {
			return nil, errorf("trust %q: JKS digest is %d bytes, want %d", source, len(data)-r.off, sha1.Size)
		}
		h := sha1.New()
		for _, u := range utf16.Encode([]rune(password)) {
			h.Write([]byte{byte(u >> 8), byte(u)})
		}
		h.Write([]byte("Mighty Aphrodite"))
		h.Write(data[:r.off])
		if !bytes.Equal(h.Sum(nil), data[r.off:]) {
			return nil, errorf("trust %q: JKS integrity digest does not match the password", source)
		}
	}
	if len(ders) == 0 {
		return nil, errorf("trust %q: no trusted certificate entries", source)
	}
	return TrustFromDER(source, ders...)
}

type jksReader struct {
	b   []byte
	off int
	err error
}

func (r *jksReader) need(n int, what string) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || len(r.b)-r.off < n {
		r.err = errorf("%s at byte offset %d: truncated", what, r.off)
		return false
	}
	return true
}

func (r *jksReader) u32(what string) uint32 {
	if !r.need(4, what) {
		return 0
	}
	v := binary.BigEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *jksReader) skip(n int, what string) {
	if r.need(n, what) {
		r.off += n
	}
}

func (r *jksReader) utf(what string) string {
	if !r.need(2, what) {
		return ""
	}
	n := int(binary.BigEndian.Uint16(r.b[r.off:]))
	r.off += 2
	if !r.need(n, what) {
		return ""
	}
	s := string(r.b[r.off : r.off+n])
	r.off += n
	return s
}

func (r *jksReader) cert() []byte {
	if t := r.utf("certificate type"); r.err == nil && t != "X.509" {
		r.err = errorf("certificate type %q at byte offset %d, want X.509", t, r.off)
	}
	n := int(r.u32("certificate length"))
	if !r.need(n, "certificate") {
		return nil
	}
	d := r.b[r.off : r.off+n]
	r.off += n
	return d
}

// parse parses the certificates into the path builder's store. The
// constructors also fill empty subjects (fillSubjects); decoding keeps the
// JSON as it is.
func (t *Trust) parse() error { return t.parseFill(true) }

func (t *Trust) parseFill(fill bool) error {
	st := &pathbuild.Store{PartialChain: t.PartialChain}
	hasDistrust := false
	for i := range t.Anchors {
		a := &t.Anchors[i]
		c, err := x509.ParseCertificate(a.DER)
		if err != nil {
			return fmt.Errorf("policy: trust %q: anchor %d: %w", t.Source, i, err)
		}
		if fill && a.Subject == "" {
			a.Subject = c.Subject.String()
		}
		st.Anchors = append(st.Anchors, c)
		hasDistrust = hasDistrust || !a.DistrustAfter.IsZero()
	}
	if hasDistrust {
		st.DistrustAfter = make([]time.Time, len(t.Anchors))
		for i, a := range t.Anchors {
			st.DistrustAfter[i] = a.DistrustAfter
		}
	}
	for i := range t.Intermediates {
		a := &t.Intermediates[i]
		c, err := x509.ParseCertificate(a.DER)
		if err != nil {
			return fmt.Errorf("policy: trust %q: intermediate %d: %w", t.Source, i, err)
		}
		if fill && a.Subject == "" {
			a.Subject = c.Subject.String()
		}
		st.Intermediates = append(st.Intermediates, c)
	}
	t.store = st
	return nil
}

// pathStore returns the parsed store, parsing a Trust built as a literal.
func (t *Trust) pathStore() (*pathbuild.Store, error) {
	if t.store != nil && t.store.PartialChain == t.PartialChain && len(t.store.Anchors) == len(t.Anchors) && len(t.store.Intermediates) == len(t.Intermediates) {
		return t.store, nil
	}
	c := *t
	c.Anchors = append([]TrustedCert(nil), t.Anchors...)
	c.Intermediates = append([]TrustedCert(nil), t.Intermediates...)
	if err := c.parseFill(false); err != nil {
		return nil, err
	}
	return c.store, nil
}

type trustJSON struct {
	Source        string        `json:"source,omitempty"`
	Anchors       []TrustedCert `json:"anchors"`
	Intermediates []TrustedCert `json:"intermediates,omitempty"`
	PartialChain  bool          `json:"partial_chain,omitempty"`
}

// MarshalJSON implements json.Marshaler.
func (t Trust) MarshalJSON() ([]byte, error) {
	return json.Marshal(trustJSON{t.Source, t.Anchors, t.Intermediates, t.PartialChain})
}

// UnmarshalJSON implements json.Unmarshaler; every certificate is parsed,
// and a bad one is an error naming it.
func (t *Trust) UnmarshalJSON(b []byte) error {
	var j trustJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = Trust{Source: j.Source, Anchors: j.Anchors, Intermediates: j.Intermediates, PartialChain: j.PartialChain}
	return t.parseFill(false)
}
