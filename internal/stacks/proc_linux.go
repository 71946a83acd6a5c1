package stacks

import (
	"os/exec"
	"syscall"
)

// setProcAttr makes the kernel kill server processes when the test binary
// dies, so no openssl, gnutls-serv or java outlives a crashed test.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
