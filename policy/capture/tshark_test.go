package capture

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tlscompat/tlscompat/internal/stacks"
	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/tlsver"
)

// Wireshark's TLS dissector (tshark) is the independent referee of the
// scanner: for every committed capture and for synthetic hostile-but-valid
// captures, what tshark dissects per TCP stream must equal what Read reports.

// tsharkPorts are decoded as TLS whatever tshark's heuristics say: the ports
// of testdata/record.sh and of the synthetic captures.
var tsharkPorts = []int{5061, 8443, 47101, 47102, 47103, 47104, 47105, 47106, 47107, 47108,
	47109, 47111, 47112, 47113}

// tsharkFields are the fields asked for, one column each, in this order.
var tsharkFields = []string{
	"frame.number", "tcp.stream", "ip.src", "ipv6.src", "tcp.srcport", "ip.dst", "ipv6.dst", "tcp.dstport",
	"tcp.flags.syn", "tcp.flags.ack", "tcp.len",
	"tls.record.content_type", "tls.handshake.type", "tls.handshake.version",
	"tls.handshake.extensions.supported_version", "tls.handshake.extensions_server_name",
	"tls.handshake.random", "tls.handshake.certificate", "tls.alert_message.level", "tls.alert_message.desc",
	"tls.handshake.cert_type", "tls.handshake.sig_hash_alg_len", "tls.handshake.sig_hash_alg", "tls.handshake.dname_len",
}

// tsharkArgs turns on TCP reassembly (also of out-of-order segments, off by
// default in Wireshark 4.0) and TLS record and handshake reassembly, with a
// second pass (-2) so that reassembled messages are attributed on the first.
func tsharkArgs(file string) []string {
	args := []string{"-r", file, "-2", "-n",
		// Each certificate adds protocol layers; the default limit of 500
		// is a dissector assertion ("saved_layers_len <
		// prefs.gui_max_tree_depth") at about 50 certificates in a frame.
		"-o", "gui.max_tree_depth:5000",
		"-o", "tcp.desegment_tcp_streams:TRUE",
		"-o", "tcp.reassemble_out_of_order:TRUE",
		"-o", "tcp.analyze_sequence_numbers:TRUE",
		"-o", "tcp.check_checksum:FALSE",
		"-o", "tls.desegment_ssl_records:TRUE",
		"-o", "tls.desegment_ssl_application_data:TRUE",
	}
	for _, p := range tsharkPorts {
		args = append(args, "-d", "tcp.port=="+strconv.Itoa(p)+",tls")
	}
	args = append(args, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,", "-E", "quote=n")
	for _, f := range tsharkFields {
		args = append(args, "-e", f)
	}
	return args
}

// tsPacket is one line of tshark's output: the fields of one frame, each
// with all its occurrences in dissection order.
type tsPacket struct {
	frame, stream int
	src, dst      netip.AddrPort
	syn, ack      bool
	tcpLen        int
	f             map[string][]string
}

func (p tsPacket) ints(t *testing.T, field string) []int {
	t.Helper()
	var out []int
	for _, s := range p.f[field] {
		v, err := strconv.ParseInt(s, 0, 32)
		if err != nil {
			t.Fatalf("tshark frame %d: %s = %q: %v", p.frame, field, s, err)
		}
		out = append(out, int(v))
	}
	return out
}

func count(xs []int, v int) int {
	n := 0
	for _, x := range xs {
		if x == v {
			n++
		}
	}
	return n
}

// runTshark dissects file and returns its frames.
func runTshark(t *testing.T, file string) []tsPacket {
	t.Helper()
	cmd := exec.Command("tshark", tsharkArgs(file)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", filepath.Base(file), err, stderr.String())
	}
	var pkts []tsPacket
	for line := range strings.Lines(stdout.String()) {
		cols := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if len(cols) != len(tsharkFields) {
			t.Fatalf("tshark %s: %d columns, want %d: %q", filepath.Base(file), len(cols), len(tsharkFields), line)
		}
		p := tsPacket{f: make(map[string][]string)}
		for i, name := range tsharkFields {
			if cols[i] != "" {
				p.f[name] = strings.Split(cols[i], ",")
			}
		}
		one := func(name string) string {
			if v := p.f[name]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		atoi := func(name string) int { n, _ := strconv.Atoi(one(name)); return n }
		p.frame, p.stream, p.tcpLen = atoi("frame.number"), atoi("tcp.stream"), atoi("tcp.len")
		if one("tcp.stream") == "" {
			continue // not TCP
		}
		addr := func(v4, v6, port string) netip.AddrPort {
			s := one(v4)
			if s == "" {
				s = one(v6)
			}
			a, err := netip.ParseAddr(s)
			if err != nil {
				t.Fatalf("tshark %s frame %d: address %q: %v", filepath.Base(file), p.frame, s, err)
			}
			return netip.AddrPortFrom(a, uint16(atoi(port)))
		}
		p.src, p.dst = addr("ip.src", "ipv6.src", "tcp.srcport"), addr("ip.dst", "ipv6.dst", "tcp.dstport")
		p.syn, p.ack = one("tcp.flags.syn") == "1" || one("tcp.flags.syn") == "True", one("tcp.flags.ack") == "1" || one("tcp.flags.ack") == "True"
		pkts = append(pkts, p)
	}
	if len(pkts) == 0 {
		t.Fatalf("tshark %s: no TCP frames\n%s", filepath.Base(file), stderr.String())
	}
	return pkts
}

// view is what both sides report about one TCP connection, in comparable
// form. Each field is one comparison.
type view struct {
	Client, Server netip.AddrPort
	// CertRequest: "yes" (a CertificateRequest), "no" (ServerHelloDone
	// without one), "not seen" (neither is plaintext in the capture).
	CertRequest string
	Version     tlsver.Version // ServerHello, not HelloRetryRequest; 0 if none
	HRR         bool
	Offered     tlsver.Set // of the last ClientHello
	HasSV       bool       // the last ClientHello has supported_versions
	SNI         string
	ServerCerts []string // hex DER of the last server Certificate message
	ClientCert  string   // "not sent", or the number of certificates
	ClientCerts []string
	// The CertificateRequest's certificate types, signature schemes and
	// the DER length of each acceptable CA name, in wire order.
	CertTypes, SigSchemes, CANameLens []int
	// Plaintext alerts "level/description", and the number of encrypted ones.
	ServerAlerts, ClientAlerts       []string
	ServerEncrypted, ClientEncrypted int
}

func scannerView(c Connection) view {
	v := view{Client: c.Client, Server: c.Server, Version: c.Version, HRR: c.ServerHello.HelloRetryRequest,
		Offered: c.ClientHello.Offered(), HasSV: c.ClientHello.HasSupportedVersions,
		SNI: string(c.ClientHello.ServerName), ClientCert: "not sent"}
	switch c.CertRequest {
	case CertRequestYes:
		v.CertRequest = "yes"
	case CertRequestNo:
		v.CertRequest = "no"
	default:
		v.CertRequest = "not seen"
	}
	for _, der := range c.ServerCertificates.All() {
		v.ServerCerts = append(v.ServerCerts, hex.EncodeToString(der))
	}
	if c.ClientCertificateSent {
		v.ClientCert = strconv.Itoa(c.ClientCertificates.Len())
	}
	for ct := range c.CertificateRequest.CertificateTypes() {
		v.CertTypes = append(v.CertTypes, int(ct))
	}
	for ss := range c.CertificateRequest.SignatureSchemes() {
		v.SigSchemes = append(v.SigSchemes, int(ss))
	}
	for dn := range c.CertificateRequest.Authorities() {
		v.CANameLens = append(v.CANameLens, len(dn))
	}
	for _, der := range c.ClientCertificates.All() {
		v.ClientCerts = append(v.ClientCerts, hex.EncodeToString(der))
	}
	alerts := func(as Alerts, list *[]string, enc *int) {
		for a := range as.All() {
			if a.Encrypted {
				*enc++
			} else {
				*list = append(*list, fmt.Sprintf("%d/%d", a.Level, a.Description))
			}
		}
	}
	alerts(c.ServerAlerts, &v.ServerAlerts, &v.ServerEncrypted)
	alerts(c.ClientAlerts, &v.ClientAlerts, &v.ClientEncrypted)
	return v
}

// tsharkViews groups tshark's frames by tcp.stream and builds a view of each
// stream that carried payload, in stream order. The client is the sender of
// the SYN without ACK or, without a SYN in the capture, of the ClientHello.
func tsharkViews(t *testing.T, pkts []tsPacket) []view {
	t.Helper()
	byStream := map[int][]tsPacket{}
	var order []int
	for _, p := range pkts {
		if _, ok := byStream[p.stream]; !ok {
			order = append(order, p.stream)
		}
		byStream[p.stream] = append(byStream[p.stream], p)
	}
	var out []view
	for _, st := range order {
		ps := byStream[st]
		if !slices.ContainsFunc(ps, func(p tsPacket) bool { return p.tcpLen > 0 }) {
			continue
		}
		var client netip.AddrPort
		for _, p := range ps {
			if p.syn && !p.ack {
				client = p.src
				break
			}
		}
		if !client.IsValid() {
			for _, p := range ps {
				if slices.Contains(p.ints(t, "tls.handshake.type"), typeClientHello) {
					client = p.src
					break
				}
			}
		}
		if !client.IsValid() {
			t.Fatalf("tshark stream %d: neither a SYN nor a ClientHello names the client", st)
		}
		v := view{Client: client, ClientCert: "not sent"}
		sawCR, sawDone := false, false
		for _, p := range ps {
			if p.src == client {
				v.Server = p.dst
			} else {
				v.Server = p.src
			}
			types := p.ints(t, "tls.handshake.type")
			versions := p.ints(t, "tls.handshake.version")
			sv := p.ints(t, "tls.handshake.extensions.supported_version")
			certs := p.f["tls.handshake.certificate"]
			levels, descs := p.ints(t, "tls.alert_message.level"), p.ints(t, "tls.alert_message.desc")
			if len(levels) != len(descs) {
				t.Fatalf("tshark frame %d: %d alert levels, %d descriptions", p.frame, len(levels), len(descs))
			}
			var plain []string
			for i := range levels {
				plain = append(plain, fmt.Sprintf("%d/%d", levels[i], descs[i]))
			}
			// One alert per plaintext alert record (as every TLS stack sends
			// them); the other alert records are encrypted.
			encrypted := count(p.ints(t, "tls.record.content_type"), recordAlert) - len(levels)
			hellos := count(types, typeClientHello) + count(types, typeServerHello)
			if hellos > 1 {
				t.Fatalf("tshark frame %d: %d hellos in one frame: their fields cannot be told apart", p.frame, hellos)
			}
			if p.src == client {
				v.ClientAlerts = append(v.ClientAlerts, plain...)
				v.ClientEncrypted += encrypted
				if slices.Contains(types, typeClientHello) {
					v.Offered, v.HasSV, v.SNI = 0, len(sv) > 0, ""
					if len(versions) != 1 {
						t.Fatalf("tshark frame %d: ClientHello with %d versions", p.frame, len(versions))
					}
					v.Offered = tlsver.Set(0).Add(tlsver.Version(versions[0]))
					if len(sv) > 0 {
						v.Offered = 0
						for _, x := range sv {
							v.Offered = v.Offered.Add(tlsver.Version(x))
						}
					}
					if sni := p.f["tls.handshake.extensions_server_name"]; len(sni) > 0 {
						v.SNI = sni[0]
					}
				}
				if slices.Contains(types, typeCertificate) {
					v.ClientCert = strconv.Itoa(len(certs))
					v.ClientCerts = certs
				}
				continue
			}
			v.ServerAlerts = append(v.ServerAlerts, plain...)
			v.ServerEncrypted += encrypted
			if slices.Contains(types, typeServerHello) {
				if len(versions) != 1 || len(p.f["tls.handshake.random"]) != 1 || len(sv) > 1 {
					t.Fatalf("tshark frame %d: ServerHello with %d versions, %d randoms, %d supported_versions",
						p.frame, len(versions), len(p.f["tls.handshake.random"]), len(sv))
				}
				chosen := tlsver.Version(versions[0])
				if len(sv) == 1 {
					chosen = tlsver.Version(sv[0])
				}
				if p.f["tls.handshake.random"][0] == hex.EncodeToString(helloRetryRequestRandom[:]) {
					v.HRR = true
				} else {
					v.Version = chosen
				}
			}
			if slices.Contains(types, typeCertificate) {
				v.ServerCerts = certs
			}
			if slices.Contains(types, typeCertificateRequest) {
				// The frame's signature_algorithms fields may start with
				// the ServerKeyExchange's algorithm; the CertificateRequest's
				// list is the last sig_hash_alg_len/2 of them.
				v.CertTypes = p.ints(t, "tls.handshake.cert_type")
				v.CANameLens = p.ints(t, "tls.handshake.dname_len")
				v.SigSchemes = nil
				if l := p.ints(t, "tls.handshake.sig_hash_alg_len"); len(l) > 0 {
					algs := p.ints(t, "tls.handshake.sig_hash_alg")
					n := l[len(l)-1] / 2
					if n > len(algs) {
						t.Fatalf("tshark frame %d: CertificateRequest with %d signature algorithms, %d in the frame", p.frame, n, len(algs))
					}
					v.SigSchemes = algs[len(algs)-n:]
				}
			}
			sawCR = sawCR || slices.Contains(types, typeCertificateRequest)
			sawDone = sawDone || slices.Contains(types, typeServerHelloDone)
		}
		switch {
		case sawCR:
			v.CertRequest = "yes"
		case sawDone:
			v.CertRequest = "no"
		default:
			v.CertRequest = "not seen"
		}
		out = append(out, v)
	}
	return out
}

// agree compares Read's result on file with tshark's and returns the number
// of connections and fields compared.
func agree(t *testing.T, file string, limit *tsharkLimit) (conns, fields int) {
	t.Helper()
	got, err := ReadFile(file)
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	want := tsharkViews(t, runTshark(t, file))
	if limit != nil {
		// tshark cannot decide this case: check that it still shows the
		// limitation (so that a tshark that learns it is noticed), then
		// compare with what the bytes say instead.
		if len(want) != 1 {
			t.Fatalf("%d connections; a tshark limitation is described for one", len(want))
		}
		if !limit.shows(want[0]) {
			t.Errorf("tshark no longer shows its limitation (%s): %+v; compare with it again", limit.why, short(want[0]))
		}
		limit.bytesSay(&want[0])
		t.Logf("tshark cannot decide: %s; compared with what the bytes say", limit.why)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: Read found %d connections, tshark %d TCP streams with payload", filepath.Base(file), len(got), len(want))
	}
	for i, c := range got {
		if c.Err != nil {
			t.Errorf("%s: connection %d: %v", filepath.Base(file), i, c.Err)
		}
		s, w := scannerView(c), want[i]
		if os.Getenv("TSHARK_DEBUG") != "" {
			t.Logf("%s %d: scanner %+v\ntshark %+v", filepath.Base(file), i, short(s), short(w))
		}
		check := func(name string, ok bool, gotV, wantV any) {
			fields++
			if !ok {
				t.Errorf("%s: connection %d (%v): %s: scanner %v, tshark %v", filepath.Base(file), i, w.Client, name, gotV, wantV)
			}
		}
		check("client", s.Client == w.Client, s.Client, w.Client)
		check("server", s.Server == w.Server, s.Server, w.Server)
		check("CertificateRequest", s.CertRequest == w.CertRequest, s.CertRequest, w.CertRequest)
		check("negotiated version", s.Version == w.Version, s.Version, w.Version)
		check("HelloRetryRequest", s.HRR == w.HRR, s.HRR, w.HRR)
		check("offered versions", s.Offered == w.Offered, s.Offered, w.Offered)
		check("supported_versions present", s.HasSV == w.HasSV, s.HasSV, w.HasSV)
		check("SNI", s.SNI == w.SNI, s.SNI, w.SNI)
		check("server certificates", slices.Equal(s.ServerCerts, w.ServerCerts), len(s.ServerCerts), len(w.ServerCerts))
		check("client Certificate message", s.ClientCert == w.ClientCert, s.ClientCert, w.ClientCert)
		check("client certificates", slices.Equal(s.ClientCerts, w.ClientCerts), len(s.ClientCerts), len(w.ClientCerts))
		check("CertificateRequest certificate types", slices.Equal(s.CertTypes, w.CertTypes), s.CertTypes, w.CertTypes)
		check("CertificateRequest signature schemes", slices.Equal(s.SigSchemes, w.SigSchemes), s.SigSchemes, w.SigSchemes)
		check("CertificateRequest CA name lengths", slices.Equal(s.CANameLens, w.CANameLens), s.CANameLens, w.CANameLens)
		check("server plaintext alerts", slices.Equal(s.ServerAlerts, w.ServerAlerts), s.ServerAlerts, w.ServerAlerts)
		check("client plaintext alerts", slices.Equal(s.ClientAlerts, w.ClientAlerts), s.ClientAlerts, w.ClientAlerts)
		check("server encrypted alerts", s.ServerEncrypted == w.ServerEncrypted, s.ServerEncrypted, w.ServerEncrypted)
		check("client encrypted alerts", s.ClientEncrypted == w.ClientEncrypted, s.ClientEncrypted, w.ClientEncrypted)
		check("server alert count", c.ServerAlerts.Len() == len(w.ServerAlerts)+w.ServerEncrypted, c.ServerAlerts.Len(), len(w.ServerAlerts)+w.ServerEncrypted)
		check("client alert count", c.ClientAlerts.Len() == len(w.ClientAlerts)+w.ClientEncrypted, c.ClientAlerts.Len(), len(w.ClientAlerts)+w.ClientEncrypted)
	}
	return len(got), fields
}

// TestTsharkAgrees compares Read with tshark on every committed capture and
// on synthetic captures that stress reassembly.
func TestTsharkAgrees(t *testing.T) {
	t.Parallel()
	stacks.Need(t, "tshark")
	files, err := filepath.Glob("testdata/*.pcap*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no committed captures: %v", err)
	}
	dir := t.TempDir()
	limits := map[string]*tsharkLimit{}
	if d := os.Getenv("TSHARK_KEEP"); d != "" {
		dir = d
	}
	for _, s := range tsharkScenarios(t) {
		name := filepath.Join(dir, s.name+".pcap")
		eth := ethernetFrames(s.frames)
		if s.mutate != nil {
			for i := range eth {
				eth[i] = s.mutate(eth[i])
			}
		}
		file := pcapFile(linkEthernet, eth)
		if s.link != 0 {
			// Replace the Ethernet header by the link type's.
			var frames [][]byte
			for _, e := range eth {
				frames = append(frames, linkFrame(s.link, e))
			}
			file = pcapFile(uint32(s.link), frames)
		}
		if err := os.WriteFile(name, file, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
		if s.limit != nil {
			limits[name] = s.limit
		}
	}
	var (
		mu            sync.Mutex
		conns, fields int
	)
	t.Run("captures", func(t *testing.T) {
		for _, f := range files {
			t.Run(filepath.Base(f), func(t *testing.T) {
				t.Parallel()
				c, n := agree(t, f, limits[f])
				mu.Lock()
				conns, fields = conns+c, fields+n
				mu.Unlock()
			})
		}
	})
	t.Logf("%d captures, %d connections, %d fields compared with tshark (in %d, fields tshark cannot decide are compared with the bytes)",
		len(files), conns, fields, len(limits))
	if !t.Failed() {
		t.Logf("all agree")
	}
}

type tsharkScenario struct {
	name   string
	frames []frame
	link   uint16                  // link type instead of Ethernet (see linkFrame)
	mutate func(eth []byte) []byte // rewrites each Ethernet frame
	limit  *tsharkLimit
}

// tsharkLimit describes a case tshark dissects wrongly or not at all.
type tsharkLimit struct {
	why      string
	shows    func(v view) bool // tshark's view shows the limitation
	bytesSay func(v *view)     // corrects tshark's view to what the bytes say
}

// tsharkScenarios are hostile-but-valid captures: every byte stream is a
// valid TLS conversation, cut and shuffled the way networks do.
func tsharkScenarios(t *testing.T) []tsharkScenario {
	pki := testpki.New()
	server := pki.Server().Chain
	client := pki.Variant(testpki.ServerClient).Chain

	// A TLS 1.2 handshake with a CertificateRequest (or not), real
	// certificates, handshake messages cut into records of frag bytes.
	tls12 := func(certReq bool, frag int, clientChain [][]byte, alert []byte) (c2s, s2c []byte) {
		flight := cat(serverHello(0x0303, 0, false), certificateMsg(server...))
		if certReq {
			flight = cat(flight, certRequestMsg(true, []byte{1, 64}, []uint16{0x0403, 0x0804}, caDN))
		}
		flight = cat(flight, serverHelloDone())
		c2s = records(recordHandshake, frag, clientHello(0x0303, []uint16{0x0a0a, 0x0304, 0x0303}, "sbc.example.test"))
		s2c = records(recordHandshake, frag, flight)
		if certReq {
			c2s = cat(c2s, records(recordHandshake, frag, certificateMsg(clientChain...)))
		}
		c2s = cat(c2s, records(recordHandshake, frag, hsMsg(16, func(b *builder) { b.AddBytes(make([]byte, 33)) })))
		if alert != nil {
			return c2s, cat(s2c, record(recordAlert, alert...))
		}
		finished := record(recordHandshake, 0x0d, 0xff, 0xff, 0xff, 1, 2, 3, 4)
		app := records(recordApplicationData, 1<<14, make([]byte, 20000))
		c2s = cat(c2s, record(recordChangeCipherSpec, 1), finished, app, record(recordAlert, make([]byte, 26)...))
		s2c = cat(s2c, record(recordChangeCipherSpec, 1), finished, app, record(recordAlert, make([]byte, 26)...))
		return c2s, s2c
	}
	base := func(seg int) []frame {
		c2s, s2c := tls12(true, 1<<14, client, nil)
		return tcpSession(cli, srv, c2s, s2c, seg)
	}
	data := func(fs []frame) (head, mid, tail []frame) {
		return slices.Clone(fs[:3]), slices.Clone(fs[3 : len(fs)-2]), slices.Clone(fs[len(fs)-2:])
	}

	var out []tsharkScenario
	add := func(name string, fs []frame) { out = append(out, tsharkScenario{name: name, frames: fs}) }

	add("records-split-across-segments", base(37))
	{
		c2s, s2c := tls12(true, 50, nil, nil)
		add("handshake-split-across-records", tcpSession(cli, srv, c2s, s2c, 700))
	}
	{
		c2s, s2c := tls12(false, 1, nil, nil)
		add("one-byte-records", tcpSession(cli, srv, c2s, s2c, 1460))
	}
	{
		head, mid, tail := data(base(300))
		for i := 0; i+1 < len(mid); i += 2 {
			mid[i], mid[i+1] = mid[i+1], mid[i]
		}
		add("out-of-order-pairs", cat3(head, mid, tail))
	}
	{
		head, mid, tail := data(base(500))
		// The server's first flight arrives last-segment-first.
		var c, s []frame
		for _, f := range mid {
			if f.src == srv {
				s = append(s, f)
			} else {
				c = append(c, f)
			}
		}
		slices.Reverse(s[:6])
		add("out-of-order-flight", cat3(head, c, s, tail))
	}
	{
		var fs []frame
		for _, f := range base(400) {
			fs = append(fs, f)
			if len(f.payload) > 0 {
				fs = append(fs, f) // retransmission
			}
		}
		add("retransmissions", fs)
	}
	{
		var fs []frame
		for _, f := range base(400) {
			fs = append(fs, f)
			if n := len(f.payload); n > 10 {
				g := f
				g.seq += uint32(n / 3)
				g.payload = f.payload[n/3:]
				fs = append(fs, g)
			}
		}
		add("overlapping-retransmissions", fs)
	}
	{
		// Several connections, interleaved, one over IPv6, then port reuse.
		c2sA, s2cA := tls12(true, 1<<14, client, nil)
		c2sB, s2cB := tls12(false, 1<<14, nil, nil)
		cli6 := netip.MustParseAddrPort("[2001:db8::1]:40000")
		srv6 := netip.MustParseAddrPort("[2001:db8::2]:5061")
		a := tcpSession(cli, srv, c2sA, s2cA, 600)
		b := tcpSession(cli6, srv6, c2sB, s2cB, 600)
		fs := interleave(a, b)
		again := tcpSession(cli, srv, c2sB, s2cB, 600)
		for i := range again {
			again[i].seq += 77777
		}
		add("several-connections-ipv6-port-reuse", append(fs, again...))
	}
	{
		// TLS 1.3 with a HelloRetryRequest and middlebox-compatibility
		// ChangeCipherSpec records, in the order the peers send them: the
		// second ClientHello after the HelloRetryRequest.
		add("tls13-hello-retry-middlebox", conversation(cli, srv, 1460,
			turn{true, record(recordHandshake, clientHello(0x0303, []uint16{0x0304, 0x0303}, "first.example.test")...)},
			turn{false, cat(record(recordHandshake, serverHello(0x0303, 0x0304, true)...), record(recordChangeCipherSpec, 1))},
			turn{true, cat(record(recordChangeCipherSpec, 1), record(recordHandshake, clientHello(0x0303, []uint16{0x0304}, "second.example.test")...))},
			turn{false, cat(record(recordHandshake, serverHello(0x0303, 0x0304, false)...), records(recordApplicationData, 1<<14, make([]byte, 3000)))},
			turn{true, records(recordApplicationData, 1<<14, make([]byte, 100))},
		))
	}
	{
		// TLS 1.0: CertificateRequest without signature algorithms, no
		// supported_versions; the client has no certificate and the server
		// aborts.
		c2s := cat(record(recordHandshake, clientHello(0x0301, nil, "")...), record(recordHandshake, certificateMsg()...))
		s2c := cat(record(recordHandshake, cat(serverHello(0x0301, 0, false), certificateMsg(server...),
			certRequestMsg(false, []byte{1, 2}, nil, caDN, caDN), serverHelloDone())...), record(recordAlert, 2, 40))
		add("tls10-certreq-rejected", tcpSession(cli, srv, c2s, s2c, 1460))
	}
	{
		// The client certificate is rejected with a fatal alert.
		c2s, s2c := tls12(true, 1<<14, client, []byte{2, 43})
		add("tls12-clientcert-rejected", tcpSession(cli, srv, c2s, s2c, 256))
	}
	{
		// Refused before the ServerHello; a warning alert first.
		c2s := record(recordHandshake, clientHello(0x0302, nil, "old.example.test")...)
		s2c := cat(record(recordAlert, 1, 112), record(recordAlert, 2, 70))
		add("refused-protocol-version", tcpSession(cli, srv, c2s, s2c, 1460))
	}
	{
		// Zero-length application_data records (RFC 5246, 6.2.1 allows
		// them) after ChangeCipherSpec.
		c2s, s2c := tls12(false, 1<<14, nil, nil)
		empty := cat(record(recordApplicationData), record(recordApplicationData))
		add("zero-length-records", conversation(cli, srv, 1460, turn{true, c2s}, turn{false, cat(s2c, empty)}, turn{true, empty}))
	}
	{
		// A 60-certificate chain: the Certificate message spans several
		// maximum-size records.
		var chain [][]byte
		for range 30 {
			chain = append(chain, server...)
		}
		s2c := records(recordHandshake, 1<<14, cat(serverHello(0x0303, 0, false), certificateMsg(chain...), serverHelloDone()))
		c2s := record(recordHandshake, clientHello(0x0303, nil, "long.example.test")...)
		add("chain-over-several-records", conversation(cli, srv, 1460, turn{true, c2s}, turn{false, s2c}))
	}
	{
		// Sequence numbers wrap around 2^32 in both directions.
		fs := base(512)
		for i := range fs {
			fs[i].seq -= 1500
		}
		add("sequence-wraparound", fs)
	}
	{
		// The ClientHello rides on the SYN (TCP Fast Open).
		c2s, s2c := tls12(true, 1<<14, nil, nil)
		fs := tcpSession(cli, srv, c2s, s2c, 1460)
		fs[0].payload = c2s[:200]
		fs = slices.DeleteFunc(fs, func(f frame) bool { return f.src == cli && f.seq == 1001 && len(f.payload) > 0 })
		fs = slices.Insert(fs, 3, frame{cli, srv, 1201, tcpACK, c2s[200:1460]})
		add("tcp-fast-open", fs)
	}
	{
		// The capture starts mid-connection, server bytes first, raw IP.
		c2s, s2c := tls12(true, 1<<14, client, nil)
		fs := tcpSession(cli, srv, c2s, s2c, 1460)[3:]
		slices.SortStableFunc(fs, func(a, b frame) int {
			if a.src == b.src {
				return 0
			}
			if a.src == srv {
				return -1
			}
			return 1
		})
		out = append(out, tsharkScenario{name: "mid-connection-raw-ip", frames: fs, link: linkRaw})
	}
	{
		// A fatal alert cut into two one-byte records: RFC 5246, 6.2.1
		// lets a message of any type span records (RFC 8446, 5.1 forbids
		// it for alerts).
		c2s := record(recordHandshake, clientHello(0x0303, nil, "split.example.test")...)
		s2c := cat(record(recordHandshake, serverHello(0x0303, 0, false)...), record(recordAlert, 2), record(recordAlert, 40))
		out = append(out, tsharkScenario{name: "alert-split-across-records",
			frames: conversation(cli, srv, 1460, turn{true, c2s}, turn{false, s2c}),
			limit: &tsharkLimit{
				why: "Wireshark 4.0 does not reassemble an alert fragmented over records (allowed by RFC 5246, 6.2.1): " +
					"it shows each one-byte record as an encrypted alert",
				shows: func(v view) bool { return len(v.ServerAlerts) == 0 && v.ServerEncrypted == 2 },
				bytesSay: func(v *view) {
					v.ServerAlerts, v.ServerEncrypted = []string{"2/40"}, 0 // fatal handshake_failure
				},
			}})
	}
	{
		// An SSL 2.0-compatible ClientHello (RFC 5246, E.2) offering TLS
		// 1.0, answered in TLS 1.0 records.
		sslv2 := []byte{0x80, 0, 1, 3, 1, 0, 6, 0, 0, 0, 16, 0, 0, 0x2f, 0, 0, 0x35}
		sslv2 = append(sslv2, bytes.Repeat([]byte{9}, 16)...)
		sslv2[1] = byte(len(sslv2) - 2)
		s2c := record(recordHandshake, cat(serverHello(0x0301, 0, false), certificateMsg(server...), serverHelloDone())...)
		add("sslv2-compatible-hello", conversation(cli, srv, 1460, turn{true, sslv2}, turn{false, s2c}))
	}
	{
		// The server's SYN-ACK is captured after its first data segment
		// (capture timestamps out of order).
		fs := base(1460)
		synack := fs[1]
		i := slices.IndexFunc(fs, func(f frame) bool { return f.src == srv && len(f.payload) > 0 })
		fs = slices.Insert(slices.Delete(fs, 1, 2), i, synack)
		out = append(out, tsharkScenario{name: "syn-ack-after-data", frames: fs, limit: &tsharkLimit{
			why: "Wireshark 4.0 stops dissecting the server's stream as TLS after its first segment when the SYN-ACK " +
				"is captured behind it: it does not show the server's final encrypted alert",
			shows:    func(v view) bool { return v.ServerEncrypted == 0 && v.ClientEncrypted == 1 },
			bytesSay: func(v *view) { v.ServerEncrypted = 1 },
		}})
	}
	{
		// Large segments with IPv4 total length 0, as captured on the
		// sending host with TCP segmentation offload.
		c2s, s2c := tls12(true, 1<<14, client, nil)
		out = append(out, tsharkScenario{name: "tso-ip-length-zero", frames: tcpSession(cli, srv, c2s, s2c, 9000),
			mutate: func(e []byte) []byte {
				e[14+2], e[14+3] = 0, 0
				return e
			}})
	}
	cli6 := netip.MustParseAddrPort("[2001:db8::1]:40000")
	srv6 := netip.MustParseAddrPort("[2001:db8::2]:5061")
	{
		// IPv6 with a hop-by-hop options header (PadN) before TCP.
		c2s, s2c := tls12(true, 1<<14, client, nil)
		out = append(out, tsharkScenario{name: "ipv6-hop-by-hop", frames: tcpSession(cli6, srv6, c2s, s2c, 1200),
			mutate: func(e []byte) []byte {
				ip := e[14:]
				ip[6] = 0 // next header: hop-by-hop
				binary.BigEndian.PutUint16(ip[4:], binary.BigEndian.Uint16(ip[4:])+8)
				return cat(e[:14+40], []byte{6, 0, 1, 4, 0, 0, 0, 0}, e[14+40:])
			}})
	}
	{
		// TCP keep-alives: one garbage byte one before the next sequence
		// number, between the handshake flights.
		c2s, s2c := tls12(true, 1<<14, client, nil)
		fs := tcpSession(cli, srv, c2s, s2c, 1460)
		var out2 []frame
		next := map[netip.AddrPort]uint32{}
		for _, f := range fs {
			if n, ok := next[f.src]; ok && len(f.payload) > 0 {
				out2 = append(out2, frame{f.src, f.dst, n - 1, tcpACK, []byte{0}})
			}
			out2 = append(out2, f)
			if len(f.payload) > 0 {
				next[f.src] = f.seq + uint32(len(f.payload))
			}
		}
		add("tcp-keep-alives", out2)
	}
	{
		// TLS 1.3 middlebox mode: the client sends its ChangeCipherSpec
		// right after the first ClientHello (RFC 8446, D.4); the server
		// sends one after the HelloRetryRequest and then, still without
		// keys, a plaintext alert refusing the second ClientHello.
		out = append(out, tsharkScenario{name: "tls13-hello-retry-refused", frames: conversation(cli, srv, 1460,
			turn{true, cat(record(recordHandshake, clientHello(0x0303, []uint16{0x0304, 0x0303}, "first.example.test")...), record(recordChangeCipherSpec, 1))},
			turn{false, cat(record(recordHandshake, serverHello(0x0303, 0x0304, true)...), record(recordChangeCipherSpec, 1))},
			turn{true, record(recordHandshake, clientHello(0x0303, []uint16{0x0304}, "second.example.test")...)},
			turn{false, record(recordAlert, 2, 47)},
		), limit: &tsharkLimit{
			why: "Wireshark 4.0 takes the client's handshake records after its middlebox ChangeCipherSpec for encrypted " +
				"(RFC 8446, D.4: it is a no-op; the second ClientHello is plaintext), so it shows the first ClientHello's versions and SNI",
			shows: func(v view) bool { return v.SNI == "first.example.test" },
			bytesSay: func(v *view) {
				v.SNI, v.Offered = "second.example.test", tlsver.SetOf(tlsver.TLS13)
			},
		}})
	}
	{
		// Linux cooked captures (tcpdump -i any), v1 and v2, IPv4 and
		// IPv6; an 802.1Q VLAN tag.
		c2s, s2c := tls12(true, 1<<14, client, nil)
		out = append(out, tsharkScenario{name: "linux-sll", frames: tcpSession(cli, srv, c2s, s2c, 1400), link: linkLinuxSLL},
			tsharkScenario{name: "linux-sll2-ipv6", frames: tcpSession(cli6, srv6, c2s, s2c, 1400), link: linkSLL2},
			tsharkScenario{name: "vlan", frames: tcpSession(cli, srv, c2s, s2c, 1400), mutate: func(e []byte) []byte {
				return cat(e[:12], []byte{0x81, 0x00, 0, 7}, e[12:])
			}})
	}
	return out
}

// linkFrame rewrites an Ethernet frame for another link type.
func linkFrame(link uint16, eth []byte) []byte {
	etherType, ip := eth[12:14], eth[14:]
	switch link {
	case linkRaw:
		return ip
	case linkLinuxSLL:
		h := []byte{0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, etherType[0], etherType[1]}
		return cat(h, ip)
	case linkSLL2:
		h := []byte{etherType[0], etherType[1], 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0}
		return cat(h, ip)
	}
	panic("linkFrame: link type " + strconv.Itoa(int(link)))
}

func cat3(parts ...[]frame) []frame { return slices.Concat(parts...) }

// turn is what one side sends before the other answers.
type turn struct {
	fromClient bool
	data       []byte
}

// conversation is tcpSession for a conversation in turns: the handshake,
// each turn cut into segments of seg bytes, then FINs.
func conversation(client, server netip.AddrPort, seg int, turns ...turn) []frame {
	seq := [2]uint32{1000, 900000}
	fs := []frame{
		{client, server, seq[0], tcpSYN, nil},
		{server, client, seq[1], tcpSYN | tcpACK, nil},
		{client, server, seq[0] + 1, tcpACK, nil},
	}
	seq[0]++
	seq[1]++
	for _, tu := range turns {
		i, src, dst := 1, server, client
		if tu.fromClient {
			i, src, dst = 0, client, server
		}
		for off := 0; off < len(tu.data); off += seg {
			p := tu.data[off:min(off+seg, len(tu.data))]
			fs = append(fs, frame{src, dst, seq[i], tcpACK, p})
			seq[i] += uint32(len(p))
		}
	}
	return append(fs, frame{client, server, seq[0], tcpFIN | tcpACK, nil}, frame{server, client, seq[1], tcpFIN | tcpACK, nil})
}

func short(v view) view {
	for i := range v.ServerCerts {
		v.ServerCerts[i] = v.ServerCerts[i][:16]
	}
	for i := range v.ClientCerts {
		v.ClientCerts[i] = v.ClientCerts[i][:16]
	}
	return v
}
