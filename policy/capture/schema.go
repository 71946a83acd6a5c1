package capture

import _ "embed" // for the JSON Schema document

// ConnectionSchema is the JSON Schema (draft 2020-12) of a [Connection]'s
// JSON form (Connection.MarshalJSON): schema/connection.schema.json in this
// package's directory, $id
// https://github.com/tlscompat/tlscompat/policy/capture/schema/connection.schema.json.
// Its "cert_request" and "protocol" enumerations are the names of
// [CertRequest] and [Protocol]; a test validates the connections of the
// recorded captures against it and keeps the enumerations equal. The slice
// is shared: do not modify it.
//
//go:embed schema/connection.schema.json
var ConnectionSchema []byte
