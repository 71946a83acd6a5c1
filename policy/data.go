package policy

import (
	"sync"

	"github.com/tlscompat/tlscompat/tlsver"
)

// releaseNames remembers Release.String for the last few upgrade targets
// seen, so that a repeated evaluation does not allocate for the remedy
// text. It is bounded (a service passing many matrices with WithMatrix
// cannot grow it): once full, the oldest entry is replaced.
var releaseNames struct {
	sync.Mutex
	n, next int
	rel     [16]tlsver.Release
	names   [16]string
}

func releaseString(r tlsver.Release) string {
	c := &releaseNames
	c.Lock()
	defer c.Unlock()
	for i := 0; i < c.n; i++ {
		if c.rel[i] == r {
			return c.names[i]
		}
	}
	s := r.String()
	c.rel[c.next], c.names[c.next] = r, s
	c.next = (c.next + 1) % len(c.rel)
	if c.n < len(c.rel) {
		c.n++
	}
	return s
}

// WithMatrix makes Evaluate look product versions up in m instead of
// [tlsver.Builtin] (for example a matrix merged with an organisation's own
// rows).
func WithMatrix(m *tlsver.Matrix) Option {
	return optionFunc(func(c *config) { c.matrix = m })
}

// dataSource resolves endpoints that name a product instead of listing
// versions.
type dataSource struct{ m *tlsver.Matrix }

func newDataSource(m *tlsver.Matrix) dataSource {
	if m != nil {
		return dataSource{m}
	}
	return dataSource{tlsver.Builtin()}
}

var (
	evNoVersions = Cite(Source{Kind: SourceScenario, Ref: "no versions and no product data row"})
	evNoRow      = Cite(Source{Kind: SourceDataRow, Locator: "tlsver matrix", Ref: "no row answers"})
)

// clientVersions returns the client's versions, whether they are known, and
// whether they come from a data row that lists only some of them (partial).
func (d dataSource) clientVersions(s *Scenario, o *Outcome) (v tlsver.Set, ok, partial bool) {
	return d.versions(s, o, s.Client.Name, s.Client.Product, s.Client.Release, s.Client.Versions, tlsver.Client)
}

// serverVersions is clientVersions for the server.
func (d dataSource) serverVersions(s *Scenario, o *Outcome) (v tlsver.Set, ok, partial bool) {
	return d.versions(s, o, s.Server.Name, s.Server.Product, s.Server.Release, s.Server.Versions, tlsver.Server)
}

func provenanceEvidence(p tlsver.Provenance) Evidence {
	ref := p.Table
	if ref == "" {
		ref = p.Section
	}
	var e Evidence
	e.Sources[0] = Source{Kind: SourceVendor, Locator: p.Document, Ref: ref, Quote: p.Statement}
	e.Sources[1] = Source{Kind: SourceDataRow, Locator: "tlsver matrix", Ref: p.Row}
	return e
}

func (d dataSource) versions(s *Scenario, o *Outcome, name, product, release string, given tlsver.Set, role tlsver.Role) (tlsver.Set, bool, bool) {
	if !given.IsEmpty() {
		return given, true, false
	}
	if product == "" || d.m == nil {
		o.Add(Finding{Code: CodeVersionsUnknown, Effect: EffectUnknown, Subject: name, Detail: "no versions given", Evidence: evNoVersions})
		return 0, false, false
	}
	sup, err := d.m.Support(product, release, role, s.Protocol, s.At)
	if err != nil {
		o.Add(Finding{Code: CodeVersionsUnknown, Effect: EffectUnknown, Subject: name, Detail: err.Error(), Evidence: evNoRow})
		return 0, false, false
	}
	if !sup.Known || sup.Versions.IsEmpty() {
		o.Add(Finding{Code: CodeVersionsUnknown, Effect: EffectUnknown, Subject: name, Detail: sup.Reason, Evidence: evNoRow})
		return 0, false, false
	}
	f := Finding{Code: CodeVersionsFromData, Effect: EffectInfo, Subject: name, Evidence: provenanceEvidence(sup.Provenance), Date: sup.Since}
	if role == tlsver.Client {
		f.ClientVersions = sup.Versions
	} else {
		f.ServerVersions = sup.Versions
	}
	switch {
	case sup.Derived && sup.Partial:
		f.Detail = "derived, partial"
	case sup.Derived:
		f.Detail = "derived"
	case sup.Partial:
		f.Detail = "partial"
	}
	o.Add(f)
	return sup.Versions, true, sup.Partial
}

// versionRemedy names the change that restores a common version, from the
// endpoints' documented fixes ([VersionFix]): the server's, then the
// client's.
func (d dataSource) versionRemedy(s *Scenario, cv, sv tlsver.Set) Remedy {
	if d.m == nil {
		return Remedy{}
	}
	if r, ok := d.fix(&s.Server.VersionFix, s.Server.Name, s.Server.Product, s.Server.Release, s.Server.Versions, sv, cv); ok {
		return r
	}
	r, _ := d.fix(&s.Client.VersionFix, s.Client.Name, s.Client.Product, s.Client.Release, s.Client.Versions, cv, sv)
	return r
}

// fix applies one endpoint's VersionFix: own is its version set, peer the
// other side's.
func (d dataSource) fix(f *VersionFix, name, product, release string, given, own, peer tlsver.Set) (Remedy, bool) {
	if !f.Enable.IsEmpty() && !f.Enable.Intersect(peer).IsEmpty() {
		return Remedy{Code: RemedyEnableVersions, Subject: name, Target: orDefault(f.EnableText, "the missing versions")}, true
	}
	if f.Upgrade != 0 && product != "" && given.IsEmpty() && own.Max() < peer.Min() {
		u, err := d.m.UpgradeTarget(product, release, f.Upgrade)
		if err == nil && u.Known && u.Needed {
			return Remedy{Code: RemedyUpgrade, Subject: name, Target: releaseString(u.Target)}, true
		}
	}
	return Remedy{}, false
}
