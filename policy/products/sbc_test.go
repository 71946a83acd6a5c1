package products_test

import (
	"testing"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// TestSBCModes maps each SBC's documented configuration words to modes. The
// expectations are written from the cited pages, not computed.
func TestSBCModes(t *testing.T) {
	mode := func(m policy.ClientAuthMode, err error) policy.ClientAuthMode {
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	tests := []struct {
		name      string
		got, want policy.ClientAuthMode
		source    string
	}{
		// AudioCodes Mediant User's Manual, 'TLS Mutual Authentication' [SIPSRequireClientCertificate]
		{"audiocodes 0", mode(products.AudioCodesMode("0")), policy.ClientAuthNone, "[0] Disable = (Default) ... does not request the client certificate"},
		{"audiocodes disable", mode(products.AudioCodesMode("Disable")), policy.ClientAuthNone, "[0] Disable"},
		{"audiocodes default", mode(products.AudioCodesMode("")), policy.ClientAuthNone, "(Default)"},
		{"audiocodes 1", mode(products.AudioCodesMode("1")), policy.ClientAuthRequireAndVerify, "[1] Enable = ... requires the receipt and verification of the client certificate"},
		{"audiocodes enable", mode(products.AudioCodesMode("enable")), policy.ClientAuthRequireAndVerify, "[1] Enable"},
		// Oracle SBC ACLI Reference 10.1.0, tls-profile mutual-authenticate
		{"oracle disabled", mode(products.OracleSBCMode("disabled")), policy.ClientAuthNone, "Default: disabled"},
		{"oracle default", mode(products.OracleSBCMode("")), policy.ClientAuthNone, "Default: disabled"},
		{"oracle enabled", mode(products.OracleSBCMode("enabled")), policy.ClientAuthVerifies, "mutual authentication of clients; whether a missing certificate fails is not documented"},
		// Ribbon SBC Edge UX 9.0, TLS Profile Mutual Authentication
		{"ribbon edge on", products.RibbonEdgeMode(true), policy.ClientAuthVerifies, "Enables the Mutual authentication request and verifications of the SIP peer client certificate"},
		{"ribbon edge off", products.RibbonEdgeMode(false), policy.ClientAuthNone, "the setting enables the request"},
		// Avaya SBC TLS server profile Peer Verification (Avaya Device Services R10.2.x)
		{"avaya required", mode(products.AvayaSBCEMode("Required")), policy.ClientAuthRequireAndVerify, "must provide a certificate ... signed by one of the Peer Certificate Authorities"},
		{"avaya optional", mode(products.AvayaSBCEMode("Optional")), policy.ClientAuthUnknown, "may optionally provide a certificate; verification of a provided one not read"},
		// Ribbon SBC Core tlsProfile authClient
		{"ribbon core true", products.RibbonCoreMode(true), policy.ClientAuthRequireAndVerify, "a TLS client is forced to authenticate itself within TLS"},
		{"ribbon core false", products.RibbonCoreMode(false), policy.ClientAuthUnknown, "not required to authenticate itself at the TLS layer: request and verification not documented"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: mode %v, want %v (%s)", tc.name, tc.got, tc.want, tc.source)
		}
	}
	if _, err := products.AvayaSBCEMode("None"); err == nil {
		t.Error("AvayaSBCEMode(None) = nil error, want an error (not modelled)")
	}
	for _, bad := range []string{"2", "yes", "required"} {
		if _, err := products.AudioCodesMode(bad); err == nil {
			t.Errorf("AudioCodesMode(%q) = nil error, want an error", bad)
		}
		if _, err := products.OracleSBCMode(bad); err == nil {
			t.Errorf("OracleSBCMode(%q) = nil error, want an error", bad)
		}
	}
}

// TestSBCVersions maps the documented version words.
func TestSBCVersions(t *testing.T) {
	tests := []struct {
		word string
		f    func(string) (tlsver.Set, error)
		want tlsver.Set
	}{
		{"tlsv1", products.OracleSBCVersions, tlsver.SetOf(tlsver.TLS10)},
		{"tlsv11", products.OracleSBCVersions, tlsver.SetOf(tlsver.TLS11)},
		{"tlsv12", products.OracleSBCVersions, tlsver.SetOf(tlsver.TLS12)},
		{"tlsv13", products.OracleSBCVersions, tlsver.SetOf(tlsver.TLS13)},
		{"compatibility", products.OracleSBCVersions, 0}, // bounded by security-config sslmin: unknown
		{"", products.OracleSBCVersions, 0},              // the default differs by release: unknown
		{"TLS 1.0 Only", products.RibbonEdgeVersions, tlsver.SetOf(tlsver.TLS10)},
		{"TLS 1.2 Only", products.RibbonEdgeVersions, tlsver.SetOf(tlsver.TLS12)},
		{"TLS 1.0 - 1.2", products.RibbonEdgeVersions, tlsver.Range(tlsver.TLS10, tlsver.TLS12)},
	}
	for _, tc := range tests {
		got, err := tc.f(tc.word)
		if err != nil || got != tc.want {
			t.Errorf("%q: %v, %v; want %v", tc.word, got, err, tc.want)
		}
	}
	if _, err := products.OracleSBCVersions("tlsv14"); err == nil {
		t.Error("OracleSBCVersions(tlsv14) = nil error, want an error")
	}
	if _, err := products.RibbonEdgeVersions("TLS 1.3 Only"); err == nil {
		t.Error("RibbonEdgeVersions(TLS 1.3 Only) = nil error, want an error (not a documented entry)")
	}
}
