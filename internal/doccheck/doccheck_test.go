package doccheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// moduleRoot returns the directory holding go.mod, walking up from the
// package directory.
func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
}

// goFiles lists the module's non-test .go files, skipping testdata,
// hidden directories and nested modules.
func goFiles(t *testing.T, root string) []string {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// receiverName returns the type name of a method receiver (without *, and
// without type parameters).
func receiverName(expr ast.Expr) string {
	for {
		switch e := expr.(type) {
		case *ast.StarExpr:
			expr = e.X
		case *ast.IndexExpr:
			expr = e.X
		case *ast.IndexListExpr:
			expr = e.X
		case *ast.ParenExpr:
			expr = e.X
		case *ast.Ident:
			return e.Name
		default:
			return ""
		}
	}
}

func hasDoc(groups ...*ast.CommentGroup) bool {
	for _, g := range groups {
		if g != nil && strings.TrimSpace(g.Text()) != "" {
			return true
		}
	}
	return false
}

// undocumented returns "file:line: kind Name" for every exported name of f
// without a doc comment. A const, var or type inside a documented group
// counts as documented, as does one with a trailing comment inside a group.
func undocumented(fset *token.FileSet, rel string, f *ast.File) []string {
	var out []string
	report := func(pos token.Pos, kind, name string) {
		out = append(out, rel+":"+itoa(fset.Position(pos).Line)+": "+kind+" "+name)
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || hasDoc(d.Doc) {
				continue
			}
			if d.Recv == nil {
				report(d.Pos(), "func", d.Name.Name)
				continue
			}
			if len(d.Recv.List) == 1 {
				if recv := receiverName(d.Recv.List[0].Type); ast.IsExported(recv) {
					report(d.Pos(), "method", recv+"."+d.Name.Name)
				}
			}
		case *ast.GenDecl:
			grouped := d.Lparen.IsValid()
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() && !hasDoc(s.Doc, d.Doc) && !(grouped && hasDoc(s.Comment)) {
						report(s.Pos(), "type", s.Name.Name)
					}
				case *ast.ValueSpec:
					if hasDoc(s.Doc, d.Doc) || (grouped && hasDoc(s.Comment)) {
						continue
					}
					for _, n := range s.Names {
						if n.IsExported() {
							report(n.Pos(), d.Tok.String(), n.Name)
						}
					}
				}
			}
		}
	}
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for ; i > 0; i /= 10 {
		n--
		b[n] = byte('0' + i%10)
	}
	return string(b[n:])
}

// TestExportedNamesDocumented fails listing every exported type, function,
// method of an exported type, constant and variable of the module's
// non-test, non-generated Go files that has no doc comment, and every
// package without a package comment.
func TestExportedNamesDocumented(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	var missing []string
	files := goFiles(t, root)
	pkgDoc := map[string]bool{} // directory -> some file has a package doc
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if ast.IsGenerated(f) {
			continue
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.ToSlash(filepath.Dir(rel))
		pkgDoc[dir] = pkgDoc[dir] || hasDoc(f.Doc)
		missing = append(missing, undocumented(fset, filepath.ToSlash(rel), f)...)
	}
	if len(files) < 20 {
		t.Fatalf("found only %d Go files under %s; the walk is broken", len(files), root)
	}
	for dir, ok := range pkgDoc {
		if !ok {
			missing = append(missing, dir+": package comment")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d exported names without a doc comment:\n\t%s", len(missing), strings.Join(missing, "\n\t"))
	}
}

// TestUndocumentedFinds proves the check reports what it should and
// accepts what it should.
func TestUndocumentedFinds(t *testing.T) {
	const src = `package p

func Bare() {}

// Doc is documented.
func Doc() {}

type T int

func (T) M() {}

func (*T) N() {}

type t int

func (t) Exported() {}

// Group doc.
const (
	A = 1
	B = 2
)

var (
	V = 1 // trailing comment in a group
	W = 2
	w = 3
)

var X, y = 1, 2

type (
	// U is documented.
	U int
	Z int
)
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(undocumented(fset, "p.go", f), "\n")
	want := strings.Join([]string{
		"p.go:3: func Bare",
		"p.go:8: type T",
		"p.go:10: method T.M",
		"p.go:12: method T.N",
		"p.go:26: var W",
		"p.go:30: var X",
		"p.go:35: type Z",
	}, "\n")
	if got != want {
		t.Errorf("undocumented() =\n%s\nwant\n%s", got, want)
	}
}
