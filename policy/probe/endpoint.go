package probe

import (
	"github.com/tlscompat/tlscompat/policy"
)

// Endpoint returns the probed server as the server endpoint
// [policy.Evaluate] takes: the accepted versions, the observed
// client-certificate mode and the CA names from the CertificateRequest.
//
// What the probe observed and what it did not:
//
//   - Versions are the versions the server was seen to accept. Versions the
//     probe could not decide or was not asked to try ([Result.Untested]) are
//     left out, and policy reads Versions as the complete set; Evidence
//     names them.
//   - ClientAuth is derived from real handshakes (see [Probe]). "Verifies"
//     means the server rejected a self-signed certificate; whether it
//     trusts the CA that issued your client's certificate is not observed
//     (policy does not model trust; its prediction assumes the chain is
//     trusted). The CA names become AcceptedCAs: when your chain names
//     none of them, Evaluate answers unknown (issuer-not-listed).
//   - A probe cannot tell which TLS stack checks client certificates, so
//     Stack is policy.UnknownStack; set it if you know it (the stacks
//     differ on EKU rules, see policy.Stack).
//
// For example:
//
//	r, _ := probe.Probe(ctx, "sbc.example.net:5061", probe.Options{})
//	srv := r.Endpoint()
//	srv.Stack = policy.OpenSSL3
//	o := policy.Evaluate(policy.Scenario{Client: products.GenesysBYOCCloudOutbound(issued, time.Time{}), Server: srv, At: at})
func (r Result) Endpoint() policy.Server {
	s := policy.Server{
		Name:       r.Address,
		Versions:   r.Versions,
		ClientAuth: r.ClientAuth,
		Stack:      policy.UnknownStack,
		Profile:    "probe",
	}
	ev := policy.Source{Kind: policy.SourceObservation, Locator: "probe of " + r.Address, Ref: r.ClientAuthReason}
	if !r.Untested.IsEmpty() {
		ev.Ref += "; versions not tested: " + r.Untested.String()
	}
	s.Evidence = policy.Cite(ev)
	if len(r.AcceptableCANames) > 0 {
		s.AcceptedCAs = append([]string(nil), r.AcceptableCANames...)
	}
	return s
}
