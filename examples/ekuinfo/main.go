// Command ekuinfo prints the Extended Key Usage of certificates.
//
//	go run ./examples/ekuinfo [file.pem ...]
//
// With no arguments it prints its built-in samples: a SIP TLS certificate as
// public CAs issued them until early 2026 (serverAuth + clientAuth), the same
// after the clientAuth EKU was dropped (serverAuth only), and a legacy
// certificate without the extension. For each certificate it says whether a
// server that checks client certificates (RFC 5280 rules) would accept it.
package main

import (
	"crypto/x509"
	"embed"
	"fmt"
	"io"
	"os"
	"path"

	"github.com/tlscompat/tlscompat/eku"
)

//go:embed testdata/*.pem
var samples embed.FS

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ekuinfo:", err)
		os.Exit(1)
	}
}

// run prints the purposes of every certificate in the PEM files named by
// args, or of the built-in samples when args is empty.
func run(w io.Writer, args []string) error {
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	if len(args) == 0 {
		entries, err := samples.ReadDir("testdata")
		if err != nil {
			return err
		}
		for _, e := range entries {
			data, err := samples.ReadFile(path.Join("testdata", e.Name()))
			if err != nil {
				return err
			}
			inputs = append(inputs, input{"sample " + e.Name(), data})
		}
	} else {
		for _, a := range args {
			data, err := os.ReadFile(a)
			if err != nil {
				return err
			}
			inputs = append(inputs, input{a, data})
		}
	}
	buf := make([]byte, 0, 8192)
	text := make([]byte, 0, 64)
	for _, in := range inputs {
		fmt.Fprintf(w, "%s\n", in.name)
		sc := eku.ScanPEM(in.data, buf[:0])
		for sc.Next() {
			der := sc.DER()
			subject := "(subject not parsed by crypto/x509)"
			if c, err := x509.ParseCertificate(der); err == nil {
				subject = c.Subject.String()
			}
			fmt.Fprintf(w, "  [%d] %s\n", sc.Block(), subject)
			s, err := eku.Parse(der)
			if err != nil {
				fmt.Fprintf(w, "      error: %v\n", err)
				continue
			}
			switch {
			case !s.Present():
				fmt.Fprintf(w, "      EKU: absent (no restriction)\n")
			default:
				crit := "not critical"
				if s.Critical() {
					crit = "critical"
				}
				fmt.Fprintf(w, "      EKU: %d purpose(s), %s\n", s.Len(), crit)
				for it := s.OIDs(); it.Next(); {
					text = it.AppendText(text[:0])
					fmt.Fprintf(w, "        %-24s %v\n", text, it.Purpose())
				}
			}
			if ku, ok := s.KeyUsage(); ok {
				fmt.Fprintf(w, "      KeyUsage: %v\n", ku)
			}
			fmt.Fprintf(w, "      CA: %v\n", s.IsCA())
			fmt.Fprintf(w, "      TLS server auth permitted: %v\n", yes(s.Permits(eku.ServerAuth)))
			fmt.Fprintf(w, "      TLS client auth permitted: %v\n", yes(s.Permits(eku.ClientAuth)))
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
		buf = sc.Buffer()
	}
	return nil
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
