package policy_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/policy/products/sbc"
	"github.com/tlscompat/tlscompat/tlsver"
)

// notInModule matches citations of documents the module does not contain:
// project notes (*.md outside the module, FACTS, the reference pages), the
// seed documents' ids, and paths out of the module.
var notInModule = regexp.MustCompile(`\.md\b|FACTS|\b\d{3}_[0-9a-f]{16}\b|\.\./shared|shared/(reference|seeds)|ca-timeline|stack-eku|peers\.md`)

// Locator forms per kind.
var (
	rfcLocator  = regexp.MustCompile(`^RFC \d{3,5} (§\d+(\.\d+)*|Appendix [A-Z](\.\d+)*)$`)
	codeLocator = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[A-Za-z0-9_.+-]+:[^\s:]+$`)
	testLocator = regexp.MustCompile(`^([a-z0-9_/]+_test\.go):(Test[A-Za-z0-9_]+)$`)
)

// moduleRoot is the directory of go.mod, from this package's directory.
const moduleRoot = ".."

// checkSource reports a source that is not public or not followable.
func checkSource(t *testing.T, where string, s policy.Source) {
	t.Helper()
	for _, text := range []string{s.Locator, s.Ref, s.Quote} {
		if notInModule.MatchString(text) {
			t.Errorf("%s: source %+v cites a document outside the module (%q)", where, s, notInModule.FindString(text))
		}
	}
	switch s.Kind {
	case policy.SourceRFC:
		if !rfcLocator.MatchString(s.Locator) {
			t.Errorf("%s: RFC locator %q, want \"RFC NNNN §x.y\"", where, s.Locator)
		}
	case policy.SourceCode:
		if !codeLocator.MatchString(s.Locator) {
			t.Errorf("%s: source-file locator %q, want owner/repo@tag:path", where, s.Locator)
		}
	case policy.SourceDocs, policy.SourceVendor:
		if !strings.HasPrefix(s.Locator, "https://") {
			t.Errorf("%s: %s locator %q is not an https URL", where, s.Kind, s.Locator)
		}
	case policy.SourceInterop:
		m := testLocator.FindStringSubmatch(s.Locator)
		if m == nil {
			t.Errorf("%s: interop-test locator %q, want path_test.go:TestName", where, s.Locator)
			return
		}
		b, err := os.ReadFile(filepath.Join(moduleRoot, m[1]))
		if err != nil || !strings.Contains(string(b), "func "+m[2]+"(") {
			t.Errorf("%s: interop-test locator %q: the module has no such test (%v)", where, s.Locator, err)
		}
	case policy.SourceDataRow, policy.SourceObservation:
		if s.Locator == "" {
			t.Errorf("%s: %s source without locator", where, s.Kind)
		}
	case policy.SourceScenario, policy.SourceAssumption:
		if s.Ref == "" {
			t.Errorf("%s: %s source without Ref", where, s.Kind)
		}
	default:
		t.Errorf("%s: source %+v has kind %v", where, s, s.Kind)
	}
}

func checkEvidence(t *testing.T, where string, e policy.Evidence, mustHave bool) {
	t.Helper()
	list := e.List()
	if mustHave && len(list) == 0 {
		t.Errorf("%s: no evidence", where)
	}
	public := false
	for _, s := range list {
		checkSource(t, where, s)
		if s.Kind != policy.SourceAssumption {
			public = true
		}
	}
	if len(list) > 0 && !public {
		t.Errorf("%s: evidence %v has only assumptions", where, e)
	}
	for i := len(list); i < policy.MaxSources; i++ {
		if e.Sources[i] != (policy.Source{}) {
			t.Errorf("%s: evidence has a gap before source %d", where, i)
		}
	}
}

// builtinEndpoints returns every endpoint the products package builds.
func builtinEndpoints(t *testing.T) ([]policy.Client, []policy.Server) {
	var cs []policy.Client
	var ss []policy.Server
	for _, s := range products.Stories() {
		cs = append(cs, s.Client)
		ss = append(ss, s.Server)
	}
	v := tlsver.Range(tlsver.TLS12, tlsver.TLS13)
	fs, err := products.FreeSWITCH("all", v)
	if err != nil {
		t.Fatal(err)
	}
	ss = append(ss, fs, products.OpenSIPS(products.OpenSIPS2xDefaults(v)), products.Kamailio(products.KamailioTLS{VerifyClient: "on"}),
		products.Asterisk(products.AsteriskTransport{VerifyClient: true}), products.UCCXServer("11.5(1)"), products.SocialMinerServer("11.6"),
		products.Exchange("2010"), products.Salesforce(tlsver.SalesforceSandbox), products.GenesysBYOCCloudInbound())
	for _, mk := range []func() (policy.Server, error){
		func() (policy.Server, error) {
			return sbc.AudioCodes(sbc.AudioCodesTLS{TLSMutualAuthentication: "Enable", Versions: v})
		},
		func() (policy.Server, error) {
			return sbc.Oracle(sbc.OracleTLSProfile{Release: "10.1", MutualAuthenticate: "enabled", TLSVersion: "tlsv12"})
		},
		func() (policy.Server, error) {
			return sbc.RibbonEdge(sbc.RibbonEdgeTLSProfile{MutualAuthentication: "Enabled", TLSProtocol: "TLS 1.2-1.3"})
		},
		func() (policy.Server, error) {
			return sbc.RibbonCore(sbc.RibbonCoreTLSProfile{AuthClient: "true", V12: "enabled", V13: "enabled"})
		},
		func() (policy.Server, error) {
			return sbc.AvayaSBCE(sbc.AvayaSBCETLS{PeerVerification: "Required", Versions: v})
		},
		func() (policy.Server, error) {
			return sbc.CUBE(sbc.CUBETLSProfile{CNSANValidate: "bidirectional", Versions: v})
		},
		func() (policy.Server, error) { return sbc.Expressway(sbc.ExpresswayTLS{Release: "X15.5", Versions: v}) },
	} {
		srv, err := mk()
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, srv)
	}
	cs = append(cs, products.GenesysBYOCCloudOutbound(time.Time{}, products.GenesysRenewal), products.GenesysDVCPOutbound(),
		products.UCCXClient("12.5(1)"), products.SocialMinerClient("11.5(1)SU1"))
	return cs, ss
}

// TestEvidenceIsPublic checks every Evidence the module produces: the
// built-in profiles' and stories', and every finding of Evaluate over the
// stories and a sweep of stacks, modes and certificates. Each source names
// a public document (an RFC section, a URL, a project file at a tag) or a
// test of this module that exists, and none cites a document outside the
// module (project notes, seed ids).
func TestEvidenceIsPublic(t *testing.T) {
	cs, ss := builtinEndpoints(t)
	for _, c := range cs {
		where := "client " + c.Name
		checkEvidence(t, where, c.Evidence, c.Profile != "")
		if c.Chain != nil {
			checkEvidence(t, where+" chain CAs", c.Chain.CAEvidence, c.Chain.CAs == policy.CAsPermitClientAuth)
		}
		if c.Renewal != nil {
			checkEvidence(t, where+" renewal", c.Renewal.Evidence, true)
		}
		for _, n := range c.Notes {
			checkEvidence(t, where+" note "+n.Code.String(), n.Evidence, true)
		}
	}
	for _, s := range ss {
		checkEvidence(t, "server "+s.Name, s.Evidence, s.Profile != "")
	}

	var scenarios []policy.Scenario
	scenarios = append(scenarios, products.Stories()...)
	leafs := []policy.Cert{
		{HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth)},
		{HasEKU: true, EKU: eku.PurposeSetOf(eku.Any)},
		{HasEKU: true, EKU: eku.PurposeSetOf(eku.ClientAuth), HasKeyUsage: true, KeyUsage: eku.KeyUsageKeyEncipherment},
		{HasNSCertType: true, NSCertType: policy.NSCertTypeSSLServer},
		{},
	}
	ca := policy.Cert{IsCA: true, HasEKU: true, EKU: eku.PurposeSetOf(eku.ServerAuth)}
	for st := policy.UnknownStack; st <= policy.Schannel; st++ {
		for _, m := range []policy.ClientAuthMode{policy.ClientAuthUnknown, policy.ClientAuthNone, policy.ClientAuthRequest, policy.ClientAuthRequireAny, policy.ClientAuthVerifyIfGiven, policy.ClientAuthRequireAndVerify} {
			srv := policy.Server{Name: "server", Stack: st, ClientAuth: m, Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13), AcceptedCAs: []string{"CN=other"}}
			chains := []*policy.Chain{nil, {Opaque: true}, {Certs: []policy.Cert{leafs[0]}, CAs: policy.CAsUnknown}}
			for _, l := range leafs {
				l.Issuer = "CN=ca"
				chains = append(chains, &policy.Chain{Certs: []policy.Cert{l, ca, ca}, CAs: policy.CAsComplete})
			}
			for _, ch := range chains {
				for _, cv := range []tlsver.Set{tlsver.SetOf(tlsver.TLS13), tlsver.SetOf(tlsver.TLS10), tlsver.SetOf(tlsver.TLS10, tlsver.TLS12), 0} {
					scenarios = append(scenarios, policy.Scenario{Client: policy.Client{Name: "client", Versions: cv, Chain: ch,
						Renewal: &policy.Renewal{At: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), DropsClientAuthFrom: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), WindowDays: 7}},
						Server: srv, At: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)})
				}
			}
		}
	}
	seen := 0
	for _, sc := range scenarios {
		o := policy.Evaluate(sc, policy.WithChecks(policy.MinVersion(tlsver.TLS13)))
		for _, f := range o.Findings() {
			checkEvidence(t, sc.Name+" finding "+f.Code.String(), f.Evidence, true)
			seen++
		}
	}
	if seen < 1000 {
		t.Errorf("checked %d findings, want the sweep to reach at least 1000", seen)
	}
}

// TestBuiltinMatrixProvenanceIsPublic checks tlsver's built-in data: every
// document it cites is a public URL, and no provenance string cites a
// document outside the module.
func TestBuiltinMatrixProvenanceIsPublic(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(moduleRoot, "tlsver", "builtin.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Documents []struct{ ID, URL string } `json:"documents"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Documents) == 0 {
		t.Fatal("builtin.json lists no documents")
	}
	for _, d := range doc.Documents {
		if !strings.HasPrefix(d.ID, "https://") || !strings.HasPrefix(d.URL, "https://") {
			t.Errorf("builtin.json document %q (url %q): want the public URL as id and url", d.ID, d.URL)
		}
	}
	if m := notInModule.FindString(string(b)); m != "" {
		t.Errorf("builtin.json cites %q, a document outside the module", m)
	}
	if !strings.HasPrefix(tlsver.SeedDocument, "https://") {
		t.Errorf("tlsver.SeedDocument = %q, want a public URL", tlsver.SeedDocument)
	}
}

// TestSourcesCiteNothingOutsideTheModule reads the Go files of policy (with
// its sub-packages) and tlsver, and checks that no string literal or
// comment cites a document the module does not contain.
func TestSourcesCiteNothingOutsideTheModule(t *testing.T) {
	for _, dir := range []string{"policy", "tlsver"} {
		err := filepath.WalkDir(filepath.Join(moduleRoot, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "provenance_test.go") {
				return err // this file spells the patterns out
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				return err
			}
			report := func(pos token.Pos, text string) {
				if m := notInModule.FindString(text); m != "" {
					t.Errorf("%s: cites %q, a document outside the module", fset.Position(pos), m)
				}
			}
			for _, cg := range f.Comments {
				report(cg.Pos(), cg.Text())
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					report(lit.Pos(), lit.Value)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
