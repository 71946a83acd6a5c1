package capture

import (
	"strconv"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// ClientAuth returns the client-certificate mode this connection shows, in
// policy's terms, and the observation it rests on.
//
// A capture shows whether a CertificateRequest was sent and, in TLS 1.2 and
// earlier, how the server reacted to the client's Certificate message. It
// never shows whether the server verified a certificate it accepted. Where
// that is not observable the stricter mode is assumed, because it is the
// one that breaks when a client certificate loses clientAuth:
//
//   - no CertificateRequest: policy.ClientAuthNone;
//   - a request, the client sent no certificate, the server continued:
//     optional, assumed policy.ClientAuthVerifyIfGiven;
//   - a request, the client sent no certificate, the server sent a fatal
//     alert: required, assumed policy.ClientAuthRequireAndVerify;
//   - a request, the client sent a certificate (accepted or rejected) or the
//     reaction is not in the capture: assumed policy.ClientAuthRequireAndVerify;
//   - TLS 1.3, resumption, incomplete captures: policy.ClientAuthUnknown.
func (c Connection) ClientAuth() (policy.ClientAuthMode, string) {
	switch c.CertRequest {
	case CertRequestNo:
		return policy.ClientAuthNone, "no CertificateRequest in the " + c.Version.String() + " handshake"
	case CertRequestYes:
	case CertRequestEncrypted:
		return policy.ClientAuthUnknown, "TLS 1.3: the CertificateRequest is encrypted; probe the endpoint (package policy/probe) or capture a TLS 1.2 handshake"
	default:
		return policy.ClientAuthUnknown, "CertificateRequest " + c.CertRequest.String()
	}
	const req = "CertificateRequest sent; "
	fatal, aborted := c.ServerAlerts.Fatal()
	switch {
	case c.ClientCertificateSent && c.ClientCertificates.Len() == 0 && aborted:
		return policy.ClientAuthRequireAndVerify, req + "the client sent no certificate and the server aborted with " +
			fatal.Description.WireName() + ": a certificate is required (verification not observable, assumed)"
	case c.ClientCertificateSent && c.ClientCertificates.Len() == 0 && c.ServerChangeCipherSpec:
		return policy.ClientAuthVerifyIfGiven, req + "the client sent no certificate and the server continued: " +
			"optional (whether a sent certificate is verified is not observable, assumed verified)"
	case c.ClientCertificateSent && c.ClientCertificates.Len() > 0 && aborted:
		return policy.ClientAuthRequireAndVerify, req + "the server rejected the client's certificate with " +
			fatal.Description.WireName() + " (whether one is required is not observable, assumed required)"
	case c.ClientCertificateSent && c.ClientCertificates.Len() > 0:
		return policy.ClientAuthRequireAndVerify, req + "the client sent a certificate; whether the server requires " +
			"and verifies one is not observable (assumed)"
	}
	return policy.ClientAuthRequireAndVerify, req + "the server's reaction to the client's certificate is not in the capture (assumed required and verified)"
}

// Endpoint returns the server of this connection as the server endpoint
// policy.Evaluate takes: the client-certificate mode (see ClientAuth), the
// negotiated version, the CA names of the CertificateRequest and the
// server's certificate chain (TLS 1.2 and earlier). Stack is
// policy.UnknownStack; set it if you know which TLS stack the endpoint runs.
//
// Versions holds only the negotiated version: one handshake shows that the
// server accepts it, not which other versions it accepts, and policy reads
// Versions as the complete set; Evidence says so. Widen it if you know more
// (a probe with package policy/probe reports every accepted version).
//
//	conns, _ := capture.ReadFile("outbound-call.pcap")
//	srv := conns[0].Endpoint()
//	o := policy.Evaluate(policy.Scenario{Client: products.GenesysBYOCCloudOutbound(issued, products.GenesysRenewal), Server: srv, At: at})
func (c Connection) Endpoint() policy.Server {
	mode, why := c.ClientAuth()
	name := "server"
	if c.Server.IsValid() {
		name = c.Server.String()
	}
	s := policy.Server{
		Name:       name,
		ClientAuth: mode,
		Stack:      policy.UnknownStack,
		Profile:    "capture",
	}
	ev := policy.Source{Kind: policy.SourceObservation, Locator: "capture of " + name, Ref: why}
	if c.FirstPacket > 0 {
		ev.Locator += " (packets " + strconv.Itoa(c.FirstPacket) + "-" + strconv.Itoa(c.LastPacket) + ")"
	}
	if c.Version.Known() {
		s.Versions = tlsver.SetOf(c.Version)
		ev.Ref += "; versions: only the negotiated " + c.Version.String() + " was observed"
	}
	s.Evidence = policy.Cite(ev)
	if c.CertificateRequest.NumAuthorities() > 0 {
		s.AcceptedCAs = c.CertificateRequest.AuthorityNames()
	}
	if c.ServerCertificates.Len() > 0 {
		if ch, err := policy.ChainFromDER(c.ServerCertificates.DER()...); err == nil {
			s.Chain = ch // the client checks it against Client.Trust
		}
	}
	return s
}

// ClientChain returns the client's certificate chain as the capture shows
// it (TLS 1.2 and earlier), for the scenario's [policy.Client].Chain: a
// real chain, which a renewal model does not rewrite. It is nil with a nil
// error when the client sent no certificate or the capture does not show
// it, and an error naming the certificate when one does not parse.
func (c Connection) ClientChain() (*policy.Chain, error) {
	if c.ClientCertificates.Len() == 0 {
		return nil, nil
	}
	return policy.ChainFromDER(c.ClientCertificates.DER()...)
}
