package eku

import "strconv"

// KeyUsage is the set of bits of the KeyUsage extension, RFC 5280, 4.2.1.3:
//
//	KeyUsage ::= BIT STRING {
//	     digitalSignature        (0),
//	     nonRepudiation          (1), -- recent editions of X.509 have
//	                                  -- renamed this bit to contentCommitment
//	     keyEncipherment         (2),
//	     dataEncipherment        (3),
//	     keyAgreement            (4),
//	     keyCertSign             (5),
//	     cRLSign                 (6),
//	     encipherOnly            (7),
//	     decipherOnly            (8) }
//
// Bit n of the BIT STRING is the value 1<<n, the same numbering as
// crypto/x509.KeyUsage, so x509.KeyUsage(ku) converts directly.
type KeyUsage uint16

// The KeyUsage bits.
const (
	KeyUsageDigitalSignature  KeyUsage = 1 << iota // digitalSignature (0)
	KeyUsageContentCommitment                      // nonRepudiation / contentCommitment (1)
	KeyUsageKeyEncipherment                        // keyEncipherment (2)
	KeyUsageDataEncipherment                       // dataEncipherment (3)
	KeyUsageKeyAgreement                           // keyAgreement (4)
	KeyUsageCertSign                               // keyCertSign (5)
	KeyUsageCRLSign                                // cRLSign (6)
	KeyUsageEncipherOnly                           // encipherOnly (7)
	KeyUsageDecipherOnly                           // decipherOnly (8)
)

var keyUsageNames = [...]string{
	"digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment",
	"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
}

// Has reports whether every bit of bits is set in k.
func (k KeyUsage) Has(bits KeyUsage) bool { return k&bits == bits }

// String returns the set bits joined by "|", for example
// "digitalSignature|keyEncipherment", "none" for zero, and a hexadecimal
// remainder for bits outside RFC 5280's nine. It never panics.
func (k KeyUsage) String() string {
	if k == 0 {
		return "none"
	}
	var b []byte
	for i, name := range keyUsageNames {
		if k&(1<<i) != 0 {
			if len(b) > 0 {
				b = append(b, '|')
			}
			b = append(b, name...)
		}
	}
	if rest := k &^ (1<<len(keyUsageNames) - 1); rest != 0 {
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, "0x"...)
		b = strconv.AppendUint(b, uint64(rest), 16)
	}
	return string(b)
}
