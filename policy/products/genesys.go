package products

import (
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Built-in profile names (the Profile field of endpoints they return).
const (
	ProfileGenesysOutbound = "genesys-byoc-cloud-outbound"
	ProfileGenesysInbound  = "genesys-byoc-cloud-inbound"
	ProfileGenesysDVCP     = "genesys-dvcp-byoc"
	ProfileKamailio        = "kamailio-tls"
	ProfileOpenSIPS        = "opensips-tls_mgm"
	ProfileAsterisk        = "asterisk-res_pjsip"
	ProfileFreeSWITCH      = "freeswitch-sofia"
)

// Public sources of the Genesys profiles.
var (
	srcGenesysAnnouncement = policy.Source{Kind: policy.SourceVendor,
		Locator: "https://help.mypurecloud.com/announcements/client-authentication-eku-support-removed-from-genesys-cloud-certificate/",
		Ref:     "Genesys Cloud announcement of 2025-12-15"}
	srcGenesysTrunkSpec = policy.Source{Kind: policy.SourceVendor,
		Locator: "https://help.mypurecloud.com/articles/tls-trunk-transport-protocol-specification/",
		Ref:     "TLS 1.2 only; mutual TLS not supported"}
	srcGenesysRenewalPost = policy.Source{Kind: policy.SourceVendor,
		Locator: "https://community.genesys.com/discussion/byoc-cloud-client-authentication-eku-removal-announcement-2026",
		Ref:     "Genesys community post of 2026-01-05: renewal the week of 2026-03-09"}
	// srcGenesysLeafAssumption marks what the Genesys profiles assume
	// beyond the documents.
	srcGenesysLeafAssumption = policy.Source{Kind: policy.SourceAssumption,
		Ref: "KeyUsage digitalSignature+keyEncipherment (usual for public TLS certificates; every modelled stack accepts it); the CA certificates do not restrict clientAuth, inferred from the announcement (requesting endpoints 'appeared to work only because the certificates carried the EKU')"}
)

// GenesysClientAuthCutover is the first instant at which Genesys Cloud BYOC
// Cloud certificates no longer carry clientAuth: "certificates issued after
// February 2026".
var GenesysClientAuthCutover = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// GenesysRenewal is the first day of the week Genesys announced for renewing
// the BYOC Cloud SIP endpoint certificates. Source: Genesys community post of
// 2026-01-05 (https://community.genesys.com/discussion/byoc-cloud-client-authentication-eku-removal-announcement-2026).
// The post names
// a week, not a day: used as a renewal instant it is the earliest the renewal
// can happen. To model the uncertainty, set [policy.Renewal].WindowDays to
// [GenesysRenewalWindowDays]; [policy.Evaluate] then answers Unknown inside the week
// where the renewal decides.
var GenesysRenewal = time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)

// GenesysRenewalWindowDays is the length of the announced renewal window
// ("the week of 2026-03-09").
const GenesysRenewalWindowDays = 7

// GenesysBYOCCloudOutbound returns Genesys Cloud BYOC Cloud on an outbound
// call: Genesys is the TLS client and presents its certificate. A
// certificate issued before March 2026 carries serverAuth and clientAuth, a
// later one serverAuth only. renewal is when the certificate in use is
// replaced (zero: not modelled; [GenesysRenewal] is the announced week).
//
// The CA certificates are not listed; that they do not restrict clientAuth
// is inferred from the announcement's statement that requesting endpoints
// "appeared to work only because the certificates carried the EKU". The
// leaf's KeyUsage (digitalSignature, keyEncipherment) is an assumption: no
// Genesys document states it (it does not change any modelled stack's
// answer). Both are marked in the endpoint's Evidence. TLS 1.2 only is from
// the Genesys TLS trunk specification.
func GenesysBYOCCloudOutbound(issued, renewal time.Time) policy.Client {
	leaf := policy.Cert{
		Subject: "Genesys Cloud BYOC Cloud SIP endpoint", HasEKU: true,
		EKU:         eku.PurposeSetOf(eku.ServerAuth, eku.ClientAuth),
		HasKeyUsage: true, KeyUsage: eku.KeyUsageDigitalSignature | eku.KeyUsageKeyEncipherment,
		NotBefore: issued.UTC(),
	}
	return policy.Client{
		Name:     "Genesys Cloud BYOC Cloud (outbound)",
		Versions: tlsver.SetOf(tlsver.TLS12),
		Chain:    &policy.Chain{Certs: []policy.Cert{leaf}, CAs: policy.CAsPermitClientAuth, CAEvidence: policy.Cite(srcGenesysAnnouncement, srcGenesysLeafAssumption)},
		Renewal: &policy.Renewal{
			At: renewal.UTC(), DropsClientAuthFrom: GenesysClientAuthCutover,
			Evidence: policy.Cite(
				policy.Source{Kind: policy.SourceVendor, Locator: srcGenesysAnnouncement.Locator, Ref: srcGenesysAnnouncement.Ref, Quote: "certificates issued after February 2026 will no longer contain the Client Authentication EKU"},
				srcGenesysRenewalPost),
		},
		// Genesys issues no certificate with clientAuth after the
		// cut-over, so the fix is on the server: stop requesting.
		RemedyForEKU: policy.RemedyStopRequestingClientCerts,
		Profile:      ProfileGenesysOutbound,
		Evidence:     policy.Cite(srcGenesysAnnouncement, srcGenesysTrunkSpec, srcGenesysRenewalPost, srcGenesysLeafAssumption),
	}
}

// dvcpNotes is what the announcement says about DVCP endpoints. A
// package-level array, so that the client's Notes slice does not allocate.
var dvcpNotes = [...]policy.Finding{{
	Code: policy.CodeNotAffected, Effect: policy.EffectInfo,
	Subject: "Genesys Dynamic Voice Cloud Platform BYOC",
	Evidence: policy.Cite(policy.Source{Kind: policy.SourceVendor, Locator: srcGenesysAnnouncement.Locator, Ref: srcGenesysAnnouncement.Ref,
		Quote: "Dynamic Voice Cloud Platform BYOC SIP endpoints are already aligned with this model and are not affected"}),
}}

// GenesysBYOCCloudInbound returns Genesys Cloud BYOC Cloud on an inbound call:
// Genesys is the TLS server and never requests a client certificate.
func GenesysBYOCCloudInbound() policy.Server {
	return policy.Server{
		Name: "Genesys Cloud BYOC Cloud (inbound)", Versions: tlsver.SetOf(tlsver.TLS12),
		ClientAuth: policy.ClientAuthNone, Profile: ProfileGenesysInbound,
		Evidence: policy.Cite(
			policy.Source{Kind: policy.SourceVendor, Locator: srcGenesysAnnouncement.Locator, Ref: srcGenesysAnnouncement.Ref, Quote: "BYOC Cloud does not request client certificates"},
			srcGenesysTrunkSpec),
	}
}

// GenesysDVCPOutbound returns a Genesys Dynamic Voice Cloud Platform BYOC
// endpoint as TLS client. The announcement says it is not affected by the
// clientAuth removal; its certificate's EKU is not documented, so a server
// that verifies client certificates gets an Unknown verdict. TLS 1.2 only is
// an assumption: the Genesys TLS trunk specification says so for BYOC Cloud
// trunks, and no document states DVCP's versions (marked in Evidence).
func GenesysDVCPOutbound() policy.Client {
	const name = "Genesys Dynamic Voice Cloud Platform BYOC"
	return policy.Client{
		Name: name, Versions: tlsver.SetOf(tlsver.TLS12),
		Chain: &policy.Chain{Opaque: true}, Profile: ProfileGenesysDVCP,
		RemedyForEKU: policy.RemedyStopRequestingClientCerts,
		Notes:        dvcpNotes[:],
		Evidence: policy.Cite(
			policy.Source{Kind: policy.SourceVendor, Locator: srcGenesysAnnouncement.Locator, Ref: srcGenesysAnnouncement.Ref, Quote: "Dynamic Voice Cloud Platform BYOC SIP endpoints are already aligned with this model and are not affected"},
			srcGenesysTrunkSpec,
			policy.Source{Kind: policy.SourceAssumption, Ref: "TLS 1.2 only, as the trunk specification says for BYOC Cloud; no document states DVCP's versions"}),
	}
}
