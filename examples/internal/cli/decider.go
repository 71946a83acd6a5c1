package cli

import "github.com/tlscompat/tlscompat/policy"

// Decider returns the finding that decided o's verdict, the one the
// examples print as the reason for their exit status: the first failure,
// else the first unknown, else the first warning, else the last finding
// (a zero Finding when o has none).
func Decider(o *policy.Outcome) policy.Finding {
	for _, e := range []policy.Effect{policy.EffectFail, policy.EffectUnknown, policy.EffectWarning} {
		if f, ok := o.First(e); ok {
			return f
		}
	}
	fs := o.Findings()
	if len(fs) == 0 {
		return policy.Finding{}
	}
	return fs[len(fs)-1]
}
