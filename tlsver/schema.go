package tlsver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SchemaID is the value of the "schema" member every matrix file carries.
const SchemaID = "tlsver/v1"

// The JSON form of a matrix; see the package documentation for the schema.
type fileData struct {
	Schema    string         `json:"schema"`
	Documents []documentData `json:"documents,omitempty"`
	Products  []productData  `json:"products,omitempty"`
	Support   []supportData  `json:"support,omitempty"`
	Upgrades  []upgradeData  `json:"upgrades,omitempty"`
}

type documentData struct {
	ID        string `json:"id"`
	Title     string `json:"title,omitempty"`
	Published string `json:"published,omitempty"`
	URL       string `json:"url,omitempty"`
}

type productData struct {
	Name          string      `json:"name"`
	Aliases       []string    `json:"aliases,omitempty"`
	Releases      string      `json:"releases"`
	Names         []nameData  `json:"names,omitempty"`
	ClientOrigins []string    `json:"client_origins,omitempty"`
	OriginsSource *sourceData `json:"origins_source,omitempty"`
}

type nameData struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
}

type sourceData struct {
	Document  string `json:"document"`
	Table     string `json:"table,omitempty"`
	Row       string `json:"row,omitempty"`
	Section   string `json:"section,omitempty"`
	Statement string `json:"statement,omitempty"`
}

type supportData struct {
	Product   string     `json:"product"`
	Kind      string     `json:"kind,omitempty"`
	Releases  []string   `json:"releases"`
	AppliesTo []string   `json:"applies_to,omitempty"`
	Role      string     `json:"role,omitempty"`
	Protocol  string     `json:"protocol,omitempty"`
	Versions  string     `json:"versions"`
	Default   string     `json:"default,omitempty"`
	From      string     `json:"from,omitempty"`
	Until     string     `json:"until,omitempty"`
	Derived   bool       `json:"derived,omitempty"`
	Partial   bool       `json:"partial,omitempty"`
	Note      string     `json:"note,omitempty"`
	Source    sourceData `json:"source"`
}

type upgradeData struct {
	Product string     `json:"product"`
	From    string     `json:"from"`
	Goal    string     `json:"goal"`
	Target  string     `json:"target"`
	Note    string     `json:"note,omitempty"`
	Source  sourceData `json:"source"`
}

// SchemaError reports matrix data that does not follow the schema. Path names
// the bad field the way a person finds it in the file: "support[3].versions".
type SchemaError struct {
	Path string
	Msg  string
	Err  error // the underlying parse error, if any
}

// Error returns "tlsver: matrix: <path>: <msg>".
func (e *SchemaError) Error() string {
	s := "tlsver: matrix: "
	if e.Path != "" {
		s += e.Path + ": "
	}
	s += e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying parse error.
func (e *SchemaError) Unwrap() error { return e.Err }

func schemaErr(path, msg string, err error) error {
	return &SchemaError{Path: path, Msg: msg, Err: err}
}

func idx(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// sourceProvenance checks a source against the documents; on a problem it
// returns the field within the source (".document" or "") and a message.
func sourceProvenance(docs map[string]bool, s sourceData, general bool) (Provenance, string, string) {
	if s.Document == "" {
		return Provenance{}, ".document", "missing document id"
	}
	if !docs[s.Document] {
		return Provenance{}, ".document", "no document with id " + strconv.Quote(s.Document) + " in documents"
	}
	if s.Table == "" && s.Section == "" && s.Statement == "" {
		return Provenance{}, "", "a source needs a table, a section or a statement"
	}
	return Provenance{Document: s.Document, Table: s.Table, Row: s.Row, Section: s.Section, Statement: s.Statement, General: general}, "", ""
}

// supportPath names support[i] in errors; the string is built only for an
// error, so that loading valid data does not format a path per row.
type supportPath int

func (i supportPath) at(field string) string { return idx("support", int(i)) + field }

// parsePatterns parses the release patterns of the JSON list at path.at(field).
func (pr *product) parsePatterns(path supportPath, field string, list []string) ([]pattern, error) {
	var out []pattern
	for j, s := range list {
		pt, err := pr.parsePattern(s)
		if err != nil {
			return nil, schemaErr(idx(path.at(field), j), "bad release pattern", err)
		}
		out = append(out, pt)
	}
	return out, nil
}

// Load reads a matrix in the JSON schema of the package documentation and
// validates it. Unknown fields are errors; every error is a [*SchemaError]
// naming the field, with the index of the list element ("support[3].role").
func Load(r io.Reader) (*Matrix, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, schemaErr("", "reading the matrix", err)
	}
	return parseMatrix(data)
}

func parseMatrix(data []byte) (*Matrix, error) {
	// One strict pass decodes valid data; only when it fails is the data
	// decoded again element by element, so that a type error or an
	// unknown field can be reported with the element's index.
	var f fileData
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err == nil && !dec.More() {
		return compile(f)
	}
	return nil, locateLoadError(data)
}

// locateLoadError decodes data, which the strict decoder of Load rejected,
// list element by list element and returns the error naming the field.
func locateLoadError(data []byte) error {
	var top struct {
		Schema    string            `json:"schema"`
		Documents []json.RawMessage `json:"documents"`
		Products  []json.RawMessage `json:"products"`
		Support   []json.RawMessage `json:"support"`
		Upgrades  []json.RawMessage `json:"upgrades"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&top); err != nil {
		return decodeErr("", nil, err)
	}
	if dec.More() {
		return schemaErr("", "trailing data after the matrix object", nil)
	}
	var err error
	if _, err = decodeList[documentData]("documents", top.Documents); err != nil {
		return err
	}
	if _, err = decodeList[productData]("products", top.Products); err != nil {
		return err
	}
	if _, err = decodeList[supportData]("support", top.Support); err != nil {
		return err
	}
	if _, err = decodeList[upgradeData]("upgrades", top.Upgrades); err != nil {
		return err
	}
	return schemaErr("", "cannot decode", errors.New("the strict decoder and the element-wise decoder disagree"))
}

// decodeList decodes each element of a JSON list strictly, naming the
// element in errors.
func decodeList[T any](path string, raw []json.RawMessage) ([]T, error) {
	if raw == nil {
		return nil, nil
	}
	out := make([]T, len(raw))
	for i, r := range raw {
		dec := json.NewDecoder(bytes.NewReader(r))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&out[i]); err != nil {
			return nil, decodeErr(idx(path, i), r, err)
		}
	}
	return out, nil
}

// decodeErr turns an encoding/json error inside the value raw at path into
// a *SchemaError naming the field.
func decodeErr(path string, raw []byte, err error) error {
	join := func(field string) string { return joinPath(path, field) }
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return schemaErr(join(ute.Field), "expected "+ute.Type.String()+", found JSON "+ute.Value, nil)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return schemaErr(path, "JSON syntax error at byte offset "+strconv.FormatInt(se.Offset, 10), err)
	}
	// encoding/json reports an unknown member only as text:
	// `json: unknown field "name"`.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, uerr := strconv.Unquote(name); uerr == nil {
			where := n
			if raw != nil {
				where = locateKey(raw, n)
			}
			return schemaErr(join(where), "unknown field (the schema has no member "+strconv.Quote(n)+" there)", nil)
		}
	}
	return schemaErr(path, "cannot decode", err)
}

// locateKey returns the path of the first member named key in the JSON
// value raw ("source.tabel", "names[1].alias"), or key itself if it is not
// found. encoding/json names an unknown member but not where it is.
func locateKey(raw []byte, key string) string {
	var walk func(v any, path string) (string, bool)
	walk = func(v any, path string) (string, bool) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v[key]; ok {
				return joinPath(path, key), true
			}
			names := make([]string, 0, len(v))
			for k := range v {
				names = append(names, k)
			}
			slices.Sort(names)
			for _, k := range names {
				if p, ok := walk(v[k], joinPath(path, k)); ok {
					return p, true
				}
			}
		case []any:
			for i, e := range v {
				if p, ok := walk(e, idx(path, i)); ok {
					return p, true
				}
			}
		}
		return "", false
	}
	var v any
	if json.Unmarshal(raw, &v) == nil {
		if p, ok := walk(v, ""); ok {
			return p
		}
	}
	return key
}

func joinPath(path, field string) string {
	switch {
	case path == "":
		return field
	case field == "":
		return path
	}
	return path + "." + field
}

// ParseMatrix is [Load] on a byte slice.
func ParseMatrix(data []byte) (*Matrix, error) { return parseMatrix(data) }

// WriteJSON writes m in the JSON schema, indented; [Load] reads it back to an
// equivalent matrix.
func (m *Matrix) WriteJSON(w io.Writer) error {
	b, err := m.MarshalJSON()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// MarshalJSON implements json.Marshaler with the schema of the package
// documentation.
func (m *Matrix) MarshalJSON() ([]byte, error) { return json.Marshal(m.file) }

// UnmarshalJSON implements json.Unmarshaler with the validation of [Load].
func (m *Matrix) UnmarshalJSON(b []byte) error {
	n, err := ParseMatrix(b)
	if err != nil {
		return err
	}
	*m = *n
	return nil
}

// compile validates f and builds the lookup structures.
func compile(f fileData) (*Matrix, error) {
	if f.Schema != SchemaID {
		return nil, schemaErr("schema", "expected "+strconv.Quote(SchemaID)+", found "+strconv.Quote(f.Schema), nil)
	}
	m := &Matrix{file: f}
	docs := map[string]bool{}
	for i, d := range f.Documents {
		p := idx("documents", i)
		if strings.TrimSpace(d.ID) == "" {
			return nil, schemaErr(p+".id", "missing document id", nil)
		}
		if docs[d.ID] {
			return nil, schemaErr(p+".id", "duplicate document id "+strconv.Quote(d.ID), nil)
		}
		docs[d.ID] = true
	}
	checkSource := func(path string, s sourceData, general bool) (Provenance, error) {
		p, field, msg := sourceProvenance(docs, s, general)
		if msg != "" {
			return Provenance{}, schemaErr(path+field, msg, nil)
		}
		return p, nil
	}
	seen := map[string]string{}
	byKey := map[string]*product{} // lower-cased names and aliases
	lookup := func(name string) *product {
		if p := byKey[strings.ToLower(strings.TrimSpace(name))]; p != nil {
			return p
		}
		return m.product(name) // the exact rule of Support, for names folding differs on
	}
	for i, pd := range f.Products {
		path := idx("products", i)
		if strings.TrimSpace(pd.Name) == "" {
			return nil, schemaErr(path+".name", "missing product name", nil)
		}
		pr := &product{name: pd.Name, aliases: pd.Aliases, origins: pd.ClientOrigins}
		for j, n := range append([]string{pd.Name}, pd.Aliases...) {
			k := strings.ToLower(strings.TrimSpace(n))
			fp := path + ".name"
			if j > 0 {
				fp = idx(path+".aliases", j-1)
			}
			if k == "" {
				return nil, schemaErr(fp, "empty name", nil)
			}
			if prev, ok := seen[k]; ok {
				return nil, schemaErr(fp, strconv.Quote(n)+" already names product "+strconv.Quote(prev), nil)
			}
			seen[k] = pd.Name
			byKey[k] = pr
		}
		switch pd.Releases {
		case "cisco":
			pr.cisco = true
			if len(pd.Names) > 0 {
				return nil, schemaErr(path+".names", "only products with \"releases\": \"names\" list names", nil)
			}
		case "names":
			pr.nameKeys = map[string]int{}
			if len(pd.Names) == 0 {
				return nil, schemaErr(path+".names", "a product with \"releases\": \"names\" needs at least one name", nil)
			}
			nseen := map[string]bool{}
			for j, nd := range pd.Names {
				np := idx(path+".names", j)
				for k, n := range append([]string{nd.Name}, nd.Aliases...) {
					fp := np + ".name"
					if k > 0 {
						fp = idx(np+".aliases", k-1)
					}
					key := strings.ToLower(strings.TrimSpace(n))
					if key == "" {
						return nil, schemaErr(fp, "empty name", nil)
					}
					if key == "*" {
						return nil, schemaErr(fp, "\"*\" is reserved for \"any release\"", nil)
					}
					if nseen[key] {
						return nil, schemaErr(fp, "duplicate name "+strconv.Quote(n), nil)
					}
					nseen[key] = true
				}
				for _, n := range append([]string{nd.Name}, nd.Aliases...) {
					pr.nameKeys[strings.ToLower(strings.TrimSpace(n))] = len(pr.names)
				}
				pr.names = append(pr.names, nameInfo{name: nd.Name, aliases: nd.Aliases})
			}
		default:
			return nil, schemaErr(path+".releases", "expected \"cisco\" or \"names\", found "+strconv.Quote(pd.Releases), nil)
		}
		if pd.OriginsSource != nil {
			src, err := checkSource(path+".origins_source", *pd.OriginsSource, false)
			if err != nil {
				return nil, err
			}
			pr.originsSrc = src
		}
		m.products = append(m.products, pr)
	}
	counts := map[*product]int{} // entries per product, to allocate each list once
	for _, sd := range f.Support {
		if pr := lookup(sd.Product); pr != nil {
			counts[pr]++
		}
	}
	for i, sd := range f.Support {
		path := supportPath(i) // a string only when an error needs it
		pr := lookup(sd.Product)
		if pr == nil {
			return nil, schemaErr(path.at(".product"), "no product "+strconv.Quote(sd.Product)+" in products", nil)
		}
		var e entry
		switch sd.Kind {
		case "", "row":
		case "general":
			e.general = true
		default:
			return nil, schemaErr(path.at(".kind"), "expected \"row\" or \"general\", found "+strconv.Quote(sd.Kind), nil)
		}
		if len(sd.Releases) == 0 {
			return nil, schemaErr(path.at(".releases"), "at least one release pattern is needed (\"*\" for any)", nil)
		}
		var err error
		if e.literal, err = pr.parsePatterns(path, ".releases", sd.Releases); err != nil {
			return nil, err
		}
		if len(sd.AppliesTo) > 0 && !e.general {
			return nil, schemaErr(path.at(".applies_to"), "only \"kind\": \"general\" entries have applies_to", nil)
		}
		if e.applies, err = pr.parsePatterns(path, ".applies_to", sd.AppliesTo); err != nil {
			return nil, err
		}
		if len(e.applies) == 0 {
			e.applies = e.literal
		}
		if e.role, err = ParseRole(sd.Role); err != nil {
			return nil, schemaErr(path.at(".role"), "bad role", err)
		}
		if e.proto, err = ParseProtocol(sd.Protocol); err != nil {
			return nil, schemaErr(path.at(".protocol"), "bad protocol", err)
		}
		if e.versions, err = ParseSet(sd.Versions); err != nil {
			return nil, schemaErr(path.at(".versions"), "bad version set", err)
		}
		if sd.Default != "" {
			if e.def, err = ParseVersion(sd.Default); err != nil {
				return nil, schemaErr(path.at(".default"), "bad version", err)
			}
			if !e.versions.Has(e.def) {
				return nil, schemaErr(path.at(".default"), e.def.String()+" is not in versions ("+e.versions.String()+")", nil)
			}
		}
		if sd.From != "" {
			if e.from, err = time.Parse(time.RFC3339, sd.From); err != nil {
				return nil, schemaErr(path.at(".from"), "expected an RFC 3339 time such as 2017-07-22T00:00:00-07:00", err)
			}
		}
		if sd.Until != "" {
			if e.until, err = time.Parse(time.RFC3339, sd.Until); err != nil {
				return nil, schemaErr(path.at(".until"), "expected an RFC 3339 time such as 2017-07-22T00:00:00-07:00", err)
			}
		}
		if !e.from.IsZero() && !e.until.IsZero() && !e.from.Before(e.until) {
			return nil, schemaErr(path.at(".until"), "until must be after from", nil)
		}
		e.derived, e.partial, e.note = sd.Derived, sd.Partial, sd.Note
		var field, msg string
		if e.src, field, msg = sourceProvenance(docs, sd.Source, e.general); msg != "" {
			return nil, schemaErr(path.at(".source"+field), msg, nil)
		}
		if pr.entries == nil {
			pr.entries = make([]entry, 0, counts[pr])
		}
		pr.entries = append(pr.entries, e)
	}
	for i, ud := range f.Upgrades {
		path := idx("upgrades", i)
		pr := lookup(ud.Product)
		if pr == nil {
			return nil, schemaErr(path+".product", "no product "+strconv.Quote(ud.Product)+" in products", nil)
		}
		if !pr.cisco {
			return nil, schemaErr(path+".product", "upgrade targets need a product with \"releases\": \"cisco\"", nil)
		}
		var u upgradeRow
		var err error
		if u.from, err = pr.parsePattern(ud.From); err != nil {
			return nil, schemaErr(path+".from", "bad release pattern", err)
		}
		if u.goal, err = ParseGoal(ud.Goal); err != nil {
			return nil, schemaErr(path+".goal", "bad goal", err)
		}
		if u.target, err = ParseRelease(ud.Target); err != nil {
			return nil, schemaErr(path+".target", "bad release", err)
		}
		u.note = ud.Note
		if u.src, err = checkSource(path+".source", ud.Source, false); err != nil {
			return nil, err
		}
		pr.upgrades = append(pr.upgrades, u)
	}
	for _, pr := range m.products {
		pr.noteProtocols()
	}
	return m, nil
}

// Merge returns a new matrix with the data of user over the data of m: user
// rows and statements are consulted before those of m at the same level of
// specificity (exact row, then release-train row, then general statement),
// user upgrade rows before those of m, user documents replace those of m with
// the same id, and a product both define gets the aliases, names and client
// origins of both (user's first). m and user are not changed.
func (m *Matrix) Merge(user *Matrix) (*Matrix, error) {
	f := fileData{Schema: SchemaID}
	ids := map[string]bool{}
	for _, d := range user.file.Documents {
		ids[d.ID] = true
		f.Documents = append(f.Documents, d)
	}
	for _, d := range m.file.Documents {
		if !ids[d.ID] {
			f.Documents = append(f.Documents, d)
		}
	}
	byName := map[string]int{}
	for _, p := range user.file.Products {
		byName[strings.ToLower(p.Name)] = len(f.Products)
		f.Products = append(f.Products, p)
	}
	for _, p := range m.file.Products {
		j, ok := byName[strings.ToLower(p.Name)]
		if !ok {
			f.Products = append(f.Products, p)
			continue
		}
		u := &f.Products[j]
		u.Aliases = slices.Clone(u.Aliases)
		u.Names = slices.Clone(u.Names)
		if u.Releases != p.Releases {
			return nil, schemaErr(idx("products", j)+".releases", "user data says "+strconv.Quote(u.Releases)+" for "+p.Name+", built-in data says "+strconv.Quote(p.Releases), nil)
		}
		u.Aliases = appendNew(u.Aliases, p.Aliases)
		for _, n := range p.Names {
			dup := false
			for _, un := range u.Names {
				if strings.EqualFold(un.Name, n.Name) {
					dup = true
				}
			}
			if !dup {
				u.Names = append(u.Names, n)
			}
		}
		if len(u.ClientOrigins) == 0 {
			u.ClientOrigins, u.OriginsSource = p.ClientOrigins, p.OriginsSource
		}
	}
	f.Support = append(append(f.Support, user.file.Support...), m.file.Support...)
	f.Upgrades = append(append(f.Upgrades, user.file.Upgrades...), m.file.Upgrades...)
	return compile(f)
}

func appendNew(dst, src []string) []string {
	for _, s := range src {
		dup := false
		for _, d := range dst {
			if strings.EqualFold(d, s) {
				dup = true
			}
		}
		if !dup {
			dst = append(dst, s)
		}
	}
	return dst
}
