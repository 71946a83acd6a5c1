package issuers

import (
	"errors"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add(builtinJSON)
	f.Add([]byte(`{"schema":"issuers/v1","sources":[{"id":"x","kind":"vendor","url":"https://example.com/","title":"t"}],"cas":[{"name":"A","cutovers":[{"scope":"default","dates":[{"date":"2026-03","within_days":7,"source":"x","statement":"s"}]}]}]}`))
	f.Add([]byte(`{"schema":"issuers/v1","sources":[{"id":"x","kind":"vendor","url":"https://example.com/","title":"t"}],"providers":[{"name":"P","direction":"outbound","role":"client","presents":"c","renewals":[{"date":"2026-01-01","source":"x","statement":"s"}]}]}`))
	f.Add([]byte(`{"schema":"issuers/v1","x":[1,{"y":2}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			var se *SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SchemaError", err)
			}
			return
		}
		for _, name := range d.CAs() {
			for s := ScopeDefault; s <= ScopeHardStop; s++ {
				if c, err := d.CACutover(name, s); err == nil {
					if c.Until.Before(c.From) {
						t.Fatalf("range [%v, %v) inverted", c.From, c.Until)
					}
					_, _ = c.Renewal(c.From, 1)
					_ = c.SourceText()
				}
			}
		}
		for _, p := range d.Providers() {
			_, _ = p.Renewal()
		}
	})
}
