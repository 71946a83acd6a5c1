package policy

import _ "embed" // for the JSON Schema documents

// ScenarioSchema is the JSON Schema (draft 2020-12) of a [Scenario]'s JSON
// form: schema/scenario.schema.json in this package's directory, with $id
// https://github.com/tlscompat/tlscompat/policy/schema/scenario.schema.json.
// Enumerations list the stable names (stacks, client-certificate modes,
// protocols, KeyUsage bits); a test validates the built-in stories against
// it and checks that its enumerations equal this package's vocabularies.
// The slice is shared: do not modify it.
//
//go:embed schema/scenario.schema.json
var ScenarioSchema []byte

// OutcomeSchema is the JSON Schema (draft 2020-12) of an [Outcome]'s JSON
// form, derived message and remedy_text included:
// schema/outcome.schema.json, $id
// https://github.com/tlscompat/tlscompat/policy/schema/outcome.schema.json.
// Its "code" enumeration is the [Code] vocabulary; a test keeps the two
// equal. The slice is shared: do not modify it.
//
//go:embed schema/outcome.schema.json
var OutcomeSchema []byte
