package stacks

import (
	"os"
	"os/exec"
	"testing"
)

// RequireEnv is the environment variable that turns a missing TLS stack
// binary from a skipped test into a failed one. CI sets it to 1.
const RequireEnv = "TLSCOMPAT_REQUIRE_STACKS"

var installHint = map[string]string{
	"openssl":     "apt-get install openssl",
	"gnutls-serv": "apt-get install gnutls-bin",
	"gnutls-cli":  "apt-get install gnutls-bin",
	"certtool":    "apt-get install gnutls-bin",
	"java":        "apt-get install default-jdk-headless",
	"javac":       "apt-get install default-jdk-headless",
	"kamailio":    "apt-get install kamailio kamailio-tls-modules",
}

// Need makes sure binary is on PATH. If it is not, the test fails when
// TLSCOMPAT_REQUIRE_STACKS=1 (CI) and is skipped otherwise, with an install
// hint in both cases.
func Need(t testing.TB, binary string) {
	t.Helper()
	if _, err := exec.LookPath(binary); err == nil {
		return
	}
	hint := installHint[binary]
	if hint == "" {
		hint = "install " + binary
	}
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("stacks: %s not found on PATH and %s=1 (%s)", binary, RequireEnv, hint)
	}
	t.Skipf("stacks: %s not found on PATH (%s; set %s=1 to make this fatal)", binary, hint, RequireEnv)
}
