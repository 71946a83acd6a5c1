package issuers

import (
	"strings"
	"time"

	"github.com/tlscompat/tlscompat/policy"
)

// compile validates f and builds the Data.
func compile(f *fileData) (*Data, error) {
	if f.Schema != SchemaID {
		return nil, schemaErr("schema", "want \""+SchemaID+"\", found \""+f.Schema+"\"", nil)
	}
	d := &Data{sources: make(map[string]Source, len(f.Sources))}
	if len(f.Sources) == 0 {
		return nil, schemaErr("sources", "no sources: every fact needs one", nil)
	}
	for i, s := range f.Sources {
		p := idx("sources", i)
		if s.ID == "" {
			return nil, schemaErr(p+".id", "empty", nil)
		}
		if _, dup := d.sources[s.ID]; dup {
			return nil, schemaErr(p+".id", "duplicate id \""+s.ID+"\"", nil)
		}
		k, err := ParseKind(s.Kind)
		if err != nil || k == KindUnknown {
			return nil, schemaErr(p+".kind", "want vendor, root-program or third-party, found \""+s.Kind+"\"", nil)
		}
		if !validURL(s.URL) {
			return nil, schemaErr(p+".url", "want an https URL, found \""+s.URL+"\"", nil)
		}
		if strings.TrimSpace(s.Title) == "" {
			return nil, schemaErr(p+".title", "empty", nil)
		}
		src := Source{ID: s.ID, Kind: k, URL: s.URL, Title: s.Title}
		if s.Published != "" {
			t, err := time.Parse("2006-01-02", s.Published)
			if err != nil {
				return nil, schemaErr(p+".published", "want \"YYYY-MM-DD\", found \""+s.Published+"\"", nil)
			}
			src.Published = t
		}
		d.sources[s.ID] = src
	}
	var err error
	if d.cas, err = d.subjects("cas", f.CAs, ScopeDefault, ScopeHardStop); err != nil {
		return nil, err
	}
	if d.programs, err = d.subjects("root_programs", f.RootPrograms, ScopeSubordinateCA, ScopeSubscriber); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, pd := range f.Providers {
		p := idx("providers", i)
		pr, err := d.provider(p, pd)
		if err != nil {
			return nil, err
		}
		for _, n := range append([]string{pr.Name}, pr.Aliases...) {
			key := strings.ToLower(n) + "\x00" + pr.Direction.String()
			if seen[key] {
				return nil, schemaErr(p+".name", "name or alias \""+n+"\" used twice for direction "+pr.Direction.String(), nil)
			}
			seen[key] = true
		}
		d.providers = append(d.providers, pr)
	}
	return d, nil
}

func (d *Data) source(path, id string) (Source, error) {
	s, ok := d.sources[id]
	if !ok {
		return Source{}, schemaErr(path, "no source with id \""+id+"\" in sources", nil)
	}
	return s, nil
}

func (d *Data) dated(path string, dd datedData) (Dated, error) {
	start, end, err := parseDay(dd.Date)
	if err != nil {
		return Dated{}, schemaErr(path+".date", err.Error()+", found \""+dd.Date+"\"", nil)
	}
	if dd.WithinDays < 0 || dd.WithinDays > 3660 {
		return Dated{}, schemaErr(path+".within_days", "want 0..3660", nil)
	}
	if w := start.AddDate(0, 0, dd.WithinDays); w.After(end) {
		end = w
	}
	src, err := d.source(path+".source", dd.Source)
	if err != nil {
		return Dated{}, err
	}
	if strings.TrimSpace(dd.Statement) == "" {
		return Dated{}, schemaErr(path+".statement", "empty: quote what the source says", nil)
	}
	return Dated{Start: start, End: end, Source: src, Statement: dd.Statement, Superseded: dd.Superseded}, nil
}

func (d *Data) cutover(path, subject string, cd cutoverData, scopes ...Scope) (Cutover, error) {
	sc, err := ParseScope(cd.Scope)
	ok := false
	for _, s := range scopes {
		ok = ok || (err == nil && sc == s)
	}
	if !ok {
		want := make([]string, len(scopes))
		for i, s := range scopes {
			want[i] = s.String()
		}
		return Cutover{}, schemaErr(path+".scope", "want "+strings.Join(want, " or ")+", found \""+cd.Scope+"\"", nil)
	}
	if len(cd.Dates) == 0 {
		return Cutover{}, schemaErr(path+".dates", "empty", nil)
	}
	c := Cutover{Subject: subject, Scope: sc, Note: cd.Note}
	current := 0
	for j, dd := range cd.Dates {
		dt, err := d.dated(idx(path+".dates", j), dd)
		if err != nil {
			return Cutover{}, err
		}
		c.Dates = append(c.Dates, dt)
		if dt.Superseded {
			continue
		}
		if current == 0 || dt.Start.Before(c.From) {
			c.From = dt.Start
		}
		if current == 0 || dt.End.After(c.Until) {
			c.Until = dt.End
		}
		current++
	}
	if current == 0 {
		return Cutover{}, schemaErr(path+".dates", "every date is superseded", nil)
	}
	return c, nil
}

func (d *Data) subjects(path string, list []subjectData, scopes ...Scope) ([]subject, error) {
	seen := map[string]bool{}
	var out []subject
	for i, sd := range list {
		p := idx(path, i)
		if strings.TrimSpace(sd.Name) == "" {
			return nil, schemaErr(p+".name", "empty", nil)
		}
		for _, n := range append([]string{sd.Name}, sd.Aliases...) {
			if strings.TrimSpace(n) == "" {
				return nil, schemaErr(p+".aliases", "empty alias", nil)
			}
			if seen[strings.ToLower(n)] {
				return nil, schemaErr(p+".name", "name or alias \""+n+"\" used twice", nil)
			}
			seen[strings.ToLower(n)] = true
		}
		if len(sd.Cutovers) == 0 {
			return nil, schemaErr(p+".cutovers", "empty", nil)
		}
		s := subject{name: sd.Name, aliases: sd.Aliases}
		have := map[Scope]bool{}
		for j, cd := range sd.Cutovers {
			c, err := d.cutover(idx(p+".cutovers", j), sd.Name, cd, scopes...)
			if err != nil {
				return nil, err
			}
			if have[c.Scope] {
				return nil, schemaErr(idx(p+".cutovers", j)+".scope", "scope \""+c.Scope.String()+"\" given twice", nil)
			}
			have[c.Scope] = true
			s.cutovers = append(s.cutovers, c)
		}
		out = append(out, s)
	}
	return out, nil
}

func (d *Data) provider(p string, pd providerData) (Provider, error) {
	pr := Provider{Name: pd.Name, Aliases: pd.Aliases, Presents: pd.Presents}
	if strings.TrimSpace(pd.Name) == "" {
		return pr, schemaErr(p+".name", "empty", nil)
	}
	for _, a := range pd.Aliases {
		if strings.TrimSpace(a) == "" {
			return pr, schemaErr(p+".aliases", "empty alias", nil)
		}
	}
	var err error
	if pr.Direction, err = ParseDirection(pd.Direction); err != nil || pr.Direction == DirectionUnknown {
		return pr, schemaErr(p+".direction", "want outbound or inbound, found \""+pd.Direction+"\"", nil)
	}
	if pr.Role, err = ParseRole(pd.Role); err != nil || pr.Role == RoleUnknown {
		return pr, schemaErr(p+".role", "want client or server, found \""+pd.Role+"\"", nil)
	}
	if pd.ClientAuth != "" {
		if pr.Role != RoleServer {
			return pr, schemaErr(p+".client_auth", "only a server has a client-certificate mode", nil)
		}
		if pr.ClientAuth, err = policy.ParseClientAuthMode(pd.ClientAuth); err != nil {
			return pr, schemaErr(p+".client_auth", "want a policy client-auth name (none, request, require-any, verify-if-given, require-and-verify)", err)
		}
	}
	if strings.TrimSpace(pd.Presents) == "" {
		return pr, schemaErr(p+".presents", "empty: say which certificate is presented", nil)
	}
	for j, is := range pd.Issuers {
		q := idx(p+".issuers", j)
		if strings.TrimSpace(is.CA) == "" {
			return pr, schemaErr(q+".ca", "empty", nil)
		}
		src, err := d.source(q+".source", is.Source)
		if err != nil {
			return pr, err
		}
		if strings.TrimSpace(is.Statement) == "" {
			return pr, schemaErr(q+".statement", "empty", nil)
		}
		iss := Issuer{CA: is.CA, Source: src, Statement: is.Statement}
		if is.Since != "" {
			t, err := time.Parse("2006-01-02", is.Since)
			if err != nil {
				return pr, schemaErr(q+".since", "want \"YYYY-MM-DD\", found \""+is.Since+"\"", nil)
			}
			iss.Since = t
		}
		pr.Issuers = append(pr.Issuers, iss)
	}
	have := map[Scope]bool{}
	for j, cd := range pd.Cutovers {
		c, err := d.cutover(idx(p+".cutovers", j), pd.Name, cd, ScopeDefault, ScopeHardStop)
		if err != nil {
			return pr, err
		}
		if have[c.Scope] {
			return pr, schemaErr(idx(p+".cutovers", j)+".scope", "scope \""+c.Scope.String()+"\" given twice", nil)
		}
		have[c.Scope] = true
		pr.Cutovers = append(pr.Cutovers, c)
	}
	for j, rd := range pd.Renewals {
		dt, err := d.dated(idx(p+".renewals", j), rd)
		if err != nil {
			return pr, err
		}
		pr.Renewals = append(pr.Renewals, dt)
	}
	for j, nd := range pd.Notes {
		q := idx(p+".notes", j)
		src, err := d.source(q+".source", nd.Source)
		if err != nil {
			return pr, err
		}
		if strings.TrimSpace(nd.Statement) == "" {
			return pr, schemaErr(q+".statement", "empty", nil)
		}
		pr.Notes = append(pr.Notes, Note{Source: src, Statement: nd.Statement})
	}
	return pr, nil
}
