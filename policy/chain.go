package policy

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"time"

	"github.com/tlscompat/tlscompat/eku"
)

// NSCertType bits of the Netscape certificate type extension
// (2.16.840.1.113730.1.1): bit 0 SSL client, bit 1 SSL server, bit 5 SSL CA.
const (
	NSCertTypeSSLClient uint8 = 0x80
	NSCertTypeSSLServer uint8 = 0x40
	NSCertTypeSSLCA     uint8 = 0x04
)

// Cert holds the facts about one certificate that the stack rules need.
type Cert struct {
	// Subject is the subject DN (RFC 2253 form, as pkix.Name.String
	// writes it).
	Subject string `json:"subject,omitempty"`
	// Issuer is the issuer DN in the same form; compared with the CA names
	// a server lists ([Server].AcceptedCAs). Empty when not known.
	Issuer string `json:"issuer,omitempty"`
	// HasEKU reports whether the extendedKeyUsage extension is present;
	// EKU lists its known purposes and OtherEKUs counts the rest.
	HasEKU    bool           `json:"-"`
	EKU       eku.PurposeSet `json:"-"`
	OtherEKUs int            `json:"-"`
	// HasKeyUsage reports whether the keyUsage extension is present and
	// KeyUsage holds its bits.
	HasKeyUsage bool         `json:"-"`
	KeyUsage    eku.KeyUsage `json:"-"`
	// HasNSCertType reports whether the Netscape certificate type extension
	// is present; NSCertType holds its first octet.
	HasNSCertType bool  `json:"-"`
	NSCertType    uint8 `json:"-"`
	// IsCA reports basicConstraints cA.
	IsCA bool `json:"ca,omitempty"`
	// NotBefore is the issue date (the leaf's drives renewal rules).
	NotBefore time.Time `json:"not_before,omitzero"`
	// NotAfter is the end of the validity period; zero when not known.
	NotAfter time.Time `json:"not_after,omitzero"`
	// DER is the certificate itself when it is known (ChainFromDER and the
	// other constructors keep it): a real certificate is a fact, which
	// the trust stage checks and a renewal model does not rewrite. Nil
	// for a certificate described by facts only.
	DER []byte `json:"der,omitempty"`
}

// permitsClientAuthRFC reports whether the EKU permits clientAuth under RFC
// 5280, 4.2.1.12 (absent or anyExtendedKeyUsage counts).
func (c *Cert) permitsClientAuthRFC() bool {
	return !c.HasEKU || c.EKU.Has(eku.ClientAuth) || c.EKU.Has(eku.Any)
}

// CAs says what is known about the certificates above the leaf.
type CAs uint8

// Knowledge of the CA certificates.
const (
	// CAsUnknown: only the certificates in Chain.Certs are known, and they
	// do not reach the trust anchor.
	CAsUnknown CAs = iota
	// CAsComplete: Chain.Certs runs up to and including the trust anchor.
	CAsComplete
	// CAsPermitClientAuth: the CA certificates are not listed, but a cited
	// source (Chain.CAEvidence) says none of them restricts clientAuth.
	CAsPermitClientAuth
)

// Chain is the certificate chain a client presents: the leaf first, then
// intermediates, then (when CAs is CAsComplete) the trust anchor.
type Chain struct {
	Certs []Cert `json:"certs"`
	// CAs says whether the certificates above the leaf are all known.
	CAs CAs `json:"cas,omitempty"`
	// CAEvidence cites the evidence for CAsPermitClientAuth.
	CAEvidence Evidence `json:"ca_evidence,omitzero"`
	// Opaque reports that a certificate is sent but its contents are not
	// known (Certs may then be empty).
	Opaque bool `json:"opaque,omitempty"`
	// LeafIsAnchor reports whether the server trusts the leaf itself (a
	// pinned self-signed certificate); Java then skips its checks.
	LeafIsAnchor bool `json:"leaf_is_anchor,omitempty"`
}

// Leaf returns the leaf, or nil for an empty chain.
func (c *Chain) Leaf() *Cert {
	if c == nil || len(c.Certs) == 0 {
		return nil
	}
	return &c.Certs[0]
}

var (
	oidNSCertType = asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 1, 1}
)

// ChainFromX509 builds a chain from parsed certificates, leaf first. If the
// last certificate is self-signed it is taken as the trust anchor and the
// chain is complete. An empty list wraps [eku.ErrNoCertificate].
func ChainFromX509(certs ...*x509.Certificate) (*Chain, error) {
	if len(certs) == 0 {
		return nil, errorf("empty certificate chain: %w", eku.ErrNoCertificate)
	}
	ch := &Chain{Certs: make([]Cert, 0, len(certs))}
	for i, xc := range certs {
		if xc == nil {
			return nil, errorf("certificate %d is nil", i)
		}
		c, err := certFacts(xc.Raw)
		if err != nil {
			return nil, errorf("certificate %d: %w", i, err)
		}
		c.Subject = xc.Subject.String()
		c.Issuer = xc.Issuer.String()
		c.NotBefore = xc.NotBefore.UTC()
		c.NotAfter = xc.NotAfter.UTC()
		c.DER = xc.Raw
		ch.Certs = append(ch.Certs, c)
	}
	last := certs[len(certs)-1]
	if len(certs) > 1 && bytes.Equal(last.RawIssuer, last.RawSubject) && last.CheckSignatureFrom(last) == nil {
		ch.CAs = CAsComplete
	}
	return ch, nil
}

// ChainFromDER parses DER certificates, leaf first, as [ChainFromX509]. A
// malformed certificate's error wraps the crypto/x509 error.
func ChainFromDER(ders ...[]byte) (*Chain, error) {
	certs := make([]*x509.Certificate, len(ders))
	for i, d := range ders {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			return nil, errorf("certificate %d: %w", i, err)
		}
		certs[i] = c
	}
	return ChainFromX509(certs...)
}

// ChainFromPEM parses a certificate chain, leaf first, as [ChainFromX509],
// from the bytes of a certificate file in either form people have:
//
//   - a PEM bundle: its CERTIFICATE blocks are read in order and every
//     other block (a private key, "TRUSTED CERTIFICATE", parameters) and the
//     text between blocks are skipped, as [eku.ParsePEMChain] does; a
//     damaged CERTIFICATE block is an *[eku.PEMError] naming its offset;
//   - DER: one certificate, or several concatenated (a .cer/.der file), when
//     the input holds no PEM block and starts with an ASN.1 SEQUENCE.
//
// Input with no certificate returns an error wrapping [eku.ErrNoCertificate].
func ChainFromPEM(data []byte) (*Chain, error) {
	if looksDER(data) {
		certs, err := x509.ParseCertificates(data)
		if err != nil {
			return nil, errorf("DER certificates: %w", err)
		}
		return ChainFromX509(certs...)
	}
	var ders [][]byte
	sc := eku.ScanPEM(data, make([]byte, 0, len(data)))
	for sc.Next() {
		ders = append(ders, sc.DER())
	}
	if err := sc.Err(); err != nil {
		return nil, errorf("PEM bundle: %w", err)
	}
	if len(ders) == 0 {
		return nil, errorf("no certificate in %d bytes (want PEM CERTIFICATE blocks or DER): %w", len(data), eku.ErrNoCertificate)
	}
	return ChainFromDER(ders...)
}

// looksDER reports whether data is DER rather than PEM: it starts with a
// SEQUENCE tag and has no PEM BEGIN line.
func looksDER(data []byte) bool {
	return len(data) > 0 && data[0] == 0x30 && !bytes.Contains(data, []byte("-----BEGIN "))
}

// certFacts extracts the rule inputs from one DER certificate with the eku
// parser (EKU, KeyUsage, basicConstraints) and crypto/x509 for the Netscape
// certificate type.
func certFacts(der []byte) (Cert, error) {
	s, err := eku.Parse(der)
	if err != nil {
		return Cert{}, err
	}
	var c Cert
	c.HasEKU = s.Present()
	c.EKU = s.Purposes()
	c.OtherEKUs = s.Unknown()
	c.KeyUsage, c.HasKeyUsage = s.KeyUsage()
	c.IsCA = s.IsCA()
	xc, err := x509.ParseCertificate(der)
	if err != nil {
		return Cert{}, err
	}
	nsCertType(&c, xc)
	return c, nil
}

// certFactsX509 is certFacts for a parsed certificate.
func certFactsX509(xc *x509.Certificate) (Cert, error) {
	s, err := eku.Parse(xc.Raw)
	if err != nil {
		return Cert{}, err
	}
	c := Cert{HasEKU: s.Present(), EKU: s.Purposes(), OtherEKUs: s.Unknown(), IsCA: s.IsCA()}
	c.KeyUsage, c.HasKeyUsage = s.KeyUsage()
	nsCertType(&c, xc)
	return c, nil
}

// nsCertType reads the Netscape certificate type extension into c.
func nsCertType(c *Cert, xc *x509.Certificate) {
	for _, e := range xc.Extensions {
		if e.Id.Equal(oidNSCertType) {
			var bs asn1.BitString
			if rest, err := asn1.Unmarshal(e.Value, &bs); err == nil && len(rest) == 0 {
				c.HasNSCertType = true
				if len(bs.Bytes) > 0 {
					c.NSCertType = bs.Bytes[0]
				}
			}
		}
	}
}
