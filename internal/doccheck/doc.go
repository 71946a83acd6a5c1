// Package doccheck holds a test that every exported name of the module has
// a doc comment (the style guide's rule). It has no API; run
//
//	go test ./internal/doccheck
//
// to list the exported names that lack one.
package doccheck
