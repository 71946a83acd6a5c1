package eku

import (
	"crypto/x509"
	"errors"
	"strconv"
)

// Semantics selects how a [Chain]'s certificates combine.
type Semantics uint8

// The chain semantics. The zero value is not a valid Semantics.
const (
	// RFC5280 looks at the leaf only. RFC 5280, 4.2.1.12 defines the
	// extension for "the certified public key" of the certificate that
	// carries it and says nothing about CA certificates restricting their
	// subjects. Java (PKIX + EndEntityChecker: openjdk/jdk17u@jdk-17.0.15-ga,
	// src/java.base/share/classes/sun/security/validator/EndEntityChecker.java)
	// and Mbed TLS (Mbed-TLS/mbedtls@v2.28.3, library/ssl_tls.c
	// mbedtls_ssl_check_cert_usage) behave like this.
	RFC5280 Semantics = 1 + iota

	// Nested is Go's rule, crypto/x509 verify.go checkChainForKeyUsage (Go
	// 1.26), applied to one purpose: walking from the last certificate
	// (the root, if given) to the leaf, a certificate restricts the chain
	// unless it has no EKU extension, has an empty one, or lists
	// anyExtendedKeyUsage; a restricting certificate must list the purpose.
	// Every certificate counts, the leaf and the root included: a
	// certificate with no EKU or with anyExtendedKeyUsage passes through
	// (golang/go@go1.26.8, src/crypto/x509/verify.go).
	Nested

	// OpenSSL is the EKU part of OpenSSL's (and BoringSSL's) purpose check,
	// crypto/x509/v3_purp.c xku_reject as called for every certificate of
	// the chain including the trust anchor (x509_vfy.c check_extensions):
	// a certificate with an EKU extension must list the purpose;
	// anyExtendedKeyUsage does not count, and an empty extension permits
	// nothing. For ServerAuth, as for purpose "sslserver", the Netscape and
	// Microsoft server-gated-crypto OIDs also count. KeyUsage and Netscape
	// cert type, which OpenSSL also checks, are not part of this rule
	// (openssl/openssl@openssl-3.0.19, crypto/x509/v3_purp.c).
	OpenSSL
)

var semanticsNames = [...]string{"invalid", "RFC5280", "Nested", "OpenSSL"}

// String returns "RFC5280", "Nested" or "OpenSSL" (or "Semantics(N)"). It
// never panics.
func (sem Semantics) String() string {
	if int(sem) < len(semanticsNames) {
		return semanticsNames[sem]
	}
	return "Semantics(" + strconv.Itoa(int(sem)) + ")"
}

// MaxChainLen is the largest number of certificates a [Chain] holds.
const MaxChainLen = 10

// Chain is the parsed EKU data of a certificate chain: the leaf first, then
// the intermediates, then (optionally) the root. It is a fixed-size value and
// does not allocate.
type Chain struct {
	n    int
	sets [MaxChainLen]Set
}

// errChainLen is returned for an empty or too long chain.
var errChainLen = errors.New("eku: a chain needs 1 to " + strconv.Itoa(MaxChainLen) + " certificates")

// ParseChain parses DER certificates, leaf first. A parse failure is
// reported as a *[ChainError] holding the index and the *[ParseError].
func ParseChain(ders [][]byte) (Chain, error) {
	var c Chain
	if len(ders) == 0 || len(ders) > MaxChainLen {
		return Chain{}, errChainLen
	}
	for i, der := range ders {
		s, err := Parse(der)
		if err != nil {
			return Chain{}, &ChainError{Index: i, Err: err}
		}
		c.sets[i] = s
	}
	c.n = len(ders)
	return c, nil
}

// ChainOf returns the chain of already parsed certificates, leaf first.
func ChainOf(sets ...Set) (Chain, error) {
	var c Chain
	if len(sets) == 0 || len(sets) > MaxChainLen {
		return Chain{}, errChainLen
	}
	c.n = copy(c.sets[:], sets)
	return c, nil
}

// ChainFromX509 parses the Raw bytes of crypto/x509 certificates, leaf
// first, such as one of the chains returned by (*x509.Certificate).Verify.
func ChainFromX509(certs []*x509.Certificate) (Chain, error) {
	var c Chain
	if len(certs) == 0 || len(certs) > MaxChainLen {
		return Chain{}, errChainLen
	}
	for i, cert := range certs {
		s, err := FromX509(cert)
		if err != nil {
			return Chain{}, &ChainError{Index: i, Err: err}
		}
		c.sets[i] = s
	}
	c.n = len(certs)
	return c, nil
}

// FromX509 returns the Set of a certificate parsed by crypto/x509, by parsing
// its Raw bytes (a cheap pass; the Set aliases cert.Raw).
func FromX509(cert *x509.Certificate) (Set, error) {
	if cert == nil {
		return Set{}, errors.New("eku: nil *x509.Certificate")
	}
	return Parse(cert.Raw)
}

// Len returns the number of certificates.
func (c Chain) Len() int { return c.n }

// At returns certificate i, 0 being the leaf. It panics if i is out of range.
func (c Chain) At(i int) Set {
	if i < 0 || i >= c.n {
		panic("eku: Chain.At index " + strconv.Itoa(i) + " out of range [0," + strconv.Itoa(c.n) + ")")
	}
	return c.sets[i]
}

// Leaf returns the first certificate, or the zero Set for an empty Chain.
func (c Chain) Leaf() Set { return c.sets[0] }

// Permits reports whether the chain may be used for purpose p under sem.
// For p == [Any] it reports whether the chain is unrestricted (every
// purpose permitted). An invalid sem permits nothing.
func (c Chain) Permits(p Purpose, sem Semantics) bool { return c.DeniedBy(p, sem) < 0 }

// DeniedBy returns the index (0 = leaf) of the certificate that rules out
// purpose p under sem, or -1 if the chain permits p. Under Nested and OpenSSL
// the certificate nearest the root is reported, as Go's walk from the root
// finds it first. An empty chain or an invalid sem returns 0.
func (c Chain) DeniedBy(p Purpose, sem Semantics) int {
	if c.n == 0 {
		return 0
	}
	switch sem {
	case RFC5280:
		if c.sets[0].Permits(p) {
			return -1
		}
		return 0
	case Nested:
		for i := c.n - 1; i >= 0; i-- {
			if !nestedPermits(c.sets[i], p) {
				return i
			}
		}
		return -1
	case OpenSSL:
		for i := c.n - 1; i >= 0; i-- {
			if !openSSLPermits(c.sets[i], p) {
				return i
			}
		}
		return -1
	}
	return 0
}

// nestedPermits is one step of crypto/x509 checkChainForKeyUsage.
func nestedPermits(s Set, p Purpose) bool {
	if s.meta.seqLen() == 0 || s.known.Has(Any) {
		return true // no EKU (absent or empty), or "explicitly good for any usage"
	}
	return p != Any && s.known.Has(p)
}

// openSSLPermits is xku_reject of OpenSSL's v3_purp.c, negated.
func openSSLPermits(s Set, p Purpose) bool {
	if !s.Present() {
		return true
	}
	if p == ServerAuth && (s.known.Has(NetscapeServerGatedCrypto) || s.known.Has(MicrosoftServerGatedCrypto)) {
		return true
	}
	return p != Any && s.known.Has(p)
}

// Allowed returns the known purposes the chain as a whole permits under sem,
// or unrestricted == true when no certificate restricts it (then every
// purpose, known or not, is permitted and allowed is empty). Purposes that
// are not in this package's table cannot be represented in allowed.
func (c Chain) Allowed(sem Semantics) (allowed PurposeSet, unrestricted bool) {
	if c.n == 0 {
		return PurposeSet{}, false
	}
	var all PurposeSet
	for i := 1; i < numPurposes; i++ {
		all.add(Purpose(i))
	}
	allowed, unrestricted = all, true
	restrict := func(s PurposeSet) {
		allowed = allowed.Intersect(s)
		unrestricted = false
	}
	switch sem {
	case RFC5280:
		if l := c.sets[0]; l.Present() && !l.known.Has(Any) {
			restrict(l.known)
		}
	case Nested:
		for _, s := range c.sets[:c.n] {
			if s.meta.seqLen() != 0 && !s.known.Has(Any) {
				restrict(s.known)
			}
		}
	case OpenSSL:
		for _, s := range c.sets[:c.n] {
			if s.Present() {
				k := s.known
				if k.Has(NetscapeServerGatedCrypto) || k.Has(MicrosoftServerGatedCrypto) {
					k.add(ServerAuth)
				}
				restrict(k)
			}
		}
	default:
		return PurposeSet{}, false
	}
	if unrestricted {
		return PurposeSet{}, true
	}
	allowed.remove(Any) // Any is never "allowed" as a specific purpose
	return allowed, false
}
