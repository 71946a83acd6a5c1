package tlsver_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tlscompat/tlscompat/tlsver"
)

// The reference model below simulates the handshake messages with version
// lists, independently of the bitset code in Negotiate.

var allVersions = []tlsver.Version{tlsver.SSL30, tlsver.TLS10, tlsver.TLS11, tlsver.TLS12, tlsver.TLS13}

// versionsOf lists the versions of the bit pattern i (bit k = allVersions[k]),
// highest first, as a ClientHello lists them.
func versionsOf(i int) []tlsver.Version {
	var vs []tlsver.Version
	for k := len(allVersions) - 1; k >= 0; k-- {
		if i&(1<<k) != 0 {
			vs = append(vs, allVersions[k])
		}
	}
	return vs
}

func setOfBits(i int) tlsver.Set { return tlsver.SetOf(versionsOf(i)...) }

type clientHello struct {
	legacyVersion     tlsver.Version
	supportedVersions []tlsver.Version // nil: no extension
}

// refStack is the reference model's reading of a tlsver.Negotiator, written out
// from the stack's documentation independently of stack.go.
type refStack struct {
	alwaysSV     bool                                    // client: supported_versions also without TLS 1.3 (Java)
	offer        func([]tlsver.Version) []tlsver.Version // client: what it really offers (OpenSSL, GnuTLS)
	checks11At11 bool                                    // client: checks DOWNGRD\x00 below its highest TLS 1.1 (OpenSSL)
	sentinelOn12 bool                                    // server: DOWNGRD\x00 only with TLS 1.2 enabled (OpenSSL)
}

var refStacks = map[tlsver.Negotiator]refStack{
	tlsver.RFCStack: {},
	tlsver.GoStack:  {},
	tlsver.OpenSSLStack: {checks11At11: true, sentinelOn12: true, offer: func(c []tlsver.Version) []tlsver.Version {
		// The lowest contiguous run (c is highest first).
		run := []tlsver.Version{c[len(c)-1]}
		for i := len(c) - 2; i >= 0 && c[i] == run[0]+1; i-- {
			run = append([]tlsver.Version{c[i]}, run...)
		}
		return run
	}},
	tlsver.GnuTLSStack: {offer: func(c []tlsver.Version) []tlsver.Version {
		if slices.Contains(c, tlsver.TLS13) && !slices.Contains(c, tlsver.TLS12) && len(c) > 1 {
			return c[1:]
		}
		return c
	}},
	tlsver.JavaStack: {alwaysSV: true},
}

// refClientHello: RFC 8446 4.1.2 / 4.2.1; RFC 5246 7.4.1.2.
func refClientHello(c []tlsver.Version, st refStack) clientHello {
	if slices.Contains(c, tlsver.TLS13) {
		return clientHello{legacyVersion: tlsver.TLS12, supportedVersions: c}
	}
	if st.alwaysSV {
		return clientHello{legacyVersion: c[0], supportedVersions: c}
	}
	return clientHello{legacyVersion: c[0]}
}

// refServerHello returns the version the server picks, and the downgrade
// sentinel it writes into ServerHello.random ("" for none). A modern server
// reads supported_versions even with TLS 1.3 disabled; a legacy one ignores
// it and sends no sentinel.
func refServerHello(s []tlsver.Version, ch clientHello, modern bool, st refStack) (tlsver.Version, string) {
	var pick tlsver.Version
	if (modern || slices.Contains(s, tlsver.TLS13)) && ch.supportedVersions != nil {
		for _, v := range ch.supportedVersions { // client's preference order
			if slices.Contains(s, v) {
				pick = v
				break
			}
		}
	} else {
		for _, v := range s {
			if v <= ch.legacyVersion {
				pick = v
				break
			}
		}
	}
	if pick == 0 || !(modern || slices.Contains(s, tlsver.TLS13)) {
		return pick, ""
	}
	sentinel := ""
	if slices.Contains(s, tlsver.TLS13) && pick == tlsver.TLS12 {
		sentinel = "DOWNGRD\x01"
	}
	// RFC 8446 4.1.3: TLS 1.3 servers MUST and TLS 1.2 servers SHOULD mark a
	// TLS 1.1 or lower answer; OpenSSL only with TLS 1.2 enabled.
	if pick <= tlsver.TLS11 && (slices.Contains(s, tlsver.TLS12) || (!st.sentinelOn12 && slices.Contains(s, tlsver.TLS13))) {
		sentinel = "DOWNGRD\x00"
	}
	return pick, sentinel
}

// refClientAccepts: the client aborts on a version it has not enabled and,
// per RFC 8446 4.1.3, on a downgrade sentinel it checks.
func refClientAccepts(c []tlsver.Version, v tlsver.Version, sentinel string, st refStack) bool {
	if !slices.Contains(c, v) {
		return false
	}
	switch {
	case slices.Contains(c, tlsver.TLS13):
		return sentinel == ""
	case c[0] == tlsver.TLS12:
		return sentinel != "DOWNGRD\x00"
	case st.checks11At11 && c[0] == tlsver.TLS11 && v < c[0]: // OpenSSL: any answer below its highest
		return sentinel != "DOWNGRD\x00"
	}
	return true
}

func refNegotiate(ci, si int, modern bool) (tlsver.Version, bool) {
	return refNegotiateStacks(ci, refStacks[tlsver.RFCStack], si, refStacks[tlsver.RFCStack], modern)
}

func refNegotiateStacks(ci int, cst refStack, si int, sst refStack, modern bool) (tlsver.Version, bool) {
	c, s := versionsOf(ci), versionsOf(si)
	if len(c) == 0 || len(s) == 0 {
		return 0, false
	}
	if cst.offer != nil {
		c = cst.offer(c)
	}
	v, sentinel := refServerHello(s, refClientHello(c, cst), modern, sst)
	if v == 0 || !refClientAccepts(c, v, sentinel, cst) {
		return 0, false
	}
	return v, true
}

// TestNegotiateStacksExhaustive checks NegotiateStacks against the
// reference model for every pair of stacks and every pair of version sets
// (SSL 3.0–TLS 1.3), and that RFCStack on both sides is Negotiate.
func TestNegotiateStacksExhaustive(t *testing.T) {
	pairs, differ := 0, 0
	for cs, cref := range refStacks {
		for ss, sref := range refStacks {
			for ci := 0; ci < 32; ci++ {
				for si := 0; si < 32; si++ {
					client, server := setOfBits(ci), setOfBits(si)
					n := tlsver.NegotiateStacks(client, cs, server, ss)
					wantV, wantOK := refNegotiateStacks(ci, cref, si, sref, true)
					pairs++
					if n.OK != wantOK || n.Version != wantV {
						t.Errorf("NegotiateStacks(%v, %v, %v, %v) = %v, reference model says %v %v", client, cs, server, ss, n, wantOK, wantV)
					}
					if plain := tlsver.Negotiate(client, server); n.OK != plain.OK || n.Version != plain.Version {
						differ++
						// policy relies on this: without gaps every stack
						// negotiates as Negotiate does.
						if client.Contiguous() && server.Contiguous() {
							t.Errorf("contiguous sets %v, %v: %v/%v gives %v, Negotiate %v", client, server, cs, ss, n, plain)
						}
					}
					if cs == tlsver.RFCStack && ss == tlsver.RFCStack && n != tlsver.Negotiate(client, server) {
						t.Errorf("NegotiateStacks(%v, RFC, %v, RFC) = %v, Negotiate = %v", client, server, n, tlsver.Negotiate(client, server))
					}
				}
			}
		}
	}
	t.Logf("%d stack pairs x 1024 set pairs = %d; %d outcomes differ from plain Negotiate", len(refStacks)*len(refStacks), pairs, differ)
	if differ == 0 {
		t.Error("no stack departs from Negotiate: the stack model would be empty")
	}
}

func TestNegotiateExhaustive(t *testing.T) {
	var ok, fail int
	reasons := map[tlsver.Failure]int{}
	for ci := 0; ci < 32; ci++ {
		for si := 0; si < 32; si++ {
			client, server := setOfBits(ci), setOfBits(si)
			if !server.Has(tlsver.TLS13) {
				l := tlsver.NegotiateLegacyServer(client, server)
				lv, lok := refNegotiate(ci, si, false)
				if l.OK != lok || l.Version != lv {
					t.Errorf("NegotiateLegacyServer(%v, %v) = %v, reference model says %v %v", client, server, l, lok, lv)
				}
			}
			n := tlsver.Negotiate(client, server)
			wantV, wantOK := refNegotiate(ci, si, true)
			if n.OK != wantOK || n.Version != wantV {
				t.Errorf("Negotiate(%v, %v) = %v %v (%v), reference model says %v %v", client, server, n.OK, n.Version, n, wantOK, wantV)
				continue
			}
			// Invariants.
			if n.OK {
				ok++
				if !client.Has(n.Version) || !server.Has(n.Version) {
					t.Errorf("Negotiate(%v, %v) = %v, not in both sets", client, server, n.Version)
				}
				if n.Failure != tlsver.NoFailure || n.Err() != nil {
					t.Errorf("Negotiate(%v, %v): OK with failure %v", client, server, n.Failure)
				}
				if n.Version > client.Intersect(server).Max() {
					t.Errorf("Negotiate(%v, %v) = %v above the highest common version", client, server, n.Version)
				}
			} else {
				fail++
				reasons[n.Failure]++
				if n.Version != 0 || n.Failure == tlsver.NoFailure {
					t.Errorf("Negotiate(%v, %v): failed with version %v, failure %v", client, server, n.Version, n.Failure)
				}
				if err := n.Err(); err == nil || !strings.HasPrefix(err.Error(), "tlsver: no common TLS version: ") {
					t.Errorf("Negotiate(%v, %v).Err() = %v", client, server, err)
				}
			}
			// Contiguous sets that overlap always agree on the highest common version.
			common := client.Intersect(server)
			if client.Contiguous() && server.Contiguous() && !common.IsEmpty() && (!n.OK || n.Version != common.Max()) {
				t.Errorf("contiguous Negotiate(%v, %v) = %v, want %v", client, server, n, common.Max())
			}
			if common.IsEmpty() && n.OK {
				t.Errorf("Negotiate(%v, %v) OK without a common version", client, server)
			}
			if client.Has(tlsver.TLS13) && server.Has(tlsver.TLS13) && (n.Rule != tlsver.SupportedVersions || n.Version != common.Max()) {
				t.Errorf("Negotiate(%v, %v) = %v, want supported_versions to pick %v", client, server, n, common.Max())
			}
			if client.Has(tlsver.TLS13) && !server.IsEmpty() && n.Rule != tlsver.SupportedVersions {
				t.Errorf("Negotiate(%v, %v) used %v, want supported_versions for a TLS 1.3 client", client, server, n.Rule)
			}
			if n.Failure == tlsver.ServerTooNew && server.Min() <= n.Offered {
				t.Errorf("Negotiate(%v, %v): ServerTooNew but server's lowest %v <= offer %v", client, server, server.Min(), n.Offered)
			}
		}
	}
	t.Logf("1024 pairs: %d agree, %d fail %v", ok, fail, reasons)
	for _, f := range []tlsver.Failure{tlsver.ClientNoVersions, tlsver.ServerNoVersions, tlsver.ServerTooNew, tlsver.ClientRejectsAnswer, tlsver.DowngradeDetected, tlsver.NoCommonVersion} {
		if reasons[f] == 0 {
			t.Errorf("no pair fails with %v; the exhaustive test should reach every failure", f)
		}
	}
}

func TestNegotiateText(t *testing.T) {
	tests := []struct {
		name           string
		client, server tlsver.Set
		want           string
	}{
		{"tls10 client vs 1.1+ server", tlsver.SetOf(tlsver.TLS10), tlsver.Range(tlsver.TLS11, tlsver.TLS12),
			"client offers only TLS 1.0; server's lowest is TLS 1.1 — enable TLS 1.1 or later on the client, or TLS 1.0 on the server"},
		{"client gap", tlsver.SetOf(tlsver.TLS10, tlsver.TLS12), tlsver.SetOf(tlsver.TLS11),
			"client offers at most TLS 1.2 (client supports TLS 1.0, 1.2); server answers TLS 1.1, its highest version not above TLS 1.2, which the client does not support, so the client aborts — enable TLS 1.1 on the client, or a version the client supports on the server (TLS 1.0, 1.2)"},
		{"tls13-only client vs tls12 server", tlsver.SetOf(tlsver.TLS13), tlsver.Range(tlsver.TLS10, tlsver.TLS12),
			"client offers TLS 1.3 in supported_versions; server supports TLS 1.0–1.2 — no version in common; enable one of the client's versions on the server or one of the server's on the client"},
		{"downgrade sentinel", tlsver.SetOf(tlsver.TLS10, tlsver.TLS13), tlsver.SetOf(tlsver.TLS10, tlsver.TLS12),
			"client offers TLS 1.0, 1.3 in supported_versions, with legacy_version TLS 1.2; server (TLS 1.0, 1.2) answers TLS 1.0, below its own highest, and marks it as a downgrade (RFC 8446, 4.1.3), so the client aborts — give both a common version above TLS 1.0 (enable TLS 1.2 on the client, or one of the client's higher versions on the server)"},
		{"no sentinel check by a TLS 1.1 client", tlsver.SetOf(tlsver.TLS10, tlsver.TLS11), tlsver.SetOf(tlsver.TLS10, tlsver.TLS12), "TLS 1.0 (legacy_version (TLS ≤ 1.2))"},
		{"ok 1.3", tlsver.Range(tlsver.TLS12, tlsver.TLS13), tlsver.Range(tlsver.TLS10, tlsver.TLS13), "TLS 1.3 (supported_versions (TLS 1.3))"},
		{"ok 1.2 supported_versions", tlsver.Range(tlsver.TLS10, tlsver.TLS13), tlsver.Range(tlsver.TLS10, tlsver.TLS12), "TLS 1.2 (supported_versions (TLS 1.3))"},
		{"ok 1.2 legacy", tlsver.Range(tlsver.TLS10, tlsver.TLS12), tlsver.Range(tlsver.TLS10, tlsver.TLS13), "TLS 1.2 (legacy_version (TLS ≤ 1.2))"},
		{"empty client", 0, tlsver.All(), "the client has no TLS version enabled"},
		{"empty server", tlsver.All(), 0, "the server has no TLS version enabled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tlsver.Negotiate(tc.client, tc.server).String(); got != tc.want {
				t.Errorf("Negotiate(%v, %v).String() =\n%s\nwant\n%s", tc.client, tc.server, got, tc.want)
			}
		})
	}
}

func TestNegotiateNoAllocs(t *testing.T) {
	c, s := tlsver.SetOf(tlsver.TLS10, tlsver.TLS12), tlsver.Range(tlsver.TLS10, tlsver.TLS13)
	var sink tlsver.Negotiation
	if n := testing.AllocsPerRun(100, func() { sink = tlsver.Negotiate(c, s) }); n != 0 {
		t.Errorf("Negotiate allocates %v times, want 0", n)
	}
	for _, st := range []tlsver.Negotiator{tlsver.OpenSSLStack, tlsver.GnuTLSStack, tlsver.JavaStack} {
		if n := testing.AllocsPerRun(100, func() { sink = tlsver.NegotiateStacks(c, st, s, st) }); n != 0 {
			t.Errorf("NegotiateStacks(%v) allocates %v times, want 0", st, n)
		}
	}
	_ = sink
}

func TestStackString(t *testing.T) {
	for st, want := range map[tlsver.Negotiator]string{tlsver.RFCStack: "RFC 8446", tlsver.GoStack: "Go crypto/tls",
		tlsver.OpenSSLStack: "OpenSSL 3", tlsver.GnuTLSStack: "GnuTLS 3.7", tlsver.JavaStack: "Java JSSE", 200: "stack(0x00C8)"} {
		if got := st.String(); got != want {
			t.Errorf("Stack(%d).String() = %q, want %q", uint8(st), got, want)
		}
	}
}

func TestOpenSSLClientEffective(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1.0, 1.2, 1.3", "1.0"},
		{"1.1–1.3", "1.1–1.3"},
		{"1.1, 1.3", "1.1"},
		{"none", "none"},
		{"SSL 3.0, TLS 1.1", "SSL 3.0"},
	} {
		in, _ := tlsver.ParseSet(tc.in)
		want, _ := tlsver.ParseSet(tc.want)
		if got := in.OpenSSLClientEffective(); got != want {
			t.Errorf("(%v).OpenSSLClientEffective() = %v, want %v", in, got, want)
		}
	}
}

var negSink tlsver.Negotiation

func BenchmarkNegotiate(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		negSink = tlsver.Negotiate(tlsver.Set(i&31), tlsver.Set((i>>5)&31))
	}
}

func BenchmarkNegotiateStacks(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		negSink = tlsver.NegotiateStacks(tlsver.Set(i&31), tlsver.Negotiator(i%5), tlsver.Set((i>>5)&31), tlsver.Negotiator((i/5)%5))
	}
}
