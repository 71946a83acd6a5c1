package capture

import (
	"crypto/tls"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"iter"
	"strconv"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/tlsver"
	"golang.org/x/crypto/cryptobyte"
)

// Handshake message types (RFC 8446, 4; RFC 5246, 7.4).
const (
	typeClientHello        = 1
	typeServerHello        = 2
	typeNewSessionTicket   = 4
	typeCertificate        = 11
	typeServerKeyExchange  = 12
	typeCertificateRequest = 13
	typeServerHelloDone    = 14
)

// Extension numbers (RFC 8446, 4.2).
const (
	extServerName        = 0
	extSupportedVersions = 43
)

// helloRetryRequestRandom is the special ServerHello.random of a
// HelloRetryRequest (RFC 8446, 4.1.3).
var helloRetryRequestRandom = [32]byte{
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
	0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
}

// ClientHello holds what a ClientHello says about versions and the server
// name. Byte slices share memory with the Scanner's buffer: they stay valid
// until the Scanner is Reset.
type ClientHello struct {
	// Seen reports whether a ClientHello was parsed.
	Seen bool
	// LegacyVersion is ClientHello.legacy_version: the highest version a
	// client without supported_versions offers.
	LegacyVersion tlsver.Version
	// SupportedVersions lists the known versions of the supported_versions
	// extension; HasSupportedVersions reports whether it was present.
	SupportedVersions    tlsver.Set
	HasSupportedVersions bool
	// ServerName is the host_name of the server_name extension (SNI), nil
	// when absent.
	ServerName []byte
	// SSL2Compatible reports an SSL 2.0-compatible CLIENT-HELLO (RFC 5246,
	// E.2): it has no extensions, and LegacyVersion is the highest version
	// offered.
	SSL2Compatible bool
}

// Offered returns the versions the client offered: the supported_versions
// list when present; otherwise the set holding only LegacyVersion, the highest
// version offered (the lowest one is not on the wire).
func (h ClientHello) Offered() tlsver.Set {
	if h.HasSupportedVersions {
		return h.SupportedVersions
	}
	return tlsver.Set(0).Add(h.LegacyVersion)
}

// ServerHello holds the version and cipher suite chosen by the server.
type ServerHello struct {
	// Seen reports whether a ServerHello (not a HelloRetryRequest) was parsed.
	Seen bool
	// HelloRetryRequest reports whether a HelloRetryRequest was seen.
	HelloRetryRequest bool
	// LegacyVersion is ServerHello.legacy_version (0x0303 in TLS 1.3).
	LegacyVersion tlsver.Version
	// Version is the negotiated version: the supported_versions extension
	// when present (TLS 1.3), LegacyVersion otherwise.
	Version tlsver.Version
	// CipherSuite is the chosen cipher suite, as its wire value.
	CipherSuite uint16
}

// Certificates is the certificate_list of a TLS 1.2 (or earlier) Certificate
// message: DER certificates, the sender's own first. It shares memory with
// the Scanner's buffer.
type Certificates struct {
	list []byte // certificate_list body: repeated uint24-length-prefixed DER
	n    int
}

// Len returns the number of certificates.
func (c Certificates) Len() int { return c.n }

// All yields each certificate's index and DER bytes, leaf first.
func (c Certificates) All() iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		s := cryptobyte.String(c.list)
		for i := 0; !s.Empty(); i++ {
			var der cryptobyte.String
			if !s.ReadUint24LengthPrefixed(&der) || !yield(i, der) {
				return
			}
		}
	}
}

// DER returns a copy of the certificates as a [][]byte, leaf first; this
// allocates and is meant for handing the chain to x509 or eku.
func (c Certificates) DER() [][]byte {
	out := make([][]byte, 0, c.n)
	for _, der := range c.All() {
		out = append(out, append([]byte(nil), der...))
	}
	return out
}

// ErrNoCertificates is returned by Certificates.EKU for an empty list: no
// plaintext Certificate message was seen (TLS 1.3 encrypts it) or it was
// empty.
var ErrNoCertificates = errors.New("capture: no certificates seen")

// EKU parses each certificate with eku.Parse and returns the chain's
// Extended Key Usage facts, leaf first. It does not allocate unless it fails;
// a certificate that does not parse is reported as an *eku.ChainError with
// its index. A chain longer than eku.MaxChainLen is an error.
func (c Certificates) EKU() (eku.Chain, error) {
	if c.n == 0 {
		return eku.Chain{}, ErrNoCertificates
	}
	var sets [eku.MaxChainLen]eku.Set
	n := 0
	for i, der := range c.All() {
		if i == eku.MaxChainLen {
			return eku.Chain{}, errors.New("capture: chain has more than " + strconv.Itoa(eku.MaxChainLen) + " certificates")
		}
		s, err := eku.Parse(der)
		if err != nil {
			return eku.Chain{}, &eku.ChainError{Index: i, Err: err}
		}
		sets[i] = s
		n++
	}
	return eku.ChainOf(sets[:n]...)
}

// CertificateRequest holds a TLS 1.2 (or earlier) CertificateRequest
// (RFC 5246, 7.4.4). It shares memory with the Scanner's buffer.
type CertificateRequest struct {
	// Seen reports whether the message was parsed.
	Seen    bool
	types   []byte // certificate_types
	sigAlgs []byte // supported_signature_algorithms (TLS 1.2 only)
	cas     []byte // certificate_authorities body
	numCAs  int
}

// CertificateTypes yields the requested certificate types in wire order.
func (r CertificateRequest) CertificateTypes() iter.Seq[CertificateType] {
	return func(yield func(CertificateType) bool) {
		for _, t := range r.types {
			if !yield(CertificateType(t)) {
				return
			}
		}
	}
}

// SignatureSchemes yields the supported_signature_algorithms in wire order;
// TLS 1.0 and 1.1 CertificateRequests have none. In TLS 1.2 each value is
// the (hash, signature) pair of RFC 5246, 7.4.1.4.1, which TLS 1.3 reads as
// a SignatureScheme; crypto/tls names the common ones and prints the others
// as numbers.
func (r CertificateRequest) SignatureSchemes() iter.Seq[tls.SignatureScheme] {
	return func(yield func(tls.SignatureScheme) bool) {
		for i := 0; i+1 < len(r.sigAlgs); i += 2 {
			if !yield(tls.SignatureScheme(r.sigAlgs[i])<<8 | tls.SignatureScheme(r.sigAlgs[i+1])) {
				return
			}
		}
	}
}

// NumAuthorities returns the number of acceptable CA names; zero means the
// server accepts certificates from any CA it trusts.
func (r CertificateRequest) NumAuthorities() int { return r.numCAs }

// Authorities yields each acceptable CA name as the DER of an X.501
// DistinguishedName (a Name SEQUENCE), in wire order.
func (r CertificateRequest) Authorities() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		s := cryptobyte.String(r.cas)
		for !s.Empty() {
			var dn cryptobyte.String
			if !s.ReadUint16LengthPrefixed(&dn) || !yield(dn) {
				return
			}
		}
	}
}

// AuthorityNames returns the acceptable CA names in RFC 2253 string form
// ("CN=Example CA,O=Example"); a name that does not parse as DER is shown as
// "<malformed name>". It allocates.
func (r CertificateRequest) AuthorityNames() []string {
	var out []string
	for dn := range r.Authorities() {
		var rdns pkix.RDNSequence
		if rest, err := asn1.Unmarshal(dn, &rdns); err != nil || len(rest) != 0 {
			out = append(out, "<malformed name>")
			continue
		}
		var name pkix.Name
		name.FillFromRDNSequence(&rdns)
		out = append(out, name.String())
	}
	return out
}

// The parse functions below take the message body (after the 4-byte
// handshake header) and return "" on success or the name of the field that
// is malformed. They do not allocate.

// parseClientHello parses
//
//	struct {
//	    ProtocolVersion legacy_version;
//	    Random random;
//	    opaque legacy_session_id<0..32>;
//	    CipherSuite cipher_suites<2..2^16-2>;
//	    opaque legacy_compression_methods<1..2^8-1>;
//	    Extension extensions<8..2^16-1>;   // optional before TLS 1.2
//	} ClientHello;
func parseClientHello(body []byte, h *ClientHello) string {
	s := cryptobyte.String(body)
	var v uint16
	var sid, suites, comp cryptobyte.String
	if !s.ReadUint16(&v) {
		return "legacy_version"
	}
	if !s.Skip(32) {
		return "random"
	}
	if !s.ReadUint8LengthPrefixed(&sid) || len(sid) > 32 {
		return "legacy_session_id"
	}
	if !s.ReadUint16LengthPrefixed(&suites) || len(suites) < 2 || len(suites)%2 != 0 {
		return "cipher_suites"
	}
	if !s.ReadUint8LengthPrefixed(&comp) || len(comp) < 1 {
		return "legacy_compression_methods"
	}
	*h = ClientHello{Seen: true, LegacyVersion: tlsver.Version(v)}
	if s.Empty() {
		return ""
	}
	var exts cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&exts) || !s.Empty() {
		return "extensions"
	}
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			return "extensions"
		}
		switch typ {
		case extServerName:
			// struct { NameType name_type; HostName host_name; } ServerName;
			// ServerName server_name_list<1..2^16-1>;  (RFC 6066, 3)
			var list cryptobyte.String
			if !data.ReadUint16LengthPrefixed(&list) || !data.Empty() || list.Empty() {
				return "server_name"
			}
			for !list.Empty() {
				var nameType uint8
				var name cryptobyte.String
				if !list.ReadUint8(&nameType) || !list.ReadUint16LengthPrefixed(&name) || len(name) == 0 {
					return "server_name"
				}
				if nameType == 0 && h.ServerName == nil {
					h.ServerName = name
				}
			}
		case extSupportedVersions:
			// ProtocolVersion versions<2..254>;  (RFC 8446, 4.2.1)
			var list cryptobyte.String
			if !data.ReadUint8LengthPrefixed(&list) || !data.Empty() || len(list) < 2 || len(list)%2 != 0 {
				return "supported_versions"
			}
			h.HasSupportedVersions = true
			for !list.Empty() {
				var sv uint16
				list.ReadUint16(&sv)
				h.SupportedVersions = h.SupportedVersions.Add(tlsver.Version(sv))
			}
		}
	}
	return ""
}

// parseServerHello parses
//
//	struct {
//	    ProtocolVersion legacy_version;
//	    Random random;
//	    opaque legacy_session_id_echo<0..32>;
//	    CipherSuite cipher_suite;
//	    uint8 legacy_compression_method;
//	    Extension extensions<6..2^16-1>;   // optional before TLS 1.2
//	} ServerHello;
//
// and reports whether it is a HelloRetryRequest.
func parseServerHello(body []byte, h *ServerHello) (hrr bool, field string) {
	s := cryptobyte.String(body)
	var v, suite uint16
	var random []byte
	var sid cryptobyte.String
	var comp uint8
	if !s.ReadUint16(&v) {
		return false, "legacy_version"
	}
	if !s.ReadBytes(&random, 32) {
		return false, "random"
	}
	if !s.ReadUint8LengthPrefixed(&sid) || len(sid) > 32 {
		return false, "legacy_session_id_echo"
	}
	if !s.ReadUint16(&suite) {
		return false, "cipher_suite"
	}
	if !s.ReadUint8(&comp) {
		return false, "legacy_compression_method"
	}
	hrr = [32]byte(random) == helloRetryRequestRandom
	chosen := tlsver.Version(v)
	if !s.Empty() {
		var exts cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&exts) || !s.Empty() {
			return hrr, "extensions"
		}
		for !exts.Empty() {
			var typ uint16
			var data cryptobyte.String
			if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
				return hrr, "extensions"
			}
			if typ == extSupportedVersions {
				var sv uint16
				if !data.ReadUint16(&sv) || !data.Empty() {
					return hrr, "supported_versions"
				}
				chosen = tlsver.Version(sv)
			}
		}
	}
	if hrr {
		h.HelloRetryRequest = true
		h.Version = chosen
		h.CipherSuite = suite
		return true, ""
	}
	h.Seen = true
	h.LegacyVersion = tlsver.Version(v)
	h.Version = chosen
	h.CipherSuite = suite
	return false, ""
}

// parseCertificate parses a TLS 1.2 (or earlier) Certificate message
// (RFC 5246, 7.4.2):
//
//	opaque ASN.1Cert<1..2^24-1>;
//	struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
func parseCertificate(body []byte, c *Certificates) string {
	s := cryptobyte.String(body)
	var list cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&list) || !s.Empty() {
		return "certificate_list"
	}
	n := 0
	for l := list; !l.Empty(); n++ {
		var der cryptobyte.String
		if !l.ReadUint24LengthPrefixed(&der) || der.Empty() {
			return "ASN.1Cert"
		}
	}
	*c = Certificates{list: list, n: n}
	return ""
}

// parseCertificateRequest parses a TLS 1.0-1.2 CertificateRequest
// (RFC 5246, 7.4.4; RFC 4346, 7.4.4 has no supported_signature_algorithms):
//
//	struct {
//	    ClientCertificateType certificate_types<1..2^8-1>;
//	    SignatureAndHashAlgorithm supported_signature_algorithms<2^16-1>;  // TLS 1.2
//	    DistinguishedName certificate_authorities<0..2^16-1>;
//	} CertificateRequest;
//	opaque DistinguishedName<1..2^16-1>;
func parseCertificateRequest(body []byte, tls12 bool, r *CertificateRequest) string {
	s := cryptobyte.String(body)
	var types, algs, cas cryptobyte.String
	if !s.ReadUint8LengthPrefixed(&types) || types.Empty() {
		return "certificate_types"
	}
	if tls12 {
		if !s.ReadUint16LengthPrefixed(&algs) || len(algs) < 2 || len(algs)%2 != 0 {
			return "supported_signature_algorithms"
		}
	}
	if !s.ReadUint16LengthPrefixed(&cas) || !s.Empty() {
		return "certificate_authorities"
	}
	n := 0
	for l := cas; !l.Empty(); n++ {
		var dn cryptobyte.String
		if !l.ReadUint16LengthPrefixed(&dn) || dn.Empty() {
			return "DistinguishedName"
		}
	}
	*r = CertificateRequest{Seen: true, types: types, sigAlgs: algs, cas: cas, numCAs: n}
	return ""
}
