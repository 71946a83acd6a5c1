package cli

import (
	"testing"

	"github.com/tlscompat/tlscompat/policy"
)

func TestDecider(t *testing.T) {
	info1 := policy.Finding{Code: policy.CodeVersionNegotiated, Effect: policy.EffectInfo}
	info2 := policy.Finding{Code: policy.CodeVersionsFromData, Effect: policy.EffectInfo}
	warn := policy.Finding{Code: policy.CodeVersionsFromData, Effect: policy.EffectWarning}
	unknown := policy.Finding{Code: policy.CodeClientAuthUnknown, Effect: policy.EffectUnknown}
	unknown2 := policy.Finding{Code: policy.CodeVersionsUnknown, Effect: policy.EffectUnknown}
	fail := policy.Finding{Code: policy.CodeNoCommonVersion, Effect: policy.EffectFail}
	for _, tc := range []struct {
		name     string
		findings []policy.Finding
		want     policy.Finding
	}{
		{"none", nil, policy.Finding{}},
		{"only info: the last", []policy.Finding{info1, info2}, info2},
		{"warning over info", []policy.Finding{info1, warn, info2}, warn},
		{"first unknown over warning", []policy.Finding{warn, unknown, unknown2}, unknown},
		{"failure over all", []policy.Finding{info1, unknown, warn, fail, info2}, fail},
	} {
		var o policy.Outcome
		for _, f := range tc.findings {
			o.Add(f)
		}
		if got := Decider(&o); got.Code != tc.want.Code || got.Effect != tc.want.Effect {
			t.Errorf("%s: Decider = %v/%v, want %v/%v", tc.name, got.Code, got.Effect, tc.want.Code, tc.want.Effect)
		}
	}
}
