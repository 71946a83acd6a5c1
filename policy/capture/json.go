package capture

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
	"golang.org/x/crypto/cryptobyte"
)

// The JSON form of a Connection is documented by the JSON Schema in
// schema/connection.schema.json (draft 2020-12): snake_case members, enums
// as their names, the SNI as text, certificates as base64 DER with the
// facts parsed by crypto/x509 beside them, alerts and the
// CertificateRequest as objects. Codes (cipher suites, signature schemes,
// certificate types, alerts) are given as numbers with their names; the
// numbers are what UnmarshalJSON reads back.

var certRequestJSON = [...]string{
	CertRequestUnknown: "unknown", CertRequestYes: "yes", CertRequestNo: "no",
	CertRequestEncrypted: "encrypted", CertRequestResumed: "resumed",
	CertRequestNotReached: "not-reached", CertRequestIncomplete: "incomplete",
	CertRequestConflict: "conflict",
}

// MarshalText returns the answer's JSON name: "unknown", "yes", "no",
// "encrypted", "resumed", "not-reached", "incomplete" or "conflict".
func (c CertRequest) MarshalText() ([]byte, error) {
	if int(c) >= len(certRequestJSON) {
		return nil, fmt.Errorf("capture: CertRequest %d has no name", c)
	}
	return []byte(certRequestJSON[c]), nil
}

// UnmarshalText reads a name written by MarshalText.
func (c *CertRequest) UnmarshalText(b []byte) error {
	for i, n := range certRequestJSON {
		if n == string(b) {
			*c = CertRequest(i)
			return nil
		}
	}
	return fmt.Errorf("capture: cert_request %q is not one of %s", b, strings.Join(certRequestJSON[:], ", "))
}

// MarshalText returns the protocol's name ("tls", "not-tls", "unrecognized").
func (p Protocol) MarshalText() ([]byte, error) {
	if int(p) >= len(protocolNames) {
		return nil, fmt.Errorf("capture: Protocol %d has no name", p)
	}
	return []byte(protocolNames[p]), nil
}

// UnmarshalText reads a name written by MarshalText.
func (p *Protocol) UnmarshalText(b []byte) error {
	for i, n := range protocolNames {
		if n == string(b) {
			*p = Protocol(i)
			return nil
		}
	}
	return fmt.Errorf("capture: protocol %q is not one of %s", b, strings.Join(protocolNames[:], ", "))
}

// jsonCode is a wire code with its name.
type jsonCode struct {
	Code uint16 `json:"code"`
	Name string `json:"name"`
}

type jsonClientHello struct {
	Seen                 bool     `json:"seen"`
	LegacyVersion        string   `json:"legacy_version"`
	SupportedVersions    []string `json:"supported_versions"`
	HasSupportedVersions bool     `json:"has_supported_versions"`
	ServerName           *string  `json:"server_name"`
	SSL2Compatible       bool     `json:"ssl2_compatible"`
}

type jsonServerHello struct {
	Seen              bool     `json:"seen"`
	HelloRetryRequest bool     `json:"hello_retry_request"`
	LegacyVersion     string   `json:"legacy_version"`
	Version           string   `json:"version"`
	CipherSuite       jsonCode `json:"cipher_suite"`
}

// jsonCertificate is one certificate: its DER and what crypto/x509 reads
// in it (ParseError instead when it does not parse).
type jsonCertificate struct {
	DER        []byte    `json:"der"`
	Subject    string    `json:"subject,omitempty"`
	Issuer     string    `json:"issuer,omitempty"`
	NotBefore  time.Time `json:"not_before,omitzero"`
	NotAfter   time.Time `json:"not_after,omitzero"`
	IsCA       bool      `json:"is_ca"`
	EKUPresent bool      `json:"eku_present"`
	EKU        []string  `json:"eku"`
	DNSNames   []string  `json:"dns_names,omitempty"`
	ParseError string    `json:"parse_error,omitempty"`
	ClientAuth bool      `json:"client_auth"`
}

type jsonCertificateRequest struct {
	CertificateTypes []jsonCode `json:"certificate_types"`
	SignatureSchemes []jsonCode `json:"signature_schemes"`
	Authorities      []string   `json:"authorities"`
	AuthoritiesDER   [][]byte   `json:"authorities_der"`
}

type jsonAlert struct {
	Encrypted   bool   `json:"encrypted"`
	Level       string `json:"level"`
	Description string `json:"description,omitempty"`
	Code        *uint8 `json:"code,omitempty"`
	Record      int    `json:"record"`
	Offset      int64  `json:"offset"`
}

type jsonAlerts struct {
	Count  int         `json:"count"`
	Alerts []jsonAlert `json:"alerts"`
}

type jsonConnection struct {
	Protocol               Protocol                `json:"protocol"`
	Client                 string                  `json:"client,omitempty"`
	Server                 string                  `json:"server,omitempty"`
	FirstPacket            int                     `json:"first_packet"`
	LastPacket             int                     `json:"last_packet"`
	CertRequest            CertRequest             `json:"cert_request"`
	CertRequestText        string                  `json:"cert_request_text"`
	Version                string                  `json:"version"`
	ClientHello            jsonClientHello         `json:"client_hello"`
	ServerHello            jsonServerHello         `json:"server_hello"`
	ServerCertificates     []jsonCertificate       `json:"server_certificates"`
	CertificateRequest     *jsonCertificateRequest `json:"certificate_request"`
	ClientCertificateSent  bool                    `json:"client_certificate_sent"`
	ClientCertificates     []jsonCertificate       `json:"client_certificates"`
	ServerChangeCipherSpec bool                    `json:"server_change_cipher_spec"`
	ClientAlerts           jsonAlerts              `json:"client_alerts"`
	ServerAlerts           jsonAlerts              `json:"server_alerts"`
	ClientBytes            int64                   `json:"client_bytes"`
	ServerBytes            int64                   `json:"server_bytes"`
	FirstBytes             *string                 `json:"first_bytes,omitempty"`
	Error                  string                  `json:"error,omitempty"`
}

func versionName(v tlsver.Version) string { return v.String() }

func parseVersionName(s string) (tlsver.Version, error) {
	if s == "none" {
		return 0, nil
	}
	for v := tlsver.Version(0x0200); v <= 0x0304; v++ {
		if v.Known() && v.String() == s {
			return v, nil
		}
	}
	if strings.HasPrefix(s, "0x") {
		if u, err := strconv.ParseUint(s[2:], 16, 16); err == nil {
			return tlsver.Version(u), nil
		}
	}
	return 0, fmt.Errorf("capture: version %q is not a TLS version name", s)
}

func certificatesJSON(c Certificates) []jsonCertificate {
	out := []jsonCertificate{}
	for _, der := range c.All() {
		jc := jsonCertificate{DER: der, EKU: []string{}}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			jc.ParseError = err.Error()
			out = append(out, jc)
			continue
		}
		jc.Subject, jc.Issuer = cert.Subject.String(), cert.Issuer.String()
		jc.NotBefore, jc.NotAfter = cert.NotBefore.UTC(), cert.NotAfter.UTC()
		jc.IsCA = cert.IsCA
		jc.EKUPresent = len(cert.ExtKeyUsage)+len(cert.UnknownExtKeyUsage) > 0
		jc.DNSNames = cert.DNSNames
		for _, u := range cert.ExtKeyUsage {
			jc.EKU = append(jc.EKU, ekuName(u))
			if u == x509.ExtKeyUsageClientAuth || u == x509.ExtKeyUsageAny {
				jc.ClientAuth = true
			}
		}
		for _, oid := range cert.UnknownExtKeyUsage {
			jc.EKU = append(jc.EKU, oid.String())
		}
		if !jc.EKUPresent {
			jc.ClientAuth = true // no EKU extension: every purpose (RFC 5280, 4.2.1.12)
		}
		out = append(out, jc)
	}
	return out
}

func ekuName(u x509.ExtKeyUsage) string {
	switch u {
	case x509.ExtKeyUsageAny:
		return "anyExtendedKeyUsage"
	case x509.ExtKeyUsageServerAuth:
		return "serverAuth"
	case x509.ExtKeyUsageClientAuth:
		return "clientAuth"
	case x509.ExtKeyUsageCodeSigning:
		return "codeSigning"
	case x509.ExtKeyUsageEmailProtection:
		return "emailProtection"
	case x509.ExtKeyUsageTimeStamping:
		return "timeStamping"
	case x509.ExtKeyUsageOCSPSigning:
		return "OCSPSigning"
	}
	return "eku(" + strconv.Itoa(int(u)) + ")"
}

func alertsJSON(a Alerts) jsonAlerts {
	out := jsonAlerts{Count: a.Len(), Alerts: []jsonAlert{}}
	for al := range a.All() {
		ja := jsonAlert{Encrypted: al.Encrypted, Level: al.Level.String(), Record: al.Record, Offset: al.Offset}
		if !al.Encrypted {
			code := uint8(al.Description)
			ja.Code = &code
			ja.Description = al.Description.WireName()
		}
		out.Alerts = append(out.Alerts, ja)
	}
	return out
}

// MarshalJSON writes the connection in the form of
// schema/connection.schema.json.
func (c Connection) MarshalJSON() ([]byte, error) {
	j := jsonConnection{
		Protocol: c.Protocol, FirstPacket: c.FirstPacket, LastPacket: c.LastPacket,
		CertRequest: c.CertRequest, CertRequestText: c.CertRequest.String(), Version: versionName(c.Version),
		ClientHello: jsonClientHello{Seen: c.ClientHello.Seen, LegacyVersion: versionName(c.ClientHello.LegacyVersion),
			SupportedVersions: []string{}, HasSupportedVersions: c.ClientHello.HasSupportedVersions, SSL2Compatible: c.ClientHello.SSL2Compatible},
		ServerHello: jsonServerHello{Seen: c.ServerHello.Seen, HelloRetryRequest: c.ServerHello.HelloRetryRequest,
			LegacyVersion: versionName(c.ServerHello.LegacyVersion), Version: versionName(c.ServerHello.Version),
			CipherSuite: jsonCode{c.ServerHello.CipherSuite, tls.CipherSuiteName(c.ServerHello.CipherSuite)}},
		ServerCertificates:     certificatesJSON(c.ServerCertificates),
		ClientCertificateSent:  c.ClientCertificateSent,
		ClientCertificates:     certificatesJSON(c.ClientCertificates),
		ServerChangeCipherSpec: c.ServerChangeCipherSpec,
		ClientAlerts:           alertsJSON(c.ClientAlerts),
		ServerAlerts:           alertsJSON(c.ServerAlerts),
		ClientBytes:            c.ClientBytes,
		ServerBytes:            c.ServerBytes,
	}
	if c.Client.IsValid() {
		j.Client, j.Server = c.Client.String(), c.Server.String()
	}
	for v := range c.ClientHello.SupportedVersions.Versions() {
		j.ClientHello.SupportedVersions = append(j.ClientHello.SupportedVersions, versionName(v))
	}
	if c.ClientHello.ServerName != nil {
		sni := string(c.ClientHello.ServerName)
		j.ClientHello.ServerName = &sni
	}
	if r := c.CertificateRequest; r.Seen {
		jr := &jsonCertificateRequest{CertificateTypes: []jsonCode{}, SignatureSchemes: []jsonCode{}, Authorities: r.AuthorityNames(), AuthoritiesDER: [][]byte{}}
		for t := range r.CertificateTypes() {
			jr.CertificateTypes = append(jr.CertificateTypes, jsonCode{uint16(t), t.String()})
		}
		for s := range r.SignatureSchemes() {
			jr.SignatureSchemes = append(jr.SignatureSchemes, jsonCode{uint16(s), s.String()})
		}
		for dn := range r.Authorities() {
			jr.AuthoritiesDER = append(jr.AuthoritiesDER, dn)
		}
		if jr.Authorities == nil {
			jr.Authorities = []string{}
		}
		j.CertificateRequest = jr
	}
	if c.FirstBytes != nil {
		s := string(c.FirstBytes)
		s = strings.ToValidUTF8(s, "\uFFFD")
		j.FirstBytes = &s
	}
	if c.Err != nil {
		j.Error = c.Err.Error()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes. The parsed certificate facts
// are not read back (they follow from the DER); an error comes back as an
// error with the same text. Unknown members are an error.
func (c *Connection) UnmarshalJSON(b []byte) error {
	var j jsonConnection
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.DisallowUnknownFields()
	if err := d.Decode(&j); err != nil {
		return fmt.Errorf("capture: Connection JSON: %w", err)
	}
	var out Connection
	var err error
	parse := func(field, s string) tlsver.Version {
		v, e := parseVersionName(s)
		if e != nil && err == nil {
			err = fmt.Errorf("%s: %w", field, e)
		}
		return v
	}
	out.Protocol, out.CertRequest = j.Protocol, j.CertRequest
	out.FirstPacket, out.LastPacket = j.FirstPacket, j.LastPacket
	if j.Client != "" || j.Server != "" {
		if out.Client, err = netip.ParseAddrPort(j.Client); err != nil {
			return fmt.Errorf("capture: Connection JSON: client: %w", err)
		}
		if out.Server, err = netip.ParseAddrPort(j.Server); err != nil {
			return fmt.Errorf("capture: Connection JSON: server: %w", err)
		}
	}
	out.Version = parse("version", j.Version)
	ch := j.ClientHello
	out.ClientHello = ClientHello{Seen: ch.Seen, LegacyVersion: parse("client_hello.legacy_version", ch.LegacyVersion),
		HasSupportedVersions: ch.HasSupportedVersions, SSL2Compatible: ch.SSL2Compatible}
	for _, s := range ch.SupportedVersions {
		out.ClientHello.SupportedVersions = out.ClientHello.SupportedVersions.Add(parse("client_hello.supported_versions", s))
	}
	if ch.ServerName != nil {
		out.ClientHello.ServerName = []byte(*ch.ServerName)
	}
	sh := j.ServerHello
	out.ServerHello = ServerHello{Seen: sh.Seen, HelloRetryRequest: sh.HelloRetryRequest, LegacyVersion: parse("server_hello.legacy_version", sh.LegacyVersion),
		Version: parse("server_hello.version", sh.Version), CipherSuite: sh.CipherSuite.Code}
	out.ServerCertificates = certificatesOf(j.ServerCertificates)
	out.ClientCertificates = certificatesOf(j.ClientCertificates)
	out.ClientCertificateSent = j.ClientCertificateSent
	out.ServerChangeCipherSpec = j.ServerChangeCipherSpec
	if r := j.CertificateRequest; r != nil {
		cr := CertificateRequest{Seen: true, numCAs: len(r.AuthoritiesDER), types: []byte{}}
		for _, t := range r.CertificateTypes {
			cr.types = append(cr.types, byte(t.Code))
		}
		for _, s := range r.SignatureSchemes {
			cr.sigAlgs = append(cr.sigAlgs, byte(s.Code>>8), byte(s.Code))
		}
		var cas cryptobyte.Builder
		for _, dn := range r.AuthoritiesDER {
			cas.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(dn) })
		}
		cr.cas, _ = cas.Bytes()
		out.CertificateRequest = cr
	}
	out.ClientAlerts, out.ServerAlerts = alertsOf(j.ClientAlerts), alertsOf(j.ServerAlerts)
	out.ClientBytes, out.ServerBytes = j.ClientBytes, j.ServerBytes
	if j.FirstBytes != nil {
		out.FirstBytes = []byte(*j.FirstBytes)
	}
	if j.Error != "" {
		out.Err = errors.New(j.Error)
	}
	if err != nil {
		return fmt.Errorf("capture: Connection JSON: %w", err)
	}
	*c = out
	return nil
}

func certificatesOf(js []jsonCertificate) Certificates {
	var b cryptobyte.Builder
	for _, jc := range js {
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(jc.DER) })
	}
	list, _ := b.Bytes()
	if len(js) == 0 {
		list = nil
	}
	return Certificates{list: list, n: len(js)}
}

func alertsOf(j jsonAlerts) Alerts {
	var a Alerts
	for _, ja := range j.Alerts {
		al := AlertRecord{Encrypted: ja.Encrypted, Record: ja.Record, Offset: ja.Offset}
		switch ja.Level {
		case "warning":
			al.Level = AlertWarning
		case "fatal":
			al.Level = AlertFatal
		}
		if ja.Code != nil {
			al.Description = policy.Alert(*ja.Code)
		}
		a.add(al)
	}
	a.n = max(a.n, j.Count)
	return a
}
