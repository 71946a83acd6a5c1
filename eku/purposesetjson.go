package eku

import (
	"encoding/json"
	"fmt"
)

// MarshalJSON implements [json.Marshaler]. A PurposeSet encodes as an array
// of purpose names in increasing [Purpose] order, the names
// [Purpose.MarshalText] gives, for example ["serverAuth","clientAuth"]. The
// empty set encodes as [].
func (s PurposeSet) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 16*s.Len()+2), '[')
	for i, p := range s.AppendTo(nil) {
		if i > 0 {
			b = append(b, ',')
		}
		// Names are ASCII letters and digits: no escaping is needed.
		b = append(b, '"')
		b = append(b, p.String()...)
		b = append(b, '"')
	}
	return append(b, ']'), nil
}

// UnmarshalJSON implements [json.Unmarshaler]. It accepts an array of
// strings, each one what [Purpose.UnmarshalText] accepts (a name, or a dotted
// OID of a known purpose); null and [] both give the empty set. A name this
// package does not know is an error that names it and its position.
func (s *PurposeSet) UnmarshalJSON(data []byte) error {
	var names []string
	if err := json.Unmarshal(data, &names); err != nil {
		return fmt.Errorf("eku: PurposeSet: want an array of purpose names: %w", err)
	}
	var set PurposeSet
	for i, name := range names {
		var p Purpose
		if err := p.UnmarshalText([]byte(name)); err != nil {
			return fmt.Errorf("eku: PurposeSet: element %d: %w", i, err)
		}
		set.add(p)
	}
	*s = set
	return nil
}
