package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// openAPIv1 is what clients of /api/openapi.json read before it was made from the route table:
// each operation with its summary and parameters, which must stay.
var openAPIv1 = map[string][]string{
	"get /api/v1/me":                               nil,
	"get /api/v1/plans":                            nil,
	"get /api/v1/plans/{district}/{year}":          {"district", "year"},
	"get /api/v1/plans/{district}/{year}/points":   {"district", "year"},
	"get /api/v1/plans/{district}/{year}/projects": {"district", "year", "limit", "offset", "as_of", "region", "category", "lead", "nature"},
	"get /api/v1/projects/{id}/transactions":       {"id", "as_of"},
	"get /api/v1/plans/{district}/{year}/tasks":    {"district", "year", "limit", "offset", "unit"},
}

// openAPIOf fetches and decodes the document.
func openAPIOf(t *testing.T, e *env) map[string]any {
	t.Helper()
	resp := e.anonymous().get("/api/openapi.json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/openapi.json = %d", resp.StatusCode)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(resp.body), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// operation is the document's operation of a route pattern, or nil.
func operation(doc map[string]any, pattern string) map[string]any {
	method, path, _ := strings.Cut(pattern, " ")
	item, _ := doc["paths"].(map[string]any)[path].(map[string]any)
	op, _ := item[strings.ToLower(method)].(map[string]any)
	return op
}

// TestOpenAPIFromRoutes checks that every /api/v1 route of the route table is in the document with
// its method, its path parameters, a summary and the schema of its answer; that apiDocs describes
// no route that does not exist; and that what the document said before is still said.
func TestOpenAPIFromRoutes(t *testing.T) {
	e := newEnv(t)
	doc := openAPIOf(t, e)
	for _, rt := range e.srv.routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		if _, ok := apiDocs[rt.pattern]; !ok {
			t.Errorf("route %q is not described in apiDocs: give it a summary, its query filters and its answer", rt.pattern)
		}
		op := operation(doc, rt.pattern)
		if op == nil {
			t.Errorf("route %q is not in the OpenAPI document", rt.pattern)
			continue
		}
		if s, _ := op["summary"].(string); s == "" || s == rt.pattern {
			t.Errorf("%s %s has no summary", method, path)
		}
		var names []string
		for _, p := range asList(op["parameters"]) {
			p := p.(map[string]any)
			names = append(names, fmt.Sprint(p["in"], ":", p["name"]))
			if p["in"] == "path" {
				if _, ok := pathParams[p["name"].(string)]; !ok {
					t.Errorf("%s: path parameter %v is not described in pathParams", rt.pattern, p["name"])
				}
			}
		}
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			if !slices.Contains(names, "path:"+m[1]) {
				t.Errorf("%s: path parameter %s missing, have %v", rt.pattern, m[1], names)
			}
		}
		if schemaAt(op) == nil && fileAnswer(op) == nil {
			t.Errorf("%s: no schema of its answer", rt.pattern)
		}
	}
	for pattern := range apiDocs {
		if _, ok := e.srv.access[pattern]; !ok {
			t.Errorf("apiDocs describes %q, which is not a route", pattern)
		}
	}
	for key, params := range openAPIv1 {
		method, path, _ := strings.Cut(key, " ")
		op := operation(doc, strings.ToUpper(method)+" "+path)
		if op == nil {
			t.Errorf("%s is no longer in the document", key)
			continue
		}
		var names []string
		for _, p := range asList(op["parameters"]) {
			names = append(names, p.(map[string]any)["name"].(string))
		}
		if !slices.Equal(names, params) {
			t.Errorf("%s parameters = %v, want %v", key, names, params)
		}
	}
}

// TestOpenAPIResponses asks every /api/v1 route as the office and checks the answer against the
// schema the document gives: no member it does not list, none it requires missing, types as said.
func TestOpenAPIResponses(t *testing.T) {
	e := newEnv(t)
	doc := openAPIOf(t, e)
	c := e.signIn("office")
	duty, rep := reportFixture(t, e)
	meeting := registerFixture(t, e)
	for _, rt := range e.srv.routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if strings.Contains(path, "/registers/{kind}") {
			path = strings.NewReplacer("{kind}", "meetings", "{id}", strconv.FormatInt(meeting, 10)).Replace(path)
		}
		if strings.Contains(path, "/duties/{id}") {
			path = strings.Replace(path, "{id}", duty.String(), 1)
		}
		if strings.Contains(path, "/reports/{id}") {
			path = strings.Replace(path, "{id}", strconv.FormatInt(rep.ID, 10), 1)
		}
		if strings.Contains(path, "/projects/{id}") {
			path = strings.Replace(path, "{id}", strconv.FormatInt(lifeProject(t, e, "内蒙古武川县").ID, 10), 1)
		}
		if !strings.HasPrefix(path, "/api/v1/") || method != http.MethodGet {
			continue
		}
		op := operation(doc, rt.pattern)
		schema := schemaAt(op)
		if schema == nil {
			continue // TestOpenAPIFromRoutes says so
		}
		path = strings.NewReplacer("{district}", url.PathEscape("门头沟区"), "{year}", "2021").Replace(path)
		resp := c.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d: %s", path, resp.StatusCode, excerpt(resp.body))
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(resp.body), &v); err != nil {
			t.Errorf("GET %s: %v", path, err)
			continue
		}
		for _, msg := range conform(v, schema, "") {
			t.Errorf("GET %s: %s", path, msg)
		}
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// fileAnswer is the schema of an operation's 200 answer when it is a file (any type).
func fileAnswer(op map[string]any) map[string]any {
	for _, k := range []string{"responses", "200", "content", "*/*", "schema"} {
		op, _ = op[k].(map[string]any)
	}
	if op["format"] != "binary" {
		return nil
	}
	return op
}

// schemaAt is the schema of an operation's 200 answer.
func schemaAt(op map[string]any) map[string]any {
	for _, k := range []string{"responses", "200", "content", "application/json", "schema"} {
		op, _ = op[k].(map[string]any)
	}
	return op
}

// conform lists where v departs from schema.
func conform(v any, schema map[string]any, at string) []string {
	if v == nil {
		if schema["nullable"] == true {
			return nil
		}
		return []string{at + ": null, not nullable"}
	}
	var out []string
	switch schema["type"] {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, want an object", at, v)}
		}
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asList(schema["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				out = append(out, fmt.Sprintf("%s: required %q missing", at, r))
			}
		}
		for k, mv := range obj {
			ps, ok := props[k].(map[string]any)
			if !ok {
				ps, ok = schema["additionalProperties"].(map[string]any) // a map: any key, its values' schema
			}
			if !ok {
				out = append(out, fmt.Sprintf("%s: %q not in the schema", at, k))
				continue
			}
			out = append(out, conform(mv, ps, at+"."+k)...)
		}
	case "array":
		list, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, want an array", at, v)}
		}
		items, _ := schema["items"].(map[string]any)
		for i, it := range list {
			out = append(out, conform(it, items, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		if _, ok := v.(string); !ok {
			out = append(out, fmt.Sprintf("%s: %T, want a string", at, v))
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			out = append(out, fmt.Sprintf("%s: %v, want an integer", at, v))
		}
	case "number":
		if _, ok := v.(float64); !ok {
			out = append(out, fmt.Sprintf("%s: %T, want a number", at, v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			out = append(out, fmt.Sprintf("%s: %T, want a boolean", at, v))
		}
	}
	return out
}
