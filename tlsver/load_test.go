package tlsver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/tlsver"
)

// largeMatrix builds a matrix of about size bytes in memory: products with
// Cisco release numbers (rows, release trains, general statements that rows
// override) and products with release names, so that every lookup the loader
// does — product by name, release name, the general statement a row
// overrides — is exercised at scale.
func largeMatrix(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"schema":"tlsver/v1","documents":[{"id":"doc","title":"generated"}],"products":[`)
	const products = 2000
	for p := range products {
		if p > 0 {
			b.WriteByte(',')
		}
		if p%2 == 0 {
			fmt.Fprintf(&b, `{"name":"Cisco%d","aliases":["C%d"],"releases":"cisco"}`, p, p)
		} else {
			fmt.Fprintf(&b, `{"name":"Named%d","releases":"names","names":[`, p)
			for n := range 20 {
				if n > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"name":"r%d","aliases":["release %d"]}`, n, n)
			}
			b.WriteString(`]}`)
		}
	}
	b.WriteString(`],"support":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		// Half the rows go to product 0, the rest spread over all products.
		p := 0
		if i%2 == 1 {
			p = (i / 2) % products
		}
		switch {
		case p%2 == 1:
			fmt.Fprintf(&b, `{"product":"Named%d","releases":["release %d"],"role":"server","versions":"1.2","source":{"document":"doc","table":"t","row":"%d"}}`, p, i%20, i)
		case (i/2)%10 == 0:
			fmt.Fprintf(&b, `{"product":"C%d","kind":"general","releases":["%d.x"],"role":"client","protocol":"HTTPS","versions":"1.0, 1.1, 1.2","source":{"document":"doc","section":"s","statement":"%d.x - TLS 1.0, 1.1 and 1.2"}}`, p, 1+i%50, 1+i%50)
		default:
			fmt.Fprintf(&b, `{"product":"Cisco%d","releases":["%d.%d(1)SU%d"],"role":"client","protocol":"HTTPS","versions":"1.2","from":"2017-07-22T00:00:00Z","source":{"document":"doc","table":"t","row":"%d"}}`, p, 1+i%50, i%10, 1+i%9, i)
		}
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// TestLoadLarge: loading is linear. A 20 MiB matrix loads in well under a
// second of CPU time; the bound asserted is 2 s of CPU time (the process's
// user and system time, which other work on a shared machine does not
// inflate; wall time where that is not measured), and loading 20 MiB costs
// at most 20 times loading 2 MiB (linear: 10; the quadratic loader of
// v0.x: about 100).
func TestLoadLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 20 MiB matrix")
	}
	measure := func(data []byte) (*tlsver.Matrix, time.Duration, time.Duration) {
		c0, cok := cpuTime()
		start := time.Now()
		m, err := tlsver.ParseMatrix(data)
		wall := time.Since(start)
		c1, _ := cpuTime()
		if err != nil {
			t.Fatal(err)
		}
		if !cok {
			return m, wall, wall
		}
		return m, c1 - c0, wall
	}
	small := largeMatrix(2 << 20)
	_, cpuSmall, _ := measure(small)
	data := largeMatrix(20 << 20)
	m, cpu, wall := measure(data)
	t.Logf("loaded %d bytes (%d products) in %v CPU, %v wall; %d bytes in %v CPU", len(data), len(m.Products()), cpu, wall, len(small), cpuSmall)
	if cpu > 2*time.Second {
		t.Errorf("loading a %d MiB matrix took %v of CPU time, want < 2 s", len(data)>>20, cpu)
	}
	if cpuSmall > 20*time.Millisecond && cpu > 20*cpuSmall {
		t.Errorf("loading 20 MiB took %v, 2 MiB %v: more than 20 times as long, not linear", cpu, cpuSmall)
	}
	// The overrides are still found: a row of Cisco0 release 1.0(1)SU1 is
	// covered by the general statement "1.x" with other versions.
	s, err := m.Support("Cisco0", "1.0(1)SU1", tlsver.Client, tlsver.HTTPS, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || !s.Known || s.Overrides.IsZero() || s.OverriddenVersions != tlsver.SetOf(tlsver.TLS10, tlsver.TLS11, tlsver.TLS12) {
		t.Errorf("Support(Cisco0 1.0(1)SU1) = %v, %v; want a row overriding the general statement", s, err)
	}
}

// BenchmarkLoad loads generated matrices of growing size; time per byte
// stays flat when loading is linear. The json-any runs decode the same bytes
// with encoding/json into an interface value, the floor a loader built on
// encoding/json cannot beat, for the ratio.
func BenchmarkLoad(b *testing.B) {
	for _, mib := range []int{1, 4, 16} {
		data := largeMatrix(mib << 20)
		b.Run(fmt.Sprintf("%dMiB", mib), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := tlsver.ParseMatrix(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("%dMiB-json-any", mib), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
