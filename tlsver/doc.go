// Package tlsver models TLS protocol versions, predicts the version a client
// and a server agree on (and explains why when they agree on none), and holds
// vendor compatibility matrices as data with their sources.
//
// The happy path, "UCCX 11.0(1) posts to Salesforce production — does it
// still work after 2017-07-22?":
//
//	m := tlsver.Builtin()
//	c, _ := m.Support("UCCX", "11.0(1)", tlsver.Client, tlsver.HTTPS, at)
//	s, _ := m.Support("Salesforce", "production", tlsver.Server, tlsver.HTTPS, at)
//	n := tlsver.Negotiate(c.Versions, s.Versions)
//	fmt.Println(n) // client offers only TLS 1.0; server's lowest is TLS 1.1 — …
//
// [Matrix.UpgradeTarget] answers "which release must we upgrade to?".
//
// # Versions and sets
//
// [Version] is the wire value (TLS12 = 0x0303). [ParseVersion] reads the
// spellings people write ("TLSv1.2", "tls1_2", "1,2", "0x0303", "SSLv3").
// [Set] is a bitset of versions whose String shows gaps ("TLS 1.0, 1.2") and
// runs ("TLS 1.0–1.2"); [ParseSet] reads it back. The Set operations
// (including String and the Versions iterator, but not MarshalText),
// Negotiate, NegotiateStacks, ParseVersion, ParseRelease and Version.String (for known
// versions) are allocation-free; the tests measure each.
//
// # Negotiation
//
// [Negotiate] follows the handshake messages: the TLS ≤ 1.2 legacy_version
// rule (RFC 5246, appendix E.1) with the client's abort on an answer it does
// not support, the TLS 1.3 supported_versions rule (RFC 8446, 4.2.1), and the
// RFC 8446, 4.1.3 downgrade sentinel. Its result says which rule decided and,
// on failure, a [Failure] code and a sentence a person acts on. The package's
// tests compare every pair of version sets with a message-level reference
// model, and with real handshakes: crypto/tls in process for every pair of
// MinVersion/MaxVersion ranges and every pair the seed data produces, and
// openssl s_server (every subset of TLS 1.0–1.3, gaps included) against
// openssl s_client, gnutls-cli and crypto/tls clients, and Java JSSE (JDK 17,
// the stack UCCX runs on) as client and server against every subset of the
// others. Where stacks depart from the protocol rule for sets with gaps —
// OpenSSL and GnuTLS clients offer less than configured, Java clients always
// send supported_versions, OpenSSL servers mark fewer answers as downgrades —
// [NegotiateStacks] models it (see [Negotiator]); a server implementation older
// than TLS 1.3 ignores supported_versions, see [NegotiateLegacyServer].
//
// # Releases
//
// [Release] is a Cisco release string ("10.6(1)SU3", also written
// "10,6(1)SU3" in German documents) with a total order: 10.6 < 10.6(1) <
// 10.6(1)SU2 < 10.6(1)SU3 < 10.6(2).
//
// # Data and provenance
//
// [Builtin] holds every cell of Cisco TechNote 201000 on TLS support in UCCX
// (2016, German edition; [SeedDocument] is its URL, which is also the
// document id in the data): UCCX as server and client per release from the "current" and
// "next" tables with the client defaults, the general statements (10.x
// clients use TLS 1.0; 10.6 and 11.x serve TLS 1.0–1.2), the upgrade-target
// table, where client requests originate, SocialMiner 11.5(1)SU1 and 11.6,
// Exchange 2010 and 2013, Salesforce's TLS 1.0 cut-offs, and the scope rule
// (the tables are about HTTPS; JDBC may still use TLS 1.0). It is the
// embedded file builtin.json, read by the same loader as user data.
//
// For UCCX after 11.6 it holds what Cisco's later public documents state,
// each row citing its document (the www.cisco.com URL), section and quoted
// statement, over HTTPS in both roles:
//   - 12.5(1): TLS 1.2 — the release notes, "In this release, only TLS 1.2 is
//     supported" (a product-wide statement, applied to server and client);
//   - 12.5(1)SU1, SU2 and SU3: TLS 1.2, Derived and Partial — their release
//     notes say only "TLS 1.0 and 1.1 are not supported"; TLS 1.2 is
//     inferred and TLS 1.3 is not stated;
//   - 15.0(1): TLS 1.2, Partial — the Administration and Operations Guide's
//     "set tls server min-version" (inbound) and "set tls client
//     min-version" (outbound) offer 1.2 as the only minimum; no document
//     states the maximum (TLS 1.3).
//
// Rows name exact releases: 12.0(1), the 12.5 and 15.0 trains as such,
// later SUs and engineering specials are unknown.
//
// Every [Support] answer carries a [Provenance] (document, table and row, or
// section and statement, flagged General for general statements) and says
// whether it is stated or Derived. The most specific data wins: a table row
// naming the release, then a row naming its release train, then a general
// statement. A general statement is applied only to the releases current
// when the document was written (its "applies_to"), because the document's
// own tables show TLS support changing after them; a row that contradicts a
// general statement covering it says so in Overrides (UCCX 11.5(1)SU1 as
// server: TLS 1.1, 1.2, not 1.0–1.2). Anything else is unknown: Known is
// false and Reason says why. UCCX 10.0 and 10.5 as servers, 11.5(1)SU2,
// 12.0(1), releases after 12.5(1)SU3 other than 15.0(1), and products not
// in the data are unknown, never guessed.
//
// Decisions the data records in its notes: the Salesforce production cut-off
// is stated as a date only (2017-07-22) and is taken as 00:00 Pacific time
// (2017-07-22T07:00:00Z), the zone of Salesforce's one precise cut-off; the
// sandbox cut-off is 2016-06-25T16:30:00Z as stated. The document says only
// that Salesforce disables TLS 1.0, so the versions that remain (TLS 1.1 and
// 1.2) are marked Derived. Versions hold from "from" (inclusive) until
// "until" (exclusive); a zero time asks for the latest state.
//
// # Schema
//
// A matrix file is one JSON object (schema "tlsver/v1"); unknown members are
// errors, and every validation error is a [*SchemaError] whose Path names
// the field with the index of its list element, such as
// "support[3].versions", "support[1].release" (an unknown member) or
// "upgrades[0].source.document".
//
//	{
//	  "schema": "tlsver/v1",
//	  "documents": [{"id": "https://www.cisco.com/…/201000-TechNote-on-Handling-TLS-Support-with-UC.html", "title": "…", "published": "2016", "url": "…"}],
//	  "products": [
//	    {"name": "UCCX", "aliases": ["Unified CCX"], "releases": "cisco",
//	     "client_origins": ["UCCX scripts", "…"], "origins_source": {source}},
//	    {"name": "Salesforce", "releases": "names",
//	     "names": [{"name": "sandbox", "aliases": ["developer"]}, …]}
//	  ],
//	  "support": [
//	    {"product": "UCCX",            // a product name or alias
//	     "kind": "row",                // "row" (default) or "general"
//	     "releases": ["11.5(1)SU1"],   // what the source names; patterns below
//	     "applies_to": ["11.0 .. 11.0(1)SU1"], // general only: where it is applied (default: releases)
//	     "role": "server",             // "client", "server" or "" for both
//	     "protocol": "HTTPS",          // "HTTPS", "JDBC", "SIP" or "" for any
//	     "versions": "1.1, 1.2",       // ParseSet syntax; "none" allowed
//	     "default": "1.2",             // optional; must be in versions
//	     "from": "2017-07-22T00:00:00-07:00", "until": "…", // optional RFC 3339 instants
//	     "derived": false, "partial": false, "note": "…",
//	     "source": {"document": "https://www.cisco.com/…/201000-…-UC.html", "table": "next", "row": "11.5(1)SU1",
//	                "section": "…", "statement": "…"}}
//	  ],
//	  "upgrades": [
//	    {"product": "UCCX", "from": "10.5", "goal": "client-tls1.1",  // or "remove-tls1.0"
//	     "target": "10.6(1)SU3", "note": "…", "source": {source}}
//	  ]
//	}
//
// Release patterns for "cisco" products: an exact release ("11.5(1)SU1"), a
// release train ("10.6": the train itself and every release in it), a major
// release ("10.x"), an inclusive range ("10.6 .. 10.6(1)SU2") or "*" (any).
// For "names" products: a name or alias, or "*". A source needs a document
// listed in "documents" and a table, section or statement.
//
// [Load] and [ParseMatrix] read a file, [Matrix.WriteJSON] writes one, and
// [Matrix.Merge] puts user data over the built-in data: user entries are
// consulted first at each level of specificity, and products both define
// share their names and aliases. The checked-in testdata/schema/user.json is
// a further example (TestSchemaFromDoc uses every member listed above).
//
// Support does not allocate for answers from the data (only unknown answers
// build a reason string). Loading is linear in the size of the data: a
// generated 20 MiB matrix loads in about 0.6 s of CPU time (TestLoadLarge,
// BenchmarkLoad).
//
// # Errors
//
// Malformed input is an error of an exported type: a [*ParseError] for a
// version, version set, release, role, protocol or goal string, and a
// [*SchemaError] (wrapping the underlying error, if any) for matrix data,
// with the field's path. A product or release the data does not cover is not
// an error: [Matrix.Support] and [Matrix.UpgradeTarget] answer Known ==
// false with a Reason, because "unknown, because…" is an answer. A failed
// [Negotiation] converts to a [*NegotiationError] with [Negotiation.Err].
package tlsver
