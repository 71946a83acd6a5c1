package issuers_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/policy/products/issuers"
)

// Forecast a renewal from "my certificate comes from CA X", then the
// Genesys BYOC Cloud outbound renewal from the provider data.
func Example() {
	d := issuers.Builtin()
	issued := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	for _, ca := range d.CAs() {
		for _, scope := range []issuers.Scope{issuers.ScopeDefault, issuers.ScopeHardStop} {
			c, err := d.CACutover(ca, scope)
			if err != nil {
				continue // no such announcement
			}
			span := c.From.Format(time.DateOnly)
			if !c.Exact() {
				span = "[" + span + ", " + c.Until.Format(time.DateOnly) + ")"
			}
			fmt.Printf("%-22s %-9s %-26s issued 2026-08-01 with clientAuth: %v\n", ca, scope, span, c.IssuedWithClientAuth(issued))
		}
	}

	// "My certificate comes from Sectigo, I asked for clientAuth, renewal on 2026-08-01."
	if _, err := issuers.Forecast("Sectigo", true, issued, 0); errors.As(err, new(*issuers.RangeError)) {
		fmt.Println("Sectigo opt-in renewal 2026-08-01: unknown, the sources disagree")
	}
	r, _ := issuers.Forecast("Certum", false, issued, 0)
	fmt.Println("Certum renewal: DropsClientAuthFrom", r.DropsClientAuthFrom.Format(time.DateOnly))

	g, _ := d.Provider("Genesys Cloud BYOC Cloud", issuers.Outbound)
	r, _ = g.Renewal()
	fmt.Println("Genesys renewal", r.At.Format(time.DateOnly), "window", r.WindowDays, "days, cut-over", r.DropsClientAuthFrom.Format(time.DateOnly))

	client := products.GenesysBYOCCloudOutbound(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), r.At)
	client.Renewal = r
	srv := products.SBC("customer SBC", policy.OpenSSL3, policy.ClientAuthRequireAndVerify, client.Versions)
	for _, at := range []string{"2026-03-01", "2026-03-10", "2026-03-20"} {
		t, _ := time.Parse(time.DateOnly, at)
		o := policy.Evaluate(policy.Scenario{Client: client, Server: srv, At: t})
		fmt.Println(at, o.Verdict)
	}
	// Output:
	// Let's Encrypt          default   2026-02-11                 issued 2026-08-01 with clientAuth: no
	// Let's Encrypt          hard-stop [2026-05-13, 2026-07-08)   issued 2026-08-01 with clientAuth: no
	// DigiCert               default   2025-10-01                 issued 2026-08-01 with clientAuth: no
	// DigiCert               hard-stop 2027-03-01                 issued 2026-08-01 with clientAuth: yes
	// Sectigo                default   [2025-09-15, 2025-10-07)   issued 2026-08-01 with clientAuth: no
	// Sectigo                hard-stop [2026-05-15, 2027-02-10)   issued 2026-08-01 with clientAuth: unknown
	// Google Trust Services  default   [2025-11-10, 2025-11-17)   issued 2026-08-01 with clientAuth: no
	// Google Trust Services  hard-stop [2026-04-13, 2026-04-20)   issued 2026-08-01 with clientAuth: no
	// GlobalSign             hard-stop [2026-07-01, 2026-10-01)   issued 2026-08-01 with clientAuth: unknown
	// Certum                 hard-stop 2026-05-15                 issued 2026-08-01 with clientAuth: no
	// Sectigo opt-in renewal 2026-08-01: unknown, the sources disagree
	// Certum renewal: DropsClientAuthFrom 2026-05-15
	// Genesys renewal 2026-03-09 window 7 days, cut-over 2026-03-01
	// 2026-03-01 succeeds
	// 2026-03-10 unknown
	// 2026-03-20 fails
}
