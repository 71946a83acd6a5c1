// Package products holds the products [policy] knows by name: SIP servers
// (Kamailio, OpenSIPS, Asterisk, FreeSWITCH) with their configuration
// words mapped to client-certificate modes, the Genesys Cloud BYOC
// endpoints, the Cisco contact-centre products (UCCX, SocialMiner), the
// services they call (Salesforce, Exchange), and the seed stories
// ([Stories]). The commercial SBCs (AudioCodes, Cisco CUBE, Oracle, Ribbon,
// Avaya, Cisco Expressway, the Teams Direct Routing SBC role) are in
// [github.com/tlscompat/tlscompat/policy/products/sbc], and the public CAs'
// and providers' dated clientAuth cut-overs in
// [github.com/tlscompat/tlscompat/policy/products/issuers]. Where a vendor's
// document does not say something (a TLS library, whether a missing
// certificate is refused), the profile says unknown: Stack is
// policy.UnknownStack, the mode policy.ClientAuthVerifies or
// policy.ClientAuthUnknown.
//
// Each constructor returns a [policy.Client] or [policy.Server] whose
// vendor-specific facts are data: the remedy the vendor's situation calls
// for ([policy.Client].RemedyForEKU), what the vendor documents about the
// endpoint ([policy.Client].Notes, such as "not affected"), how a version
// mismatch is fixed ([policy.VersionFix]), and the public documents each
// mapping rests on ([policy.Evidence]). The engine in package policy knows
// no vendor; a new product is a new constructor here, or the caller's own.
package products

import (
	"errors"
	"fmt"
	"time"
)

func errorf(format string, a ...any) error {
	return errors.New("products: " + fmt.Sprintf(format, a...))
}

func utc(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
