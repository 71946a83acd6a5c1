package issuers

import (
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// The names below are where this package's tests meet policy's API for
// Genesys, SBC servers and evidence, so that a move of those (issue 14,
// branch split: policy/products) changes only this file.

var (
	genesysRenewal    = policy.GenesysRenewal
	genesysWindowDays = policy.GenesysRenewalWindowDays
)

func genesysOutbound(issued, renewal time.Time) policy.Client {
	return policy.GenesysBYOCCloudOutbound(issued, renewal)
}

func sbcServer(name string, st policy.Stack, mode policy.ClientAuth, v tlsver.Set) policy.Server {
	return policy.SBC(name, st, mode, v)
}

func renewalText(r *policy.Renewal) string { return r.Source }
