package tlsver_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// Cisco's public documents for UCCX after 11.6, written down here
// independently of builtin.json. The ids are the canonical www.cisco.com
// URLs of the documents.
const (
	uccxDocs     = "https://www.cisco.com/c/en/us/td/docs/voice_ip_comm/cust_contact/contact_center/crs/"
	rn125        = uccxDocs + "express_12_5/release/guide/uccx_b_uccx-solution-release-notes-125/uccx_b_uccx-solution-release-notes-125_chapter_01.html"
	rn125SU1     = uccxDocs + "express_12_5_1_su1/release/guide/uccx_b_1251su1solution-release-notes/uccx_b_1252solution-release-notes_chapter_01.html"
	rn125SU2     = uccxDocs + "express_12_5_1_su2/release/guide/uccx_b_1251su2_solution-release-notes/uccx_b_1252solution-release-notes_chapter_01.html"
	rn125SU3     = uccxDocs + "express_12_5_1_su3/release/guide/uccx_b_1251su3_solution-release-notes/uccx_b_1252solution-release-notes_chapter_01.html"
	rn150        = uccxDocs + "express_15_0/release/guide/uccx_b_1501_solution-release-notes/uccx_m_1501_cisco-unified-contact-center-express.html"
	adminCLI150  = uccxDocs + "express_15_0/maintain_and_operate/guide/uccx_b_1501_admin-and-operations-guide/uccx_m_1501_command-line-interface.html"
	unsupportedT = "Removed and Unsupported Features: TLS"
)

// uccx12Cell is one cell for UCCX 12.x or later: a release in a role, what
// the data must answer, and the source it must cite.
type uccx12Cell struct {
	release          string
	role             tlsver.Role
	proto            tlsver.Protocol
	versions         string // "" = unknown expected
	derived, partial bool
	doc, section     string
	statement        string // a phrase the quoted statement must hold
	note             string // a phrase the note must hold
}

func uccx12Cells() []uccx12Cell {
	S, C := tlsver.Server, tlsver.Client
	const secEnh = "Updated Features: Security Updates: Security Enhancements"
	return []uccx12Cell{
		// 12.5(1): "In this release, only TLS 1.2 is supported." (release
		// notes, Security Enhancements): stated, for the product as a whole.
		{release: "12.5(1)", role: S, versions: "1.2", doc: rn125, section: secEnh, statement: "only TLS 1.2 is supported", note: "set tls server min-version"},
		{release: "12.5(1)", role: C, versions: "1.2", doc: rn125, section: secEnh, statement: "only TLS 1.2 is supported", note: "applied to UCCX as client"},
		{release: "12.5(1)", role: C, proto: tlsver.HTTPS, versions: "1.2", doc: rn125, section: secEnh, statement: "only TLS 1.2 is supported"},
		// 12.5(1) SU1–SU3: only "TLS 1.0 and 1.1 are not supported"; TLS
		// 1.2 inferred, TLS 1.3 not stated.
		{release: "12.5(1)SU1", role: S, versions: "1.2", derived: true, partial: true, doc: rn125SU1, section: unsupportedT, statement: "TLS 1.0 and 1.1 are not supported", note: "TLS 1.3"},
		{release: "12.5(1)SU1", role: C, versions: "1.2", derived: true, partial: true, doc: rn125SU1, section: unsupportedT, statement: "TLS 1.0 and 1.1 are not supported", note: "TLS 1.3"},
		{release: "12.5(1)SU2", role: S, versions: "1.2", derived: true, partial: true, doc: rn125SU2, section: unsupportedT, statement: "TLS 1.0 and 1.1 are not supported", note: "TLS 1.3"},
		{release: "12.5(1)SU2", role: C, versions: "1.2", derived: true, partial: true, doc: rn125SU2, section: unsupportedT, statement: "TLS 1.0 and 1.1 are not supported", note: "TLS 1.3"},
		{release: "12,5(1)SU3", role: S, versions: "1.2", derived: true, partial: true, doc: rn125SU3, section: unsupportedT, statement: "TLS 1.0 and 1.1 aren’t supported", note: "TLS 1.3"},
		{release: "12.5(1)SU3", role: C, versions: "1.2", derived: true, partial: true, doc: rn125SU3, section: unsupportedT, statement: "TLS 1.0 and 1.1 aren’t supported", note: "TLS 1.3"},
		// 15.0(1): the CLI's only minimum is 1.2, per direction; the maximum
		// is not stated.
		{release: "15.0(1)", role: S, versions: "1.2", partial: true, doc: adminCLI150, section: "Set Commands: set tls server min-version", statement: "inbound SSL connections", note: "TLS 1.3"},
		{release: "15.0(1)", role: C, versions: "1.2", partial: true, doc: adminCLI150, section: "Set Commands: set tls client min-version", statement: "outbound SSL connections", note: "TLS 1.3"},
		// Not covered by any document read: unknown, never a guess.
		{release: "12.0(1)", role: S},
		{release: "12.0(1)", role: C},
		{release: "12.5", role: S}, // the train: its releases differ
		{release: "15.0", role: C}, // likewise
		{release: "12.5(1)SU4", role: C},
		{release: "15.0(1)SU1", role: S},
		{release: "15.0(1)SU1", role: C},
		{release: "12.5(1)", role: C, proto: tlsver.JDBC},
		{release: "15.0(1)", role: C, proto: tlsver.JDBC},
		{release: "15.0(1)", role: S, proto: tlsver.SIP},
	}
}

// TestUCCXAfter11 checks every cell the data holds for UCCX 12.x and later
// through the public API, and that releases the documents do not cover stay
// unknown with a reason.
func TestUCCXAfter11(t *testing.T) {
	m := tlsver.Builtin()
	for _, c := range uccx12Cells() {
		name := c.release + "/" + c.role.String() + "/" + c.proto.String()
		t.Run(name, func(t *testing.T) {
			got, err := m.Support(tlsver.UCCX, c.release, c.role, c.proto, time.Time{})
			if err != nil {
				t.Fatalf("Support(UCCX, %q, %v, %v): %v", c.release, c.role, c.proto, err)
			}
			if c.versions == "" {
				if got.Known || got.Reason == "" || got.Versions != 0 {
					t.Fatalf("Support(UCCX, %q, %v, %v) = %v; want unknown with a reason", c.release, c.role, c.proto, got)
				}
				return
			}
			want, err := tlsver.ParseSet(c.versions)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Known || got.Versions != want || got.Default != 0 || got.Derived != c.derived || got.Partial != c.partial {
				t.Errorf("Support(UCCX, %q, %v, %v) = %v\nwant versions %v, no default, derived %v, partial %v", c.release, c.role, c.proto, got, want, c.derived, c.partial)
			}
			if got.Protocol != tlsver.HTTPS {
				t.Errorf("protocol = %v, want HTTPS (the rows are recorded for HTTPS)", got.Protocol)
			}
			p := got.Provenance
			if p.Document != c.doc || p.Section != c.section || p.General || p.Table != "" || !strings.Contains(p.Statement, c.statement) {
				t.Errorf("provenance = %+v\nwant document %s, section %q, a statement holding %q", p, c.doc, c.section, c.statement)
			}
			if !strings.Contains(got.Note, c.note) {
				t.Errorf("note %q does not hold %q", got.Note, c.note)
			}
			if !got.Overrides.IsZero() {
				t.Errorf("%v: unexpected override of %+v", got, got.Overrides)
			}
			if !got.Since.IsZero() || !got.Until.IsZero() {
				t.Errorf("Since, Until = %v, %v; want unbounded", got.Since, got.Until)
			}
			// Every version outside the set is excluded by the source, except
			// TLS 1.3 where the answer is partial.
			if got.Versions.Has(tlsver.TLS10) || got.Versions.Has(tlsver.TLS11) {
				t.Errorf("%v: TLS 1.0 and 1.1 are stated as not supported", got)
			}
		})
	}
	if _, err := m.Support(tlsver.UCCX, "12.x", tlsver.Client, tlsver.HTTPS, time.Time{}); err == nil {
		t.Error(`Support(UCCX, "12.x") = nil error, want a release parse error`)
	}
}

// TestUCCXAfter11Documents: each document the rows cite is listed in the
// built-in data with its public URL and title (read back through WriteJSON,
// the form a user exports).
func TestUCCXAfter11Documents(t *testing.T) {
	var b strings.Builder
	if err := tlsver.Builtin().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, d := range []string{rn125, rn125SU1, rn125SU2, rn125SU3, rn150, adminCLI150} {
		if strings.Count(out, `"url": "`+d+`"`) != 1 {
			t.Errorf("documents: want %s listed once with its url", d)
		}
	}
}

// TestUCCXAfter11Salesforce: the new rows answer the question users ask —
// does UCCX 12.5 and later, as client, still reach Salesforce production
// after its TLS 1.0 cut-off? — with TLS 1.2, and UCCX 12.0(1) stays
// undecided.
func TestUCCXAfter11Salesforce(t *testing.T) {
	m := tlsver.Builtin()
	sf, err := m.Support(tlsver.Salesforce, tlsver.SalesforceProduction, tlsver.Server, tlsver.HTTPS, time.Time{})
	if err != nil || !sf.Known {
		t.Fatalf("Salesforce production: %v, %v", sf, err)
	}
	for _, rel := range []string{"12.5(1)", "12.5(1)SU1", "12.5(1)SU2", "12.5(1)SU3", "15.0(1)"} {
		cl, err := m.Support(tlsver.UCCX, rel, tlsver.Client, tlsver.HTTPS, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		n := tlsver.Negotiate(cl.Versions, sf.Versions)
		if !n.OK || n.Version != tlsver.TLS12 {
			t.Errorf("UCCX %s → Salesforce production: %v, want TLS 1.2", rel, n)
		}
	}
	cl, err := m.Support(tlsver.UCCX, "12.0(1)", tlsver.Client, tlsver.HTTPS, time.Time{})
	if err != nil || cl.Known {
		t.Errorf("UCCX 12.0(1) as client = %v, %v; want unknown", cl, err)
	}
}
