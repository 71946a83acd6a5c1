// Command ekuinfo prints the Extended Key Usage of certificates.
//
//	ekuinfo [-json] [file ...]
//
// Each file is PEM (every CERTIFICATE block; keys and other blocks are
// skipped, so a combined certificate+key file works) or one DER
// certificate. With no files it prints its built-in samples: a SIP TLS
// certificate as public CAs issued them until early 2026 (serverAuth +
// clientAuth), the same after the clientAuth EKU was dropped (serverAuth
// only), and a legacy certificate without the extension. For each
// certificate it says whether a server that checks client certificates (RFC
// 5280 rules) would accept it. -json prints JSON Lines, one object per
// certificate.
//
// Exit status:
//
//	0  every file was read and held at least one certificate (also -h)
//	3  usage error, or a file that cannot be read, holds no certificate
//	   (a key file, say), or holds a certificate that cannot be parsed;
//	   the other files are still printed and each error names its file
package main

import (
	"bytes"
	"crypto/x509"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/examples/internal/cli"
)

//go:embed testdata/*.pem
var samples embed.FS

const usageText = `Usage: ekuinfo [-json] [file ...]

Prints the Extended Key Usage, KeyUsage and CA flag of every certificate in
the files (PEM: every CERTIFICATE block, other blocks skipped; or one DER
certificate), and whether RFC 5280 rules permit TLS server and client
authentication. Without files it prints built-in samples.

Exit status:
  0  every file was read and held at least one certificate (also -h)
  3  usage error, or a file that cannot be read, holds no certificate
     (a key file, say) or holds a certificate that cannot be parsed

Flags:
`

func main() {
	os.Exit(run(os.Stdout, os.Stderr, os.Args[1:]))
}

// certInfo is the JSON form of one certificate (one line of -json).
type certInfo struct {
	File   string `json:"file"`
	Index  int    `json:"index"`
	Format string `json:"format"` // "pem" or "der"
	// Subject is the subject DN, empty when crypto/x509 cannot parse the
	// certificate.
	Subject     string    `json:"subject,omitempty"`
	EKUPresent  bool      `json:"eku_present"`
	EKUCritical bool      `json:"eku_critical,omitempty"`
	EKU         []oidInfo `json:"eku"`
	// KeyUsage lists the KeyUsage bit names; null when the extension is
	// absent.
	KeyUsage   []string `json:"key_usage"`
	CA         bool     `json:"ca"`
	ServerAuth bool     `json:"server_auth_permitted"`
	ClientAuth bool     `json:"client_auth_permitted"`
	Error      string   `json:"error,omitempty"`
	// Facts is what package eku reads from the certificate, in the stable
	// JSON form of eku.Facts; absent when the certificate cannot be parsed.
	Facts *eku.Facts `json:"facts,omitempty"`
}

type oidInfo struct {
	OID     string `json:"oid"`
	Purpose string `json:"purpose"`
}

// input is one file's bytes.
type input struct {
	name string
	data []byte
}

func run(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("ekuinfo", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "print JSON Lines, one object per certificate")
	if status, ok := cli.Parse(fs, args, stdout, stderr); !ok {
		return status
	}
	status := cli.Succeeds
	fail := func(err error) {
		fmt.Fprintln(stderr, "ekuinfo:", err)
		status = cli.Error
	}
	var inputs []input
	if fs.NArg() == 0 {
		entries, err := samples.ReadDir("testdata")
		if err != nil {
			fail(err)
			return status
		}
		for _, e := range entries {
			data, err := samples.ReadFile(path.Join("testdata", e.Name()))
			if err != nil {
				fail(err)
				continue
			}
			inputs = append(inputs, input{"sample " + e.Name(), data})
		}
	}
	for _, a := range fs.Args() {
		data, err := os.ReadFile(a)
		if err != nil {
			fail(err) // *PathError names the file
			continue
		}
		inputs = append(inputs, input{a, data})
	}
	enc := json.NewEncoder(stdout)
	buf := make([]byte, 0, 8192)
	for _, in := range inputs {
		var certs []certInfo
		var err error
		certs, buf, err = read(in, buf)
		if err != nil {
			fail(err)
		}
		if len(certs) == 0 {
			continue
		}
		if !*asJSON {
			name := in.name
			if certs[0].Format == "der" {
				name += " (DER)"
			}
			fmt.Fprintf(stdout, "%s\n", name)
		}
		for i := range certs {
			c := &certs[i]
			if c.Error != "" {
				status = cli.Error
			}
			if *asJSON {
				if err := enc.Encode(c); err != nil {
					fail(err)
				}
				continue
			}
			writeText(stdout, c)
		}
	}
	return status
}

// read returns the certificates of one input, PEM or DER. An input with no
// certificate is an error naming it; a certificate that does not parse is
// reported in its certInfo.Error.
func read(in input, buf []byte) ([]certInfo, []byte, error) {
	var out []certInfo
	if bytes.Contains(in.data, []byte("-----BEGIN ")) {
		sc := eku.ScanPEM(in.data, buf[:0])
		for sc.Next() {
			out = append(out, describe(in.name, sc.Block(), "pem", sc.DER()))
		}
		buf = sc.Buffer()
		if err := sc.Err(); err != nil {
			return out, buf, fmt.Errorf("%s: %w", in.name, err)
		}
		if len(out) == 0 {
			return nil, buf, fmt.Errorf("%s: no certificate in it (no PEM CERTIFICATE block; a key file?)", in.name)
		}
		return out, buf, nil
	}
	if len(in.data) > 0 && in.data[0] == 0x30 { // an ASN.1 SEQUENCE: DER
		if _, err := x509.ParseCertificate(in.data); err != nil {
			if _, eerr := eku.Parse(in.data); eerr != nil {
				return nil, buf, fmt.Errorf("%s: not a DER certificate: %v", in.name, err)
			}
		}
		return []certInfo{describe(in.name, 0, "der", in.data)}, buf, nil
	}
	return nil, buf, fmt.Errorf("%s: no certificate in it (neither PEM nor DER)", in.name)
}

func describe(file string, index int, format string, der []byte) certInfo {
	c := certInfo{File: file, Index: index, Format: format, EKU: []oidInfo{}}
	if xc, err := x509.ParseCertificate(der); err == nil {
		c.Subject = xc.Subject.String()
	}
	s, err := eku.Parse(der)
	if err != nil {
		c.Error = err.Error()
		return c
	}
	c.EKUPresent, c.EKUCritical = s.Present(), s.Critical()
	var text []byte
	for it := s.OIDs(); it.Next(); {
		text = it.AppendText(text[:0])
		c.EKU = append(c.EKU, oidInfo{OID: string(text), Purpose: it.Purpose().String()})
	}
	if ku, ok := s.KeyUsage(); ok {
		c.KeyUsage = strings.Split(ku.String(), "|")
		if ku == 0 {
			c.KeyUsage = []string{}
		}
	}
	c.CA = s.IsCA()
	c.ServerAuth, c.ClientAuth = s.Permits(eku.ServerAuth), s.Permits(eku.ClientAuth)
	f := s.Facts()
	c.Facts = &f
	return c
}

func writeText(w io.Writer, c *certInfo) {
	subject := c.Subject
	if subject == "" {
		subject = "(subject not parsed by crypto/x509)"
	}
	fmt.Fprintf(w, "  [%d] %s\n", c.Index, subject)
	if c.Error != "" {
		fmt.Fprintf(w, "      error: %s\n", c.Error)
		return
	}
	switch {
	case !c.EKUPresent:
		fmt.Fprintf(w, "      EKU: absent (no restriction)\n")
	default:
		crit := "not critical"
		if c.EKUCritical {
			crit = "critical"
		}
		fmt.Fprintf(w, "      EKU: %d purpose(s), %s\n", len(c.EKU), crit)
		for _, o := range c.EKU {
			fmt.Fprintf(w, "        %-24s %s\n", o.OID, o.Purpose)
		}
	}
	if c.KeyUsage != nil {
		ku := strings.Join(c.KeyUsage, "|")
		if ku == "" {
			ku = "none"
		}
		fmt.Fprintf(w, "      KeyUsage: %s\n", ku)
	}
	fmt.Fprintf(w, "      CA: %v\n", c.CA)
	fmt.Fprintf(w, "      TLS server auth permitted: %v\n", yes(c.ServerAuth))
	fmt.Fprintf(w, "      TLS client auth permitted: %v\n", yes(c.ClientAuth))
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
