// Package tlscompat tells SBC and contact-center engineers, before a change
// goes live, whether a TLS handshake between two real systems will succeed,
// and if not, why and what to change. This root package holds only this
// overview; the work is done by three packages:
//
//	issued := time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC) // the BYOC certificate's notBefore
//	s := policy.Scenario{
//		Client: products.GenesysBYOCCloudOutbound(issued, products.GenesysRenewal),
//		Server: products.Kamailio(products.KamailioTLS{RequireCertificate: true, Versions: tlsver.Range(tlsver.TLS12, tlsver.TLS13)}),
//		At:     time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
//	}
//	o := policy.Evaluate(s) // fails on TLS 1.2, alert 43 from the server: the SBC rejects a certificate without clientAuth
//
// The package Example runs exactly this. From the command line, the same
// question for a live SBC, a capture or an SBC's own configuration words:
// `go run ./examples/genesyscheck -h`.
//
// # Why it exists
//
// Two real changes motivate it.
//
// Genesys Cloud removes the Client Authentication Extended Key Usage
// (id-kp-clientAuth, 1.3.6.1.5.5.7.3.2) from the certificates of its BYOC
// Cloud SIP TLS endpoints issued after February 2026 (announced 2025-12-15).
// On outbound calls Genesys is the TLS client; a customer SBC that requests a
// client certificate and verifies it may then refuse the handshake. Inbound
// calls (Genesys as the TLS server, which never requests a client
// certificate) and the Dynamic Voice Cloud Platform endpoints are not
// affected. The vendor's check: capture an outbound handshake and look for a
// CertificateRequest. Source: Genesys Cloud Resource Center, "Client
// Authentication EKU support removed from Genesys Cloud certificate",
// https://help.mypurecloud.com/announcements/client-authentication-eku-support-removed-from-genesys-cloud-certificate/
//
// Cisco Unified Contact Center Express (UCCX) speaks different TLS versions as
// a server and as a client per release (10.6(1)SU2 to 11.5(1) speak only
// TLS 1.0 as a client), while peers dropped TLS 1.0 on given dates
// (Salesforce production on 2017-07-22) or kept it (Exchange 2010);
// integrations fail when no common version is left, and only specific
// upgrades (10.6(1)SU3, 11.5(1)SU1) fix them. Source: Cisco TechNote 201000,
// "TechNote on Handling TLS Support with UCCX",
// https://www.cisco.com/c/en/us/support/docs/customer-collaboration/unified-contact-center-express-1151/201000-TechNote-on-Handling-TLS-Support-with-UC.html
// (later releases: the UCCX release notes cited in package tlsver).
//
// # How the packages fit
//
//   - [github.com/tlscompat/tlscompat/eku] parses a certificate's Extended
//     Key Usage (and KeyUsage and basicConstraints) without allocating, and
//     applies RFC 5280 and the nested chain rules real stacks use.
//   - [github.com/tlscompat/tlscompat/tlsver] models TLS versions, version
//     sets and negotiation, and carries the vendor compatibility matrices
//     (UCCX, SocialMiner, Salesforce, Exchange) as data with provenance.
//   - [github.com/tlscompat/tlscompat/policy] combines both: Evaluate takes
//     two endpoints, their certificates, the certificate stores each side
//     verifies the other with ([policy.Trust]) and an instant, and returns a
//     verdict (succeeds, fails or unknown), the negotiated version, the alert
//     and which side sends it, and findings with evidence (public sources) and
//     remedies; Timeline says when the verdict changes. The engine names no
//     vendor: products (SIP servers, SBCs, Genesys Cloud, UCCX and its peers,
//     public CAs' clientAuth cut-overs) are data in policy/products and its
//     sub-packages sbc and issuers. policy/capture reads pcap files and
//     answers the CertificateRequest question; policy/probe probes a live
//     server; both convert what they see into a policy.Server.
//
// Predictions are checked against the stacks they model: the tests run real
// handshakes on 127.0.0.1 against Go crypto/tls, OpenSSL, GnuTLS, Java JSSE,
// NSS (selfserv), Mbed TLS and a running Kamailio, and the capture reader is
// checked against Wireshark's dissector. Where the inputs or the verified
// rules do not decide a question, the answer is "unknown" with the reason,
// never a guess.
//
// The programs under examples/ double as documentation and as command-line
// tools (exit status 0 succeeds, 1 fails, 2 cannot tell, 3 usage or network
// error); `go run ./examples/handshake` prints the predictions for the seed
// stories.
package tlscompat
