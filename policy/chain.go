package policy

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
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
// chain is complete.
func ChainFromX509(certs ...*x509.Certificate) (*Chain, error) {
	if len(certs) == 0 {
		return nil, errorf("empty certificate chain")
	}
	ch := &Chain{Certs: make([]Cert, 0, len(certs))}
	for i, xc := range certs {
		if xc == nil {
			return nil, errorf("certificate %d is nil", i)
		}
		c, err := certFacts(xc.Raw)
		if err != nil {
			return nil, errorf("certificate %d: %v", i, err)
		}
		c.Subject = xc.Subject.String()
		c.Issuer = xc.Issuer.String()
		c.NotBefore = xc.NotBefore.UTC()
		ch.Certs = append(ch.Certs, c)
	}
	last := certs[len(certs)-1]
	if len(certs) > 1 && bytes.Equal(last.RawIssuer, last.RawSubject) && last.CheckSignatureFrom(last) == nil {
		ch.CAs = CAsComplete
	}
	return ch, nil
}

// ChainFromDER parses DER certificates, leaf first, as [ChainFromX509].
func ChainFromDER(ders ...[]byte) (*Chain, error) {
	certs := make([]*x509.Certificate, len(ders))
	for i, d := range ders {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			return nil, errorf("certificate %d: %v", i, err)
		}
		certs[i] = c
	}
	return ChainFromX509(certs...)
}

// ChainFromPEM parses a PEM bundle of CERTIFICATE blocks, leaf first, as
// [ChainFromX509]. Other block types are an error.
func ChainFromPEM(data []byte) (*Chain, error) {
	var ders [][]byte
	rest := data
	off := 0
	for {
		b, r := pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, errorf("PEM block %d at byte offset %d is %q, want CERTIFICATE", len(ders), off, b.Type)
		}
		ders = append(ders, b.Bytes)
		off += len(rest) - len(r)
		rest = r
	}
	if len(ders) == 0 {
		return nil, errorf("no PEM CERTIFICATE block found")
	}
	return ChainFromDER(ders...)
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
	return c, nil
}
