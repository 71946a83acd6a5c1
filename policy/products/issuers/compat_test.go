package issuers

import (
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/tlsver"
)

// The names below are where this package's tests meet policy's API for
// Genesys, SBC servers and evidence, so that a move of those (issue 14,
// branch split: policy/products) changes only this file.

var (
	genesysRenewal    = products.GenesysRenewal
	genesysWindowDays = products.GenesysRenewalWindowDays
)

func genesysOutbound(issued, renewal time.Time) policy.Client {
	return products.GenesysBYOCCloudOutbound(issued, renewal)
}

func sbcServer(name string, st policy.Stack, mode policy.ClientAuthMode, v tlsver.Set) policy.Server {
	return products.SBC(name, st, mode, v)
}

func renewalText(r *policy.Renewal) string { return r.Evidence.String() }
