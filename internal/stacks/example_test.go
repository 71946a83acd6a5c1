package stacks_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"log"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
)

// A TLS 1.3 server that verifies client certificates rejects a serverAuth-only
// certificate after the client's handshake has returned; Handshake reads the
// alert. (In tests, start servers with StartGo, StartOpenSSL, StartGnuTLS or
// StartJava instead of by hand.)
func ExampleHandshake() {
	pki := testpki.New()
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{pki.Server().TLSCertificate()},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pki.RootPool(),
		MinVersion:   tls.VersionTLS13,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			// Echo one line: Handshake treats a server that closes right
			// after the handshake as a failure.
			if c.(*tls.Conn).Handshake() == nil {
				line, _ := bufio.NewReader(c).ReadString('\n')
				_, _ = c.Write([]byte(line))
			}
			c.Close()
		}
	}()

	for _, n := range []testpki.Name{testpki.ServerClient, testpki.ServerOnly} {
		leaf := pki.Variant(n)
		out := stacks.Handshake(context.Background(), l.Addr().String(), stacks.ClientOptions{Chain: leaf.Chain, Key: leaf.Key})
		fmt.Printf("%-13s %v\n", n, out)
	}
	// Output:
	// server-client ok TLSv1.3 (certificate requested)
	// server-only   fail alert 42 at after-handshake (certificate requested)
}
