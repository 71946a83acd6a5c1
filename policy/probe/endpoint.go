package probe

import (
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Endpoint returns the probed server as the server endpoint
// [policy.Evaluate] takes: the accepted versions, the observed
// client-certificate mode and the CA names from the CertificateRequest.
//
// What the probe observed and what it did not:
//
//   - Versions are the versions the server was seen to accept, but only
//     when every version from SSL 3.0 to TLS 1.3 was decided (accepted or
//     refused). policy reads Versions as the complete set, so a set with
//     an undecided version in it could turn into a definite "no common
//     version" (or a wrong negotiated version) that rests on nothing
//     observed. When any version is undecided or was not tried
//     ([Result.Untested]), Versions is left empty — "not known" to
//     policy, which then answers unknown (versions-unknown) unless another
//     step fails on its own — and Evidence names what was accepted, refused
//     and undecided. Set Versions yourself if you know the rest.
//   - ClientAuth is derived from real handshakes (see [Probe]). "Verifies"
//     means the server rejected a self-signed certificate; whether it
//     trusts the CA that issued your client's certificate is not observed:
//     set Trust to the server's store if you know it, else the prediction
//     names that assumption (trust-assumed). The CA names become
//     AcceptedCAs: when your chain names none of them, Evaluate answers
//     unknown (issuer-not-listed).
//   - Chain is the certificate chain the server sent; the client checks it
//     against [policy.Client].Trust (trust-assumed when that is not given).
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
		ClientAuth: r.ClientAuth,
		Stack:      policy.UnknownStack,
		Profile:    "probe",
	}
	ev := policy.Source{Kind: policy.SourceObservation, Locator: "probe of " + r.Address, Ref: r.ClientAuthReason}
	if r.Untested.IsEmpty() {
		s.Versions = r.Versions
	} else {
		ev.Ref += "; versions not tested: " + r.Untested.String() +
			" (accepted: " + orNone(r.Versions) + ", refused: " + orNone(r.Rejected) + "), so the version set is left unknown"
	}
	s.Evidence = policy.Cite(ev)
	if len(r.AcceptableCANames) > 0 {
		s.AcceptedCAs = append([]string(nil), r.AcceptableCANames...)
	}
	if len(r.ServerChain) > 0 {
		if ch, err := policy.ChainFromDER(r.ServerChain...); err == nil {
			s.Chain = ch // the client checks it against Client.Trust
		}
	}
	return s
}

func orNone(s tlsver.Set) string {
	if s.IsEmpty() {
		return "none"
	}
	return s.String()
}
