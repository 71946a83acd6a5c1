package eku

import (
	"errors"
	"strconv"
)

// ErrorKind says what is wrong with the input of a [ParseError].
type ErrorKind uint8

// The kinds of [ParseError]. The zero value is KindUnknown.
const (
	KindUnknown ErrorKind = iota
	// KindMalformed: the bytes are not DER, or not the ASN.1 structure that
	// RFC 5280 requires at that place.
	KindMalformed
	// KindTrailingData: bytes follow the Certificate. crypto/x509 rejects
	// this too ("x509: trailing data").
	KindTrailingData
	// KindDuplicateExtension: an extension OID occurs twice. RFC 5280, 4.2:
	// "A certificate MUST NOT include more than one instance of a particular
	// extension." crypto/x509 rejects this too.
	KindDuplicateExtension
	// KindVersion: the version is not v1, v2 or v3.
	KindVersion
)

var kindText = [...]string{
	KindUnknown:            "invalid",
	KindMalformed:          "malformed",
	KindTrailingData:       "trailing data after",
	KindDuplicateExtension: "duplicate",
	KindVersion:            "unsupported",
}

// String returns a short description of k. It never panics.
func (k ErrorKind) String() string {
	if int(k) < len(kindText) {
		return kindText[k]
	}
	return "ErrorKind(" + strconv.Itoa(int(k)) + ")"
}

// ParseError reports malformed DER. It names the ASN.1 structure (as RFC 5280
// names it: "Certificate", "TBSCertificate", "Extension", "ExtKeyUsageSyntax",
// "KeyPurposeId", ...) and the byte offset at which that structure starts in
// the input given to [Parse].
type ParseError struct {
	Kind      ErrorKind
	Structure string
	Offset    int
	// Detail is extra text, for example the dotted OID of a duplicate
	// extension. It may be empty.
	Detail string
}

// Error returns text such as "eku: malformed ExtKeyUsageSyntax at offset 412".
func (e *ParseError) Error() string {
	s := "eku: " + e.Kind.String() + " " + e.Structure
	if e.Detail != "" {
		s += " " + e.Detail
	}
	return s + " at offset " + strconv.Itoa(e.Offset)
}

// ErrNoCertificate is returned by [ParsePEM] and [ParsePEMChain] when the
// input holds no PEM block of type CERTIFICATE.
var ErrNoCertificate = errors.New("eku: no CERTIFICATE block found")

// PEMError reports a problem with a PEM bundle: a CERTIFICATE block without
// its END line, broken base64, or (with Err set to a *[ParseError]) a
// certificate inside the block that is not valid DER.
type PEMError struct {
	// Offset is the byte offset in the bundle: of the offending base64 byte
	// for broken base64, otherwise of the block's "-----BEGIN" line.
	Offset int
	// Block is the 0-based index of the CERTIFICATE block in the bundle.
	Block int
	// Reason describes the problem in a few words.
	Reason string
	// Err is the underlying error, if any (a *ParseError for bad DER).
	Err error
}

// Error returns text such as
// "eku: PEM CERTIFICATE block 2 at offset 1830: illegal base64 data".
func (e *PEMError) Error() string {
	s := "eku: PEM CERTIFICATE block " + strconv.Itoa(e.Block) + " at offset " + strconv.Itoa(e.Offset) + ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *PEMError) Unwrap() error { return e.Err }

// ChainError reports which certificate of a chain failed to parse.
type ChainError struct {
	// Index is the position in the chain, 0 = leaf.
	Index int
	Err   error
}

// Error returns text such as "eku: chain certificate 1: eku: malformed ...".
func (e *ChainError) Error() string {
	return "eku: chain certificate " + strconv.Itoa(e.Index) + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *ChainError) Unwrap() error { return e.Err }
