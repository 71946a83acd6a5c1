package testpki_test

import (
	"fmt"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

func Example() {
	pki := testpki.New()
	leaf := pki.Variant(testpki.ServerOnly)
	fmt.Println(leaf.Certificate.Subject.CommonName)
	fmt.Println(leaf.Description, "| chain length", len(leaf.Chain), "| root", leaf.Root)
	// Output:
	// tlscompat test client server-only
	// EKU serverAuth only | chain length 2 | root root
}
