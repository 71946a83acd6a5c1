package policy_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
)

// nssMode maps selfserv's initial-handshake client-certificate option to
// the policy mode, as observed with NSS 3.87: selfserv's certificate hook
// calls NSS's default SSL_AuthCertificate and fails the handshake on any
// error, so -r verifies a certificate that is sent and accepts none
// (verify-if-given), and -r -r also refuses an empty Certificate
// (require-and-verify).
func nssMode(c stacks.NSSClientCert) policy.ClientAuthMode {
	switch c {
	case stacks.NSSRequest:
		return policy.ClientAuthVerifyIfGiven
	case stacks.NSSRequire:
		return policy.ClientAuthRequireAndVerify
	}
	return policy.ClientAuthNone
}

// TestNSSInterop is the truth suite for the NSS rules: every testpki client
// certificate variant (and none) against NSS 3.87's selfserv in each
// initial-handshake mode (none, -r, -r -r) and server version range, from
// client version ranges TLS 1.2–1.3, 1.2, 1.3 and 1.0, compared with
// Evaluate for Server{Stack: NSS}: verdict, version on success (seen as
// selfserv's "HTTP/1.0 200 OK" answer to a GET, never as silence), and the
// alert wherever Evaluate predicts one. Any difference fails.
func TestNSSInterop(t *testing.T) {
	if testing.Short() {
		t.Skip("NSS interop truth suite: skipped in -short mode")
	}
	pki := testpki.New()
	type cfg struct {
		cc     stacks.NSSClientCert
		lo, hi uint16
	}
	cfgs := []cfg{
		{stacks.NSSNoRequest, tls.VersionTLS12, tls.VersionTLS13},
		{stacks.NSSRequest, tls.VersionTLS12, tls.VersionTLS13},
		{stacks.NSSRequest, tls.VersionTLS12, tls.VersionTLS12},
		{stacks.NSSRequest, tls.VersionTLS13, tls.VersionTLS13},
		{stacks.NSSRequire, tls.VersionTLS12, tls.VersionTLS13},
		{stacks.NSSRequire, tls.VersionTLS12, tls.VersionTLS12},
		{stacks.NSSRequire, tls.VersionTLS13, tls.VersionTLS13},
		{stacks.NSSRequire, tls.VersionTLS10, tls.VersionTLS12},
	}
	var servers []truthServer
	for _, c := range cfgs {
		srv := stacks.StartNSS(t, stacks.NSSOptions{ClientCert: c.cc, MinVersion: c.lo, MaxVersion: c.hi})
		servers = append(servers, truthServer{srv: srv, model: policy.Server{Name: srv.Description, Stack: policy.NSS, ClientAuth: nssMode(c.cc), Versions: vset(c.lo, c.hi)}})
	}

	ranges := []clientRange{{tls.VersionTLS12, tls.VersionTLS13}, {tls.VersionTLS12, tls.VersionTLS12}, {tls.VersionTLS13, tls.VersionTLS13}, {tls.VersionTLS10, tls.VersionTLS10}}
	r := runTruthCells(t, pki, servers, ranges, truthOptions{client: stacks.NSSClientOptions, timeoutIsDiff: true})
	t.Logf("NSS interop truth suite (NSS 3.87 selfserv): %s", r)
}

// nssExtra is a certificate built for TestNSSInteropAnchors.
type nssExtra struct {
	der  []byte
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

var oidNSCertTypeExt = asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 1, 1}

// nsType returns a Netscape certificate type extension with the first
// octet bits.
func nsType(t *testing.T, bits byte) pkix.Extension {
	n := 8
	for n > 0 && bits&(1<<(8-n)) == 0 {
		n--
	}
	v, err := asn1.Marshal(asn1.BitString{Bytes: []byte{bits}, BitLength: n})
	if err != nil {
		t.Fatalf("nsCertType %#x: %v", bits, err)
	}
	return pkix.Extension{Id: oidNSCertTypeExt, Value: v}
}

// issueExtra issues a certificate (self-signed if parent is nil).
func issueExtra(t *testing.T, serial int64, cn string, isCA bool, ekus []x509.ExtKeyUsage, ext []pkix.Extension, parent *x509.Certificate, parentKey crypto.Signer) nssExtra {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("key for %s: %v", cn, err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{Organization: []string{"tlscompat nss test"}, CommonName: cn},
		NotBefore: testpki.NotBefore, NotAfter: testpki.NotAfter, ExtKeyUsage: ekus, ExtraExtensions: ext,
		BasicConstraintsValid: true, IsCA: isCA, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if isCA {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatalf("certificate %s: %v", cn, err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("certificate %s: %v", cn, err)
	}
	return nssExtra{der: der, cert: c, key: key}
}

// TestNSSInteropAnchors checks the NSS rules testpki does not reach, against
// selfserv -r -r with certificates built here: trust anchors whose EKU is
// anyEKU-only or codeSigning-only (NSS exempts the anchor: accepted), an
// intermediate with EKU codeSigning only (not an SSL CA: rejected, 42) and
// one that adds the Netscape SSL CA bit (accepted), and leaves without EKU
// whose Netscape type says SSL server (rejected, 46) or SSL client
// (accepted), and a serverAuth-only leaf with the SSL client type
// (accepted: EKU and Netscape type are ORed). Each is compared with
// Evaluate like TestNSSInterop.
func TestNSSInteropAnchors(t *testing.T) {
	if testing.Short() {
		t.Skip("NSS interop truth suite: skipped in -short mode")
	}
	pki := testpki.New()
	root := pki.CA(testpki.Root)
	ca, sa, cs, anyEKU := x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageCodeSigning, x509.ExtKeyUsageAny
	anyRoot := issueExtra(t, 1, "nss test anchor (EKU any)", true, []x509.ExtKeyUsage{anyEKU}, nil, nil, nil)
	csRoot := issueExtra(t, 2, "nss test anchor (EKU codeSigning)", true, []x509.ExtKeyUsage{cs}, nil, nil, nil)
	csInt := issueExtra(t, 3, "nss test intermediate (EKU codeSigning)", true, []x509.ExtKeyUsage{cs}, nil, root.Certificate, root.Key)
	csNSInt := issueExtra(t, 4, "nss test intermediate (EKU codeSigning, NS SSL CA)", true, []x509.ExtKeyUsage{cs}, []pkix.Extension{nsType(t, policy.NSCertTypeSSLCA)}, root.Certificate, root.Key)
	type chainCase struct {
		name  string
		chain []nssExtra // leaf, then intermediates
		key   *ecdsa.PrivateKey
		root  []byte
	}
	leaf := func(serial int64, name string, ekus []x509.ExtKeyUsage, ext []pkix.Extension, parent nssExtra) nssExtra {
		return issueExtra(t, serial, name, false, ekus, ext, parent.cert, parent.key)
	}
	testRoot := nssExtra{der: root.DER, cert: root.Certificate}
	var rootKey *ecdsa.PrivateKey
	if k, ok := root.Key.(*ecdsa.PrivateKey); ok {
		rootKey = k
	} else {
		t.Fatalf("testpki root key is %T, want *ecdsa.PrivateKey", root.Key)
	}
	testRoot.key = rootKey
	var cases []chainCase
	add := func(name string, root []byte, chain ...nssExtra) {
		cases = append(cases, chainCase{name: name, chain: chain, key: chain[0].key, root: root})
	}
	add("clientAuth under an anchor with EKU any", anyRoot.der, leaf(10, "leaf under any anchor", []x509.ExtKeyUsage{ca}, nil, anyRoot))
	add("clientAuth under an anchor with EKU codeSigning", csRoot.der, leaf(11, "leaf under codeSigning anchor", []x509.ExtKeyUsage{ca}, nil, csRoot))
	add("clientAuth under an intermediate with EKU codeSigning", root.DER, leaf(12, "leaf under codeSigning int", []x509.ExtKeyUsage{ca}, nil, csInt), csInt)
	add("clientAuth under an intermediate with EKU codeSigning and NS SSL CA", root.DER, leaf(13, "leaf under codeSigning+NS CA int", []x509.ExtKeyUsage{ca}, nil, csNSInt), csNSInt)
	add("no EKU, NS type SSL server", root.DER, leaf(14, "leaf NS server", nil, []pkix.Extension{nsType(t, policy.NSCertTypeSSLServer)}, testRoot))
	add("no EKU, NS type SSL client", root.DER, leaf(15, "leaf NS client", nil, []pkix.Extension{nsType(t, policy.NSCertTypeSSLClient)}, testRoot))
	add("EKU serverAuth, NS type SSL client", root.DER, leaf(16, "leaf serverAuth NS client", []x509.ExtKeyUsage{sa}, []pkix.Extension{nsType(t, policy.NSCertTypeSSLClient)}, testRoot))

	srv := stacks.StartNSS(t, stacks.NSSOptions{ClientCert: stacks.NSSRequire, ClientRoots: [][]byte{anyRoot.der, csRoot.der}})
	model := policy.Server{Name: srv.Description, Stack: policy.NSS, ClientAuth: nssMode(stacks.NSSRequire), Versions: vset(tls.VersionTLS12, tls.VersionTLS13)}
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	agree, cells, alertFrom := 0, 0, 0
	for _, c := range cases {
		for _, r := range []clientRange{{tls.VersionTLS12, tls.VersionTLS13}, {tls.VersionTLS12, tls.VersionTLS12}} {
			var ders [][]byte
			for _, e := range c.chain {
				ders = append(ders, e.der)
			}
			opts := stacks.NSSClientOptions(stacks.ClientOptions{Chain: ders, Key: c.key, MinVersion: r.lo, MaxVersion: r.hi, Timeout: 10 * time.Second, ReadTimeout: 5 * time.Second})
			ch, err := policy.ChainFromDER(append(append([][]byte{}, ders...), c.root)...)
			if err != nil {
				t.Fatalf("ChainFromDER(%s): %v", c.name, err)
			}
			real := stacks.Handshake(context.Background(), srv.Addr, opts)
			pred := policy.Evaluate(policy.Scenario{Client: policy.Client{Name: c.name, Versions: vset(r.lo, r.hi), Chain: ch}, Server: model, At: at})
			cells++
			diff, fromChecked := compareTruthFrom(real, &pred)
			if fromChecked {
				alertFrom++
			}
			if diff == "" && !real.OK && pred.Alert == 0 {
				diff = "alert not predicted"
			}
			if diff != "" {
				t.Errorf("%s | client %s %s-%s: %s: real %v, predicted %v %v alert %d %s\nserver log:\n%s",
					srv.Description, c.name, stacks.VersionName(r.lo), stacks.VersionName(r.hi), diff, real, pred.Verdict, pred.Version, uint8(pred.Alert), firstDecider(&pred), srv.Log())
				continue
			}
			agree++
			if testing.Verbose() {
				t.Logf("%s %s-%s: real %v, predicted %v %s", c.name, stacks.VersionName(r.lo), stacks.VersionName(r.hi), real, pred.Verdict, firstDecider(&pred))
			}
		}
	}
	t.Logf("NSS anchors and Netscape types (NSS 3.87 selfserv): %d/%d cells agree, %d of them also on the predicted alert's sender", agree, cells, alertFrom)
}
