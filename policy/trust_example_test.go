package policy_test

import (
	"fmt"
	"time"

	"github.com/tlscompat/tlscompat/internal/testpki"
	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/tlsver"
)

// An SBC on OpenSSL that requires and verifies client certificates, with
// its CAfile as the store: a client chain from another root is rejected
// with OpenSSL's alert, and without the store the success names its
// assumption. The client side checks the SBC's chain and dialled name.
func ExampleTrust() {
	tp := testpki.NewTrust() // certificates the way a PEM file would give them
	sbcStore, _ := policy.TrustFromDER("SBC CAfile", tp.DER("old-root")...)
	clientChain, _ := policy.ChainFromDER(tp.DER("leaf-unknown", "int-unknown")...)
	s := policy.Scenario{
		Client: policy.Client{Name: "carrier", Versions: tlsver.SetOf(tlsver.TLS12), Chain: clientChain},
		Server: policy.Server{Name: "SBC", Stack: policy.OpenSSL3, ClientAuth: policy.ClientAuthRequireAndVerify,
			Versions: tlsver.SetOf(tlsver.TLS12), Trust: sbcStore},
		At: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
	}
	o := policy.Evaluate(s)
	fmt.Println(o.Verdict, o.Alert, o.AlertFrom)
	f, _ := o.First(policy.EffectFail)
	fmt.Println(f.Code, f.Detail)

	s.Server.Trust = nil
	s.Server.Stack = policy.JavaJSSE
	o = policy.Evaluate(s)
	fmt.Println(o.Verdict, o.TrustAssumed())

	// The other direction: the carrier dials the SBC by name and checks its
	// chain with its own store.
	sbcChain, _ := policy.ChainFromDER(tp.DER("leaf", "int")...)
	carrierStore, _ := policy.TrustFromDER("carrier store", tp.DER("old-root")...)
	s = policy.Scenario{
		Client: policy.Client{Name: "carrier", Stack: policy.GoCryptoTLS, Versions: tlsver.SetOf(tlsver.TLS13),
			Trust: carrierStore, ServerName: "sbc.example.net"},
		Server: policy.Server{Name: "SBC", Versions: tlsver.SetOf(tlsver.TLS13), ClientAuth: policy.ClientAuthNone, Chain: sbcChain},
		At:     time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
	}
	o = policy.Evaluate(s)
	fmt.Println(o.Verdict, o.Alert, o.AlertFrom)
	// Output:
	// fails unknown_ca server
	// chain-untrusted CN=tlscompat trust unknown root,O=tlscompat trust test
	// succeeds true
	// fails bad_certificate client
}
