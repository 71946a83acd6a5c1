// Package certgen makes test certificates for package eku and its tests.
//
// Certificates are signed with Ed25519 keys derived from their names, so the
// same Spec always yields the same DER bytes (Ed25519 signatures are
// deterministic). RSA and ECDSA keys are used only where a Spec asks for
// them (benchmarks); PKCS #1 v1.5 and, here, ECDSA signatures (RFC 6979)
// are deterministic too.
package certgen

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"strconv"
	"time"
)

// OIDs used by specs.
var (
	OIDServerAuth = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
	OIDClientAuth = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
	OIDAny        = asn1.ObjectIdentifier{2, 5, 29, 37, 0}
	oidEKU        = asn1.ObjectIdentifier{2, 5, 29, 37}
)

// Spec describes one certificate.
type Spec struct {
	Name string // subject CN; also the key seed
	// EKU lists the KeyPurposeIds. With NoEKU the extension is left out;
	// an empty EKU without NoEKU encodes an empty SEQUENCE.
	EKU         []asn1.ObjectIdentifier
	NoEKU       bool
	CriticalEKU bool
	CA          bool
	KeyUsage    x509.KeyUsage
	DNSNames    []string
	RSA         *rsa.PrivateKey // if set, the subject key (not byte-stable)
	// ECDSA, if set, is the subject key. ECDSA signatures made with it are
	// deterministic (RFC 6979), so a self-signed certificate is byte-stable.
	ECDSA *ecdsa.PrivateKey
	// Extra adds opaque extensions (e.g. to mimic SCTs in benchmarks).
	Extra []pkix.Extension
	// WebPKI adds what a public CA puts in a leaf besides names and
	// purposes: authorityInfoAccess (OCSP and caIssuers URLs), a CRL
	// distribution point, certificatePolicies (CA/B Forum domain-validated)
	// and a subjectKeyIdentifier.
	WebPKI bool
}

// Cert is a generated certificate with its key.
type Cert struct {
	DER  []byte
	Cert *x509.Certificate
	Key  crypto.Signer
}

// PEM returns the certificate as a PEM CERTIFICATE block.
func (c Cert) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.DER})
}

// KeyFor returns the Ed25519 key derived from name.
func KeyFor(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("tlscompat/eku certgen " + name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// Issue creates the certificate for spec, signed by parent (self-signed when
// parent is nil).
func Issue(spec Spec, parent *Cert) (Cert, error) {
	var key crypto.Signer = KeyFor(spec.Name)
	if spec.RSA != nil {
		key = spec.RSA
	}
	if spec.ECDSA != nil {
		key = spec.ECDSA
	}
	sum := sha256.Sum256([]byte(spec.Name))
	serial := new(big.Int).SetBytes(sum[:8])
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: spec.Name, Organization: []string{"tlscompat test"}},
		NotBefore:             time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              spec.KeyUsage,
		BasicConstraintsValid: true,
		IsCA:                  spec.CA,
		DNSNames:              spec.DNSNames,
		ExtraExtensions:       spec.Extra,
	}
	if spec.WebPKI {
		tmpl.OCSPServer = []string{"http://o.ca.example.net"}
		tmpl.IssuingCertificateURL = []string{"http://i.ca.example.net/r1.der"}
		tmpl.CRLDistributionPoints = []string{"http://c.ca.example.net/r1/42.crl"}
		tmpl.PolicyIdentifiers = []asn1.ObjectIdentifier{{2, 23, 140, 1, 2, 1}}
		tmpl.SubjectKeyId = sum[8:28]
	}
	if !spec.NoEKU {
		val, err := asn1.Marshal(spec.EKU)
		if err != nil {
			return Cert{}, err
		}
		if spec.EKU == nil {
			val = []byte{0x30, 0x00}
		}
		tmpl.ExtraExtensions = append(tmpl.ExtraExtensions, pkix.Extension{Id: oidEKU, Critical: spec.CriticalEKU, Value: val})
	}
	parentCert, parentKey := tmpl, key
	if parent != nil {
		parentCert, parentKey = parent.Cert, parent.Key
	}
	random := rand.Reader
	if _, ok := parentKey.(*ecdsa.PrivateKey); ok {
		random = nil // deterministic ECDSA signatures (RFC 6979)
	}
	der, err := x509.CreateCertificate(random, tmpl, parentCert, key.Public(), parentKey)
	if err != nil {
		return Cert{}, fmt.Errorf("certgen %s: %v", spec.Name, err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return Cert{}, err
	}
	return Cert{DER: der, Cert: c, Key: key}, nil
}

// MustIssue is Issue that panics on error (for test set-up).
func MustIssue(spec Spec, parent *Cert) Cert {
	c, err := Issue(spec, parent)
	if err != nil {
		panic(err)
	}
	return c
}

// ChainSpec builds root -> intermediate -> leaf with the given EKUs (nil slice
// with the matching no flag = no extension).
type ChainSpec struct {
	RootEKU, InterEKU, LeafEKU       []asn1.ObjectIdentifier
	NoRootEKU, NoInterEKU, NoLeafEKU bool
}

// Chain returns leaf, intermediate, root DER.
func Chain(name string, cs ChainSpec) [][]byte {
	root := MustIssue(Spec{Name: name + " root", CA: true, KeyUsage: x509.KeyUsageCertSign, EKU: cs.RootEKU, NoEKU: cs.NoRootEKU}, nil)
	inter := MustIssue(Spec{Name: name + " intermediate", CA: true, KeyUsage: x509.KeyUsageCertSign, EKU: cs.InterEKU, NoEKU: cs.NoInterEKU}, &root)
	leaf := MustIssue(Spec{Name: name + " leaf", KeyUsage: x509.KeyUsageDigitalSignature, EKU: cs.LeafEKU, NoEKU: cs.NoLeafEKU, DNSNames: []string{"leaf.example"}}, &inter)
	return [][]byte{leaf.DER, inter.DER, root.DER}
}

// ManyNames returns n DNS names.
func ManyNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = "host-" + strconv.Itoa(i) + ".san.example.com"
	}
	return names
}
