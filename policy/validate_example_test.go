package policy_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tlscompat/tlscompat/policy"
)

// A renewal window of 106,752 days does not fit the model: Validate names
// the field, and Evaluate answers Unknown instead of computing with it.
func ExampleScenario_Validate() {
	s := renewing(&policy.Renewal{
		At:                  time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC),
		WindowDays:          106752,
		DropsClientAuthFrom: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
	})
	s.At = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	err := s.Validate()
	var fe *policy.FieldError
	fmt.Println(errors.Is(err, policy.ErrInvalidScenario), errors.As(err, &fe), fe.Field)
	fmt.Println(err)
	o := policy.Evaluate(s)
	fmt.Println(o.Verdict, o.Findings()[0].Code)
	// Output:
	// true true client.renewal.window_days
	// policy: invalid scenario: client.renewal.window_days: 106752 is out of range (0 to 36525 days)
	// unknown invalid-input
}

// Decoding is strict: a misspelt member is an error that names it.
func ExampleScenario_UnmarshalJSON() {
	var s policy.Scenario
	err := json.Unmarshal([]byte(`{"client":{"chain":{"certs":[{"subject":"CN=app","isuer":"CN=CA"}]}}}`), &s)
	fmt.Println(errors.Is(err, policy.ErrUnknownMember))
	fmt.Println(err)
	// Output:
	// true
	// policy: invalid scenario: client.chain.certs[0].isuer: unknown member (the schema has no member "isuer" here)
}
