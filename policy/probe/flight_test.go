package probe

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"
)

func TestParseFlight(t *testing.T) {
	hello, err := ssl3ClientHello()
	if err != nil {
		t.Fatal(err)
	}
	if hello[0] != 22 || !bytes.Equal(hello[1:3], []byte{3, 0}) || hello[5] != 1 || !bytes.Equal(hello[9:11], []byte{3, 0}) {
		t.Errorf("ssl3ClientHello() = % x", hello[:11])
	}
	sh := func(rv uint16, body ...byte) []byte {
		msg := append([]byte{2, 0, byte(len(body) >> 8), byte(len(body))}, body...)
		return append([]byte{22, byte(rv >> 8), byte(rv), byte(len(msg) >> 8), byte(len(msg))}, msg...)
	}
	helloBody := func(ver uint16, exts ...byte) []byte {
		b := append([]byte{byte(ver >> 8), byte(ver)}, make([]byte, 32)...)
		b = append(b, 0, 0x00, 0x2f, 0)
		if exts != nil {
			b = append(b, byte(len(exts)>>8), byte(len(exts)))
			b = append(b, exts...)
		}
		return b
	}
	ssl3 := sh(0x300, helloBody(0x300)...)
	tls13 := sh(0x303, helloBody(0x303, 0, 43, 0, 2, 3, 4)...)
	hrrBody := helloBody(0x303, 0, 43, 0, 2, 3, 4)
	copy(hrrBody[2:], helloRetryRandom)
	hrr := sh(0x303, hrrBody...)
	tests := []struct {
		name    string
		in      []byte
		kind    answerKind
		version uint16
		alert   uint8
	}{
		{"empty", nil, needMore, 0, 0},
		{"fatal handshake_failure", []byte{21, 3, 0, 0, 2, 2, 40}, gotFatalAlert, 0, 40},
		{"fatal protocol_version", []byte{21, 3, 1, 0, 2, 2, 70}, gotFatalAlert, 0, 70},
		{"close_notify", []byte{21, 3, 1, 0, 2, 1, 0}, gotCloseNotify, 0, 0},
		{"warning then fatal", []byte{21, 3, 1, 0, 2, 1, 112, 21, 3, 1, 0, 2, 2, 40}, gotFatalAlert, 0, 40},
		{"warning only", []byte{21, 3, 1, 0, 2, 1, 112}, needMore, 0, 0},
		{"ssl3 server hello", ssl3, gotServerHello, 0x300, 0},
		{"tls13 server hello", tls13, gotServerHello, 0x304, 0},
		{"hello retry request", hrr, gotServerHello, 0x304, 0},
		{"truncated server hello", ssl3[:20], needMore, 0, 0},
		{"server hello prefix only", []byte{22, 3, 0, 0, 6, 2, 0, 0, 70, 3, 0}, needMore, 0, 0},
		{"http", []byte("HTTP/1.1 400 Bad Request\r\n"), notTLS, 0, 0},
		{"one byte of http", []byte("H"), notTLS, 0, 0},
		{"sslv2-like", []byte{22, 2, 0}, notTLS, 0, 0},
		{"not a server hello", []byte{22, 3, 0, 0, 6, 11, 0, 0, 70, 3, 0}, malformed, 0, 0},
		{"application data", []byte{23, 3, 0, 0, 1, 0}, malformed, 0, 0},
		{"odd alert", []byte{21, 3, 0, 0, 1, 2}, malformed, 0, 0},
		{"bad level", []byte{21, 3, 0, 0, 2, 7, 40}, malformed, 0, 0},
		{"huge record", []byte{22, 3, 3, 0xff, 0xff}, malformed, 0, 0},
		{"empty handshake record", []byte{22, 3, 3, 0, 0}, malformed, 0, 0},
		{"bad extensions", sh(0x303, helloBody(0x303, 0, 43, 0, 9)...), malformed, 0, 0},
	}
	for _, tc := range tests {
		got := parseFlight(tc.in)
		if got.kind != tc.kind || got.version != tc.version || got.alert != tc.alert {
			t.Errorf("%s: parseFlight(% x) = %+v; want kind %d version %#x alert %d", tc.name, tc.in, got, tc.kind, tc.version, tc.alert)
		}
	}
	if !parseFlight(hrr).hrr || parseFlight(tls13).hrr {
		t.Error("HelloRetryRequest not told from ServerHello")
	}
}

// realFlights returns the first bytes real crypto/tls servers send in
// answer to crypto/tls ClientHellos at TLS 1.0–1.3 (and a refusal), cut to
// 1600 bytes (a TLS 1.3 ServerHello with an X25519MLKEM768 share is 1.2 KB)
// so that the fuzz seeds stay small.
func realFlights(tb testing.TB) [][]byte {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "flight"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		tb.Fatal(err)
	}
	srvCfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS13, ClientAuth: tls.RequestClientCert}
	var flights [][]byte
	for _, v := range []uint16{tls.VersionTLS10, tls.VersionTLS12, tls.VersionTLS13} {
		for _, srvMax := range []uint16{tls.VersionTLS13, tls.VersionTLS11} {
			cc, sc := net.Pipe()
			rec := &recorder{Conn: cc}
			cfg := srvCfg.Clone()
			cfg.MaxVersion = srvMax
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = tls.Server(sc, cfg).Handshake()
				sc.Close()
			}()
			_ = tls.Client(rec, &tls.Config{InsecureSkipVerify: true, MinVersion: v, MaxVersion: v}).Handshake()
			cc.Close()
			wg.Wait()
			b := rec.buf.Bytes()
			if len(b) > 1600 {
				b = b[:1600]
			}
			flights = append(flights, bytes.Clone(b))
		}
	}
	return flights
}

type recorder struct {
	net.Conn
	buf bytes.Buffer
}

func (r *recorder) Read(b []byte) (int, error) {
	n, err := r.Conn.Read(b)
	r.buf.Write(b[:n])
	return n, err
}

// TestRealFlights: the parser decides every real flight, and a ServerHello
// for the offered version is found in each accepting one.
func TestRealFlights(t *testing.T) {
	for i, f := range realFlights(t) {
		ans := parseFlight(f)
		if ans.kind != gotServerHello && ans.kind != gotFatalAlert {
			t.Errorf("flight %d: parseFlight = %+v (% x)", i, ans, f[:min(len(f), 16)])
		}
	}
}

// checkFlightInvariants checks what the probe relies on: once a prefix is
// decided, every longer input gives the same decision (the probe decides on
// the bytes it has), and a decided answer carries its data.
func checkFlightInvariants(t *testing.T, in []byte) flightAnswer {
	ans := parseFlight(in)
	if (ans.kind == notTLS || ans.kind == malformed) && ans.detail == "" {
		t.Fatalf("parseFlight(% x) = %+v without a detail", in, ans)
	}
	for _, k := range []int{1, 2, 5, 6, 9, len(in) / 2, len(in) - 1} {
		if k <= 0 || k >= len(in) {
			continue
		}
		p := parseFlight(in[:k])
		if p.kind != needMore && (p.kind != ans.kind || p.version != ans.version || p.alert != ans.alert) {
			t.Fatalf("prefix %d of % x decided %+v, the whole input %+v", k, in, p, ans)
		}
	}
	return ans
}

// FuzzParseFlight is the byte-level target.
func FuzzParseFlight(f *testing.F) {
	f.Add([]byte{21, 3, 0, 0, 2, 2, 40})
	f.Add([]byte{22, 3, 0, 0, 6, 2, 0, 0, 70, 3, 0})
	f.Add([]byte("HTTP/1.1 400 Bad Request\r\n"))
	for _, fl := range realFlights(f) {
		f.Add(fl)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkFlightInvariants(t, in)
	})
}

// FuzzParseFlightFields is the structure-aware target: it takes a real
// server flight, splits it into records and handshake messages, and lets
// ops mutate their fields (record type, version and length, handshake
// type and length), refragment the handshake bytes, duplicate, drop or
// insert records. Refragmenting alone must not change the answer.
func FuzzParseFlightFields(f *testing.F) {
	flights := realFlights(f)
	for i := range flights {
		f.Add(uint8(i), []byte{})
		f.Add(uint8(i), []byte{0, 1, 7})
		f.Add(uint8(i), []byte{1, 0, 3, 2, 0, 0xff})
	}
	f.Fuzz(func(t *testing.T, which uint8, ops []byte) {
		flight := flights[int(which)%len(flights)]
		recs := splitRecords(flight)
		refragOnly := len(ops) > 0
		for len(ops) >= 3 {
			op, i, x := ops[0]%8, int(ops[1]), ops[2]
			ops = ops[3:]
			if op != 5 {
				refragOnly = false
			}
			if len(recs) == 0 {
				break
			}
			r := &recs[i%len(recs)]
			switch op {
			case 0: // record type
				r.typ = x
			case 1: // record version
				r.ver = uint16(x)<<8 | uint16(x)
			case 2: // record length field
				r.lenDelta = int(int8(x))
			case 3: // handshake type (first body byte)
				if len(r.body) > 0 {
					r.body = append([]byte{x}, r.body[1:]...)
				}
			case 4: // handshake length (bytes 1-3)
				if len(r.body) >= 4 {
					b := bytes.Clone(r.body)
					b[1+int(x)%3] ^= x | 1
					r.body = b
				}
			case 5: // refragment every handshake record into x-byte pieces
				recs = refragment(recs, 1+int(x)%64)
			case 6: // duplicate or drop
				if x&1 == 0 {
					recs = append(recs[:i%len(recs)+1], recs[i%len(recs):]...)
				} else {
					recs = append(recs[:i%len(recs)], recs[i%len(recs)+1:]...)
				}
			case 7: // insert an alert
				a := rec{typ: 21, ver: 0x0303, body: []byte{x % 3, x}}
				j := i % len(recs)
				recs = append(recs[:j], append([]rec{a}, recs[j:]...)...)
			}
		}
		in := joinRecords(recs)
		ans := checkFlightInvariants(t, in)
		if refragOnly {
			orig := parseFlight(flight)
			if orig.kind == gotServerHello && (ans.kind != orig.kind || ans.version != orig.version) {
				t.Fatalf("refragmenting changed %+v into %+v", orig, ans)
			}
		}
	})
}

type rec struct {
	typ      uint8
	ver      uint16
	lenDelta int
	body     []byte
}

func splitRecords(b []byte) []rec {
	var out []rec
	for len(b) >= 5 {
		n := int(b[3])<<8 | int(b[4])
		if len(b) < 5+n {
			n = len(b) - 5
		}
		out = append(out, rec{typ: b[0], ver: uint16(b[1])<<8 | uint16(b[2]), body: b[5 : 5+n]})
		b = b[5+n:]
	}
	return out
}

func joinRecords(recs []rec) []byte {
	var out []byte
	for _, r := range recs {
		n := max(0, min(0xffff, len(r.body)+r.lenDelta))
		out = append(out, r.typ, byte(r.ver>>8), byte(r.ver), byte(n>>8), byte(n))
		out = append(out, r.body...)
	}
	return out
}

// refragment rewrites the leading run of handshake records into records of
// size bytes each (the rest is kept as it is).
func refragment(recs []rec, size int) []rec {
	var hs []byte
	i := 0
	for ; i < len(recs) && recs[i].typ == 22 && recs[i].lenDelta == 0; i++ {
		hs = append(hs, recs[i].body...)
	}
	if i == 0 {
		return recs
	}
	ver := recs[0].ver
	var out []rec
	for len(hs) > 0 {
		n := min(size, len(hs))
		out = append(out, rec{typ: 22, ver: ver, body: hs[:n]})
		hs = hs[n:]
	}
	return append(out, recs[i:]...)
}
