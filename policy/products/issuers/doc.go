// Package issuers holds, as dated data, when public CAs and SIP providers
// stop putting the clientAuth extended key usage into TLS certificates, and
// who presents which certificate in which call direction, so that a renewal
// can be forecast from "my certificate comes from CA X" or from a provider:
//
//	r, err := issuers.Forecast("DigiCert", false, renewal, 0) // *policy.Renewal
//	if err != nil { /* *issuers.RangeError: the renewal falls where sources disagree */ }
//	client.Renewal = r
//	o := policy.Evaluate(policy.Scenario{Client: client, Server: srv, At: time.Now()})
//
// The data ([Builtin], the embedded builtin.json) is loaded like the tlsver
// matrix: [Load] and [Parse] read a file in the same schema (JSON Schema in
// schema.json, [JSONSchema]); unknown members and malformed values are
// errors, a [*SchemaError] naming the field ("cas[2].cutovers[0].dates[1].date");
// [WithData] makes [Forecast] use loaded data instead of the built-in.
//
// Every date carries its source (URL, title, publisher kind: vendor, root
// program or third party) and the statement quoted from it. A date may be a
// day ("2026-02-11": from the start of that day, UTC), a month ("2026-03")
// or a day with within_days (Google Trust Services' "the week of"). When
// sources disagree — Sectigo's FAQ against a later third-party report, two
// revisions of Cisco FN74362 — the [Cutover] is a range [From, Until) with
// every source, and the answer inside it is Unknown
// ([Cutover.IssuedWithClientAuth]); [Cutover.Renewal] refuses, with a
// [*RangeError], a renewal that falls inside it. A later revision by the
// same publisher (DigiCert's 2026 update, Chrome Root Program Policy 1.8)
// marks the earlier date superseded: kept for provenance, not in the range.
//
// Scopes: "default" (from the date, certificates carry no clientAuth unless
// the subscriber opts in) and "hard-stop" (none at all) for CAs and
// providers; "subordinate-ca" and "subscriber" for root programs.
//
// # What it does not know
//
// Amazon Trust Services, HARICA, IdenTrust, Entrust, Buypass and Microsoft's
// own CAs: no public notice was confirmed. Zoom Phone, Webex Calling,
// Twilio, Amazon Chime and other SIP providers: no clientAuth notice found.
// Microsoft's 2026 change to the Teams Direct Routing SIP proxies'
// certificates is known only from third parties, whose dates disagree (a
// range). Days are UTC: a vendor's local cut-over time is not modelled.
package issuers
