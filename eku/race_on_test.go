//go:build race

package eku_test

// raceEnabled: the race detector instruments every memory read, which slows
// eku.Parse (pure reads) far more than crypto/x509 (allocation-bound).
const raceEnabled = true
