package sbc

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

var (
	tls12   = tlsver.SetOf(tlsver.TLS12)
	tls1213 = tlsver.Range(tlsver.TLS12, tlsver.TLS13)
)

// mapping is one row: documented configuration words -> mode and versions,
// with the page that documents them.
type mapping struct {
	name     string
	build    func() (policy.Server, error)
	mode     policy.ClientAuthMode
	versions tlsver.Set
	src      Source
}

func mappings() []mapping {
	return []mapping{
		// AudioCodes: SrcAudioCodesMutualAuth ("[0] Disable = (Default) ... does not request the client certificate";
		// "[1] Enable ... requires the receipt and verification of the client certificate").
		{"audiocodes/default", func() (policy.Server, error) { return AudioCodes(AudioCodesTLS{}) }, policy.ClientAuthNone, 0, SrcAudioCodesMutualAuth},
		{"audiocodes/0", func() (policy.Server, error) { return AudioCodes(AudioCodesTLS{TLSMutualAuthentication: "0"}) }, policy.ClientAuthNone, 0, SrcAudioCodesMutualAuth},
		{"audiocodes/Disable", func() (policy.Server, error) { return AudioCodes(AudioCodesTLS{TLSMutualAuthentication: "Disable"}) }, policy.ClientAuthNone, 0, SrcAudioCodesMutualAuth},
		{"audiocodes/1", func() (policy.Server, error) {
			return AudioCodes(AudioCodesTLS{TLSMutualAuthentication: "1", Versions: tls12})
		}, policy.ClientAuthRequireAndVerify, tls12, SrcAudioCodesMutualAuth},
		// SrcAudioCodesSIPInterface: [-1] Not Configured applies the global value; 0/1 override it.
		{"audiocodes/interface not configured", func() (policy.Server, error) {
			return AudioCodes(AudioCodesTLS{TLSMutualAuthentication: "1", SIPInterfaceTLSMutualAuthentication: "Not Configured"})
		}, policy.ClientAuthRequireAndVerify, 0, SrcAudioCodesMutualAuth},
		{"audiocodes/interface enable", func() (policy.Server, error) {
			return AudioCodes(AudioCodesTLS{SIPInterfaceTLSMutualAuthentication: "1"})
		}, policy.ClientAuthRequireAndVerify, 0, SrcAudioCodesSIPInterface},
		{"audiocodes/interface disable", func() (policy.Server, error) {
			return AudioCodes(AudioCodesTLS{TLSMutualAuthentication: "Enable", SIPInterfaceTLSMutualAuthentication: "Disable"})
		}, policy.ClientAuthNone, 0, SrcAudioCodesSIPInterface},
		{"audiocodes/Enable", func() (policy.Server, error) { return AudioCodes(AudioCodesTLS{TLSMutualAuthentication: " enable "}) }, policy.ClientAuthRequireAndVerify, 0, SrcAudioCodesMutualAuth},

		// CUBE: SrcCUBESIPTLS documents cn-san validate {client | bidirectional} only; the mode is never stated.
		{"cube/default", func() (policy.Server, error) { return CUBE(CUBETLSProfile{}) }, policy.ClientAuthUnknown, 0, SrcCUBESIPTLS},
		{"cube/client", func() (policy.Server, error) { return CUBE(CUBETLSProfile{CNSANValidate: "client"}) }, policy.ClientAuthUnknown, 0, SrcCUBESIPTLS},
		{"cube/bidirectional", func() (policy.Server, error) {
			return CUBE(CUBETLSProfile{CNSANValidate: "bidirectional", Versions: tls12})
		}, policy.ClientAuthUnknown, tls12, SrcCUBESIPTLS},

		// Oracle: SrcOracle101/92/81 (mutual-authenticate default disabled; tls-version words and defaults).
		{"oracle/10.1 defaults", func() (policy.Server, error) { return Oracle(OracleTLSProfile{Release: "10.1"}) }, policy.ClientAuthNone, tlsver.SetOf(tlsver.TLS13), SrcOracle101},
		{"oracle/9.2 defaults", func() (policy.Server, error) { return Oracle(OracleTLSProfile{Release: "9.2.0"}) }, policy.ClientAuthNone, tlsver.SetOf(tlsver.TLS13), SrcOracle92},
		{"oracle/8.1 defaults", func() (policy.Server, error) { return Oracle(OracleTLSProfile{Release: "8.1"}) }, policy.ClientAuthNone, 0, SrcOracle81},
		{"oracle/no release", func() (policy.Server, error) { return Oracle(OracleTLSProfile{}) }, policy.ClientAuthNone, 0, SrcOracle101},
		{"oracle/enabled tlsv12", func() (policy.Server, error) {
			return Oracle(OracleTLSProfile{Release: "10.1", MutualAuthenticate: "enabled", TLSVersion: "tlsv12"})
		}, policy.ClientAuthVerifies, tls12, SrcOracle101},
		{"oracle/8.1 TLS12", func() (policy.Server, error) {
			return Oracle(OracleTLSProfile{Release: "8.1", MutualAuthenticate: "Enabled", TLSVersion: "TLS12"})
		}, policy.ClientAuthVerifies, tls12, SrcOracle81},
		{"oracle/tlsv1", func() (policy.Server, error) { return Oracle(OracleTLSProfile{Release: "9.2", TLSVersion: "TLSv1"}) }, policy.ClientAuthNone, tlsver.SetOf(tlsver.TLS10), SrcOracle92},
		{"oracle/tlsv11", func() (policy.Server, error) { return Oracle(OracleTLSProfile{Release: "9.2", TLSVersion: "tlsv11"}) }, policy.ClientAuthNone, tlsver.SetOf(tlsver.TLS11), SrcOracle92},
		{"oracle/compatibility", func() (policy.Server, error) {
			return Oracle(OracleTLSProfile{Release: "10.1", TLSVersion: "compatibility", MutualAuthenticate: "disabled"})
		}, policy.ClientAuthNone, 0, SrcOracle101},

		// Ribbon Core: SrcRibbonCoreCLI (authClient, acceptableCertValidationErrors, v1_x).
		{"ribbon-core/authClient true", func() (policy.Server, error) {
			return RibbonCore(RibbonCoreTLSProfile{AuthClient: "true", V10: "disabled", V11: "disabled", V12: "enabled", V13: "enabled"})
		}, policy.ClientAuthRequireAndVerify, tls1213, SrcRibbonCoreCLI},
		{"ribbon-core/authClient true none", func() (policy.Server, error) {
			return RibbonCore(RibbonCoreTLSProfile{AuthClient: "TRUE", AcceptableCertValidationErrors: "none"})
		}, policy.ClientAuthRequireAndVerify, 0, SrcRibbonCoreCLI},
		{"ribbon-core/invalidPurpose", func() (policy.Server, error) {
			return RibbonCore(RibbonCoreTLSProfile{AuthClient: "true", AcceptableCertValidationErrors: "invalidPurpose", V10: "enabled", V11: "enabled", V12: "enabled", V13: "disabled"})
		}, policy.ClientAuthRequireAny, tlsver.Range(tlsver.TLS10, tlsver.TLS12), SrcRibbonCoreCLI},
		{"ribbon-core/authClient false", func() (policy.Server, error) { return RibbonCore(RibbonCoreTLSProfile{AuthClient: "false"}) }, policy.ClientAuthUnknown, 0, SrcRibbonCoreCLI},
		{"ribbon-core/authClient unset", func() (policy.Server, error) {
			return RibbonCore(RibbonCoreTLSProfile{V10: "disabled", V11: "disabled", V12: "enabled"})
		}, policy.ClientAuthUnknown, 0, SrcRibbonCoreCLI},

		// Ribbon Edge: SrcRibbonEdge121 / SrcRibbonEdge90 (Mutual Authentication, TLS Protocol).
		{"ribbon-edge/enabled 1.2-1.3", func() (policy.Server, error) {
			return RibbonEdge(RibbonEdgeTLSProfile{MutualAuthentication: "Enabled", TLSProtocol: "TLS 1.2-1.3"})
		}, policy.ClientAuthVerifies, tls1213, SrcRibbonEdge121},
		{"ribbon-edge/disabled 1.2 only", func() (policy.Server, error) {
			return RibbonEdge(RibbonEdgeTLSProfile{MutualAuthentication: "Disabled", TLSProtocol: "TLS 1.2 Only"})
		}, policy.ClientAuthNone, tls12, SrcRibbonEdge121},
		{"ribbon-edge/1.3 only", func() (policy.Server, error) { return RibbonEdge(RibbonEdgeTLSProfile{TLSProtocol: "TLS 1.3 Only"}) }, policy.ClientAuthUnknown, tlsver.SetOf(tlsver.TLS13), SrcRibbonEdge121},
		{"ribbon-edge/1.0 only", func() (policy.Server, error) { return RibbonEdge(RibbonEdgeTLSProfile{TLSProtocol: "TLS 1.0 Only"}) }, policy.ClientAuthUnknown, tlsver.SetOf(tlsver.TLS10), SrcRibbonEdge90},
		{"ribbon-edge/1.0 - 1.2", func() (policy.Server, error) {
			return RibbonEdge(RibbonEdgeTLSProfile{MutualAuthentication: "enabled", TLSProtocol: "TLS 1.0 - 1.2"})
		}, policy.ClientAuthVerifies, tlsver.Range(tlsver.TLS10, tlsver.TLS12), SrcRibbonEdge90},

		// Avaya: SrcAvayaServerProfile (Peer Verification Required/Optional/None).
		{"avaya/Required", func() (policy.Server, error) {
			return AvayaSBCE(AvayaSBCETLS{PeerVerification: "Required", Versions: tls12})
		}, policy.ClientAuthRequireAndVerify, tls12, SrcAvayaServerProfile},
		{"avaya/Optional", func() (policy.Server, error) { return AvayaSBCE(AvayaSBCETLS{PeerVerification: "Optional"}) }, policy.ClientAuthUnknown, 0, SrcAvayaServerProfile},
		{"avaya/None", func() (policy.Server, error) { return AvayaSBCE(AvayaSBCETLS{PeerVerification: "none"}) }, policy.ClientAuthUnknown, 0, SrcAvayaServerProfile},

		// Expressway: SrcExpresswayFN74362 (server side mode not documented).
		{"expressway/X14.3.7", func() (policy.Server, error) { return Expressway(ExpresswayTLS{Release: "X14.3.7"}) }, policy.ClientAuthUnknown, 0, SrcExpresswayFN74362},
		{"expressway/X15.5", func() (policy.Server, error) { return Expressway(ExpresswayTLS{Release: "X15.5", Versions: tls12}) }, policy.ClientAuthUnknown, tls12, SrcExpresswayFN74362},
		{"expressway/no release", func() (policy.Server, error) { return Expressway(ExpresswayTLS{}) }, policy.ClientAuthUnknown, 0, SrcExpresswayFN74362},

		// Teams: SrcTeamsWhatsNew keeps the vendor mode, requires TLS 1.2.
		{"teams/audiocodes enable", func() (policy.Server, error) {
			s, err := AudioCodes(AudioCodesTLS{TLSMutualAuthentication: "Enable", Versions: tls1213})
			if err != nil {
				return s, err
			}
			return TeamsDirectRouting(s)
		}, policy.ClientAuthRequireAndVerify, tls1213, SrcTeamsWhatsNew},
	}
}

func TestMappings(t *testing.T) {
	for _, m := range mappings() {
		t.Run(m.name, func(t *testing.T) {
			s, err := m.build()
			if err != nil {
				t.Fatal(err)
			}
			if s.ClientAuth != m.mode {
				t.Errorf("mode = %v, want %v (per %s)", s.ClientAuth, m.mode, m.src.URL)
			}
			if s.Versions != m.versions {
				t.Errorf("versions = %v, want %v (per %s)", s.Versions, m.versions, m.src.URL)
			}
			if s.Stack != policy.UnknownStack {
				t.Errorf("stack = %v, want unknown: no vendor page documents the TLS library", s.Stack)
			}
			if !strings.Contains(evidenceText(s), m.src.URL) {
				t.Errorf("evidence does not cite %s: %q", m.src.URL, evidenceText(s))
			}
			if s.Profile == "" || s.Name == "" {
				t.Errorf("profile %q, name %q: both must be set", s.Profile, s.Name)
			}
		})
	}
}

func TestUnknownWords(t *testing.T) {
	cases := []struct {
		name  string
		build func() (policy.Server, error)
		field string
	}{
		{"audiocodes", func() (policy.Server, error) { return AudioCodes(AudioCodesTLS{TLSMutualAuthentication: "2"}) }, "TLS Mutual Authentication"},
		{"audiocodes/interface", func() (policy.Server, error) {
			return AudioCodes(AudioCodesTLS{SIPInterfaceTLSMutualAuthentication: "Optional"})
		}, "SIP Interface TLS Mutual Authentication"},
		{"cube", func() (policy.Server, error) { return CUBE(CUBETLSProfile{CNSANValidate: "server"}) }, "cn-san validate"},
		{"oracle/mutual", func() (policy.Server, error) { return Oracle(OracleTLSProfile{MutualAuthenticate: "yes"}) }, "mutual-authenticate"},
		{"oracle/version", func() (policy.Server, error) { return Oracle(OracleTLSProfile{TLSVersion: "tlsv14"}) }, "tls-version"},
		{"oracle/8.1 tlsv13", func() (policy.Server, error) { return Oracle(OracleTLSProfile{Release: "8.1", TLSVersion: "tlsv13"}) }, "tls-version"},
		{"oracle/release", func() (policy.Server, error) { return Oracle(OracleTLSProfile{Release: "7.4"}) }, "release"},
		{"ribbon-core/authClient", func() (policy.Server, error) { return RibbonCore(RibbonCoreTLSProfile{AuthClient: "yes"}) }, "authClient"},
		{"ribbon-core/errors", func() (policy.Server, error) {
			return RibbonCore(RibbonCoreTLSProfile{AcceptableCertValidationErrors: "all"})
		}, "acceptableCertValidationErrors"},
		{"ribbon-core/v1_2", func() (policy.Server, error) { return RibbonCore(RibbonCoreTLSProfile{V12: "on"}) }, "v1_2"},
		{"ribbon-edge/mutual", func() (policy.Server, error) {
			return RibbonEdge(RibbonEdgeTLSProfile{MutualAuthentication: "optional"})
		}, "Mutual Authentication"},
		{"ribbon-edge/protocol", func() (policy.Server, error) { return RibbonEdge(RibbonEdgeTLSProfile{TLSProtocol: "TLS 1.1 Only"}) }, "TLS Protocol"},
		{"avaya/empty", func() (policy.Server, error) { return AvayaSBCE(AvayaSBCETLS{}) }, "Peer Verification"},
		{"avaya/word", func() (policy.Server, error) { return AvayaSBCE(AvayaSBCETLS{PeerVerification: "Mandatory"}) }, "Peer Verification"},
		{"expressway/release", func() (policy.Server, error) { return Expressway(ExpresswayTLS{Release: "15.5"}) }, "release"},
		{"expressway/release2", func() (policy.Server, error) { return Expressway(ExpresswayTLS{Release: "X15.5.1.2"}) }, "release"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.build()
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *ConfigError", err)
			}
			if !errors.Is(err, ErrUnknownWord) {
				t.Errorf("errors.Is(err, ErrUnknownWord) = false")
			}
			if ce.Field == "" || !strings.Contains(ce.Field, c.field) || !strings.Contains(err.Error(), c.field) {
				t.Errorf("error %q does not name field %q", err, c.field)
			}
		})
	}
}

func TestTeamsSBCCertificate(t *testing.T) {
	cases := []struct {
		name string
		c    policy.Cert
		ok   bool
	}{
		{"serverAuth only", policy.Cert{HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth)}, true},
		{"serverAuth+clientAuth", policy.Cert{HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth, eku.ClientAuth)}, true},
		{"clientAuth only", policy.Cert{HasEKU: true, EKU: eku.PurposeSetOf(eku.ClientAuth)}, false},
		{"no EKU extension", policy.Cert{}, false},
	}
	for _, c := range cases {
		err := TeamsSBCCertificate(c.c)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrTeamsCertificateEKU)) {
			t.Errorf("%s: err = %v, want ok=%v (per %s)", c.name, err, c.ok, SrcTeamsWhatsNew.URL)
		}
	}
}

func TestTeamsNeedsTLS12(t *testing.T) {
	s, err := Oracle(OracleTLSProfile{Release: "10.1"}) // tlsv13 only by default
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TeamsDirectRouting(s); !errors.Is(err, ErrTeamsNeedsTLS12) {
		t.Fatalf("err = %v, want ErrTeamsNeedsTLS12", err)
	}
	// Unknown versions are not an error: nothing is known to exclude TLS 1.2.
	s.Versions = 0
	if _, err := TeamsDirectRouting(s); err != nil {
		t.Fatal(err)
	}
}

// TestBYOCCheck runs each profile through policy.Evaluate with the Genesys
// BYOC Cloud outbound client: a certificate issued before the clientAuth
// cut-over passes every profile; one issued after passes those that do not
// verify, and is Unknown (never Fails) where the SBC verifies, because no
// vendor documents the stack and the stacks disagree.
func TestBYOCCheck(t *testing.T) {
	at := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	before := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	after := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	for _, m := range mappings() {
		t.Run(m.name, func(t *testing.T) {
			s, err := m.build()
			if err != nil {
				t.Fatal(err)
			}
			if s.Versions == 0 {
				s.Versions = tls12
			}
			if !s.Versions.Has(tlsver.TLS12) {
				// Genesys offers TLS 1.2 only: no common version, whatever the certificate.
				o := policy.Evaluate(policy.Scenario{Client: genesysOutbound(before, time.Time{}), Server: s, At: at})
				if o.Verdict != policy.Fails || !hasCode(o, "no-common-version") {
					t.Errorf("versions %v: %v, want fails with no-common-version\n%s", s.Versions, o.Verdict, o.Explain())
				}
				return
			}
			old := policy.Evaluate(policy.Scenario{Client: genesysOutbound(before, time.Time{}), Server: s, At: at})
			if old.Verdict != policy.Succeeds {
				t.Errorf("certificate with clientAuth: %v, want succeeds\n%s", old.Verdict, old.Explain())
			}
			now := policy.Evaluate(policy.Scenario{Client: genesysOutbound(after, time.Time{}), Server: s, At: at})
			want := policy.Succeeds
			if s.ClientAuth == policy.ClientAuthUnknown || s.ClientAuth.Verifies() {
				want = policy.Unknown
			}
			if now.Verdict != want {
				t.Errorf("serverAuth-only certificate: %v, want %v\n%s", now.Verdict, want, now.Explain())
			}
		})
	}
}

func TestSourcesComplete(t *testing.T) {
	for _, s := range []Source{SrcAudioCodesMutualAuth, SrcAudioCodesSIPInterface, SrcAudioCodesTLSForSIPClients, SrcCUBESIPTLS, SrcOracle101, SrcOracle92, SrcOracle81,
		SrcRibbonCoreCLI, SrcRibbonEdge121, SrcRibbonEdge90, SrcAvayaServerProfile, SrcExpresswayFN74362,
		SrcExpresswayX155, SrcTeamsWhatsNew} {
		if !strings.HasPrefix(s.URL, "https://") || s.Document == "" || s.Statement == "" {
			t.Errorf("incomplete source %+v", s)
		}
	}
}

func hasCode(o policy.Outcome, code string) bool {
	for _, f := range o.Findings() {
		if f.Code.String() == code {
			return true
		}
	}
	return false
}

// TestEvidenceShape checks that every profile's evidence is public and
// complete: vendor documents by https URL with the statement quoted, notes
// as assumptions, nothing cut off by policy.MaxSources.
func TestEvidenceShape(t *testing.T) {
	for _, m := range mappings() {
		s, err := m.build()
		if err != nil {
			t.Fatal(err)
		}
		for _, wrapped := range []bool{false, true} {
			if wrapped {
				if s.Versions != 0 && !s.Versions.Has(tlsver.TLS12) {
					continue
				}
				if s, err = TeamsDirectRouting(s); err != nil {
					t.Fatal(err)
				}
			}
			list := s.Evidence.List()
			text := s.Evidence.String()
			if len(list) == 0 || !strings.Contains(text, m.src.URL) || wrapped && !strings.Contains(text, SrcTeamsWhatsNew.URL) {
				t.Errorf("%s (Teams: %v): evidence lost a source: %s", m.name, wrapped, text)
			}
			if n := list[len(list)-1]; n.Kind != policy.SourceAssumption {
				t.Errorf("%s (Teams: %v): the notes (the last source) were cut off: %s", m.name, wrapped, text)
			}
			for _, src := range list {
				switch src.Kind {
				case policy.SourceVendor:
					if !strings.HasPrefix(src.Locator, "https://") || src.Quote == "" || src.Ref == "" {
						t.Errorf("%s: vendor source %+v lacks URL, document or statement", m.name, src)
					}
				case policy.SourceAssumption:
					if src.Ref == "" {
						t.Errorf("%s: empty assumption", m.name)
					}
				default:
					t.Errorf("%s: unexpected source kind %v", m.name, src.Kind)
				}
			}
		}
	}
}
