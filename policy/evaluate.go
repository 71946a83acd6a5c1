package policy

import (
	"strings"
	"sync"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Check is a service's own rule, run by [Evaluate] after the built-in ones.
// It may add findings with [Outcome.Add]; a finding with [EffectFail] makes
// the verdict Fails, one with [EffectUnknown] makes it Unknown (unless
// something fails). Checks are passed as values with [WithChecks]; there is
// no global registry.
type Check interface {
	Check(s *Scenario, o *Outcome)
}

// CheckFunc adapts a function to [Check].
type CheckFunc func(s *Scenario, o *Outcome)

// Check calls f(s, o).
func (f CheckFunc) Check(s *Scenario, o *Outcome) { f(s, o) }

// MinVersion returns a check that fails a handshake negotiating a version
// below min (an organisation's minimum).
func MinVersion(min tlsver.Version) Check { return minVersion(min) }

type minVersion tlsver.Version

func (m minVersion) Check(s *Scenario, o *Outcome) {
	if o.Version != 0 && o.Version < tlsver.Version(m) {
		o.Add(Finding{
			Code: CodeBelowMinimumVersion, Effect: EffectFail, Version: o.Version,
			Detail:   minVersionText[tlsver.Version(m)&0xff],
			Evidence: evMinVersion,
		})
	}
}

var minVersionText = func() (t [256]string) {
	for v := tlsver.SSL30; v <= tlsver.TLS13; v++ {
		t[v&0xff] = v.String()
	}
	return t
}()

// Option configures [Evaluate] and [Timeline]. It is a sealed interface: the
// options are [WithChecks] and [WithMatrix].
type Option interface{ apply(*config) }

type config struct {
	checks []Check
	matrix *tlsver.Matrix
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithChecks adds service checks, run in order after the built-in rules.
func WithChecks(cs ...Check) Option {
	cs = append([]Check(nil), cs...)
	return optionFunc(func(c *config) { c.checks = append(c.checks, cs...) })
}

// Evaluate predicts the handshake of scenario s: the verdict, the negotiated
// version and the findings that explain it. It does not allocate for
// built-in scenarios (see the benchmarks) and never panics on its input.
func Evaluate(s Scenario, opts ...Option) Outcome {
	var o Outcome
	if len(opts) == 0 {
		evaluate(&s, nil, &o)
		o.finish()
		return o
	}
	return evaluateWith(s, opts)
}

// evaluateWith is Evaluate with options; kept apart so that the common call
// without options does not move s and the outcome to the heap.
func evaluateWith(s Scenario, opts []Option) Outcome {
	var cfg config
	for _, op := range opts {
		if op != nil {
			op.apply(&cfg)
		}
	}
	var o Outcome
	evaluate(&s, cfg.matrix, &o)
	for _, c := range cfg.checks {
		if c != nil {
			c.Check(&s, &o)
		}
	}
	o.finish()
	return o
}

// finish sets the verdict and alert from the findings.
func (o *Outcome) finish() {
	o.decide()
	for _, f := range o.Findings() {
		if f.Effect == EffectFail {
			o.Alert = f.Alert
			if f.Alert != 0 {
				o.AlertFrom = f.From
			}
			break
		}
	}
}

var (
	evNegotiate = Cite(
		Source{Kind: SourceRFC, Locator: "RFC 8446 §4.2.1", Ref: "supported_versions"},
		Source{Kind: SourceRFC, Locator: "RFC 5246 Appendix E.1", Ref: "compatibility with TLS 1.0/1.1 and SSL 3.0: legacy_version"},
		Source{Kind: SourceInterop, Locator: "tlsver/handshake_test.go:TestGoHandshakeAllRanges"},
	)
	evNegotiateStacks = Cite(
		Source{Kind: SourceRFC, Locator: "RFC 8446 §4.1.3", Ref: "downgrade protection"},
		Source{Kind: SourceInterop, Locator: "tlsver/handshake_test.go:TestOpenSSLHandshakes", Ref: "stack departures for version sets with gaps (OpenSSL 3.0, GnuTLS 3.7, Go)"},
		Source{Kind: SourceInterop, Locator: "tlsver/java_handshake_test.go:TestJavaHandshakes", Ref: "JDK 17"},
	)
)

// stackPair names the endpoints' stacks: "a Java JSSE client and an OpenSSL 3
// server".
func stackPair(s *Scenario) string {
	return "a " + s.Client.Stack.Title() + " client and a " + s.Server.Stack.Title() + " server"
}

func evaluate(s *Scenario, m *tlsver.Matrix, o *Outcome) {
	if fe := s.check(); fe != nil {
		o.Add(Finding{Code: CodeInvalidInput, Effect: EffectUnknown, Subject: fe.Field, Detail: fe.Msg,
			Evidence: Cite(Source{Kind: SourceScenario, Locator: "Scenario.Validate", Ref: fe.Field})})
		return
	}
	d := newDataSource(m)
	cv, cok, cpartial := d.clientVersions(s, o)
	sv, sok, spartial := d.serverVersions(s, o)
	if cok && sok {
		ng := negotiateVersions(cv, s.Client.Stack, sv, s.Server.Stack)
		n := ng.n
		ev := evNegotiate
		detail := ""
		if ng.viaStacks {
			ev = evNegotiateStacks
			detail = "as " + stackPair(s) + " negotiate version sets with gaps"
		}
		switch {
		case ng.stackDependent:
			o.Add(Finding{Code: CodeVersionStackDependent, Effect: EffectUnknown, ClientVersions: cv, ServerVersions: sv,
				Detail: ng.detail, Evidence: evNegotiateStacks})
		case n.OK:
			o.Version = n.Version
			o.Add(Finding{Code: CodeVersionNegotiated, Effect: EffectInfo, Version: n.Version, ClientVersions: cv, ServerVersions: sv, Detail: detail, Evidence: ev})
		case cpartial || spartial:
			// A data row lists only some of an endpoint's versions: the
			// versions it does not state may be shared.
			o.Add(Finding{Code: CodeVersionsUnknown, Effect: EffectUnknown, ClientVersions: cv, ServerVersions: sv,
				Detail: "no common version among the versions the data states, but it states only some (partial)", Evidence: ev})
		default:
			if ng.viaStacks {
				detail = n.String() + " (" + detail + ")"
			}
			from := negotiationAlertFrom(n)
			if ng.senderUnknown {
				from = SideNone
			}
			o.Add(Finding{
				Code: CodeNoCommonVersion, Effect: EffectFail, Alert: negotiationAlert(n, s.Server), From: from,
				ClientVersions: cv, ServerVersions: sv, Detail: detail, Evidence: ev,
				Remedy: d.versionRemedy(s, cv, sv),
			})
		}
	}
	var buf Cert
	now := viewAt(&s.Client, s.At, &buf)
	trustPath(s, o, &now)
	f := certStage(s, now, o.Version)
	if f.Effect == EffectFail {
		f.From = SideServer // the server judges the client's certificate
	}
	if w, ok := windowStage(s, f, o.Version); ok {
		o.Add(w)
		return
	}
	o.Add(f)
	issuerStage(s, o)
	trustStage(s, o)
	if f.Effect != EffectFail {
		renewalStage(s, o, f, o.Version)
	}
	for _, n := range s.Client.Notes {
		o.Add(n)
	}
}

var evAcceptedCAs = Cite(
	Source{Kind: SourceRFC, Locator: "RFC 8446 §4.2.4", Ref: "certificate_authorities"},
	Source{Kind: SourceRFC, Locator: "RFC 5246 §7.4.4", Ref: "CertificateRequest certificate_authorities"},
	Source{Kind: SourceInterop, Locator: srcIssuerSuite.Locator, Ref: "openssl s_server, Go and Java list the CAs they trust and reject other issuers (alerts 48, 48, 46)"},
)

// issuerStage answers unknown when the server verifies client certificates,
// lists the CAs it accepts, and the client's chain names none of them.
func issuerStage(s *Scenario, o *Outcome) {
	ch := s.Client.Chain
	if len(s.Server.AcceptedCAs) == 0 || !s.Server.ClientAuth.Verifies() || ch == nil || len(ch.Certs) == 0 || s.Server.Trust != nil {
		return
	}
	issuer := ""
	for i := range ch.Certs {
		c := &ch.Certs[i]
		if c.Issuer == "" {
			continue
		}
		issuer = c.Issuer
		for _, ca := range s.Server.AcceptedCAs {
			if ca == c.Issuer || ca == c.Subject {
				return
			}
		}
	}
	if issuer == "" {
		return // the chain's names are not known
	}
	o.Add(Finding{Code: CodeIssuerNotListed, Effect: EffectUnknown, Stack: s.Server.Stack, Alert: untrustedIssuerAlert(s.Server.Stack),
		Subject: s.Server.Name, Detail: issuer, Evidence: evAcceptedCAs,
		Remedy: Remedy{Code: RemedyTrustIssuer, Subject: s.Server.Name, Target: issuer}})
}

// renewalStage warns when a planned renewal will make a passing handshake
// fail.
func renewalStage(s *Scenario, o *Outcome, cur Finding, version tlsver.Version) {
	r := s.Client.Renewal
	if r == nil {
		return
	}
	next, ok := nextRenewal(r, s.At)
	if !ok {
		return
	}
	renewalTrust(s, o, next)
	var buf Cert
	later := viewAt(&s.Client, next, &buf)
	f := certStage(s, later, version)
	if f.Effect != EffectFail {
		return
	}
	o.Add(Finding{
		Code: CodeRenewalDropsClientAuth, Effect: EffectWarning, Stack: f.Stack, Mode: f.Mode,
		Alert: f.Alert, Date: next, Subject: s.Client.Name,
		Evidence: renewalEvidence(r),
		Remedy:   Remedy{Code: RemedyBeforeRenewal, Subject: s.Server.Name, Date: next},
	})
}

// windowStage handles an instant inside an announced renewal window (see
// [Renewal.WindowDays]): the renewal may or may not have happened. If the
// certificate before and after it lead to different effects, the answer is
// Unknown, with a finding that names both.
func windowStage(s *Scenario, after Finding, version tlsver.Version) (Finding, bool) {
	r := s.Client.Renewal
	if r == nil || r.WindowDays <= 0 || s.Client.Chain == nil {
		return Finding{}, false
	}
	last, ok := lastRenewal(r, s.At)
	if !ok || !inWindow(r, last, s.At) {
		return Finding{}, false
	}
	var buf Cert
	before := certStage(s, viewAt(&s.Client, last.Add(-time.Nanosecond), &buf), version)
	if before.Effect == after.Effect {
		return Finding{}, false
	}
	decided := after
	if before.Effect == EffectFail {
		decided = before
	}
	return Finding{
		Code: CodeRenewalWindow, Effect: EffectUnknown, Stack: decided.Stack, Mode: decided.Mode,
		Alert: decided.Alert, Date: last, Subject: s.Client.Name, Depth: r.WindowDays,
		Detail:   "before the renewal: " + before.Code.String() + "; after it: " + after.Code.String(),
		Evidence: renewalEvidence(r),
		Remedy:   Remedy{Code: RemedyBeforeRenewal, Subject: s.Server.Name, Date: last},
	}, true
}

// Renewal arithmetic is done in whole seconds and nanoseconds on Unix
// times, never with time.Duration (which overflows after 292 years): a
// day is 86,400 seconds, and every product is checked against
// maxRenewalUnix. Renewal k of r falls at r.At + k*EveryDays days.

const secondsPerDay = 86400

// maxRenewalUnix bounds the Unix seconds of computed renewal instants, well
// inside what time.Unix represents (about ±2.9e11 years).
const maxRenewalUnix = 1<<62 - 1

// addDays returns t plus n days; ok is false if the result would leave the
// range time.Time represents.
func addDays(t time.Time, n int64) (time.Time, bool) {
	if n < -maxRenewalUnix/secondsPerDay || n > maxRenewalUnix/secondsPerDay {
		return time.Time{}, false
	}
	u := t.Unix()
	d := n * secondsPerDay
	if u > maxRenewalUnix || u < -maxRenewalUnix || u+d > maxRenewalUnix || u+d < -maxRenewalUnix {
		return time.Time{}, false
	}
	return time.Unix(u+d, int64(t.Nanosecond())).In(t.Location()), true
}

// lastRenewal returns the latest renewal instant at or before at.
func lastRenewal(r *Renewal, at time.Time) (time.Time, bool) {
	if r.At.IsZero() || at.Before(r.At) {
		return time.Time{}, false
	}
	if r.EveryDays <= 0 || r.EveryDays > MaxRenewalDays {
		return r.At, true
	}
	a, t := r.At.Unix(), at.Unix()
	if a > maxRenewalUnix || a < -maxRenewalUnix || t > maxRenewalUnix || t < -maxRenewalUnix {
		return time.Time{}, false
	}
	period := int64(r.EveryDays) * secondsPerDay
	k := (t - a) / period // t >= a, and t-a < 2^63
	if a+k*period == t && at.Nanosecond() < r.At.Nanosecond() {
		k-- // same second, but renewal k is later within it
	}
	return addDays(r.At, k*int64(r.EveryDays))
}

// nextRenewal returns the first renewal instant after at.
func nextRenewal(r *Renewal, at time.Time) (time.Time, bool) {
	if r.At.IsZero() {
		return time.Time{}, false
	}
	if at.Before(r.At) {
		return r.At, true
	}
	if r.EveryDays <= 0 || r.EveryDays > MaxRenewalDays {
		return time.Time{}, false
	}
	last, ok := lastRenewal(r, at)
	if !ok {
		return time.Time{}, false
	}
	return addDays(last, int64(r.EveryDays))
}

// firstRenewalFrom returns the first renewal instant at or after t.
func firstRenewalFrom(r *Renewal, t time.Time) (time.Time, bool) {
	if last, ok := lastRenewal(r, t); ok && last.Equal(t) {
		return last, true
	}
	return nextRenewal(r, t)
}

// inWindow reports whether at lies in the window [last, last+WindowDays
// days) of the renewal at last.
func inWindow(r *Renewal, last, at time.Time) bool {
	end, ok := addDays(last, int64(r.WindowDays))
	return !ok || at.Before(end) // a window end past time.Time's range is never reached
}

// viewAt returns the client chain as presented at instant at: the leaf is
// replaced by its renewal (issued at the last renewal instant, without
// clientAuth when the issuer's cut-over has passed). buf holds the leaf copy.
func viewAt(c *Client, at time.Time, buf *Cert) chainView {
	ch := c.Chain
	if ch == nil {
		return chainView{}
	}
	if ch.Opaque {
		*buf = Cert{}
		return chainView{sent: true, opaque: true}
	}
	if len(ch.Certs) == 0 {
		return chainView{} // an empty Certificate message
	}
	*buf = ch.Certs[0]
	if r := c.Renewal; r != nil {
		issued := buf.NotBefore
		if last, ok := lastRenewal(r, at); ok && last.After(issued) {
			issued = last
			buf.NotBefore = last
			buf.DER, buf.NotAfter = nil, time.Time{} // a forecast, not the real certificate
			if r.Issuer != "" {
				buf.Issuer = r.Issuer
			}
		}
		// Real bytes are a fact: the issuer's cut-over rewrites only a
		// forecast certificate (no DER, or replaced by a renewal).
		if buf.DER == nil && !r.DropsClientAuthFrom.IsZero() && !issued.Before(r.DropsClientAuthFrom) && buf.HasEKU && buf.EKU.Has(eku.ClientAuth) {
			buf.EKU = withoutPurpose(buf.EKU, eku.ClientAuth)
		}
	}
	return chainView{leaf: *buf, sent: true, cas: ch.Certs[1:], known: ch.CAs, anchor: ch.LeafIsAnchor}
}

func withoutPurpose(s eku.PurposeSet, drop eku.Purpose) eku.PurposeSet {
	var ps [32]eku.Purpose
	list := s.AppendTo(ps[:0])
	j := 0
	for _, p := range list {
		if p != drop {
			list[j] = p
			j++
		}
	}
	return eku.PurposeSetOf(list[:j]...)
}

// evOpaqueChain is the evidence for an Unknown that rests on a certificate
// whose contents are not known.
var evOpaqueChain = Cite(Source{Kind: SourceScenario, Ref: "Chain.Opaque: a certificate is sent but its contents are not known"})

// evModesAll is the evidence for an answer every client-certificate mode
// agrees on.
var evModesAll = Cite(
	Source{Kind: SourceRFC, Locator: "RFC 8446 §4.3.2", Ref: "CertificateRequest"},
	Source{Kind: SourceRFC, Locator: "RFC 8446 §4.4.2.4", Ref: "receiving a Certificate message"},
	srcTruthSuite,
)

// evStacksAll is the evidence for an answer that compares every modelled
// stack: the suites and documents the stack rules rest on.
var evStacksAll = Cite(srcTruthSuite, srcNSSSuite, srcMbedTLSSuite, evSchan.Sources[0])

// evNoRequest and evNoCert are the evidence for a server that does not
// request a certificate and for a client that sends none.
var (
	evNoRequest = Cite(
		Source{Kind: SourceRFC, Locator: "RFC 8446 §4.3.2", Ref: "a client sends a certificate only when requested"},
		Source{Kind: SourceRFC, Locator: "RFC 5246 §7.4.4"},
	)
	evNoCert = Cite(
		Source{Kind: SourceRFC, Locator: "RFC 8446 §4.4.2.4", Ref: "empty Certificate message"},
		Source{Kind: SourceRFC, Locator: "RFC 5246 §7.4.6"},
	)
	evMinVersion = Cite(Source{Kind: SourceScenario, Ref: "service check MinVersion"})
)

// renewalEvidence is the evidence for a renewal finding: the profile's, or
// the scenario's Renewal.
func renewalEvidence(r *Renewal) Evidence {
	if !r.Evidence.IsZero() {
		return r.Evidence
	}
	return evRenewalInput
}

var evRenewalInput = Cite(Source{Kind: SourceScenario, Ref: "Client.Renewal"})

var modesAll = [...]ClientAuthMode{ClientAuthNone, ClientAuthRequest, ClientAuthRequireAny, ClientAuthVerifyIfGiven, ClientAuthRequireAndVerify}

// modesVerifying are the modes ClientAuthVerifies stands for.
var modesVerifying = [...]ClientAuthMode{ClientAuthVerifyIfGiven, ClientAuthRequireAndVerify}

var stacksAll = [...]Stack{OpenSSL3, GnuTLS, GoCryptoTLS, JavaJSSE, NSS, MbedTLS, Schannel}

// certStage decides the client-certificate part of the handshake: one
// finding that says what happens to the client's certificate.
func certStage(s *Scenario, v chainView, version tlsver.Version) Finding {
	mode := s.Server.ClientAuth
	candidates := modesAll[:]
	switch {
	case mode == ClientAuthVerifies:
		candidates = modesVerifying[:]
	case mode != ClientAuthUnknown && mode < numClientAuth:
		return stackStage(s, mode, v, version)
	default:
		mode = ClientAuthUnknown
	}
	var first Finding
	var failMask uint8
	agree := true
	for i, m := range candidates {
		f := stackStage(s, m, v, version)
		if i == 0 {
			first = f
		} else if f.Effect != first.Effect {
			agree = false
		}
		if f.Effect == EffectFail {
			failMask |= 1 << (m - ClientAuthNone)
		}
	}
	if agree {
		if first.Effect == EffectInfo {
			first.Code, first.Mode, first.Stack, first.Alert = CodeCertificateAccepted, mode, s.Server.Stack, 0
			first.Evidence = evModesAll
		} else if mode == ClientAuthVerifies {
			first.Mode = mode
		}
		return first
	}
	return Finding{Code: CodeClientAuthUnknown, Effect: EffectUnknown, Mode: mode, Subject: s.Server.Name, Stack: s.Server.Stack, Detail: modeMaskText[failMask&31], Evidence: evModesAll}
}

// stackStage decides the certificate part for a known mode; an unknown
// stack is answered only where all modelled stacks agree.
func stackStage(s *Scenario, m ClientAuthMode, v chainView, version tlsver.Version) Finding {
	st := s.Server.Stack
	if st != UnknownStack && st < numStacks {
		f := modeResult(s, st, s.Server.StackVersion, m, v, version)
		return f
	}
	var first Finding
	idx, weight := 0, 1
	agree := true
	for i, st := range stacksAll {
		f := modeResult(s, st, "", m, v, version)
		if i == 0 {
			first = f
		} else if f.Effect != first.Effect || (f.Effect == EffectFail && f.Code != first.Code) {
			agree = false
		}
		switch f.Effect {
		case EffectFail:
			idx += weight
		case EffectUnknown:
			idx += 2 * weight
		}
		weight *= 3
	}
	if agree {
		first.Stack, first.Alert = UnknownStack, 0
		if first.Effect == EffectInfo && first.Code == CodeCertificateAccepted {
			first.Evidence = evStacksAll
		}
		return first
	}
	return Finding{Code: CodeStackUnknown, Effect: EffectUnknown, Mode: m, Subject: s.Server.Name, Detail: stackMaskText()[idx%stackOutcomes], Evidence: evStacksAll}
}

// modeResult is the outcome for one stack and one mode.
func modeResult(s *Scenario, st Stack, stVer string, m ClientAuthMode, v chainView, version tlsver.Version) Finding {
	f := Finding{Stack: st, Mode: m, Subject: s.Client.Name}
	if m == ClientAuthNone {
		f.Code, f.Effect, f.Subject = CodeNoCertificateRequest, EffectInfo, s.Server.Name
		f.Evidence = evNoRequest
		if !s.Server.Evidence.IsZero() {
			f.Evidence = s.Server.Evidence
		}
		return f
	}
	withheld := v.sent && !v.opaque && s.Client.WithholdsUnsuitable && !v.leaf.permitsClientAuthRFC()
	if !v.sent || withheld {
		f.Code = CodeNoClientCertificate
		if withheld {
			f.Code = CodeCertificateWithheld
		}
		f.Evidence = evNoCert
		if m.Requires() {
			f.Effect, f.Alert = EffectFail, noCertAlert(st, version)
			f.Remedy = Remedy{Code: RemedyStopRequestingClientCerts, Subject: s.Server.Name}
		} else {
			f.Effect = EffectInfo
		}
		return f
	}
	if v.opaque {
		if m.Verifies() || st == GnuTLS {
			f.Code, f.Effect = CodeCertificateUnknown, EffectUnknown
			f.Evidence = evOpaqueChain
			if !s.Client.Evidence.IsZero() {
				f.Evidence = s.Client.Evidence
			}
			return f
		}
		f.Code, f.Effect, f.Evidence = CodeNotVerified, EffectInfo, evModes
		return f
	}
	if c, ok := layerRule(st, v); ok {
		return fill(f, c, s)
	}
	if !m.Verifies() {
		f.Code, f.Effect, f.Evidence = CodeNotVerified, EffectInfo, evModes
		return f
	}
	return fill(f, verifyRule(st, stVer, v), s)
}

func fill(f Finding, c check, s *Scenario) Finding {
	f.Code, f.Effect, f.Alert, f.Depth, f.Detail, f.Evidence = c.code, c.effect, c.alert, c.depth, c.detail, c.ev
	if c.effect == EffectFail {
		switch c.code {
		case CodeEKULacksClientAuth, CodeAnyEKUNotHonoured, CodeCAEKULacksClientAuth:
			code := s.Client.RemedyForEKU
			if code == NoRemedy || code >= numRemedies {
				code = RemedyPrivateCAClientCert
			}
			f.Remedy = Remedy{Code: code, Subject: s.Server.Name}
		default:
			f.Remedy = Remedy{Code: RemedyPrivateCAClientCert, Subject: s.Server.Name}
		}
	}
	return f
}

var modeMaskText = func() (t [32]string) {
	for mask := 1; mask < 32; mask++ {
		var b strings.Builder
		b.WriteString("fails if the server is configured ")
		n := 0
		for i, m := range modesAll {
			if mask&(1<<i) != 0 {
				if n > 0 {
					b.WriteString(" or ")
				}
				b.WriteString(m.String())
				n++
			}
		}
		t[mask] = b.String()
	}
	t[0] = "the modes differ"
	return t
}()

// stackOutcomes is the number of stack-outcome combinations: each stack in
// stacksAll accepts (0), rejects (1) or cannot decide (2).
const stackOutcomes = 3 * 3 * 3 * 3 * 3 * 3 * 3

// stackMaskText holds the stack-unknown detail for every combination,
// indexed by the base-3 number whose digit i is stacksAll[i]'s outcome. A
// stack whose answer depends on a version that is not given, or on a rule
// that is not verified, is "undecided", never counted as accepting. Built on
// first use, so that Evaluate does not allocate for it.
var stackMaskText = sync.OnceValue(func() *[stackOutcomes]string {
	var t [stackOutcomes]string
	for idx := range t {
		var groups [3][]string
		n := idx
		for _, st := range stacksAll {
			groups[n%3] = append(groups[n%3], st.Title())
			n /= 3
		}
		var parts []string
		if len(groups[1]) > 0 {
			parts = append(parts, "rejected by "+strings.Join(groups[1], ", "))
		}
		if len(groups[0]) > 0 {
			parts = append(parts, "accepted by "+strings.Join(groups[0], ", "))
		}
		if len(groups[2]) > 0 {
			parts = append(parts, "undecided for "+strings.Join(groups[2], ", ")+" (the answer depends on a stack version not given, or on a rule not verified)")
		}
		t[idx] = strings.Join(parts, "; ")
	}
	return &t
})
