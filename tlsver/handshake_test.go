package tlsver_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/tlsver"
)

// This file checks Negotiate against real handshakes: Go crypto/tls in
// process, and OpenSSL s_server with OpenSSL s_client, gnutls-cli and Go
// clients as peers. Only TLS 1.0–1.3 are exercised: neither Go nor the
// OpenSSL 3 and GnuTLS builds CI installs speak SSL 3.0.

var tlsVersions = []tlsver.Version{tlsver.TLS10, tlsver.TLS11, tlsver.TLS12, tlsver.TLS13}

// tlsSubsets returns every non-empty subset of TLS 1.0–1.3 (15 sets).
func tlsSubsets() []tlsver.Set { return subsetsOf(tlsVersions...) }

// subsetsOf returns every non-empty subset of vs (2^len(vs) - 1 sets).
func subsetsOf(vs ...tlsver.Version) []tlsver.Set {
	var out []tlsver.Set
	for i := 1; i < 1<<len(vs); i++ {
		var s tlsver.Set
		for k, v := range vs {
			if i&(1<<k) != 0 {
				s = s.Add(v)
			}
		}
		out = append(out, s)
	}
	return out
}

// tlsRanges returns the contiguous subsets: all a MinVersion/MaxVersion
// configuration (Go crypto/tls) can express (10 sets).
func tlsRanges() []tlsver.Set {
	var out []tlsver.Set
	for _, s := range tlsSubsets() {
		if s.Contiguous() {
			out = append(out, s)
		}
	}
	return out
}

var (
	certOnce sync.Once
	testCert tls.Certificate
)

// throwawayCert makes a self-signed ECDSA P-256 certificate with Go crypto.
func throwawayCert(t testing.TB) tls.Certificate {
	certOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{CommonName: "localhost"},
			DNSNames:     []string{"localhost"},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			panic(err)
		}
		testCert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	})
	return testCert
}

// goHandshake runs a crypto/tls client and server over net.Pipe and returns
// the version both agree on, or 0 if either side failed.
func goHandshake(t testing.TB, client, server tlsver.Set) (tlsver.Version, error) {
	cert := throwawayCert(t)
	cc, sc := net.Pipe()
	defer cc.Close()
	defer sc.Close()
	deadline := time.Now().Add(10 * time.Second)
	cc.SetDeadline(deadline)
	sc.SetDeadline(deadline)
	srv := tls.Server(sc, &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   uint16(server.Min()), MaxVersion: uint16(server.Max()),
	})
	cli := tls.Client(cc, &tls.Config{
		InsecureSkipVerify: true,
		MinVersion:         uint16(client.Min()), MaxVersion: uint16(client.Max()),
	})
	errc := make(chan error, 1)
	go func() {
		err := srv.Handshake()
		if err != nil {
			sc.Close() // unblock the client
		}
		errc <- err
	}()
	cerr := cli.Handshake()
	if cerr != nil {
		cc.Close()
	}
	serr := <-errc
	if cerr != nil || serr != nil {
		return 0, fmt.Errorf("client: %v; server: %v", cerr, serr)
	}
	cv, sv := cli.ConnectionState().Version, srv.ConnectionState().Version
	if cv != sv {
		return 0, fmt.Errorf("client says %x, server says %x", cv, sv)
	}
	return tlsver.Version(cv), nil
}

func checkOutcome(t *testing.T, what string, pred tlsver.Negotiation, got tlsver.Version, detail string) bool {
	t.Helper()
	if pred.OK != (got != 0) || pred.Version != got {
		t.Errorf("%s: real handshake gives %v (%s); Negotiate predicts %v", what, got, detail, pred)
		return false
	}
	return true
}

// TestGoHandshakeAllRanges compares Negotiate with crypto/tls for every pair
// of contiguous TLS 1.0–1.3 configurations (10 x 10).
func TestGoHandshakeAllRanges(t *testing.T) {
	t.Parallel()
	agree := 0
	for _, c := range tlsRanges() {
		for _, s := range tlsRanges() {
			got, err := goHandshake(t, c, s)
			detail := ""
			if err != nil {
				detail = err.Error()
			}
			if checkOutcome(t, fmt.Sprintf("Go client %v, Go server %v", c, s), tlsver.Negotiate(c, s), got, detail) {
				agree++
			}
		}
	}
	t.Logf("crypto/tls agrees with Negotiate on %d of 100 pairs", agree)
}

// seedPair is a client/server pair from the built-in data.
type seedPair struct {
	name           string
	client, server tlsver.Set
}

// seedPairs pairs every client answer of the built-in data (UCCX and
// SocialMiner releases) with every server answer (UCCX, SocialMiner,
// Exchange, Salesforce before and after its cut-offs).
func seedPairs(t testing.TB) []seedPair {
	m := tlsver.Builtin()
	type side struct {
		name string
		set  tlsver.Set
	}
	var clients, servers []side
	at := func(y int, mo time.Month, d int) time.Time { return time.Date(y, mo, d, 12, 0, 0, 0, time.UTC) }
	for _, q := range []struct {
		product, release string
		role             tlsver.Role
		at               time.Time
	}{
		{"UCCX", "10.5", tlsver.Client, time.Time{}},
		{"UCCX", "10.6(1)SU2", tlsver.Client, time.Time{}},
		{"UCCX", "10.6(1)SU3", tlsver.Client, time.Time{}},
		{"UCCX", "11.0(1)", tlsver.Client, time.Time{}},
		{"UCCX", "11.0(1)SU1", tlsver.Client, time.Time{}},
		{"UCCX", "11.5(1)", tlsver.Client, time.Time{}},
		{"UCCX", "11.5(1)SU1", tlsver.Client, time.Time{}},
		{"UCCX", "11.6(1)", tlsver.Client, time.Time{}},
		{"SocialMiner", "11.5(1)SU1", tlsver.Client, time.Time{}},
		{"SocialMiner", "11.6(1)", tlsver.Client, time.Time{}},
		{"UCCX", "10.6(1)SU2", tlsver.Server, time.Time{}},
		{"UCCX", "11.5(1)SU1", tlsver.Server, time.Time{}},
		{"UCCX", "11.6(1)", tlsver.Server, time.Time{}},
		{"SocialMiner", "11.5(1)SU1", tlsver.Server, time.Time{}},
		{"Exchange", "2010", tlsver.Server, time.Time{}},
		{"Exchange", "2013", tlsver.Server, time.Time{}},
		{"Exchange", "2013+TLS1.2", tlsver.Server, time.Time{}},
		{"Salesforce", "production", tlsver.Server, at(2017, 7, 1)},
		{"Salesforce", "production", tlsver.Server, at(2017, 8, 1)},
		{"Salesforce", "sandbox", tlsver.Server, at(2016, 6, 1)},
		{"Salesforce", "sandbox", tlsver.Server, at(2016, 7, 1)},
		{"Salesforce", "new", tlsver.Server, time.Time{}},
	} {
		s, err := m.Support(q.product, q.release, q.role, 0, q.at)
		if err != nil || !s.Known {
			t.Fatalf("Support(%s %s %v) = %v, %v", q.product, q.release, q.role, s, err)
		}
		name := q.product + " " + q.release
		if !q.at.IsZero() {
			name += "@" + q.at.Format("2006-01-02")
		}
		if q.role == tlsver.Client {
			clients = append(clients, side{name, s.Versions})
		} else {
			servers = append(servers, side{name, s.Versions})
		}
	}
	var out []seedPair
	for _, c := range clients {
		for _, s := range servers {
			out = append(out, seedPair{c.name + " -> " + s.name, c.set, s.set})
		}
	}
	return out
}

// TestGoHandshakeSeedPairs runs every seed client/server pair through
// crypto/tls. All seed sets are contiguous, so MinVersion/MaxVersion express
// them exactly.
func TestGoHandshakeSeedPairs(t *testing.T) {
	t.Parallel()
	pairs := seedPairs(t)
	for _, p := range pairs {
		if !p.client.Contiguous() || !p.server.Contiguous() {
			t.Fatalf("%s: seed set with a gap (%v, %v) cannot be expressed in crypto/tls", p.name, p.client, p.server)
		}
		got, err := goHandshake(t, p.client, p.server)
		detail := ""
		if err != nil {
			detail = err.Error()
		}
		checkOutcome(t, p.name, tlsver.Negotiate(p.client, p.server), got, detail)
	}
	t.Logf("%d seed pairs checked with crypto/tls", len(pairs))
}

var opensslFlag = map[tlsver.Version]string{
	tlsver.TLS10: "-no_tls1", tlsver.TLS11: "-no_tls1_1", tlsver.TLS12: "-no_tls1_2", tlsver.TLS13: "-no_tls1_3",
}

// opensslVersionArgs expresses s, gaps included, as OpenSSL options.
func opensslVersionArgs(s tlsver.Set) []string {
	args := []string{"-min_protocol", stacks.VersionName(uint16(s.Min())), "-max_protocol", stacks.VersionName(uint16(s.Max()))}
	for v := s.Min(); v <= s.Max(); v++ {
		if !s.Has(v) {
			args = append(args, opensslFlag[v])
		}
	}
	return args
}

var gnutlsName = map[tlsver.Version]string{
	tlsver.TLS10: "+VERS-TLS1.0", tlsver.TLS11: "+VERS-TLS1.1", tlsver.TLS12: "+VERS-TLS1.2", tlsver.TLS13: "+VERS-TLS1.3",
}

func gnutlsPriority(s tlsver.Set) string {
	p := "NORMAL:-VERS-ALL"
	for v := range s.Versions() {
		p += ":" + gnutlsName[v]
	}
	return p
}

var (
	opensslProto = regexp.MustCompile(`(?m)^Protocol version: (\S+)`)
	gnutlsProto  = regexp.MustCompile(`(?m)^- Description: \((TLS1\.\d)-`)
)

// runClient runs a client process with stdin at EOF, so that it closes
// right after the handshake. A run that hits the timeout (a stalled process
// on a loaded machine) is retried up to twice; its output then says so.
func runClient(ctx context.Context, name string, args ...string) string {
	var out []byte
	for try := 0; try < 3; try++ {
		cctx, cancel := context.WithTimeout(ctx, 8*time.Second)
		cmd := exec.CommandContext(cctx, name, args...)
		cmd.Stdin = nil // /dev/null
		out, _ = cmd.CombinedOutput()
		timedOut := cctx.Err() != nil
		cancel()
		if !timedOut {
			return string(out)
		}
	}
	return "TIMED OUT three times after 8s; last output:\n" + string(out)
}

func parseOpenSSLVersion(s string) tlsver.Version {
	m := opensslProto.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	v, err := tlsver.ParseVersion(m[1])
	if err != nil {
		return 0
	}
	return v
}

func parseGnuTLSVersion(s string) tlsver.Version {
	if !strings.Contains(s, "Handshake was completed") {
		return 0
	}
	m := gnutlsProto.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	v, err := tlsver.ParseVersion(m[1])
	if err != nil {
		return 0
	}
	return v
}

// TestOpenSSLHandshakes runs an openssl s_server for every non-empty subset
// of TLS 1.0–1.3 (gaps via -no_tls1_1 etc.) and connects to each with
// openssl s_client (every subset), gnutls-cli (every subset) and crypto/tls
// (every range), comparing each outcome with Negotiate.
func TestOpenSSLHandshakes(t *testing.T) {
	stacks.Need(t, "openssl")
	stacks.Need(t, "gnutls-cli")
	var mu sync.Mutex
	agree := map[string]int{}
	total := map[string]int{}
	t.Cleanup(func() {
		for _, k := range []string{"openssl", "gnutls", "go"} {
			t.Logf("%s client vs openssl s_server: %d of %d pairs agree", k, agree[k], total[k])
		}
	})
	for _, s := range tlsSubsets() {
		if testing.Short() && !s.Contiguous() {
			continue // -short: the gap-free server sets only
		}
		t.Run("server="+strings.ReplaceAll(s.String(), " ", ""), func(t *testing.T) {
			t.Parallel()
			srv := stacks.StartOpenSSL(t, stacks.OpenSSLOptions{Versions: wireVersions(s)})
			host, port, err := net.SplitHostPort(srv.Addr)
			if err != nil {
				t.Fatal(err)
			}
			count := func(k string, ok bool) {
				mu.Lock()
				defer mu.Unlock()
				total[k]++
				if ok {
					agree[k]++
				}
			}
			ctx := context.Background()
			for _, c := range tlsSubsets() {
				args := append([]string{"s_client", "-connect", srv.Addr, "-brief", "-cipher", "DEFAULT:@SECLEVEL=0"}, opensslVersionArgs(c)...)
				out := runClient(ctx, "openssl", args...)
				count("openssl", checkOutcome(t, fmt.Sprintf("openssl s_client %v -> %s", c, srv.Description), tlsver.NegotiateStacks(c, tlsver.OpenSSLStack, s, tlsver.OpenSSLStack), parseOpenSSLVersion(out), out))

				out = runClient(ctx, "gnutls-cli", "--insecure", "--priority", gnutlsPriority(c), "-p", port, host)
				count("gnutls", checkOutcome(t, fmt.Sprintf("gnutls-cli %v -> %s", c, srv.Description), tlsver.NegotiateStacks(c, tlsver.GnuTLSStack, s, tlsver.OpenSSLStack), parseGnuTLSVersion(out), out))
			}
			for _, c := range tlsRanges() {
				o := stacks.Handshake(ctx, srv.Addr, stacks.ClientOptions{MinVersion: uint16(c.Min()), MaxVersion: uint16(c.Max()), Timeout: 10 * time.Second})
				got := tlsver.Version(o.Version) // zero if the handshake failed
				count("go", checkOutcome(t, fmt.Sprintf("Go client %v -> %s", c, srv.Description), tlsver.NegotiateStacks(c, tlsver.GoStack, s, tlsver.OpenSSLStack), got, o.String()))
			}
		})
	}
}

// BenchmarkNegotiateVsHandshake compares predicting a version with the
// alternative of finding out by a real crypto/tls handshake in process.
func BenchmarkNegotiateVsHandshake(b *testing.B) {
	c, s := tlsver.Range(tlsver.TLS10, tlsver.TLS12), tlsver.Range(tlsver.TLS11, tlsver.TLS13)
	b.Run("Negotiate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			negSink = tlsver.Negotiate(c, s)
		}
	})
	b.Run("crypto-tls-handshake", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if v, err := goHandshake(b, c, s); err != nil || v != tlsver.TLS12 {
				b.Fatalf("handshake: %v %v", v, err)
			}
		}
	})
}
