package sbc

import (
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
)

// The names below are where this package's tests meet policy's API for
// Genesys and evidence, so that a move of those (issue 14, branch split:
// policy/products) changes only this file.

func genesysOutbound(issued, renewal time.Time) policy.Client {
	return products.GenesysBYOCCloudOutbound(issued, renewal)
}

func evidenceText(s policy.Server) string { return s.Evidence.String() }
