// Package testpki generates the certificates the interoperability tests use:
// a root CA, intermediates with and without EKU restrictions, client leaf
// variants that differ in EKU, KeyUsage and Netscape certificate type, and a
// server certificate for 127.0.0.1.
//
// Start with [New], which generates everything once per process (guarded by
// sync.Once) and returns the shared, read-only [PKI]. Iterate over
// [Variants] to cover every client leaf; [PKI.Variant] returns a [Leaf] with
// the chain a client presents and its private key. Processes (openssl,
// gnutls-serv, java) read PEM files written by [PKI.WriteFiles].
//
// Names are deterministic (subject CN "tlscompat test client <variant>",
// fixed serial numbers and validity); keys and signatures are fresh in every
// process. Key types: ECDSA P-256, except [KeyEnciphermentOnly], which needs
// an RSA key for its KeyUsage to make sense.
package testpki
