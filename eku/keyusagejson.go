package eku

import (
	"encoding/json"
	"fmt"
)

// MarshalJSON implements [json.Marshaler]. A KeyUsage encodes as an array of
// the names of its set bits in bit order, the names of RFC 5280, 4.2.1.3
// that [KeyUsage.String] uses, for example
// ["digitalSignature","keyEncipherment"]; bit 1 is "contentCommitment". Zero
// encodes as []. Bits outside RFC 5280's nine (which [Parse] never reports)
// are an error, because they would not survive a round trip.
func (k KeyUsage) MarshalJSON() ([]byte, error) {
	if rest := k &^ (1<<len(keyUsageNames) - 1); rest != 0 {
		return nil, fmt.Errorf("eku: cannot marshal KeyUsage bits %#x outside RFC 5280's nine", uint16(rest))
	}
	b := append(make([]byte, 0, 64), '[')
	for i, name := range keyUsageNames {
		if k&(1<<i) != 0 {
			if len(b) > 1 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, name...)
			b = append(b, '"')
		}
	}
	return append(b, ']'), nil
}

// UnmarshalJSON implements [json.Unmarshaler]. It accepts an array of bit
// names as [KeyUsage.MarshalJSON] writes them (matched case-insensitively;
// "nonRepudiation", the bit's older name, is accepted for bit 1); null and []
// both give zero. An unknown name is an error that names it and its position.
func (k *KeyUsage) UnmarshalJSON(data []byte) error {
	var names []string
	if err := json.Unmarshal(data, &names); err != nil {
		return fmt.Errorf("eku: KeyUsage: want an array of bit names: %w", err)
	}
	var ku KeyUsage
	for i, name := range names {
		bit, ok := keyUsageBit(name)
		if !ok {
			return fmt.Errorf("eku: KeyUsage: element %d: unknown bit name %q", i, name)
		}
		ku |= bit
	}
	*k = ku
	return nil
}

// keyUsageBit returns the bit named name.
func keyUsageBit(name string) (KeyUsage, bool) {
	if equalFold(name, "nonRepudiation") {
		return KeyUsageContentCommitment, true
	}
	for i, n := range keyUsageNames {
		if equalFold(n, name) {
			return 1 << i, true
		}
	}
	return 0, false
}
