// Command sbccheck answers the Genesys BYOC Cloud clientAuth question for a
// commercial SBC from its own configuration words: the vendor's parameters
// are mapped to a client-certificate mode and versions by package
// policy/products/sbc (each mapping cites the vendor's page), and the
// handshake with the Genesys BYOC Cloud outbound certificate is predicted
// before and after the renewal that drops clientAuth.
//
// Usage:
//
//	sbccheck -vendor audiocodes -set TLSMutualAuthentication=Enable -versions 1.2
//	sbccheck -vendor oracle -set release=10.1 -set mutual-authenticate=enabled -set tls-version=tlsv12
//	sbccheck -vendor ribbon-core -set authClient=true -set v1_2=enabled -set v1_0=disabled -set v1_1=disabled -set v1_3=enabled
//	sbccheck -vendor avaya -set "Peer Verification=Required" -versions 1.2 -teams
//
// -set takes the vendor's parameter name (or the Go field name of the
// vendor's config struct in policy/products/sbc) and its value; a word the
// vendor does not document is an error naming the field.
//
// Exit status (the verdict for the renewed, serverAuth-only certificate):
//
//	0  the handshake will succeed
//	1  the handshake will fail
//	2  cannot tell (the output says what is missing)
//	3  usage error or a configuration word the vendor does not document
//
// -h and --help print this usage and exit 0.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/policy"
	"github.com/tlscompat/tlscompat/policy/products"
	"github.com/tlscompat/tlscompat/policy/products/sbc"
	"github.com/tlscompat/tlscompat/tlsver"
)

const (
	exitSucceeds = 0
	exitFails    = 1
	exitUnknown  = 2
	exitError    = 3
)

const usageText = `Usage: sbccheck -vendor NAME [-set PARAM=VALUE ...] [flags]

Maps an SBC's own configuration words to a client-certificate mode and
versions (each mapping cites the vendor's page) and predicts the handshake
with the Genesys BYOC Cloud outbound certificate, before and after the
renewal that drops clientAuth.

  sbccheck -vendor audiocodes -set TLSMutualAuthentication=Enable -versions 1.2
  sbccheck -vendor oracle -set release=10.1 -set mutual-authenticate=enabled -set tls-version=tlsv12

Vendors and their parameters:
%s
Exit status (the verdict for the renewed serverAuth-only certificate):
  0  the handshake will succeed
  1  the handshake will fail
  2  cannot tell (the output says what is missing)
  3  usage error or a configuration word the vendor does not document

Flags:
`

// vendor describes one constructor: its config struct and the vendor's
// parameter names for the struct's fields.
type vendor struct {
	cfg     func() any // pointer to a zero config struct
	build   func(cfg any) (policy.Server, error)
	aliases map[string]string // vendor parameter name (lower case) -> Go field
}

var vendors = map[string]vendor{
	"audiocodes": {
		cfg:   func() any { return &sbc.AudioCodesTLS{} },
		build: func(c any) (policy.Server, error) { return sbc.AudioCodes(*c.(*sbc.AudioCodesTLS)) },
		aliases: map[string]string{
			"tls mutual authentication": "TLSMutualAuthentication", "sipsrequireclientcertificate": "TLSMutualAuthentication",
			"sipinterface_tlsmutualauthentication": "SIPInterfaceTLSMutualAuthentication",
		},
	},
	"cube": {
		cfg:     func() any { return &sbc.CUBETLSProfile{} },
		build:   func(c any) (policy.Server, error) { return sbc.CUBE(*c.(*sbc.CUBETLSProfile)) },
		aliases: map[string]string{"cn-san validate": "CNSANValidate"},
	},
	"oracle": {
		cfg:     func() any { return &sbc.OracleTLSProfile{} },
		build:   func(c any) (policy.Server, error) { return sbc.Oracle(*c.(*sbc.OracleTLSProfile)) },
		aliases: map[string]string{"mutual-authenticate": "MutualAuthenticate", "tls-version": "TLSVersion"},
	},
	"ribbon-core": {
		cfg:   func() any { return &sbc.RibbonCoreTLSProfile{} },
		build: func(c any) (policy.Server, error) { return sbc.RibbonCore(*c.(*sbc.RibbonCoreTLSProfile)) },
		aliases: map[string]string{
			"authclient": "AuthClient", "acceptablecertvalidationerrors": "AcceptableCertValidationErrors",
			"v1_0": "V10", "v1_1": "V11", "v1_2": "V12", "v1_3": "V13",
		},
	},
	"ribbon-edge": {
		cfg:     func() any { return &sbc.RibbonEdgeTLSProfile{} },
		build:   func(c any) (policy.Server, error) { return sbc.RibbonEdge(*c.(*sbc.RibbonEdgeTLSProfile)) },
		aliases: map[string]string{"mutual authentication": "MutualAuthentication", "tls protocol": "TLSProtocol"},
	},
	"avaya": {
		cfg:     func() any { return &sbc.AvayaSBCETLS{} },
		build:   func(c any) (policy.Server, error) { return sbc.AvayaSBCE(*c.(*sbc.AvayaSBCETLS)) },
		aliases: map[string]string{"peer verification": "PeerVerification"},
	},
	"expressway": {
		cfg:   func() any { return &sbc.ExpresswayTLS{} },
		build: func(c any) (policy.Server, error) { return sbc.Expressway(*c.(*sbc.ExpresswayTLS)) },
	},
}

// params lists a vendor's settable parameters: the string fields of its
// config struct and the vendor's names for them.
func params(v vendor) []string {
	t := reflect.TypeOf(v.cfg()).Elem()
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.Type.Kind() == reflect.String {
			names := []string{f.Name}
			for a, field := range v.aliases {
				if field == f.Name {
					names = append(names, a)
				}
			}
			sort.Strings(names[1:])
			out = append(out, strings.Join(names, " / "))
		}
	}
	return out
}

func vendorHelp() string {
	var names []string
	for n := range vendors {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "  %-12s %s\n", n, strings.Join(params(vendors[n]), "; "))
	}
	return b.String()
}

// set assigns value to the field named key (Go name or vendor alias, case
// ignored) of the config struct cfg points to.
func set(v vendor, cfg any, key, value string) error {
	field := key
	if f, ok := v.aliases[strings.ToLower(strings.TrimSpace(key))]; ok {
		field = f
	}
	rv := reflect.ValueOf(cfg).Elem()
	t := rv.Type()
	for i := 0; i < t.NumField(); i++ {
		if strings.EqualFold(t.Field(i).Name, strings.TrimSpace(field)) && t.Field(i).Type.Kind() == reflect.String {
			rv.Field(i).SetString(value)
			return nil
		}
	}
	return fmt.Errorf("unknown parameter %q (parameters: %s)", key, strings.Join(params(v), "; "))
}

type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, ",") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

// report is the -json output.
type report struct {
	Vendor  string         `json:"vendor"`
	Server  policy.Server  `json:"server"`
	Current policy.Outcome `json:"current_certificate"`
	Renewed policy.Outcome `json:"renewed_certificate"`
}

func main() { os.Exit(run(os.Stdout, os.Stderr, os.Args[1:])) }

func run(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("sbccheck", flag.ContinueOnError)
	var parseOut bytes.Buffer
	fs.SetOutput(&parseOut)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), usageText, vendorHelp())
		fs.PrintDefaults()
	}
	var sets setFlags
	name := fs.String("vendor", "", "the SBC `vendor`: audiocodes, cube, oracle, ribbon-core, ribbon-edge, avaya, expressway")
	fs.Var(&sets, "set", "a configuration `PARAM=VALUE` in the vendor's words (repeatable)")
	versions := fs.String("versions", "", "the `versions` the SBC accepts where its words do not say (e.g. \"1.2\" or \"TLS 1.2, 1.3\")")
	teams := fs.Bool("teams", false, "the SBC is a Teams Direct Routing SBC (Microsoft requires TLS 1.2)")
	at := fs.String("at", "", "evaluate as of this `date` (YYYY-MM-DD; default now; a date before the end of the Genesys renewal week is moved to it, as the renewed certificate exists only then)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitSucceeds
		}
		stderr.Write(parseOut.Bytes())
		return exitError
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "sbccheck: "+format+"\n", a...)
		fmt.Fprintln(stderr, "run sbccheck -h for usage")
		return exitError
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	v, ok := vendors[strings.ToLower(*name)]
	if !ok {
		return fail("-vendor %q: want one of audiocodes, cube, oracle, ribbon-core, ribbon-edge, avaya, expressway", *name)
	}
	cfg := v.cfg()
	for _, s := range sets {
		key, value, ok := strings.Cut(s, "=")
		if !ok {
			return fail("-set %q: want PARAM=VALUE", s)
		}
		if err := set(v, cfg, key, value); err != nil {
			return fail("-set %q: %v", s, err)
		}
	}
	var vs tlsver.Set
	if *versions != "" {
		var err error
		if vs, err = tlsver.ParseSet(*versions); err != nil {
			return fail("-versions: %v", err)
		}
		if f := reflect.ValueOf(cfg).Elem().FieldByName("Versions"); f.IsValid() {
			f.Set(reflect.ValueOf(vs))
		}
	}
	now := time.Now().UTC()
	if *at != "" {
		t, err := time.Parse(time.DateOnly, *at)
		if err != nil {
			return fail("-at %q: want YYYY-MM-DD", *at)
		}
		now = t
	}
	srv, err := v.build(cfg)
	if err != nil {
		return fail("%v", err)
	}
	if vs != 0 && srv.Versions == 0 {
		srv.Versions = vs // the words leave versions open (e.g. Oracle compatibility)
	}
	if *teams {
		if srv, err = sbc.TeamsDirectRouting(srv); err != nil {
			return fail("%v", err)
		}
	}
	old := products.GenesysBYOCCloudOutbound(products.GenesysClientAuthCutover.AddDate(-1, 0, 0), time.Time{})
	renewed := products.GenesysBYOCCloudOutbound(products.GenesysRenewal, time.Time{})
	if now.Before(products.GenesysRenewal) {
		now = products.GenesysRenewal.AddDate(0, 0, products.GenesysRenewalWindowDays)
	}
	r := report{
		Vendor: strings.ToLower(*name), Server: srv,
		Current: policy.Evaluate(policy.Scenario{Client: old, Server: srv, At: now}),
		Renewed: policy.Evaluate(policy.Scenario{Client: renewed, Server: srv, At: now}),
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(r); err != nil {
			return fail("%v", err)
		}
	} else {
		fmt.Fprintf(stdout, "%s: client certificates %s, versions %v, TLS stack %s\n", srv.Name, srv.ClientAuth, srv.Versions, srv.Stack)
		fmt.Fprintf(stdout, "evidence: %s\n\n", srv.Evidence)
		fmt.Fprintf(stdout, "Genesys certificate with clientAuth (before the cut-over): %s\n", r.Current.Verdict)
		fmt.Fprintf(stdout, "Genesys certificate renewed without clientAuth:          %s\n\n", r.Renewed.Verdict)
		fmt.Fprint(stdout, r.Renewed.Explain())
	}
	switch r.Renewed.Verdict {
	case policy.Succeeds:
		return exitSucceeds
	case policy.Fails:
		return exitFails
	}
	return exitUnknown
}
