package sbc

import (
	"errors"
	"testing"

	"github.com/tlscompat/tlscompat/policy"
)

// FuzzConfigWords feeds arbitrary words to every constructor: each either
// returns a *ConfigError naming a field or a server whose mode is one of
// policy's, and none panics.
func FuzzConfigWords(f *testing.F) {
	for _, s := range []string{"", "0", "1", "Enable", "enabled", "true", "invalidPurpose", "TLS 1.2-1.3", "tlsv12", "10.1", "X15.5", "Required", "bidirectional", "-1", "Not Configured"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		builds := []func() (policy.Server, error){
			func() (policy.Server, error) {
				return AudioCodes(AudioCodesTLS{TLSMutualAuthentication: a, SIPInterfaceTLSMutualAuthentication: b})
			},
			func() (policy.Server, error) { return CUBE(CUBETLSProfile{CNSANValidate: a}) },
			func() (policy.Server, error) {
				return Oracle(OracleTLSProfile{Release: b, MutualAuthenticate: a, TLSVersion: b})
			},
			func() (policy.Server, error) {
				return RibbonCore(RibbonCoreTLSProfile{AuthClient: a, AcceptableCertValidationErrors: b, V10: a, V11: b, V12: a, V13: b})
			},
			func() (policy.Server, error) {
				return RibbonEdge(RibbonEdgeTLSProfile{MutualAuthentication: a, TLSProtocol: b})
			},
			func() (policy.Server, error) { return AvayaSBCE(AvayaSBCETLS{PeerVerification: a}) },
			func() (policy.Server, error) { return Expressway(ExpresswayTLS{Release: a}) },
		}
		for i, build := range builds {
			s, err := build()
			if err != nil {
				var ce *ConfigError
				if !errors.As(err, &ce) || ce.Field == "" {
					t.Fatalf("constructor %d: error %v does not name a field", i, err)
				}
				continue
			}
			if _, perr := policy.ParseClientAuthMode(s.ClientAuth.String()); perr != nil {
				t.Fatalf("constructor %d: mode %v out of range", i, s.ClientAuth)
			}
			if _, err := TeamsDirectRouting(s); err != nil && !errors.Is(err, ErrTeamsNeedsTLS12) {
				t.Fatalf("TeamsDirectRouting: %v", err)
			}
		}
	})
}
