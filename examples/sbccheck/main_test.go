package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	cases := []struct {
		name string
		args []string
		exit int
		out  string // substring of stdout
		err  string // substring of stderr
	}{
		{"help", []string{"-h"}, exitSucceeds, "ribbon-core", ""},
		{"audiocodes enable", []string{"-vendor", "audiocodes", "-set", "TLSMutualAuthentication=Enable", "-versions", "1.2", "-at", "2026-04-01"}, exitUnknown, "require-and-verify", ""},
		{"audiocodes default", []string{"-vendor", "AudioCodes", "-versions", "1.2"}, exitSucceeds, "client certificates none", ""},
		{"vendor alias", []string{"-vendor", "audiocodes", "-set", "SIPSRequireClientCertificate=1", "-versions", "1.2"}, exitUnknown, "require-and-verify", ""},
		{"ribbon invalidPurpose", []string{"-vendor", "ribbon-core", "-set", "authClient=true", "-set", "acceptableCertValidationErrors=invalidPurpose",
			"-set", "v1_0=disabled", "-set", "v1_1=disabled", "-set", "v1_2=enabled", "-set", "v1_3=enabled"}, exitSucceeds, "require-any", ""},
		{"oracle tlsv13 only", []string{"-vendor", "oracle", "-set", "release=10.1"}, exitFails, "no-common-version", ""},
		{"teams needs 1.2", []string{"-vendor", "oracle", "-set", "release=10.1", "-teams"}, exitError, "", "TLS 1.2"},
		{"undocumented word", []string{"-vendor", "oracle", "-set", "mutual-authenticate=maybe"}, exitError, "", "mutual-authenticate"},
		{"unknown parameter", []string{"-vendor", "avaya", "-set", "Mode=x"}, exitError, "", "unknown parameter"},
		{"no vendor", []string{}, exitError, "", "-vendor"},
		{"bad set", []string{"-vendor", "cube", "-set", "x"}, exitError, "", "PARAM=VALUE"},
		{"bad flag", []string{"-nope"}, exitError, "", "nope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if got := run(&out, &errb, c.args); got != c.exit {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", got, c.exit, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), c.out) || !strings.Contains(errb.String(), c.err) {
				t.Errorf("stdout %q / stderr %q, want %q / %q", out.String(), errb.String(), c.out, c.err)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	var out, errb bytes.Buffer
	if got := run(&out, &errb, []string{"-vendor", "oracle", "-set", "mutual-authenticate=disabled", "-set", "release=10.1", "-set", "tls-version=tlsv12", "-json"}); got != exitSucceeds {
		t.Fatalf("exit %d: %s", got, errb.String())
	}
	var r map[string]any
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	for _, k := range []string{"vendor", "server", "current_certificate", "renewed_certificate"} {
		if _, ok := r[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, out.String())
		}
	}
}
