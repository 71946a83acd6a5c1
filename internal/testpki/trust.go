package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"sync"
	"time"
)

// TrustCase is one chain-and-store case of the trust suites: the chain a
// peer sends, its key, and the verifier's store.
type TrustCase struct {
	// Name is stable and safe as a subtest name.
	Name string
	// Chain is what the peer sends (DER, leaf first).
	Chain [][]byte
	// Key is the leaf's key.
	Key crypto.Signer
	// Store is the verifier's store (DER), every certificate trusted.
	Store [][]byte
	// Describe says what the case tests.
	Describe string
}

// Validity windows of the trust PKI: certificates are valid from
// [NotBefore] to [NotAfter], except the expired ones (Expired*) and the
// not-yet-valid leaf (NotYetValid*), so that a test run between 2025-06-02
// and 2039-12-31 sees each in its intended state.
var (
	ExpiredNotBefore     = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ExpiredNotAfter      = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	NotYetValidNotBefore = time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
)

// TrustPKI is the separate PKI of the trust suites (its own roots, none of
// them in the stacks' default stores).
type TrustPKI struct {
	// Certs by name: "old-root", "new-root", "cross" (new root's key and
	// name, issued by the old root), "int", "int-new" (under the new
	// root), "int-expired", "int-serverauth", "ca-no-bc" (a CA without
	// basicConstraints), "unknown-root", "int-unknown", and the leaves
	// "leaf", "leaf-expired", "leaf-not-yet-valid", "leaf-under-expired-int",
	// "leaf-under-serverauth-int", "leaf-under-no-bc", "leaf-under-new-int",
	// "leaf-unknown", "int-rsa" (an RSA 2048 intermediate), "leaf-sha1"
	// (signed by it with SHA-1), "leaf-rsa1024" (an RSA 1024 key). Every
	// leaf has EKU serverAuth+clientAuth and SANs
	// localhost, 127.0.0.1, ::1.
	Certs map[string]*Cert
}

var (
	trustOnce sync.Once
	trustPKI  *TrustPKI
	trustErr  error
)

// NewTrust returns the process-wide trust PKI, generating it on first use.
// It panics if key generation fails.
func NewTrust() *TrustPKI {
	trustOnce.Do(func() { trustPKI, trustErr = generateTrust() })
	if trustErr != nil {
		panic("testpki: " + trustErr.Error())
	}
	return trustPKI
}

type trustSpec struct {
	name, cn, issuer string
	ca, noBC         bool
	keyOf            string // reuse another certificate's key
	eku              []x509.ExtKeyUsage
	nb, na           time.Time
	rsaBits          int                     // RSA key of this size instead of ECDSA P-256
	sigAlg           x509.SignatureAlgorithm // the issuer's signature algorithm, if not its default
}

func generateTrust() (*TrustPKI, error) {
	sc := []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	specs := []trustSpec{
		{name: "old-root", cn: "tlscompat trust old root", ca: true},
		{name: "new-root", cn: "tlscompat trust new root", ca: true},
		{name: "cross", cn: "tlscompat trust new root", issuer: "old-root", ca: true, keyOf: "new-root"},
		{name: "int", cn: "tlscompat trust intermediate", issuer: "old-root", ca: true},
		{name: "int-new", cn: "tlscompat trust intermediate (new root)", issuer: "new-root", ca: true},
		{name: "int-expired", cn: "tlscompat trust intermediate (expired)", issuer: "old-root", ca: true, nb: ExpiredNotBefore, na: ExpiredNotAfter},
		{name: "int-serverauth", cn: "tlscompat trust intermediate (EKU serverAuth)", issuer: "old-root", ca: true, eku: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}},
		{name: "ca-no-bc", cn: "tlscompat trust CA without basicConstraints", issuer: "old-root", ca: true, noBC: true},
		{name: "unknown-root", cn: "tlscompat trust unknown root", ca: true},
		{name: "int-unknown", cn: "tlscompat trust intermediate (unknown root)", issuer: "unknown-root", ca: true},
		{name: "leaf", cn: "tlscompat trust leaf", issuer: "int", eku: sc},
		{name: "leaf-expired", cn: "tlscompat trust leaf (expired)", issuer: "int", eku: sc, nb: ExpiredNotBefore, na: ExpiredNotAfter},
		{name: "leaf-not-yet-valid", cn: "tlscompat trust leaf (not yet valid)", issuer: "int", eku: sc, nb: NotYetValidNotBefore},
		{name: "leaf-under-expired-int", cn: "tlscompat trust leaf (under an expired intermediate)", issuer: "int-expired", eku: sc, nb: ExpiredNotBefore},
		{name: "leaf-under-serverauth-int", cn: "tlscompat trust leaf (under a serverAuth intermediate)", issuer: "int-serverauth", eku: sc},
		{name: "leaf-under-no-bc", cn: "tlscompat trust leaf (under a CA without basicConstraints)", issuer: "ca-no-bc", eku: sc},
		{name: "leaf-under-new-int", cn: "tlscompat trust leaf (new root)", issuer: "int-new", eku: sc},
		{name: "leaf-unknown", cn: "tlscompat trust leaf (unknown root)", issuer: "int-unknown", eku: sc},
		{name: "int-rsa", cn: "tlscompat trust intermediate (RSA)", issuer: "old-root", ca: true, rsaBits: 2048},
		{name: "leaf-sha1", cn: "tlscompat trust leaf (signed with SHA-1)", issuer: "int-rsa", eku: sc, sigAlg: x509.SHA1WithRSA},
		{name: "leaf-rsa1024", cn: "tlscompat trust leaf (RSA 1024)", issuer: "int", eku: sc, rsaBits: 1024},
	}
	p := &TrustPKI{Certs: map[string]*Cert{}}
	for i, s := range specs {
		c, err := p.issueTrust(s, int64(1000+i))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.name, err)
		}
		p.Certs[s.name] = c
	}
	return p, nil
}

func (p *TrustPKI) issueTrust(s trustSpec, serial int64) (*Cert, error) {
	var key crypto.Signer
	if s.keyOf != "" {
		key = p.Certs[s.keyOf].Key
	} else if s.rsaBits > 0 {
		k, err := rsa.GenerateKey(rand.Reader, s.rsaBits)
		if err != nil {
			return nil, err
		}
		key = k
	} else {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		key = k
	}
	nb, na := NotBefore, NotAfter
	if !s.nb.IsZero() {
		nb = s.nb
	}
	if !s.na.IsZero() {
		na = s.na
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{Organization: []string{"tlscompat trust test"}, CommonName: s.cn},
		NotBefore:             nb,
		NotAfter:              na,
		ExtKeyUsage:           s.eku,
		BasicConstraintsValid: s.ca && !s.noBC,
		IsCA:                  s.ca && !s.noBC,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		SignatureAlgorithm:    s.sigAlg,
	}
	if s.ca {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		tmpl.DNSNames = []string{"localhost"}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	}
	var issuer *Cert
	if s.issuer != "" {
		issuer = p.Certs[s.issuer]
	}
	return signCert(tmpl, key, issuer, Name(s.name), s.cn)
}

// DER returns the named certificates' DER, in order.
func (p *TrustPKI) DER(names ...string) [][]byte {
	out := make([][]byte, len(names))
	for i, n := range names {
		c, ok := p.Certs[n]
		if !ok {
			panic("testpki: unknown trust certificate " + n)
		}
		out[i] = c.DER
	}
	return out
}

// Cases returns the trust cases of the issue's floor, in a stable order.
func (p *TrustPKI) Cases() []TrustCase {
	c := func(name, describe string, chain, store []string) TrustCase {
		return TrustCase{Name: name, Describe: describe, Chain: p.DER(chain...), Key: p.Certs[chain[0]].Key, Store: p.DER(store...)}
	}
	return []TrustCase{
		c("trusted", "leaf and intermediate sent, root trusted", []string{"leaf", "int"}, []string{"old-root"}),
		c("leaf-only", "only the leaf sent, root trusted", []string{"leaf"}, []string{"old-root"}),
		c("leaf-only-int-in-store", "only the leaf sent, intermediate and root in the store", []string{"leaf"}, []string{"old-root", "int"}),
		c("int-only-anchor", "leaf and intermediate sent, the intermediate the only anchor", []string{"leaf", "int"}, []string{"int"}),
		c("root-included", "leaf, intermediate and root sent", []string{"leaf", "int", "old-root"}, []string{"old-root"}),
		c("expired-leaf", "the leaf expired", []string{"leaf-expired", "int"}, []string{"old-root"}),
		c("not-yet-valid-leaf", "the leaf is not yet valid", []string{"leaf-not-yet-valid", "int"}, []string{"old-root"}),
		c("expired-int", "the intermediate expired", []string{"leaf-under-expired-int", "int-expired"}, []string{"old-root"}),
		c("unknown-root", "the chain leads to a root the store lacks", []string{"leaf-unknown", "int-unknown"}, []string{"old-root"}),
		c("cross-old-trusted", "new root cross-signed by the old one: cross certificate sent, old root trusted", []string{"leaf-under-new-int", "int-new", "cross"}, []string{"old-root"}),
		c("cross-new-trusted", "cross certificate sent, only the new root trusted", []string{"leaf-under-new-int", "int-new", "cross"}, []string{"new-root"}),
		c("serverauth-int", "the intermediate's EKU is serverAuth only", []string{"leaf-under-serverauth-int", "int-serverauth"}, []string{"old-root"}),
		c("ca-no-bc", "the intermediate has no basicConstraints", []string{"leaf-under-no-bc", "ca-no-bc"}, []string{"old-root"}),
		c("sha1-signed-leaf", "the leaf is signed with SHA-1 (RSA)", []string{"leaf-sha1", "int-rsa"}, []string{"old-root"}),
		c("rsa1024-leaf", "the leaf's key is RSA 1024", []string{"leaf-rsa1024", "int"}, []string{"old-root"}),
	}
}
