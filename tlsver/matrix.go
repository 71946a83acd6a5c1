package tlsver

import (
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed builtin.json
var builtinJSON []byte

// Product names used by the built-in data, and the release names of the
// products that have no Cisco release numbers. Lookups ignore case and also
// accept the aliases the data lists (e.g. "developer" for SalesforceSandbox).
const (
	UCCX        = "UCCX"
	SocialMiner = "SocialMiner"
	Salesforce  = "Salesforce"
	Exchange    = "Exchange"

	SalesforceProduction = "production"
	SalesforceSandbox    = "sandbox" // also "developer"
	SalesforceNew        = "new"     // new deployments

	Exchange2010       = "2010"
	Exchange2013       = "2013"        // default configuration
	Exchange2013TLS112 = "2013+TLS1.2" // TLS 1.1/1.2 enabled
)

// SeedDocument is the id of the source document of the built-in data: the
// public URL of Cisco TechNote 201000, German edition (the edition the data
// was read from).
const SeedDocument = "https://www.cisco.com/c/de_de/support/docs/customer-collaboration/unified-contact-center-express-1151/201000-TechNote-on-Handling-TLS-Support-with-UC.html"

// Matrix holds vendor compatibility data: which TLS versions a product
// release supports in a role, since when, and according to which source.
// A Matrix is immutable and safe for concurrent use.
type Matrix struct {
	file     fileData
	products []*product
}

var zeroTime time.Time

var builtin = sync.OnceValue(func() *Matrix {
	m, err := ParseMatrix(builtinJSON)
	if err != nil {
		panic("tlsver: built-in data is invalid: " + err.Error())
	}
	return m
})

// Builtin returns the matrix compiled from the seed document and Cisco's
// later UCCX release notes and administration guide (the embedded
// builtin.json; see the package documentation). The same read-only value is
// returned on every call.
func Builtin() *Matrix { return builtin() }

type product struct {
	name       string
	aliases    []string
	cisco      bool
	names      []nameInfo
	nameKeys   map[string]int // lower-cased names and aliases to names index (loading only)
	origins    []string
	originsSrc Provenance
	entries    []entry
	upgrades   []upgradeRow
	hasHTTPS   bool // some entry is for HTTPS or for no protocol in particular
}

type nameInfo struct {
	name    string
	aliases []string
}

type entry struct {
	general     bool
	literal     []pattern // what the source says it covers
	applies     []pattern // where the data applies it (general statements)
	role        Role      // 0 = both
	proto       Protocol  // 0 = any
	versions    Set
	def         Version
	from, until time.Time
	derived     bool
	partial     bool
	note        string
	src         Provenance
}

type upgradeRow struct {
	from   pattern
	goal   Goal
	target Release
	note   string
	src    Provenance
}

type patKind uint8

const (
	patAny   patKind = 1 + iota // "*"
	patExact                    // "11.5(1)SU1"
	patTrain                    // "10.6": the train and all its releases
	patMajor                    // "10.x"
	patRange                    // "10.6 .. 10.6(1)SU2", inclusive
	patName                     // a release name of a "names" product
)

type pattern struct {
	kind   patKind
	lo, hi Release
	name   int
}

// String returns the pattern as written in the schema.
func (p pattern) String() string {
	switch p.kind {
	case patAny:
		return "*"
	case patExact, patTrain:
		return p.lo.String()
	case patMajor:
		return strconv.Itoa(int(p.lo.Major)) + ".x"
	case patRange:
		return p.lo.String() + " .. " + p.hi.String()
	case patName:
		return "name #" + strconv.Itoa(p.name)
	}
	return "?"
}

// match reports whether the pattern covers r (or the name index), and whether
// it names it exactly.
func (p pattern) match(r Release, name int) (covers, exact bool) {
	switch p.kind {
	case patAny:
		return true, false
	case patExact:
		return r == p.lo, r == p.lo
	case patTrain:
		return r.Major == p.lo.Major && r.Minor == p.lo.Minor && !r.IsZero(), r == p.lo
	case patMajor:
		return r.Major == p.lo.Major && !r.IsZero(), false
	case patRange:
		return r.Compare(p.lo) >= 0 && r.Compare(p.hi) <= 0 && !r.IsZero(), false
	case patName:
		return name == p.name, name == p.name
	}
	return false, false
}

func (pr *product) parsePattern(s string) (pattern, error) {
	t := strings.TrimSpace(s)
	if t == "*" {
		return pattern{kind: patAny}, nil
	}
	if !pr.cisco {
		if i, ok := pr.nameKeys[strings.ToLower(t)]; ok {
			return pattern{kind: patName, name: i}, nil
		}
		if i := pr.nameIndex(t); i >= 0 {
			return pattern{kind: patName, name: i}, nil
		}
		return pattern{}, &ParseError{What: "release name", Input: s, Msg: "not a name listed for product " + pr.name}
	}
	if lo, hi, ok := strings.Cut(t, ".."); ok && !strings.Contains(hi, "..") {
		a, err := ParseRelease(lo)
		if err != nil {
			return pattern{}, err
		}
		b, err := ParseRelease(hi)
		if err != nil {
			return pattern{}, err
		}
		if b.Compare(a) < 0 {
			return pattern{}, &ParseError{What: "release range", Input: s, Msg: "range ends before it starts"}
		}
		return pattern{kind: patRange, lo: a, hi: b}, nil
	}
	if maj, ok := strings.CutSuffix(t, ".x"); ok {
		n, err := strconv.Atoi(maj)
		if err != nil || n <= 0 || n > maxReleaseNumber {
			return pattern{}, &ParseError{What: "release pattern", Input: s, Msg: "expected a major release before \".x\", as in \"10.x\""}
		}
		return pattern{kind: patMajor, lo: Release{Major: uint16(n)}}, nil
	}
	r, err := ParseRelease(t)
	if err != nil {
		return pattern{}, err
	}
	if r.IsTrain() {
		return pattern{kind: patTrain, lo: r}, nil
	}
	return pattern{kind: patExact, lo: r}, nil
}

func (pr *product) nameIndex(s string) int {
	s = strings.TrimSpace(s)
	for i, n := range pr.names {
		if namedAs(s, n.name, n.aliases) {
			return i
		}
	}
	return -1
}

// namedAs reports whether s is name or one of aliases, ignoring case.
func namedAs(s, name string, aliases []string) bool {
	if strings.EqualFold(name, s) {
		return true
	}
	for _, a := range aliases {
		if strings.EqualFold(a, s) {
			return true
		}
	}
	return false
}

// noteProtocols records whether some entry is for HTTPS or for no protocol
// in particular.
func (pr *product) noteProtocols() {
	for _, e := range pr.entries {
		if e.proto == 0 || e.proto == HTTPS {
			pr.hasHTTPS = true
		}
	}
}

// overridden returns, for a table row e, the first general statement of the
// same product, role and protocol whose literal scope covers one of the
// releases the row names but which states other versions: the row wins, and
// answers say so. It runs when a row answers, so that loading stays linear
// in the number of rows (finding it for every row at load time was
// quadratic); it does not allocate.
func (pr *product) overridden(e *entry) (Provenance, Set) {
	if e.general || !pr.cisco {
		return Provenance{}, 0
	}
	for i := range pr.entries {
		g := &pr.entries[i]
		if !g.general || g.versions == e.versions || g.proto != e.proto || (g.role != 0 && e.role != 0 && g.role != e.role) {
			continue
		}
		for _, rp := range e.literal {
			if rp.kind != patExact && rp.kind != patTrain {
				continue
			}
			if covers(g.literal, rp.lo, -1) {
				return g.src, g.versions
			}
		}
	}
	return Provenance{}, 0
}

func covers(ps []pattern, r Release, name int) bool {
	for _, p := range ps {
		if c, _ := p.match(r, name); c {
			return true
		}
	}
	return false
}

func (m *Matrix) product(name string) *product {
	name = strings.TrimSpace(name)
	for _, p := range m.products {
		if namedAs(name, p.name, p.aliases) {
			return p
		}
	}
	return nil
}

// Products returns the names of the products m has data for, in data order.
func (m *Matrix) Products() []string {
	out := make([]string, len(m.products))
	for i, p := range m.products {
		out[i] = p.name
	}
	return out
}

// ClientOrigins returns where a product's client requests originate (for
// UCCX: "UCCX scripts", "Finesse workflows", "Finesse gadgets") and the source
// saying so; ok is false if the data does not say. The slice is shared; do
// not modify it.
func (m *Matrix) ClientOrigins(product string) (origins []string, src Provenance, ok bool) {
	p := m.product(product)
	if p == nil || len(p.origins) == 0 {
		return nil, Provenance{}, false
	}
	return p.origins, p.originsSrc, true
}

// Provenance says where a piece of data comes from.
type Provenance struct {
	Document  string // source document id, e.g. the URL of Cisco TechNote 201000
	Table     string // table name ("current", "next", "upgrade"), if from a table
	Row       string // row (release or name) within the table or section
	Section   string // section of the document, for prose statements
	Statement string // the statement, in English, for prose statements
	General   bool   // a general statement, applied to releases it covers
}

// IsZero reports whether p is empty.
func (p Provenance) IsZero() bool { return p == Provenance{} }

// String returns e.g. `https://www.cisco.com/…/201000-TechNote-on-Handling-TLS-Support-with-UC.html, table "next", row 11.5(1)SU1` or
// `https://www.cisco.com/…, general statement "Unified CCX 11.x - TLS 1.0, 1.1 and 1.2"`.
func (p Provenance) String() string {
	if p.IsZero() {
		return "no source"
	}
	s := p.Document
	if p.Table != "" {
		s += ", table " + strconv.Quote(p.Table)
	} else if p.Section != "" {
		s += ", section " + strconv.Quote(p.Section)
	}
	if p.Row != "" {
		s += ", row " + p.Row
	}
	if p.Statement != "" {
		if p.General {
			s += ", general statement "
		} else {
			s += ", statement "
		}
		s += strconv.Quote(p.Statement)
	}
	return s
}

// Support is the answer of [Matrix.Support]: the versions a product release
// supports in a role, with where that comes from.
type Support struct {
	Product  string   // canonical product name ("" if the product is unknown)
	Release  string   // the release as asked, or the canonical release name
	Role     Role     // the role asked for
	Protocol Protocol // the protocol the answer is for; 0 = not protocol-specific

	// Known reports whether the data covers the question. When false,
	// Reason says why and the other fields are zero: no guess is made.
	Known  bool
	Reason string

	Versions Set     // the versions supported
	Default  Version // the version used by default, 0 if none is stated
	// Derived reports that the answer is inferred rather than stated: a
	// general statement applied to a release it names only by a pattern, or
	// versions the source implies but does not list (see Note).
	Derived bool
	// Partial reports that Versions lists only what the source says may be
	// used; other versions are not covered by it.
	Partial bool
	// Since and Until bound the time the answer holds (zero = unbounded).
	Since, Until time.Time

	Provenance Provenance
	Note       string // the data's note on this answer, if any

	// Overrides is set when a table row won over a general statement that
	// covers the release but says otherwise; OverriddenVersions is what the
	// general statement said.
	Overrides          Provenance
	OverriddenVersions Set
}

// String returns a one-line explanation, e.g. "UCCX 11.5(1)SU1 as server
// (HTTPS): TLS 1.1, 1.2; stated in 003_…, table "next", row 11.5(1)SU1; this
// row overrides the general statement … (TLS 1.0–1.2)".
func (s Support) String() string {
	head := s.Product
	if head == "" {
		head = "?"
	}
	head += " " + s.Release + " as " + s.Role.String()
	if s.Protocol != 0 {
		head += " (" + s.Protocol.String() + ")"
	}
	if !s.Known {
		return head + ": unknown — " + s.Reason
	}
	out := head + ": " + s.Versions.String()
	if s.Default != 0 {
		out += " (default " + s.Default.String() + ")"
	}
	if s.Partial {
		out += " (partial: other versions not stated)"
	}
	if !s.Since.IsZero() {
		out += " since " + s.Since.UTC().Format(time.RFC3339)
	}
	if !s.Until.IsZero() {
		out += " until " + s.Until.UTC().Format(time.RFC3339)
	}
	if s.Derived {
		out += "; derived from "
	} else {
		out += "; stated in "
	}
	out += s.Provenance.String()
	if !s.Overrides.IsZero() {
		out += "; this row overrides the general statement " + strconv.Quote(s.Overrides.Statement) + " (" + s.OverriddenVersions.String() + ")"
	}
	if s.Note != "" {
		out += "; note: " + s.Note
	}
	return out
}

// Support answers which TLS versions product (e.g. "UCCX") in release (e.g.
// "11.5(1)SU1", or a name such as "production" for products without release
// numbers) supports as role over proto (0 = unspecified) at time at. A zero
// at means the latest state the data describes.
//
// The most specific data wins: a table row naming the release, then a row
// naming its release train, then a general statement that applies to it.
// When the data covers nothing, the answer has Known == false and a Reason;
// the error is only for malformed input (a bad release string, role 0).
// For built-in rows Support does not allocate.
func (m *Matrix) Support(product, release string, role Role, proto Protocol, at time.Time) (Support, error) {
	out := Support{Release: release, Role: role}
	if role != Client && role != Server {
		return out, &ParseError{What: "role", Input: role.String(), Msg: "Support needs Client or Server"}
	}
	if proto > SIP {
		return out, &ParseError{What: "protocol", Input: proto.String(), Msg: "not a known protocol"}
	}
	p := m.product(product)
	if p == nil {
		out.Reason = "the data has no product " + strconv.Quote(product) + " (known: " + strings.Join(m.Products(), ", ") + ")"
		return out, nil
	}
	out.Product = p.name
	var r Release
	name := -1
	if p.cisco {
		var err error
		if r, err = ParseRelease(release); err != nil {
			return out, err
		}
	} else {
		if name = p.nameIndex(release); name < 0 {
			out.Reason = p.name + " has no data for " + strconv.Quote(release) + " (known: " + p.nameList() + ")"
			return out, nil
		}
		out.Release = p.names[name].name
	}
	// Level 1: rows naming the release; 2: rows naming its train (or "*");
	// 3: general statements applied to it.
	// With proto unspecified, only entries for HTTPS or for no protocol in
	// particular answer, unless the product has data for other protocols only.
	for pass := 0; pass < 2; pass++ {
		if pass == 1 && (proto != 0 || p.hasHTTPS) {
			break
		}
		for level := 1; level <= 3; level++ {
			for i := range p.entries {
				e := &p.entries[i]
				if e.general != (level == 3) || !e.fits(role, proto, at) {
					continue
				}
				if pass == 0 && proto == 0 && e.proto != 0 && e.proto != HTTPS {
					continue
				}
				exact := false
				hit := false
				pats := e.literal
				if e.general {
					pats = e.applies
				}
				for _, pt := range pats {
					c, x := pt.match(r, name)
					if c {
						hit = true
					}
					if x {
						exact = true
					}
				}
				if !hit || (level == 1 && !exact) {
					continue
				}
				if e.general {
					// stated only when the statement names the release itself
					exact = false
					for _, pt := range e.literal {
						if _, x := pt.match(r, name); x {
							exact = true
						}
					}
				}
				out.Known = true
				out.Protocol = e.proto
				out.Versions, out.Default = e.versions, e.def
				out.Derived = e.derived || (e.general && !exact)
				out.Partial = e.partial
				out.Since, out.Until = e.from, e.until
				out.Provenance, out.Note = e.src, e.note
				out.Overrides, out.OverriddenVersions = p.overridden(e)
				return out, nil
			}
		}
	}
	out.Reason = p.unknownReason(r, name, release, role, proto, at)
	return out, nil
}

// fits reports whether e is about role, proto and holds at time at.
func (e *entry) fits(role Role, proto Protocol, at time.Time) bool {
	if e.role != 0 && e.role != role {
		return false
	}
	if e.proto != 0 && proto != 0 && e.proto != proto {
		return false
	}
	return e.holdsAt(at)
}

func (e *entry) holdsAt(at time.Time) bool {
	if at.IsZero() {
		return e.until.IsZero()
	}
	return (e.from.IsZero() || !at.Before(e.from)) && (e.until.IsZero() || at.Before(e.until))
}

func (p *product) nameList() string {
	var b strings.Builder
	for i, n := range p.names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n.name)
	}
	return b.String()
}

// unknownReason explains why nothing answers; it runs only on that path.
func (p *product) unknownReason(r Release, name int, release string, role Role, proto Protocol, at time.Time) string {
	what := p.name + " " + release + " as " + role.String()
	var roles, protos, times []string
	for i := range p.entries {
		e := &p.entries[i]
		pats := e.literal
		if e.general {
			pats = e.applies
		}
		if !covers(pats, r, name) {
			continue
		}
		roleOK := e.role == 0 || e.role == role
		protoOK := e.proto == 0 || proto == 0 || e.proto == proto
		switch {
		case roleOK && protoOK && !e.holdsAt(at):
			times = appendNew(times, []string{e.span()})
		case roleOK && !protoOK:
			protos = appendNew(protos, []string{e.proto.String()})
		case !roleOK && protoOK:
			roles = appendNew(roles, []string{e.role.String()})
		}
	}
	if p.cisco {
		for i := range p.entries {
			e := &p.entries[i]
			if !e.general || (e.role != 0 && e.role != role) || (e.proto != 0 && proto != 0 && e.proto != proto) {
				continue
			}
			var names []string
			for _, pt := range e.literal {
				if c, _ := pt.match(r, -1); c && pt.kind != patAny {
					names = append(names, pt.String())
				}
			}
			if len(names) == 0 {
				continue
			}
			var applied []string
			for _, pt := range e.applies {
				applied = append(applied, pt.String())
			}
			return what + " is in no table; the general statement " + strconv.Quote(e.src.Statement) + " (" + e.src.Document +
				") names it only through " + strings.Join(names, ", ") + ", which the data applies only to " + strings.Join(applied, ", ") +
				" (the releases current when the document was written); the tables show TLS support changing after those, so applying it would be a guess"
		}
	}
	if proto != 0 {
		what += " over " + proto.String()
	}
	var hints []string
	if len(times) > 0 {
		when := "the latest state"
		if !at.IsZero() {
			when = at.UTC().Format(time.RFC3339)
		}
		hints = append(hints, "it covers "+strings.Join(times, "; ")+", not "+when)
	}
	if len(roles) > 0 {
		hints = append(hints, "it has "+p.name+" "+release+" only as "+strings.Join(roles, ", "))
	}
	if len(protos) > 0 {
		hints = append(hints, "it has "+role.String()+" data for "+strings.Join(protos, ", ")+" only")
	}
	if len(hints) > 0 {
		return "no table row or statement in the data covers " + what + " (" + strings.Join(hints, "; ") + ")"
	}
	return "no table row or statement in the data covers " + what
}

func (e *entry) span() string {
	switch {
	case e.from.IsZero() && e.until.IsZero():
		return "all times"
	case e.from.IsZero():
		return "times before " + e.until.UTC().Format(time.RFC3339)
	case e.until.IsZero():
		return "times from " + e.from.UTC().Format(time.RFC3339)
	}
	return e.from.UTC().Format(time.RFC3339) + " to " + e.until.UTC().Format(time.RFC3339)
}

// AppendChangeInstants appends to dst, in ascending order and without
// duplicates, every instant at which a support row of m starts or stops
// holding (its "from" and "until" bounds, such as Salesforce's TLS 1.0
// cut-offs), and returns the extended slice. An answer of [Matrix.Support]
// can change only at these instants; callers that look for the dates at
// which a prediction changes evaluate around them.
func (m *Matrix) AppendChangeInstants(dst []time.Time) []time.Time {
	start := len(dst)
	for _, p := range m.products {
		for i := range p.entries {
			e := &p.entries[i]
			if !e.from.IsZero() {
				dst = append(dst, e.from)
			}
			if !e.until.IsZero() {
				dst = append(dst, e.until)
			}
		}
	}
	added := dst[start:]
	slices.SortFunc(added, func(a, b time.Time) int { return a.Compare(b) })
	added = slices.CompactFunc(added, func(a, b time.Time) bool { return a.Equal(b) })
	return dst[:start+len(added)]
}
