// Package pathbuild decides whether a certificate chain, as a TLS peer sends
// it, leads to a trust anchor of the verifier's store, the way a given TLS
// stack builds and checks certification paths: which certificates it may use
// (the chain as sent, the store's anchors and intermediates), what ends a
// path (a self-signed anchor only, or any certificate in the store), and
// which checks it applies along the way (validity at an instant,
// basicConstraints cA and pathLenConstraint, signatures, the server name).
// It is pure: no I/O, no clock, no global state.
//
// The stack facts ([Rules], [For]) are data with their public sources; the
// interop suite in package policy (trust_interop_test.go) runs every case
// against the real stacks.
package pathbuild

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"strconv"
	"time"
)

// Failure names the check a path failed.
type Failure uint8

// Failures. OK means a path was found and passed every check.
const (
	OK Failure = iota
	// UnknownIssuer: no path from the leaf reaches an anchor of the store.
	UnknownIssuer
	// Expired: a certificate at Depth is past its notAfter.
	Expired
	// NotYetValid: a certificate at Depth is before its notBefore.
	NotYetValid
	// NotCA: the issuer at Depth lacks basicConstraints cA (or the
	// extension).
	NotCA
	// PathLen: the CA at Depth has a pathLenConstraint the path exceeds.
	PathLen
	// BadSignature: the signature of the certificate below Depth does not
	// verify with the key of the certificate at Depth.
	BadSignature
	// NameMismatch: the leaf's SANs do not match the dialled name.
	NameMismatch
	// Distrusted: the anchor's distrust-after date (Mozilla's root
	// program) is before the leaf's notBefore.
	Distrusted
	// WeakSignature: the certificate at Depth is signed with SHA-1 and the
	// stack refuses it.
	WeakSignature
	// WeakKey: the certificate at Depth has an RSA key shorter than the
	// stack accepts.
	WeakKey
	numFailures
)

var failureNames = [numFailures]string{"ok", "unknown-issuer", "expired", "not-yet-valid", "not-ca", "path-len", "bad-signature", "name-mismatch", "distrusted", "weak-signature", "weak-key"}

// String returns the stable name ("unknown-issuer", ...).
func (f Failure) String() string {
	if f < numFailures {
		return failureNames[f]
	}
	return "failure(?)"
}

// Store is the verifier's certificate store: anchors it trusts and
// intermediates it holds without trusting them.
type Store struct {
	Anchors []*x509.Certificate
	// DistrustAfter, when non-nil, runs parallel to Anchors: a non-zero
	// time is the anchor's distrust-after date.
	DistrustAfter []time.Time
	Intermediates []*x509.Certificate
	// PartialChain is OpenSSL's X509_V_FLAG_PARTIAL_CHAIN (s_server
	// -partial_chain): any anchor ends a path, self-signed or not.
	PartialChain bool
}

// Result is the answer for one chain.
type Result struct {
	// Failure is OK or the check that failed.
	Failure Failure
	// Depth is the position of the certificate concerned (0 = leaf).
	Depth int
	// Path is the number of certificates in the path checked (0 if none
	// reaches an anchor).
	Path int
	// Certs is the path checked, leaf first, anchor last (nil if none).
	Certs []*x509.Certificate
	// Undecided, when non-empty, says why the stack's answer is not known
	// (a rule the decision needs is unknown for the stack); Failure is
	// then the answer of the stacks that are known.
	Undecided string
}

// maxDepth bounds the paths explored.
const maxDepth = 8

// node is a candidate certificate with where it came from.
type node struct {
	c      *x509.Certificate
	anchor int // index in Store.Anchors, or -1
}

// Verify builds paths from chain (leaf first, as sent) to the store's
// anchors as a stack with rules r does, and checks them at instant at. name,
// when non-empty, is checked against the leaf's SANs.
func Verify(chain []*x509.Certificate, st *Store, r *Rules, d Direction, at time.Time, name string) Result {
	if len(chain) == 0 {
		return Result{Failure: UnknownIssuer}
	}
	// Candidates: the sent certificates (marked when the store holds the
	// same certificate), then the store's anchors and intermediates.
	// Anchors are not compared with each other: a store holds each once.
	pool := make([]node, 0, len(chain)+len(st.Anchors)+len(st.Intermediates))
	if r.UsesSentChain {
		for _, c := range chain[1:] {
			pool = appendNode(pool, node{c, anchorIndex(st, c)})
		}
	}
	sent := len(pool)
	for i, c := range st.Anchors {
		if !inPool(pool[:sent], c) {
			pool = append(pool, node{c, i})
		}
	}
	for _, c := range st.Intermediates {
		pool = appendNode(pool, node{c, anchorIndex(st, c)})
	}
	leaf := node{chain[0], anchorIndex(st, chain[0])}
	var paths [][]node
	partialSeen := false
	cur := []node{leaf}
	var walk func()
	walk = func() {
		if len(paths) >= 16 {
			return
		}
		top := cur[len(cur)-1]
		self := selfSigned(top.c)
		end, undecided := ends(top, self, st, r)
		partialSeen = partialSeen || undecided
		if end {
			paths = append(paths, append([]node(nil), cur...))
			if r.Terminal {
				return
			}
		}
		if len(cur) >= maxDepth || self {
			return
		}
		for _, n := range pool {
			if onPath(cur, n.c) || !bytes.Equal(n.c.RawSubject, top.c.RawIssuer) {
				continue
			}
			if !signedBy(top.c, n.c) {
				continue
			}
			cur = append(cur, n)
			walk()
			cur = cur[:len(cur)-1]
		}
	}
	walk()
	if len(paths) == 0 {
		res := Result{Failure: UnknownIssuer, Depth: len(chain) - 1}
		if !r.UsesSentChain {
			res.Depth = 0
		}
		if name != "" && chain[0].VerifyHostname(name) != nil && r.NameFirst {
			return Result{Failure: NameMismatch}
		}
		if partialSeen {
			res.Undecided = "whether " + r.Name + " accepts a certificate of its store that is not self-signed as a trust anchor is not known"
		}
		return res
	}
	var first Result
	for i, p := range paths {
		res := check(p, st, r, d, at)
		res.Certs = make([]*x509.Certificate, len(p))
		for k, n := range p {
			res.Certs[k] = n.c
		}
		if i == 0 {
			first = res
		}
		if res.Failure == OK {
			if name != "" && chain[0].VerifyHostname(name) != nil {
				return Result{Failure: NameMismatch, Path: len(p)}
			}
			if i > 0 && r.AlternativePaths == No {
				return first
			}
			if i > 0 && r.AlternativePaths == Unknown {
				res.Undecided = "whether " + r.Name + " tries another path when the first fails is not known"
			}
			return res
		}
	}
	return first
}

func appendNode(pool []node, n node) []node {
	for _, p := range pool {
		if bytes.Equal(p.c.Raw, n.c.Raw) {
			return pool
		}
	}
	return append(pool, n)
}

func inPool(pool []node, c *x509.Certificate) bool {
	for _, p := range pool {
		if bytes.Equal(p.c.Raw, c.Raw) {
			return true
		}
	}
	return false
}

func anchorIndex(st *Store, c *x509.Certificate) int {
	for i, a := range st.Anchors {
		if bytes.Equal(a.Raw, c.Raw) {
			return i
		}
	}
	return -1
}

func onPath(p []node, c *x509.Certificate) bool {
	for _, n := range p {
		if bytes.Equal(n.c.Raw, c.Raw) {
			return true
		}
	}
	return false
}

// selfSigned reports a self-issued certificate whose key identifiers (if
// present) agree, as OpenSSL's X509_check_issued(x, x) decides it; the
// signature of a trust anchor is not checked (OpenSSL checks it only with
// X509_V_FLAG_CHECK_SS_SIGNATURE, and crypto/x509 never).
func selfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawSubject, c.RawIssuer) {
		return false
	}
	return len(c.AuthorityKeyId) == 0 || len(c.SubjectKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId)
}

// ends reports whether a path may end at n: n is an anchor and the stack
// accepts it as the end (a self-signed anchor always; another only where
// any store certificate is an anchor, or with PartialChain).
func ends(n node, self bool, st *Store, r *Rules) (end, undecided bool) {
	if n.anchor < 0 {
		return false, false
	}
	if self || r.StoreCertIsAnchor == Yes || st.PartialChain {
		return true, false
	}
	return false, r.StoreCertIsAnchor == Unknown
}

// check applies validity, CA and pathLen checks to one path (leaf first,
// anchor last).
func check(p []node, st *Store, r *Rules, d Direction, at time.Time) Result {
	last := len(p) - 1
	for i, n := range p {
		if i == last && len(p) > 1 && r.AnchorValidity != Yes {
			if r.AnchorValidity == Unknown && (at.After(n.c.NotAfter) || at.Before(n.c.NotBefore)) {
				return Result{Failure: OK, Path: len(p), Undecided: "the trust anchor is outside its validity period, and whether " + r.Name + " checks an anchor's validity is not known"}
			}
			break
		}
		if at.After(n.c.NotAfter) {
			return Result{Failure: Expired, Depth: i, Path: len(p)}
		}
		if at.Before(n.c.NotBefore) {
			return Result{Failure: NotYetValid, Depth: i, Path: len(p)}
		}
	}
	for i := 1; i < len(p); i++ {
		c := p[i].c
		if i == last && r.AnchorCA != Yes {
			break
		}
		if !c.BasicConstraintsValid || !c.IsCA {
			return Result{Failure: NotCA, Depth: i, Path: len(p)}
		}
		if c.MaxPathLen >= 0 && (c.MaxPathLen > 0 || c.MaxPathLenZero) && i-1 > c.MaxPathLen {
			return Result{Failure: PathLen, Depth: i, Path: len(p)}
		}
	}
	for i := 0; i < last || (i == 0 && len(p) == 1); i++ {
		c := p[i].c
		if isSHA1(c.SignatureAlgorithm) && i < last {
			switch r.RefusesSHA1[d] {
			case Yes:
				return Result{Failure: WeakSignature, Depth: i, Path: len(p)}
			case Unknown:
				return Result{Failure: OK, Path: len(p), Undecided: "the certificate at depth " + itoa(i) + " is signed with SHA-1, and whether " + r.Name + " accepts that is not known" + r.SHA1Note}
			}
		}
		if k, ok := c.PublicKey.(*rsa.PublicKey); ok {
			bits := k.N.BitLen()
			switch {
			case bits < r.RSARefusesBelow[d]:
				return Result{Failure: WeakKey, Depth: i, Path: len(p)}
			case bits >= 2048 || (r.RSAAccepts[d] > 0 && bits >= r.RSAAccepts[d]):
			default:
				return Result{Failure: OK, Path: len(p), Undecided: "the certificate at depth " + itoa(i) + " has an RSA key of " + itoa(bits) + " bits, and whether " + r.Name + " accepts that is not known"}
			}
		}
	}
	a := p[last]
	if a.anchor >= 0 && a.anchor < len(st.DistrustAfter) && !st.DistrustAfter[a.anchor].IsZero() {
		if p[0].c.NotBefore.After(st.DistrustAfter[a.anchor]) {
			return Result{Failure: Distrusted, Depth: last, Path: len(p)}
		}
	}
	return Result{Failure: OK, Path: len(p)}
}

func itoa(i int) string { return strconv.Itoa(i) }

func isSHA1(a x509.SignatureAlgorithm) bool {
	return a == x509.SHA1WithRSA || a == x509.ECDSAWithSHA1 || a == x509.DSAWithSHA1
}

// signedBy reports whether c's signature verifies with issuer's key.
// crypto/x509 refuses SHA-1 signatures outright; they are verified here so
// that a stack's own SHA-1 policy (Rules.RefusesSHA1) decides.
func signedBy(c, issuer *x509.Certificate) bool {
	if !isSHA1(c.SignatureAlgorithm) {
		return issuer.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
	}
	h := sha1.Sum(c.RawTBSCertificate)
	switch k := issuer.PublicKey.(type) {
	case *rsa.PublicKey:
		return c.SignatureAlgorithm == x509.SHA1WithRSA && rsa.VerifyPKCS1v15(k, crypto.SHA1, h[:], c.Signature) == nil
	case *ecdsa.PublicKey:
		return c.SignatureAlgorithm == x509.ECDSAWithSHA1 && ecdsa.VerifyASN1(k, h[:], c.Signature)
	}
	return false
}
