package policy

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/policy/internal/pathbuild"
	"github.com/tlscompat/tlscompat/tlsver"
)

// trustStage decides trust in both directions: the server checking the
// client's chain (when its mode verifies), and the client checking the
// server's chain (when the server's chain is given). See the package
// documentation, "Trust".
func trustStage(s *Scenario, o *Outcome) {
	if ch := s.Client.Chain; s.Server.ClientAuth.Verifies() && ch != nil && !ch.Opaque && len(ch.Certs) > 0 && !o.Has(CodeCertificateWithheld) && !o.Has(CodeIssuerNotListed) {
		chainTrust(o, ch, s.Server.Trust, s.Server.Stack, s.Server.Name, pathbuild.ServerVerifies, "", s)
	}
	o.clientPath = trustMemo{}
	if ch := s.Server.Chain; ch != nil && !ch.Opaque && len(ch.Certs) > 0 {
		chainTrust(o, ch, s.Client.Trust, s.Client.Stack, s.Client.Name, pathbuild.ClientVerifies, s.Client.ServerName, s)
	}
}

var (
	evTrustAssumed = Cite(
		Source{Kind: SourceScenario, Ref: "the verifier's trust store is not given (Server.Trust / Client.Trust): the answer holds if it trusts the named issuer"},
		Source{Kind: SourceInterop, Locator: "policy/trust_interop_test.go:TestTrustInteropServers", Ref: "every stack tested rejects a chain to an issuer it does not trust"})
	evTrustByName = Cite(Source{Kind: SourceScenario, Ref: "the chain is known by names only (no DER): a certificate's issuer or subject is compared with the store's subjects; signatures are not checked"})
)

// trustModelled lists the stacks whose path building is modelled, for an
// unknown verifier stack.
var trustModelled = [...]Stack{OpenSSL3, GnuTLS, GoCryptoTLS, JavaJSSE, NSS, MbedTLS}

// chainTrust adds the finding for one chain checked by a verifier.
func chainTrust(o *Outcome, ch *Chain, tr *Trust, st Stack, verifier string, dir pathbuild.Direction, name string, s *Scenario) {
	if verifier == "" {
		verifier = "the server"
		if dir == pathbuild.ClientVerifies {
			verifier = "the client"
		}
	}
	issuer := chainIssuer(ch)
	forecast := dir == pathbuild.ServerVerifies && leafIsForecast(&s.Client, s.At)
	if r := s.Client.Renewal; forecast && r.Issuer != "" {
		issuer = r.Issuer // the renewed certificate's issuer
	}
	if tr == nil {
		// The assumption is stated where it carries the answer: not when
		// another step already fails or leaves the outcome Unknown.
		_, failed := o.First(EffectFail)
		_, unknown := o.First(EffectUnknown)
		if failed || unknown {
			return
		}
		o.Add(Finding{Code: CodeTrustAssumed, Effect: EffectWarning, Stack: st, Subject: verifier, Detail: issuer, Depth: len(ch.Certs) - 1, Evidence: evTrustAssumed})
		return
	}
	r := pathbuild.For(st.String())
	var res pathbuild.Result
	var certs []*x509.Certificate
	if m := &o.clientPath; dir == pathbuild.ServerVerifies && m.set && r != nil {
		res, certs = m.res, m.certs // built by trustPath
	} else {
		if forecast {
			// The renewed leaf is a forecast: only names are known, the
			// renewal's issuer if it changes.
			fc := ch
			if r := s.Client.Renewal; r.Issuer != "" {
				fc = &Chain{Certs: []Cert{{Subject: ch.Certs[0].Subject, Issuer: r.Issuer}}}
			}
			trustByName(o, fc, tr, st, verifier, issuer)
			return
		}
		var ok bool
		if certs, ok = parsedChain(ch); !ok {
			trustByName(o, ch, tr, st, verifier, issuer)
			return
		}
		store, err := tr.pathStore()
		if err != nil {
			o.Add(Finding{Code: CodeTrustUndecided, Effect: EffectUnknown, Stack: st, Subject: verifier, Detail: err.Error(), Evidence: Cite(Source{Kind: SourceScenario, Ref: "Trust: " + orDefault(tr.Source, "the trust store")})})
			return
		}
		res = trustResult(certs, store, r, dir, s.At, name)
	}
	ev := trustEvidence(r, tr, dir)
	f := Finding{Stack: st, Subject: verifier, Depth: res.Depth, Evidence: ev}
	if res.Undecided != "" {
		f.Code, f.Effect, f.Detail = CodeTrustUndecided, EffectUnknown, res.Undecided
		o.Add(f)
		return
	}
	if res.Failure == pathbuild.OK {
		f.Code, f.Effect, f.Detail, f.Depth = CodeChainTrusted, EffectInfo, tr.Source, 0
		o.Add(f)
		return
	}
	f.Effect = EffectFail
	f.Alert = Alert(r.Alert(dir, res, o.Version == tlsver.TLS13))
	f.From = SideServer
	if dir == pathbuild.ClientVerifies {
		f.From = SideClient
	}
	if res.Depth < len(certs) {
		f.Detail = certs[res.Depth].Subject.String()
	}
	switch res.Failure {
	case pathbuild.UnknownIssuer:
		f.Code = CodeChainUntrusted
		f.Detail = orDefault(issuer, certs[len(certs)-1].Issuer.String())
		issuer = f.Detail
		if dir == pathbuild.ServerVerifies {
			f.Remedy = Remedy{Code: RemedyTrustIssuer, Subject: verifier, Target: issuer}
		}
	case pathbuild.Expired:
		f.Code = CodeCertificateExpired
		f.Date = certs[min(res.Depth, len(certs)-1)].NotAfter
	case pathbuild.NotYetValid:
		f.Code = CodeCertificateNotYetValid
		f.Date = certs[min(res.Depth, len(certs)-1)].NotBefore
	case pathbuild.NotCA:
		f.Code = CodeIssuerNotCA
	case pathbuild.PathLen:
		f.Code = CodePathLengthExceeded
	case pathbuild.NameMismatch:
		f.Code, f.Detail = CodeNameMismatch, name
	case pathbuild.Distrusted:
		f.Code = CodeRootDistrusted
	case pathbuild.WeakSignature:
		f.Code = CodeWeakSignature
	case pathbuild.WeakKey:
		f.Code = CodeWeakKey
	default:
		f.Code = CodeTrustUndecided
		f.Effect = EffectUnknown
	}
	if res.Depth >= len(certs) {
		f.Detail = ""
	}
	// A stack builds the path before it checks purposes: an unknown
	// issuer is the first failure it reports.
	if f.Code == CodeChainUntrusted {
		o.insertFirstFail(f)
		return
	}
	o.Add(f)
}

// TrustAssumed reports whether the outcome rests on an assumption about a
// verifier's trust store (a finding with code trust-assumed): a Succeeds
// verdict then holds only if that verifier trusts the issuer the finding
// names.
func (o *Outcome) TrustAssumed() bool { return o.Has(CodeTrustAssumed) }

// trustMemo keeps the path trustPath built for the client's chain.
type trustMemo struct {
	set   bool
	res   pathbuild.Result
	certs []*x509.Certificate
}

// trustResult builds the path as stack r does; for an unknown or
// unmodelled stack (r nil) it answers where the modelled stacks agree.
func trustResult(certs []*x509.Certificate, store *pathbuild.Store, r *pathbuild.Rules, d pathbuild.Direction, at time.Time, name string) pathbuild.Result {
	if r != nil {
		return pathbuild.Verify(certs, store, r, d, at, name)
	}
	var res pathbuild.Result
	for i, cand := range trustModelled {
		cr := pathbuild.Verify(certs, store, pathbuild.For(cand.String()), d, at, name)
		if i == 0 {
			res = cr
		} else if cr.Failure != res.Failure || cr.Undecided != "" {
			res.Undecided = "the verifier's TLS stack is not known (or its path building is not modelled) and the stacks' path building disagrees on this chain"
		}
	}
	return res
}

// insertFirstFail adds f before the first failing finding, so that its
// alert is the outcome's.
func (o *Outcome) insertFirstFail(f Finding) {
	fs := o.Findings()
	at := len(fs)
	for i, g := range fs {
		if g.Effect == EffectFail {
			at = i
			break
		}
	}
	o.Add(Finding{})
	fs = o.Findings()
	copy(fs[at+1:], fs[at:len(fs)-1])
	fs[at] = f
}

// chainIssuer names the CA a verifier must trust for ch: the top
// certificate's subject when it is self-signed, else its issuer; "" when
// the scenario does not name it (the message then says which
// certificate's issuer is meant). It does not allocate.
func chainIssuer(ch *Chain) string {
	top := &ch.Certs[len(ch.Certs)-1]
	if top.Issuer != "" && top.Issuer == top.Subject && len(ch.Certs) > 1 {
		return top.Subject
	}
	return top.Issuer
}

// parsedChain parses a chain whose certificates all carry DER.
func parsedChain(ch *Chain) ([]*x509.Certificate, bool) {
	out := make([]*x509.Certificate, 0, len(ch.Certs))
	for i := range ch.Certs {
		if ch.Certs[i].DER == nil {
			return nil, false
		}
		c, err := x509.ParseCertificate(ch.Certs[i].DER)
		if err != nil {
			return nil, false
		}
		out = append(out, c)
	}
	return out, true
}

// trustByName decides a chain known by names only: trusted when a
// certificate's issuer or subject is an anchor's subject; otherwise
// Unknown (the store may hold an intermediate under another name).
func trustByName(o *Outcome, ch *Chain, tr *Trust, st Stack, verifier, issuer string) {
	store, err := tr.pathStore()
	if err != nil {
		o.Add(Finding{Code: CodeTrustUndecided, Effect: EffectUnknown, Stack: st, Subject: verifier, Detail: err.Error(), Evidence: evTrustByName})
		return
	}
	for i := range ch.Certs {
		c := &ch.Certs[i]
		for _, a := range store.Anchors {
			if sub := a.Subject.String(); sub != "" && (sub == c.Issuer || sub == c.Subject) {
				o.Add(Finding{Code: CodeChainTrusted, Effect: EffectInfo, Stack: st, Subject: verifier, Detail: tr.Source, Evidence: evTrustByName})
				return
			}
		}
	}
	o.Add(Finding{Code: CodeTrustUndecided, Effect: EffectUnknown, Stack: st, Subject: verifier,
		Detail:   "no anchor of the store is named as the chain's issuer (" + orDefault(issuer, "not known") + "), and without the certificates' DER the path cannot be built",
		Evidence: evTrustByName})
}

func trustEvidence(r *pathbuild.Rules, tr *Trust, dir pathbuild.Direction) Evidence {
	var e Evidence
	n := 0
	if r != nil {
		for _, src := range r.Sources {
			if n == 2 {
				break
			}
			e.Sources[n] = Source{Kind: SourceCode, Locator: src.Locator, Ref: src.Ref}
			n++
		}
	}
	suite := "policy/trust_interop_test.go:TestTrustInteropServers"
	if dir == pathbuild.ClientVerifies {
		suite = "policy/trust_interop_test.go:TestTrustInteropClients"
	}
	e.Sources[n] = Source{Kind: SourceInterop, Locator: suite}
	e.Sources[n+1] = Source{Kind: SourceScenario, Ref: "trust store: " + orDefault(tr.Source, "given")}
	return e
}

// trustMessage writes the message of a trust finding; false for other codes.
func trustMessage(b *strings.Builder, f Finding) bool {
	who := orDefault(f.Subject, "the verifier")
	st := f.Stack.Title()
	switch f.Code {
	case CodeTrustAssumed:
		if f.Detail != "" {
			fmt.Fprintf(b, "the trust store of %s is not given: this answer assumes it trusts %s", who, f.Detail)
		} else {
			fmt.Fprintf(b, "the trust store of %s is not given: this answer assumes it trusts the issuer of the chain's certificate at depth %d (the scenario does not name it)", who, f.Depth)
		}
	case CodeChainTrusted:
		fmt.Fprintf(b, "%s (%s) builds a path from the chain to an anchor of its store (%s)", who, st, f.Detail)
	case CodeChainUntrusted:
		fmt.Fprintf(b, "%s (%s) finds no path from the chain to an anchor of its store: %s is not trusted", who, st, f.Detail)
	case CodeCertificateExpired:
		fmt.Fprintf(b, "%s (%s) rejects the chain: the certificate at depth %d (%s) expired on %s", who, st, f.Depth, f.Detail, day(f.Date))
	case CodeCertificateNotYetValid:
		fmt.Fprintf(b, "%s (%s) rejects the chain: the certificate at depth %d (%s) is not valid before %s", who, st, f.Depth, f.Detail, day(f.Date))
	case CodeIssuerNotCA:
		fmt.Fprintf(b, "%s (%s) rejects the chain: the issuing certificate at depth %d (%s) is not a CA (basicConstraints)", who, st, f.Depth, f.Detail)
	case CodePathLengthExceeded:
		fmt.Fprintf(b, "%s (%s) rejects the chain: it exceeds the pathLenConstraint of the CA at depth %d (%s)", who, st, f.Depth, f.Detail)
	case CodeNameMismatch:
		fmt.Fprintf(b, "%s (%s) rejects the server certificate: its SANs do not match %q", who, st, f.Detail)
	case CodeRootDistrusted:
		fmt.Fprintf(b, "%s (%s) rejects the chain: its root (depth %d) is distrusted for certificates issued after its distrust-after date", who, st, f.Depth)
	case CodeWeakSignature:
		fmt.Fprintf(b, "%s (%s) rejects the chain: the certificate at depth %d (%s) is signed with SHA-1", who, st, f.Depth, f.Detail)
	case CodeWeakKey:
		fmt.Fprintf(b, "%s (%s) rejects the chain: the certificate at depth %d (%s) has an RSA key shorter than it accepts", who, st, f.Depth, f.Detail)
	case CodeRenewalIssuerNotInStore:
		fmt.Fprintf(b, "the renewal on %s moves the client's certificate to %s, which %s's store does not hold as a trust anchor (compared by name): trust it before then, or its chain will be rejected", day(f.Date), f.Detail, who)
	case CodeTrustUndecided:
		fmt.Fprintf(b, "whether %s (%s) accepts the chain is not known: %s", who, st, f.Detail)
	default:
		return false
	}
	return true
}

// trustPath completes the view of the client's chain with the path the
// server's stack builds from it and its store: the CA certificates the
// stack's purpose rules then check are known, anchor included. It changes
// nothing unless the server verifies, its store and stack are known, the
// chain carries DER and a path passes.
func trustPath(s *Scenario, o *Outcome, v *chainView) {
	tr := s.Server.Trust
	if tr == nil || !s.Server.ClientAuth.Verifies() || !v.sent || v.opaque || s.Client.Chain == nil {
		return
	}
	r := pathbuild.For(s.Server.Stack.String())
	if r == nil {
		return
	}
	if leafIsForecast(&s.Client, s.At) {
		return
	}
	certs, ok := parsedChain(s.Client.Chain)
	if !ok {
		return
	}
	store, err := tr.pathStore()
	if err != nil {
		return
	}
	res := pathbuild.Verify(certs, store, r, pathbuild.ServerVerifies, s.At, "")
	o.clientPath = trustMemo{set: true, res: res, certs: certs}
	if res.Failure != pathbuild.OK || res.Undecided != "" || len(res.Certs) == 0 {
		return
	}
	cas := make([]Cert, 0, len(res.Certs)-1)
	for _, c := range res.Certs[1:] {
		f, err := certFactsX509(c)
		if err != nil {
			return
		}
		f.Subject, f.Issuer, f.NotBefore, f.NotAfter, f.DER = c.Subject.String(), c.Issuer.String(), c.NotBefore.UTC(), c.NotAfter.UTC(), c.Raw
		cas = append(cas, f)
	}
	v.cas, v.known = cas, CAsComplete
	v.anchor = v.anchor || len(res.Certs) == 1
}

// leafIsForecast reports whether the client presents, at instant at, a
// renewal of its leaf that the renewal model forecasts rather than the
// certificate in its chain (a renewal instant after the leaf's notBefore
// has passed).
func leafIsForecast(c *Client, at time.Time) bool {
	if c.Renewal == nil || c.Chain == nil || len(c.Chain.Certs) == 0 {
		return false
	}
	last, ok := lastRenewal(c.Renewal, at)
	return ok && last.After(c.Chain.Certs[0].NotBefore)
}

// renewalTrust warns when the next renewal (at next) moves the client's
// certificate to an issuer ([Renewal].Issuer) that the verifying server's
// store does not hold as an anchor (compared by subject name).
func renewalTrust(s *Scenario, o *Outcome, next time.Time) {
	r := s.Client.Renewal
	tr := s.Server.Trust
	if r == nil || r.Issuer == "" || tr == nil || !s.Server.ClientAuth.Verifies() {
		return
	}
	if ch := s.Client.Chain; ch != nil && len(ch.Certs) > 0 && ch.Certs[0].Issuer == r.Issuer {
		return // no change of issuer
	}
	store, err := tr.pathStore()
	if err != nil {
		return
	}
	for _, a := range store.Anchors {
		if a.Subject.String() == r.Issuer {
			return
		}
	}
	o.Add(Finding{Code: CodeRenewalIssuerNotInStore, Effect: EffectWarning, Stack: s.Server.Stack, Date: next,
		Subject: s.Server.Name, Detail: r.Issuer, Evidence: renewalEvidence(r),
		Remedy: Remedy{Code: RemedyTrustIssuer, Subject: s.Server.Name, Target: r.Issuer}})
}
