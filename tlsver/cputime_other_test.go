//go:build !unix

package tlsver_test

import "time"

// cpuTime is not measured here; the tests fall back to wall time.
func cpuTime() (time.Duration, bool) { return 0, false }
