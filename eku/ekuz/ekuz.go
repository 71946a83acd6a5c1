// Package ekuz adapts zcrypto certificates (github.com/zmap/zcrypto/x509) to
// package eku. It lives in its own package so that importing eku does not
// pull in zcrypto.
package ekuz

import (
	"errors"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/zmap/zcrypto/x509"
)

// FromCertificate returns the [eku.Set] of a certificate parsed by zcrypto,
// by running [eku.Parse] over its Raw bytes (a cheap pass that does not
// repeat zcrypto's work; the Set aliases c.Raw).
func FromCertificate(c *x509.Certificate) (eku.Set, error) {
	if c == nil {
		return eku.Set{}, errors.New("eku: nil zcrypto *x509.Certificate")
	}
	return eku.Parse(c.Raw)
}

// Chain returns the [eku.Chain] of zcrypto certificates, leaf first. A parse
// failure is reported as an *[eku.ChainError].
func Chain(certs []*x509.Certificate) (eku.Chain, error) {
	if len(certs) == 0 || len(certs) > eku.MaxChainLen {
		return eku.Chain{}, errors.New("eku: a chain needs 1 to 10 certificates")
	}
	var sets [eku.MaxChainLen]eku.Set
	for i, c := range certs {
		s, err := FromCertificate(c)
		if err != nil {
			return eku.Chain{}, &eku.ChainError{Index: i, Err: err}
		}
		sets[i] = s
	}
	return eku.ChainOf(sets[:len(certs)]...)
}
