package eku_test

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/eku"
	"github.com/tlscompat/tlscompat/eku/internal/certgen"
	"github.com/tlscompat/tlscompat/internal/stacks"
)

var opensslPurposeErr = regexp.MustCompile(`(?m)^error (\d+) at (\d+) depth lookup: (.*)$`)

// opensslVerify runs `openssl verify -purpose <purpose>` over the chain
// (leaf, intermediate, root DER) and returns whether it verified and the
// depths at which OpenSSL reported X509_V_ERR_INVALID_PURPOSE (26).
// Any other verification error fails the test, so that a rejection for an
// unrelated reason (a broken test certificate) cannot pass for an EKU
// verdict.
func opensslVerify(t *testing.T, purpose string, ders [][]byte) (ok bool, purposeDepths []int, out string) {
	t.Helper()
	dir := t.TempDir()
	names := []string{"leaf.pem", "inter.pem", "root.pem"}
	for i, der := range ders {
		c := certgen.Cert{DER: der}
		if err := os.WriteFile(filepath.Join(dir, names[i]), c.PEM(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "openssl", "verify", "-purpose", purpose,
		"-attime", strconv.FormatInt(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), 10),
		"-CAfile", "root.pem", "-untrusted", "inter.pem", "leaf.pem")
	cmd.Dir = dir
	b, err := cmd.CombinedOutput()
	out = string(b)
	if ctx.Err() != nil {
		t.Fatalf("openssl verify timed out: %s", out)
	}
	for _, m := range opensslPurposeErr.FindAllStringSubmatch(out, -1) {
		if m[1] != "26" {
			t.Fatalf("openssl verify reports error %s (%s), not an EKU verdict:\n%s", m[1], m[3], out)
		}
		d, _ := strconv.Atoi(m[2])
		if !slices.Contains(purposeDepths, d) {
			purposeDepths = append(purposeDepths, d)
		}
	}
	ok = err == nil && strings.Contains(out, "leaf.pem: OK")
	if ok == (len(purposeDepths) > 0) {
		t.Fatalf("openssl verify: exit %v but purpose errors at %v:\n%s", err, purposeDepths, out)
	}
	slices.Sort(purposeDepths)
	return ok, purposeDepths, out
}

// TestOpenSSLVerifyAgrees checks the OpenSSL semantics against the real
// thing: for each chain variant it runs `openssl verify -purpose sslclient`
// and `-purpose sslserver` (root as -CAfile, intermediate as -untrusted) and
// compares the verdict with Chain.Permits(ClientAuth/ServerAuth, OpenSSL),
// and the depths OpenSSL blames with the certificates eku's rule rejects
// one by one.
func TestOpenSSLVerifyAgrees(t *testing.T) {
	stacks.Need(t, "openssl")
	tests := chainVariants()
	agree := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ders := certgen.Chain("openssl "+tc.name, tc.cs)
			c, err := eku.ParseChain(ders)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range []struct {
				purpose string
				p       eku.Purpose
				want    bool
			}{{"sslclient", eku.ClientAuth, tc.client}, {"sslserver", eku.ServerAuth, tc.server}} {
				ok, depths, out := opensslVerify(t, x.purpose, ders)
				if ok != x.want {
					t.Errorf("openssl verify -purpose %s = %v, the table says %v (fix the table from openssl/openssl@openssl-3.0.19 crypto/x509/v3_purp.c):\n%s", x.purpose, ok, x.want, out)
				}
				if got := c.Permits(x.p, eku.OpenSSL); got != ok {
					t.Errorf("Permits(%v, OpenSSL) = %v; openssl verify -purpose %s = %v:\n%s", x.p, got, x.purpose, ok, out)
					continue
				}
				// Depth by depth: the certificates eku's rule rejects on
				// their own are the ones OpenSSL blames.
				var deny []int
				for i := 0; i < c.Len(); i++ {
					one, _ := eku.ChainOf(c.At(i))
					if !one.Permits(x.p, eku.OpenSSL) {
						deny = append(deny, i)
					}
				}
				if !slices.Equal(deny, depths) {
					t.Errorf("-purpose %s: eku rejects certificates %v, OpenSSL blames depths %v:\n%s", x.purpose, deny, depths, out)
				}
				if !ok && (len(depths) == 0 || c.DeniedBy(x.p, eku.OpenSSL) != depths[len(depths)-1]) {
					t.Errorf("-purpose %s: DeniedBy = %d, OpenSSL blames depths %v", x.purpose, c.DeniedBy(x.p, eku.OpenSSL), depths)
				}
				agree++
			}
		})
	}
	t.Logf("openssl verify agrees with Permits(..., OpenSSL) on %d of %d chain/purpose pairs", agree, 2*len(tests))
}

// chainVariant is a root -> intermediate -> leaf EKU layout with what
// OpenSSL's purpose check says about it.
type chainVariant struct {
	name string
	cs   certgen.ChainSpec
	// Written down from OpenSSL 3.x (crypto/x509/v3_purp.c), not computed:
	// whether sslclient and sslserver verify.
	client, server bool
}

// chainVariants are the EKU layouts compared with openssl verify and with
// crypto/x509's Verify.
func chainVariants() []chainVariant {
	sa, ca, any := certgen.OIDServerAuth, certgen.OIDClientAuth, certgen.OIDAny
	msSGC := asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 10, 3, 3}
	nsSGC := asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 4, 1}
	type spec = certgen.ChainSpec
	return []chainVariant{
		{"leaf serverAuth only", spec{LeafEKU: oids{sa}, NoInterEKU: true, NoRootEKU: true}, false, true},
		{"leaf clientAuth", spec{LeafEKU: oids{ca}, NoInterEKU: true, NoRootEKU: true}, true, false},
		{"leaf serverAuth+clientAuth", spec{LeafEKU: oids{sa, ca}, NoInterEKU: true, NoRootEKU: true}, true, true},
		{"leaf anyEKU", spec{LeafEKU: oids{any}, NoInterEKU: true, NoRootEKU: true}, false, false},
		{"leaf serverAuth+anyEKU", spec{LeafEKU: oids{sa, any}, NoInterEKU: true, NoRootEKU: true}, false, true},
		{"leaf no EKU", spec{NoLeafEKU: true, NoInterEKU: true, NoRootEKU: true}, true, true},
		{"leaf empty EKU", spec{LeafEKU: nil, NoInterEKU: true, NoRootEKU: true}, false, false},
		{"leaf Microsoft SGC", spec{LeafEKU: oids{msSGC}, NoInterEKU: true, NoRootEKU: true}, false, true},
		{"leaf Netscape SGC", spec{LeafEKU: oids{nsSGC}, NoInterEKU: true, NoRootEKU: true}, false, true},
		{"intermediate serverAuth only", spec{LeafEKU: oids{ca}, InterEKU: oids{sa}, NoRootEKU: true}, false, false},
		{"intermediate serverAuth, leaf both", spec{LeafEKU: oids{sa, ca}, InterEKU: oids{sa}, NoRootEKU: true}, false, true},
		{"intermediate anyEKU", spec{LeafEKU: oids{ca}, InterEKU: oids{any}, NoRootEKU: true}, false, false},
		{"intermediate serverAuth+anyEKU", spec{LeafEKU: oids{ca}, InterEKU: oids{sa, any}, NoRootEKU: true}, false, false},
		{"intermediate clientAuth", spec{LeafEKU: oids{ca}, InterEKU: oids{ca}, NoRootEKU: true}, true, false},
		{"intermediate no EKU", spec{LeafEKU: oids{ca}, NoInterEKU: true, NoRootEKU: true}, true, false},
		{"no-EKU leaf under serverAuth intermediate", spec{NoLeafEKU: true, InterEKU: oids{sa}, NoRootEKU: true}, false, true},
		{"root serverAuth only", spec{LeafEKU: oids{ca}, NoInterEKU: true, RootEKU: oids{sa}}, false, false},
		{"root serverAuth only, leaf both", spec{LeafEKU: oids{sa, ca}, NoInterEKU: true, RootEKU: oids{sa}}, false, true},
		{"root anyEKU", spec{LeafEKU: oids{ca}, NoInterEKU: true, RootEKU: oids{any}}, false, false},
		{"root clientAuth, intermediate serverAuth, leaf both", spec{LeafEKU: oids{sa, ca}, InterEKU: oids{sa}, RootEKU: oids{ca}}, false, false},
	}
}

// TestNestedAgreesWithGoVerify checks Nested against crypto/x509's Verify
// (KeyUsages clientAuth, then serverAuth) on every chain variant.
func TestNestedAgreesWithGoVerify(t *testing.T) {
	for _, tc := range chainVariants() {
		ders := certgen.Chain("openssl "+tc.name, tc.cs)
		c, err := eku.ParseChain(ders)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range []struct {
			usage x509.ExtKeyUsage
			p     eku.Purpose
		}{{x509.ExtKeyUsageClientAuth, eku.ClientAuth}, {x509.ExtKeyUsageServerAuth, eku.ServerAuth}} {
			if got, want := c.Permits(x.p, eku.Nested), goVerifies(t, ders, x.usage); got != want {
				t.Errorf("%s: Permits(%v, Nested) = %v, crypto/x509 Verify = %v", tc.name, x.p, got, want)
			}
		}
	}
}
