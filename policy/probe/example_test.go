package probe_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"log"
	"math/big"
	"net"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/policy/probe"
)

// Probe an SBC-like server that requires and verifies client certificates.
func ExampleProbe() {
	addr, stop := demoServer(tls.RequireAndVerifyClientCert)
	defer stop()

	r, err := probe.Probe(context.Background(), addr, probe.Options{ReadTimeout: 5 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("versions:", r.Versions)
	fmt.Println("certificate request:", r.CertificateRequest)
	fmt.Println("client auth:", r.ClientAuth)
	fmt.Println("acceptable CAs:", r.AcceptableCANames)
	fmt.Println("server certificate serverAuth:", r.ServerEKU.Leaf().Has(eku.ServerAuth))
	// Output:
	// versions: TLS 1.2, 1.3
	// certificate request: yes
	// client auth: require-and-verify
	// acceptable CAs: [CN=demo client CA]
	// server certificate serverAuth: true
}

// demoServer runs a crypto/tls server on 127.0.0.1 until stop is called.
func demoServer(mode tls.ClientAuthType) (addr string, stop func()) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "demo server"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "demo client CA"},
		NotBefore: tmpl.NotBefore, NotAfter: tmpl.NotAfter, IsCA: true, BasicConstraintsValid: true,
	}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, key.Public(), key)
	ca, _ := x509.ParseCertificate(caDER)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	cfg := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		ClientAuth:   mode,
		ClientCAs:    pool,
		MinVersion:   tls.VersionTLS12,
	}
	l, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		log.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				_ = c.(*tls.Conn).Handshake()
				var b [1]byte
				_, _ = c.Read(b[:])
			}()
		}
	}()
	return l.Addr().String(), func() { l.Close(); <-done }
}

// A network failure is an error, not an answer: nothing listens on the
// port, so Probe returns ErrUnreachable and no version is refused.
func ExampleNetError() {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close() // the port is free again: connections are refused

	r, err := probe.Probe(context.Background(), addr, probe.Options{})
	var ne *probe.NetError
	fmt.Println("unreachable:", errors.Is(err, probe.ErrUnreachable), errors.As(err, &ne))
	fmt.Println("refused:", r.Rejected, "undecided:", r.Untested)
	// Output:
	// unreachable: true true
	// refused: none undecided: SSL 3.0, TLS 1.0–1.3
}

// Progress reports each attempt as it ends; Concurrency bounds how many
// run at once.
func ExampleOptions_progress() {
	addr, stop := demoServer(tls.NoClientCert)
	defer stop()

	n := 0
	r, err := probe.Probe(context.Background(), addr, probe.Options{
		Concurrency: 2,
		Progress:    func(a probe.Attempt) { n++ },
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n == len(r.Attempts), r.Versions, r.ClientAuth, r.Complete())
	// Output:
	// true TLS 1.2, 1.3 none true
}
