// Package sbc maps the configuration words of commercial session border
// controllers to policy's client-certificate modes, so that a Genesys BYOC,
// Teams Direct Routing or other SIP-trunk handshake can be predicted from
// the SBC's own settings:
//
//	srv, err := sbc.AudioCodes(sbc.AudioCodesTLS{TLSMutualAuthentication: "Enable", Versions: tlsver.SetOf(tlsver.TLS12)})
//	if err != nil { /* a word the vendor does not document: *sbc.ConfigError names the field */ }
//	o := policy.Evaluate(policy.Scenario{
//		Client: products.GenesysBYOCCloudOutbound(issued, products.GenesysRenewal), Server: srv, At: time.Now()})
//	fmt.Println(o.Verdict, o.Explain())
//
// Each constructor ([AudioCodes], [CUBE], [Oracle], [RibbonCore],
// [RibbonEdge], [AvayaSBCE], [Expressway], and [TeamsDirectRouting] around
// any of them) takes the vendor's own words, returns an error naming the
// field for a word the vendor's documentation does not list, and returns a
// policy.Server whose Evidence quotes the public page the mapping rests on
// (the [Source] variables: URL, document edition, statement).
//
// # What the documents decide, and what they do not
//
// Where the vendor's page says what the SBC does, the mode follows it
// (AudioCodes Disable/Enable, Avaya Required, Ribbon Core authClient true,
// Oracle and Ribbon Edge "mutual authentication": requested and verified,
// policy.ClientAuthVerifies, as whether a missing certificate fails is not
// documented). Where it does not, the mode is
// policy.ClientAuthUnknown (Cisco CUBE and Expressway in every
// configuration, Ribbon Core authClient false, Avaya Optional): Evaluate
// then answers only what every mode agrees on. No vendor page read names
// the TLS library or says whether the extended key usage of a client
// certificate is checked, so every profile has policy.UnknownStack, and a
// verifying SBC given a serverAuth-only certificate is Unknown (the stacks
// disagree: GnuTLS before 3.8.13 accepts it), not Fails. Versions come from
// the version words where the vendor documents them (Oracle tls-version,
// Ribbon v1_x and TLS Protocol); otherwise the caller gives them, and zero
// means not known.
package sbc
