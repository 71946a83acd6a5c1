package issuers

import (
	"time"

	"github.com/tlscompat/tlscompat/policy"
)

// newRenewal builds the policy.Renewal the package returns: the one place
// that knows how policy.Renewal carries its sources. w, if not nil, is the
// announced renewal window.
func newRenewal(at time.Time, everyDays, windowDays int, c Cutover, w *Dated) *policy.Renewal {
	src := c.SourceText()
	if w != nil {
		src += "; renewal: " + w.Source.Title + " <" + w.Source.URL + "> (" + w.Statement + ")"
	}
	return &policy.Renewal{At: at, EveryDays: everyDays, WindowDays: windowDays, DropsClientAuthFrom: c.From, Source: src}
}
