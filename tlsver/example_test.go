package tlsver_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// UCCX 11.0(1) posts to Salesforce production: which version do they agree
// on, before and after Salesforce disabled TLS 1.0 on 2017-07-22?
func ExampleMatrix_Support_salesforce() {
	m := tlsver.Builtin()
	uccx, _ := m.Support(tlsver.UCCX, "11.0(1)", tlsver.Client, tlsver.HTTPS, time.Time{})
	fmt.Println("UCCX 11.0(1) as client:", uccx.Versions, "—", uccx.Provenance)

	for _, day := range []string{"2017-07-21", "2017-07-23"} {
		at, _ := time.Parse(time.DateOnly, day)
		sf, _ := m.Support(tlsver.Salesforce, tlsver.SalesforceProduction, tlsver.Server, tlsver.HTTPS, at)
		fmt.Printf("%s Salesforce production: %v\n", day, sf.Versions)
		fmt.Printf("  %v\n", tlsver.Negotiate(uccx.Versions, sf.Versions))
	}
	// Output:
	// UCCX 11.0(1) as client: TLS 1.0 — https://www.cisco.com/c/de_de/support/docs/customer-collaboration/unified-contact-center-express-1151/201000-TechNote-on-Handling-TLS-Support-with-UC.html, table "current", row 11.0(1)
	// 2017-07-21 Salesforce production: TLS 1.0–1.2
	//   TLS 1.0 (legacy_version (TLS ≤ 1.2))
	// 2017-07-23 Salesforce production: TLS 1.1, 1.2
	//   client offers only TLS 1.0; server's lowest is TLS 1.1 — enable TLS 1.1 or later on the client, or TLS 1.0 on the server
}

// A customer on UCCX 10.5: which releases give TLS 1.1/1.2 as a client,
// and which remove TLS 1.0?
func ExampleMatrix_UpgradeTarget() {
	m := tlsver.Builtin()
	for _, goal := range []tlsver.Goal{tlsver.ClientTLS11, tlsver.RemoveTLS10} {
		u, _ := m.UpgradeTarget(tlsver.UCCX, "10.5", goal)
		fmt.Printf("%s: upgrade to %v (table %q, row %s)\n", goal, u.Target, u.Provenance.Table, u.Provenance.Row)
		for _, role := range []tlsver.Role{tlsver.Client, tlsver.Server} {
			s, _ := m.Support(tlsver.UCCX, u.Target.String(), role, tlsver.HTTPS, time.Time{})
			fmt.Printf("  %v as %v: %v\n", u.Target, role, s.Versions)
		}
	}
	now, _ := m.Support(tlsver.UCCX, "10.5", tlsver.Client, tlsver.HTTPS, time.Time{})
	fmt.Println("10.5 today as client:", now.Versions, "(derived:", now.Derived, "from a general statement)")
	// Output:
	// client-tls1.1: upgrade to 10.6(1)SU3 (table "upgrade", row 10.5)
	//   10.6(1)SU3 as client: TLS 1.1, 1.2
	//   10.6(1)SU3 as server: TLS 1.0–1.2
	// remove-tls1.0: upgrade to 11.5(1)SU1 (table "upgrade", row 10.5)
	//   11.5(1)SU1 as client: TLS 1.1, 1.2
	//   11.5(1)SU1 as server: TLS 1.1, 1.2
	// 10.5 today as client: TLS 1.0 (derived: true from a general statement)
}

// The seed's intro says 11.x serves TLS 1.0–1.2; its table says 11.5(1)SU1
// serves 1.1 and 1.2. The row wins, and the answer says so.
func ExampleSupport_overrides() {
	s, _ := tlsver.Builtin().Support("UCCX", "11.5(1)SU1", tlsver.Server, tlsver.HTTPS, time.Time{})
	fmt.Println(s.Versions)
	fmt.Println("overrides:", s.Overrides.Statement, "→", s.OverriddenVersions)
	// Output:
	// TLS 1.1, 1.2
	// overrides: Unified CCX 11.x - TLS 1.0, 1.1 and 1.2 → TLS 1.0–1.2
}

// UCCX after 11.6: the 15.0 Administration and Operations Guide offers TLS
// 1.2 as the only minimum for outbound connections and states no maximum, so
// the answer is partial.
func ExampleMatrix_Support_uccx15() {
	s, _ := tlsver.Builtin().Support("UCCX", "15.0(1)", tlsver.Client, tlsver.HTTPS, time.Time{})
	fmt.Println(s.Versions, "partial:", s.Partial)
	fmt.Println(s.Provenance.Section)
	// Output:
	// TLS 1.2 partial: true
	// Set Commands: set tls client min-version
}

// Releases the document does not cover are unknown, with the reason.
func ExampleMatrix_Support_unknown() {
	s, _ := tlsver.Builtin().Support("UCCX", "12.0(1)", tlsver.Client, tlsver.HTTPS, time.Time{})
	fmt.Println(s.Known)
	fmt.Println(s.Reason)
	// Output:
	// false
	// no table row or statement in the data covers UCCX 12.0(1) as client over HTTPS
}

func ExampleNegotiate() {
	client := tlsver.SetOf(tlsver.TLS10, tlsver.TLS12) // TLS 1.1 disabled
	for _, server := range []tlsver.Set{tlsver.Range(tlsver.TLS10, tlsver.TLS13), tlsver.SetOf(tlsver.TLS11)} {
		n := tlsver.Negotiate(client, server)
		fmt.Printf("%v vs %v: ok=%v %v\n", client, server, n.OK, n)
	}
	// Output:
	// TLS 1.0, 1.2 vs TLS 1.0–1.3: ok=true TLS 1.2 (legacy_version (TLS ≤ 1.2))
	// TLS 1.0, 1.2 vs TLS 1.1: ok=false client offers at most TLS 1.2 (client supports TLS 1.0, 1.2); server answers TLS 1.1, its highest version not above TLS 1.2, which the client does not support, so the client aborts — enable TLS 1.1 on the client, or a version the client supports on the server (TLS 1.0, 1.2)
}

// The same client configuration (TLS 1.1 disabled) against a server with
// TLS 1.0 and 1.1 gives three answers on three client stacks: the RFC rule
// aborts, OpenSSL offers only its lowest contiguous run, and Java lists its
// versions in supported_versions.
func ExampleNegotiateStacks() {
	client := tlsver.SetOf(tlsver.TLS10, tlsver.TLS12)
	server := tlsver.Range(tlsver.TLS10, tlsver.TLS11)
	for _, st := range []tlsver.Negotiator{tlsver.RFCStack, tlsver.OpenSSLStack, tlsver.JavaStack} {
		n := tlsver.NegotiateStacks(client, st, server, tlsver.OpenSSLStack)
		fmt.Printf("%s client: ok=%v %v\n", st, n.OK, n.Version)
	}
	// Output:
	// RFC 8446 client: ok=false none
	// OpenSSL 3 client: ok=true TLS 1.0
	// Java JSSE client: ok=true TLS 1.0
}

func ExampleParseVersion() {
	for _, s := range []string{"TLSv1.2", "tls1_3", "1,1", "0x0301", "SSLv3", "TLS 1.4"} {
		v, err := tlsver.ParseVersion(s)
		fmt.Println(v, err)
	}
	// Output:
	// TLS 1.2 <nil>
	// TLS 1.3 <nil>
	// TLS 1.1 <nil>
	// TLS 1.0 <nil>
	// SSL 3.0 <nil>
	// none tlsver: parsing version "TLS 1.4": at offset 4: TLS versions are 1.0 to 1.3
}

func ExampleParseSet() {
	s, _ := tlsver.ParseSet("1,0, 1,1, 1,2") // a cell of the German table
	fmt.Println(s, s.Min(), s.Max(), s.Has(tlsver.TLS13))
	// Output: TLS 1.0–1.2 TLS 1.0 TLS 1.2 false
}

func ExampleParseRelease() {
	a, _ := tlsver.ParseRelease("10,6(1)SU3")
	b, _ := tlsver.ParseRelease("11.5(1)")
	fmt.Println(a, a.Compare(b), a.Train())
	_, err := tlsver.ParseRelease("11.6SU1")
	fmt.Println(err)
	// Output:
	// 10.6(1)SU3 -1 10.6
	// tlsver: parsing release "11.6SU1": at offset 4: a service update needs a maintenance number, as in "10.6(1)SU3"
}

// Users bring their own products and override built-in rows.
func ExampleMatrix_Merge() {
	user, err := tlsver.Load(strings.NewReader(`{
	  "schema": "tlsver/v1",
	  "documents": [{"id": "inventory-2026"}],
	  "products": [{"name": "CRM", "releases": "names", "names": [{"name": "prod"}]}],
	  "support": [{"product": "CRM", "releases": ["prod"], "role": "server", "versions": "TLS 1.2-1.3",
	               "source": {"document": "inventory-2026", "table": "servers", "row": "crm-prod"}}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := tlsver.Builtin().Merge(user)
	crm, _ := m.Support("CRM", "prod", tlsver.Server, 0, time.Time{})
	uccx, _ := m.Support("UCCX", "11.5(1)SU1", tlsver.Client, 0, time.Time{})
	fmt.Println(crm.Versions, "—", crm.Provenance)
	fmt.Println(tlsver.Negotiate(uccx.Versions, crm.Versions))
	// Output:
	// TLS 1.2, 1.3 — inventory-2026, table "servers", row crm-prod
	// TLS 1.2 (legacy_version (TLS ≤ 1.2))
}

func ExampleLoad_error() {
	_, err := tlsver.Load(strings.NewReader(`{"schema": "tlsver/v1", "documents": [{"id": "d"}],
	  "products": [{"name": "P", "releases": "cisco"}],
	  "support": [{"product": "P", "releases": ["1.0"], "role": "server", "versions": "1.2, 1.4",
	               "source": {"document": "d", "table": "t"}}]}`))
	fmt.Println(err)
	// Output: tlsver: matrix: support[0].versions: bad version set: tlsver: parsing version set "1.2, 1.4": at offset 5: TLS versions are 1.0 to 1.3
}
