//go:build !linux

package stacks

import "os/exec"

func setProcAttr(cmd *exec.Cmd) {}
