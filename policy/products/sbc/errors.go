package sbc

import (
	"errors"
	"strconv"
	"strings"
)

// ErrUnknownWord is matched (with errors.Is) by every [*ConfigError]: a
// configuration value the vendor's documentation does not list.
var ErrUnknownWord = errors.New("value not in the vendor's documentation")

// ConfigError reports a configuration word a profile does not know. Product
// and Field name where it is ("AudioCodes Mediant", "TLS Mutual
// Authentication [SIPSRequireClientCertificate]"); Allowed lists the words
// the vendor documents.
type ConfigError struct {
	Product string
	Field   string
	Value   string
	Allowed []string
}

// Error returns "sbc: <product>: <field>: unknown value "<v>" (documented:
// a, b, c)".
func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("sbc: ")
	b.WriteString(e.Product)
	b.WriteString(": ")
	b.WriteString(e.Field)
	b.WriteString(": unknown value ")
	b.WriteString(strconv.Quote(e.Value))
	if len(e.Allowed) > 0 {
		b.WriteString(" (documented: ")
		for i, a := range e.Allowed {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(a))
		}
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is [ErrUnknownWord].
func (e *ConfigError) Is(target error) bool { return target == ErrUnknownWord }

func unknownWord(product, field, value string, allowed ...string) error {
	return &ConfigError{Product: product, Field: field, Value: value, Allowed: allowed}
}

// word normalises a configuration word for comparison: spaces trimmed, case
// folded. Vendors' UIs and CLIs differ in case ("Enable", "enable").
func word(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
