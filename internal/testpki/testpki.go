package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Name identifies one generated certificate variant. The string is stable and
// safe to use as a file name and as a subtest name.
type Name string

// Client leaf variants. Unless the constant's doc says otherwise, a leaf is
// issued by [IntermediateNoEKU] (an intermediate without an EKU extension),
// which is issued by [Root]; the leaf's chain is leaf, intermediate.
const (
	// ServerClient is a leaf with EKU serverAuth+clientAuth (the Genesys
	// BYOC Cloud certificate before the change).
	ServerClient Name = "server-client"
	// ServerOnly is a leaf with EKU serverAuth only (the public certificate
	// after the industry-wide removal of clientAuth).
	ServerOnly Name = "server-only"
	// ClientOnly is a leaf with EKU clientAuth only.
	ClientOnly Name = "client-only"
	// NoEKU is a leaf without an EKU extension.
	NoEKU Name = "no-eku"
	// AnyEKU is a leaf whose EKU lists only anyExtendedKeyUsage.
	AnyEKU Name = "any-eku"
	// ServerAny is a leaf with EKU serverAuth+anyExtendedKeyUsage.
	ServerAny Name = "server-any"
	// CodeSigning is a leaf with EKU codeSigning only.
	CodeSigning Name = "code-signing"
	// CriticalEKU is a leaf with EKU serverAuth+clientAuth, marked critical.
	CriticalEKU Name = "critical-eku"
	// NSCertTypeServer is a leaf with EKU clientAuth and a Netscape
	// certificate type extension that says SSL server only.
	NSCertTypeServer Name = "nscerttype-server"
	// KeyEnciphermentOnly is an RSA leaf with EKU clientAuth and KeyUsage
	// keyEncipherment only (no digitalSignature).
	KeyEnciphermentOnly Name = "ku-keyencipherment-only"
	// ClientUnderServerInt is a clientAuth leaf issued by
	// [IntermediateServerAuth] (intermediate EKU serverAuth only).
	ClientUnderServerInt Name = "client-under-serverauth-int"
	// ServerClientUnderServerInt is a serverAuth+clientAuth leaf issued by
	// [IntermediateServerAuth].
	ServerClientUnderServerInt Name = "server-client-under-serverauth-int"
	// NoEKUUnderServerInt is a leaf without EKU issued by
	// [IntermediateServerAuth].
	NoEKUUnderServerInt Name = "no-eku-under-serverauth-int"
	// ClientUnderServerAnyInt is a clientAuth leaf issued by
	// [IntermediateServerAny] (intermediate EKU serverAuth+anyExtendedKeyUsage).
	ClientUnderServerAnyInt Name = "client-under-serverany-int"
	// ClientUnderAnyInt is a clientAuth leaf issued by [IntermediateAnyEKU]
	// (intermediate EKU anyExtendedKeyUsage only).
	ClientUnderAnyInt Name = "client-under-any-int"
	// ClientUnderServerRoot is a clientAuth leaf issued directly by
	// [RootServerAuth], a second root whose EKU is serverAuth only; its chain
	// is the leaf alone.
	ClientUnderServerRoot Name = "client-under-serverauth-root"
)

// Certificate authorities. They are names too, so [PKI.CA] can look them up.
const (
	// Root is the main self-signed root (ECDSA P-256, no EKU).
	Root Name = "root"
	// RootServerAuth is a second self-signed root whose EKU is serverAuth only.
	RootServerAuth Name = "root-serverauth"
	// IntermediateNoEKU is an intermediate under [Root] without EKU.
	IntermediateNoEKU Name = "int-no-eku"
	// IntermediateServerAuth is an intermediate under [Root] with EKU
	// serverAuth only.
	IntermediateServerAuth Name = "int-serverauth"
	// IntermediateServerAny is an intermediate under [Root] with EKU
	// serverAuth+anyExtendedKeyUsage.
	IntermediateServerAny Name = "int-serverany"
	// IntermediateAnyEKU is an intermediate under [Root] with EKU
	// anyExtendedKeyUsage only.
	IntermediateAnyEKU Name = "int-any-eku"
)

// Server is the name of the servers' certificate: EKU serverAuth, SANs
// 127.0.0.1, ::1 and localhost, issued by [IntermediateNoEKU].
const Server Name = "server"

// Variants returns the client leaf variants in a stable order. The slice is
// fresh; callers may modify it.
func Variants() []Name {
	out := make([]Name, len(leafSpecs))
	for i, s := range leafSpecs {
		out[i] = s.name
	}
	return out
}

// CAs returns the certificate authority names in a stable order.
func CAs() []Name {
	out := make([]Name, len(caSpecs))
	for i, s := range caSpecs {
		out[i] = s.name
	}
	return out
}

var (
	oidExtKeyUsage  = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidServerAuth   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
	oidClientAuth   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
	oidNSCertType   = asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 1, 1}
	nsCertTypeSSLSv = asn1.BitString{Bytes: []byte{0x40}, BitLength: 2} // bit 1: SSL server
)

type keyKind uint8

const (
	keyECDSA keyKind = iota
	keyRSA
)

type spec struct {
	name     Name
	cn       string
	issuer   Name // "" = self-signed
	ca       bool
	key      keyKind
	eku      []x509.ExtKeyUsage
	ku       x509.KeyUsage
	extra    []pkix.Extension
	server   bool // add SANs for 127.0.0.1 / localhost
	describe string
}

var caSpecs = []spec{
	{name: Root, cn: "tlscompat test root", ca: true, describe: "root CA, no EKU"},
	{name: RootServerAuth, cn: "tlscompat test root (EKU serverAuth)", ca: true, eku: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, describe: "root CA, EKU serverAuth"},
	{name: IntermediateNoEKU, cn: "tlscompat test intermediate (no EKU)", issuer: Root, ca: true, describe: "intermediate, no EKU"},
	{name: IntermediateServerAuth, cn: "tlscompat test intermediate (EKU serverAuth)", issuer: Root, ca: true, eku: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, describe: "intermediate, EKU serverAuth"},
	{name: IntermediateServerAny, cn: "tlscompat test intermediate (EKU serverAuth+any)", issuer: Root, ca: true, eku: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageAny}, describe: "intermediate, EKU serverAuth+anyExtendedKeyUsage"},
	{name: IntermediateAnyEKU, cn: "tlscompat test intermediate (EKU any)", issuer: Root, ca: true, eku: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}, describe: "intermediate, EKU anyExtendedKeyUsage"},
}

var (
	sa = x509.ExtKeyUsageServerAuth
	ca = x509.ExtKeyUsageClientAuth
)

var leafSpecs = []spec{
	{name: ServerClient, issuer: IntermediateNoEKU, eku: []x509.ExtKeyUsage{sa, ca}, describe: "EKU serverAuth+clientAuth"},
	{name: ServerOnly, issuer: IntermediateNoEKU, eku: []x509.ExtKeyUsage{sa}, describe: "EKU serverAuth only"},
	{name: ClientOnly, issuer: IntermediateNoEKU, eku: []x509.ExtKeyUsage{ca}, describe: "EKU clientAuth only"},
	{name: NoEKU, issuer: IntermediateNoEKU, describe: "no EKU extension"},
	{name: AnyEKU, issuer: IntermediateNoEKU, eku: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}, describe: "EKU anyExtendedKeyUsage only"},
	{name: ServerAny, issuer: IntermediateNoEKU, eku: []x509.ExtKeyUsage{sa, x509.ExtKeyUsageAny}, describe: "EKU serverAuth+anyExtendedKeyUsage"},
	{name: CodeSigning, issuer: IntermediateNoEKU, eku: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}, describe: "EKU codeSigning only"},
	{name: CriticalEKU, issuer: IntermediateNoEKU, extra: []pkix.Extension{criticalEKU(oidServerAuth, oidClientAuth)}, describe: "EKU serverAuth+clientAuth, critical"},
	{name: NSCertTypeServer, issuer: IntermediateNoEKU, eku: []x509.ExtKeyUsage{ca}, extra: []pkix.Extension{nsCertType(nsCertTypeSSLSv)}, describe: "EKU clientAuth, nsCertType SSL server"},
	{name: KeyEnciphermentOnly, issuer: IntermediateNoEKU, key: keyRSA, eku: []x509.ExtKeyUsage{ca}, ku: x509.KeyUsageKeyEncipherment, describe: "RSA, EKU clientAuth, KeyUsage keyEncipherment only"},
	{name: ClientUnderServerInt, issuer: IntermediateServerAuth, eku: []x509.ExtKeyUsage{ca}, describe: "EKU clientAuth under an intermediate with EKU serverAuth"},
	{name: ServerClientUnderServerInt, issuer: IntermediateServerAuth, eku: []x509.ExtKeyUsage{sa, ca}, describe: "EKU serverAuth+clientAuth under an intermediate with EKU serverAuth"},
	{name: NoEKUUnderServerInt, issuer: IntermediateServerAuth, describe: "no EKU under an intermediate with EKU serverAuth"},
	{name: ClientUnderServerAnyInt, issuer: IntermediateServerAny, eku: []x509.ExtKeyUsage{ca}, describe: "EKU clientAuth under an intermediate with EKU serverAuth+anyExtendedKeyUsage"},
	{name: ClientUnderAnyInt, issuer: IntermediateAnyEKU, eku: []x509.ExtKeyUsage{ca}, describe: "EKU clientAuth under an intermediate with EKU anyExtendedKeyUsage"},
	{name: ClientUnderServerRoot, issuer: RootServerAuth, eku: []x509.ExtKeyUsage{ca}, describe: "EKU clientAuth directly under a root with EKU serverAuth"},
}

var serverSpec = spec{name: Server, cn: "tlscompat test server", issuer: IntermediateNoEKU, eku: []x509.ExtKeyUsage{sa}, server: true, describe: "server certificate, EKU serverAuth"}

func criticalEKU(oids ...asn1.ObjectIdentifier) pkix.Extension {
	v, err := asn1.Marshal(oids)
	if err != nil {
		panic("testpki: " + err.Error())
	}
	return pkix.Extension{Id: oidExtKeyUsage, Critical: true, Value: v}
}

func nsCertType(bits asn1.BitString) pkix.Extension {
	v, err := asn1.Marshal(bits)
	if err != nil {
		panic("testpki: " + err.Error())
	}
	return pkix.Extension{Id: oidNSCertType, Value: v}
}

// Validity of every generated certificate. The window is fixed, so
// certificates differ between processes only in keys and signatures.
var (
	NotBefore = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	NotAfter  = time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Cert is one generated certificate with its private key.
type Cert struct {
	// Name is the variant or CA name.
	Name Name
	// Description says in a few words what is special about the certificate.
	Description string
	// DER is the certificate.
	DER []byte
	// Certificate is DER parsed by crypto/x509.
	Certificate *x509.Certificate
	// Key is the private key (*ecdsa.PrivateKey or *rsa.PrivateKey).
	Key crypto.Signer
	// KeyPKCS8 is Key in PKCS #8 DER form.
	KeyPKCS8 []byte
	// Issuer is the issuing CA's name; empty for a self-signed root.
	Issuer Name
}

// Leaf is a certificate together with the chain a peer presents with it.
type Leaf struct {
	Cert
	// Chain is what a TLS peer sends: the leaf first, then the intermediates
	// up to but excluding the root. Do not modify.
	Chain [][]byte
	// Root is the name of the self-signed root the chain ends at.
	Root Name
}

// TLSCertificate returns the leaf as a crypto/tls certificate (chain and key).
func (l Leaf) TLSCertificate() tls.Certificate {
	return tls.Certificate{Certificate: l.Chain, PrivateKey: l.Key, Leaf: l.Certificate}
}

// ChainPEM returns Chain as concatenated PEM CERTIFICATE blocks.
func (l Leaf) ChainPEM() []byte { return pemCerts(l.Chain) }

// KeyPEM returns the key as a PEM "PRIVATE KEY" (PKCS #8) block.
func (l Leaf) KeyPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: l.KeyPKCS8})
}

func pemCerts(ders [][]byte) []byte {
	var out []byte
	for _, d := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})...)
	}
	return out
}

// PKI is a generated set of CAs, client leaves and a server certificate.
// It is read-only after [New] returns and safe for concurrent use.
type PKI struct {
	certs map[Name]*Cert
	leafs map[Name]Leaf
}

var (
	once   sync.Once
	shared *PKI
	genErr error
)

// New returns the process-wide PKI, generating it on first use (about 50 ms;
// one RSA key). It panics if key generation fails, which only happens when the
// system's random source is broken.
func New() *PKI {
	once.Do(func() { shared, genErr = generate() })
	if genErr != nil {
		panic("testpki: " + genErr.Error())
	}
	return shared
}

func generate() (*PKI, error) {
	p := &PKI{certs: make(map[Name]*Cert), leafs: make(map[Name]Leaf)}
	serial := int64(1)
	all := append(append(append([]spec{}, caSpecs...), leafSpecs...), serverSpec)
	for _, s := range all {
		c, err := p.issue(s, serial)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.name, err)
		}
		serial++
		p.certs[s.name] = c
	}
	for _, s := range append(append([]spec{}, leafSpecs...), serverSpec) {
		c := p.certs[s.name]
		chain := [][]byte{c.DER}
		at := c.Issuer
		for {
			ic := p.certs[at]
			if ic.Issuer == "" {
				break
			}
			chain = append(chain, ic.DER)
			at = ic.Issuer
		}
		p.leafs[s.name] = Leaf{Cert: *c, Chain: chain, Root: at}
	}
	return p, nil
}

func (p *PKI) issue(s spec, serial int64) (*Cert, error) {
	var key crypto.Signer
	var err error
	switch s.key {
	case keyRSA:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	default:
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		return nil, err
	}
	cn := s.cn
	if cn == "" {
		cn = "tlscompat test client " + string(s.name)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{Organization: []string{"tlscompat test"}, CommonName: cn},
		NotBefore:             NotBefore,
		NotAfter:              NotAfter,
		ExtKeyUsage:           s.eku,
		ExtraExtensions:       s.extra,
		BasicConstraintsValid: true,
		IsCA:                  s.ca,
	}
	switch {
	case s.ca:
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	case s.ku != 0:
		tmpl.KeyUsage = s.ku
	default:
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	}
	if s.server {
		tmpl.DNSNames = []string{"localhost"}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	}
	var issuer *Cert
	if s.issuer != "" {
		issuer = p.certs[s.issuer]
	}
	return signCert(tmpl, key, issuer, s.name, s.describe)
}

// signCert signs tmpl for key, with issuer's key under issuer's certificate
// (self-signed when issuer is nil), and returns the Cert with its parsed
// form and its key in PKCS #8.
func signCert(tmpl *x509.Certificate, key crypto.Signer, issuer *Cert, name Name, description string) (*Cert, error) {
	parent, signer, issuerName := tmpl, key, Name("")
	if issuer != nil {
		parent, signer, issuerName = issuer.Certificate, issuer.Key, issuer.Name
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pk8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return &Cert{Name: name, Description: description, DER: der, Certificate: cert, Key: key, KeyPKCS8: pk8, Issuer: issuerName}, nil
}

// Variant returns the client leaf (or [Server]) with the given name. It
// panics on an unknown name, which is a programming error in a test.
func (p *PKI) Variant(n Name) Leaf {
	l, ok := p.leafs[n]
	if !ok {
		panic("testpki: unknown variant " + string(n))
	}
	return l
}

// Server returns the servers' certificate and chain.
func (p *PKI) Server() Leaf { return p.Variant(Server) }

// CA returns the CA certificate with the given name. It panics on an unknown
// or non-CA name.
func (p *PKI) CA(n Name) *Cert {
	c, ok := p.certs[n]
	if !ok || !c.Certificate.IsCA {
		panic("testpki: unknown CA " + string(n))
	}
	return c
}

// Roots returns the DER of both self-signed roots ([Root], [RootServerAuth]):
// the set servers trust for client certificates.
func (p *PKI) Roots() [][]byte {
	return [][]byte{p.certs[Root].DER, p.certs[RootServerAuth].DER}
}

// RootPool returns a fresh pool holding both roots.
func (p *PKI) RootPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.certs[Root].Certificate)
	pool.AddCert(p.certs[RootServerAuth].Certificate)
	return pool
}

// RootsPEM returns both roots as PEM.
func (p *PKI) RootsPEM() []byte { return pemCerts(p.Roots()) }

// Files names the PEM files written by [PKI.WriteFiles].
type Files struct {
	// Dir is the directory the files are in.
	Dir string
	// CA is the bundle of both roots: the trust anchors for client
	// certificates (openssl -CAfile, gnutls-serv --x509cafile).
	CA string
	// ServerChain is the server leaf followed by its intermediate.
	ServerChain string
	// ServerLeaf is the server leaf alone.
	ServerLeaf string
	// ServerIntermediates holds the server chain without the leaf.
	ServerIntermediates string
	// ServerKey is the server's PKCS #8 key.
	ServerKey string
}

// ChainFile returns the path of variant n's chain PEM (leaf first) in dir as
// written by [PKI.WriteFiles].
func (f Files) ChainFile(n Name) string { return filepath.Join(f.Dir, string(n)+".chain.pem") }

// KeyFile returns the path of variant n's PKCS #8 key PEM.
func (f Files) KeyFile(n Name) string { return filepath.Join(f.Dir, string(n)+".key.pem") }

// WriteFiles writes PEM files for processes into dir: ca.pem, the server
// files and, for every variant, <name>.chain.pem and <name>.key.pem.
func (p *PKI) WriteFiles(dir string) (Files, error) {
	f := Files{
		Dir:                 dir,
		CA:                  filepath.Join(dir, "ca.pem"),
		ServerChain:         filepath.Join(dir, "server.chain.pem"),
		ServerLeaf:          filepath.Join(dir, "server.leaf.pem"),
		ServerIntermediates: filepath.Join(dir, "server.intermediates.pem"),
		ServerKey:           filepath.Join(dir, "server.key.pem"),
	}
	srv := p.Server()
	write := map[string][]byte{
		f.CA:                  p.RootsPEM(),
		f.ServerLeaf:          pemCerts(srv.Chain[:1]),
		f.ServerIntermediates: pemCerts(srv.Chain[1:]),
	}
	for _, n := range append(Variants(), Server) {
		l := p.Variant(n)
		write[f.ChainFile(n)] = l.ChainPEM()
		write[f.KeyFile(n)] = l.KeyPEM()
	}
	for name, data := range write {
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, ".key.pem") {
			mode = 0o600
		}
		if err := os.WriteFile(name, data, mode); err != nil {
			return Files{}, fmt.Errorf("testpki: %v", err)
		}
	}
	return f, nil
}
