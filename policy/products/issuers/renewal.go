package issuers

import (
	"time"

	"github.com/tlscompat/tlscompat/policy"
)

// newRenewal builds the policy.Renewal the package returns: the one place
// that knows how policy.Renewal carries its sources (up to
// policy.MaxSources: the renewal announcement, then the cut-over's current
// dates). w, if not nil, is the announced renewal window.
func newRenewal(at time.Time, everyDays, windowDays int, c Cutover, w *Dated) *policy.Renewal {
	var list []policy.Source
	add := func(d Dated) {
		ref := d.Source.Title
		if d.Source.Kind == KindThirdParty {
			ref = "third party: " + ref
		}
		list = append(list, policy.Source{Kind: policy.SourceVendor, Locator: d.Source.URL, Ref: ref, Quote: d.Statement})
	}
	if w != nil {
		add(*w)
	}
	for _, d := range c.Dates {
		if !d.Superseded {
			add(d)
		}
	}
	return &policy.Renewal{At: at, EveryDays: everyDays, WindowDays: windowDays, DropsClientAuthFrom: c.From, Evidence: policy.Cite(list...)}
}
