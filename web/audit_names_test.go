package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
)

// auditCodesInSource reads the Go source of sqldb and web (tests aside) for every audit action
// code and object type written: the Audit* constants with a dotted value, and the literal
// actions and object types given to entryFor, Server.audit, writeTarget and AuditEntry.
func auditCodesInSource(t *testing.T) (actions, objects []string) {
	t.Helper()
	add := func(list *[]string, e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if v, err := strconv.Unquote(lit.Value); err == nil && v != "" && !slices.Contains(*list, v) {
				*list = append(*list, v)
			}
		}
	}
	fset := token.NewFileSet()
	for _, dir := range []string{"../sqldb", "."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.ValueSpec:
					for i, name := range n.Names {
						if strings.HasPrefix(name.Name, "Audit") && i < len(n.Values) {
							if lit, ok := n.Values[i].(*ast.BasicLit); ok && strings.Contains(lit.Value, ".") {
								add(&actions, lit)
							}
						}
					}
				case *ast.CallExpr:
					name := ""
					switch fn := n.Fun.(type) {
					case *ast.Ident:
						name = fn.Name
					case *ast.SelectorExpr:
						name = fn.Sel.Name
					}
					switch {
					case (name == "entryFor" || name == "audit") && len(n.Args) >= 3:
						add(&actions, n.Args[1])
						add(&objects, n.Args[2])
					case name == "writeTarget" && len(n.Args) == 4:
						add(&objects, n.Args[3])
					}
				case *ast.CompositeLit:
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ObjectType" {
								add(&objects, kv.Value)
							}
						}
					}
				}
				return true
			})
		}
	}
	// A duty's closure and assignment are filed under its kind (sqldb: string(key.Kind)).
	for _, k := range []xiezuo.DutyKind{xiezuo.DutyPoint, xiezuo.DutyTask, xiezuo.DutyProject} {
		if !slices.Contains(objects, string(k)) {
			objects = append(objects, string(k))
		}
	}
	return actions, objects
}

// TestAuditNamesCoverCodes: every action code and object type the code writes to the audit log
// has a Chinese name on the audit page, and the object filter offers every object type; a new
// action added without its name fails here.
func TestAuditNamesCoverCodes(t *testing.T) {
	actions, objects := auditCodesInSource(t)
	if len(actions) < 40 || !slices.Contains(actions, "report.save") || !slices.Contains(objects, "notice") {
		t.Fatalf("found %d actions %v and objects %v: the source scan is broken", len(actions), actions, objects)
	}
	for _, a := range actions {
		if n := actionName(a); n == a || n == "" {
			t.Errorf("audit action %q has no Chinese name in actionNames", a)
		}
	}
	offered := map[string]string{}
	for _, o := range auditObjectTypes {
		offered[o.Code] = o.Name
	}
	for _, o := range objects {
		if offered[o] == "" {
			t.Errorf("audit object type %q is not offered by the object filter (auditObjectTypes)", o)
		}
	}
	for _, o := range auditObjectTypes {
		if o.Name == "" || o.Name == o.Code || strings.ContainsAny(o.Name, "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("object type %q is named %q, want Chinese", o.Code, o.Name)
		}
	}
}
