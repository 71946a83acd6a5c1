package policy

import (
	"strconv"
	"strings"

	"github.com/tlscompat/tlscompat/eku"
)

// This file holds what the stack rules share: the check result, the chain
// as the server sees it, and the CA rule. Each stack's own rules are in
// its stack_*.go file (see stackRules).

// evModes is the evidence for "requested but not verified: any certificate
// is accepted".
var evModes = Cite(
	Source{Kind: SourceRFC, Locator: "RFC 8446 §4.4.2.4", Ref: "a server that does not verify may continue the handshake with any client certificate"},
	srcTruthSuite,
)

// check is the result of one rule evaluation.
type check struct {
	effect Effect
	code   Code
	alert  Alert
	depth  int
	detail string
	ev     Evidence
}

func pass(code Code, ev Evidence) check { return check{effect: EffectInfo, code: code, ev: ev} }

// chainView is the client chain as the server sees it at the instant: the
// effective leaf (after renewals) and the CA certificates.
type chainView struct {
	// leaf is a copy of the effective leaf: a value, not a pointer, so
	// that the stacks' rules, called through stackTable, do not make
	// Evaluate's buffer escape to the heap.
	leaf   Cert
	sent   bool   // a certificate is sent (leaf is valid unless opaque)
	cas    []Cert // above the leaf; the last is the anchor if complete
	known  CAs
	anchor bool // leaf is a trust anchor
	opaque bool // the certificate's contents are not known
}

func ekuDetail(c *Cert) string {
	if !c.HasEKU {
		return "no EKU"
	}
	var ps [16]eku.Purpose
	list := c.EKU.AppendTo(ps[:0])
	if len(list) == 0 && c.OtherEKUs > 0 {
		return "EKU: only unrecognised purposes"
	}
	switch len(list) {
	case 1:
		return ekuOnly[clampPurpose(list[0])]
	}
	var b strings.Builder
	b.WriteString("EKU: ")
	for i, p := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// ekuOnly holds precomputed "EKU: x" strings so the common single-purpose
// case does not allocate.
var ekuOnly = func() (t [64]string) {
	for p := 1; p < 64; p++ {
		t[p] = "EKU: " + eku.Purpose(p).String()
	}
	return t
}()

func clampPurpose(p eku.Purpose) int {
	if p >= 64 {
		return 0
	}
	return int(p)
}

// caRule applies "every CA certificate's EKU must allow clientAuth".
// withAnchor includes the trust anchor; anyOK honours anyExtendedKeyUsage.
func caRule(v chainView, withAnchor, anyOK bool, alert Alert, ev Evidence) check {
	switch v.known {
	case CAsPermitClientAuth:
		return pass(CodeCertificateAccepted, ev)
	case CAsUnknown:
		return check{effect: EffectUnknown, code: CodeCAsUnknown, ev: ev}
	}
	n := len(v.cas)
	if !withAnchor && n > 0 {
		n--
	}
	for i := 0; i < n; i++ {
		c := &v.cas[i]
		if c.HasEKU && !c.EKU.Has(eku.ClientAuth) && !(anyOK && c.EKU.Has(eku.Any)) {
			return check{effect: EffectFail, code: CodeCAEKULacksClientAuth, alert: alert, depth: i + 1, detail: ekuDetail(c), ev: ev}
		}
	}
	return pass(CodeCertificateAccepted, ev)
}

// parseDotted parses "3.8.13" (more components are ignored).
func parseDotted(s string) ([3]int, bool) {
	var out [3]int
	if s == "" {
		return out, false
	}
	for i := 0; i < 3 && s != ""; i++ {
		j := strings.IndexByte(s, '.')
		part := s
		if j >= 0 {
			part, s = s[:j], s[j+1:]
		} else {
			s = ""
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return out, false
		}
		out[i] = n
	}
	return out, true
}

func lessDotted(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
