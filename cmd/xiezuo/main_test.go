package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/sample"
	"xiezuo/sqldb/sqldbtest"
	"xiezuo/vault"
)

// xz runs the command line in-process and returns its exit code and output.
func xz(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, testGetenv(args), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// testKeyFile is the key file of the tests' PostgreSQL databases, which must name one.
var testKeyFile string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "xiezuo-keys")
	if err != nil {
		panic(err)
	}
	testKeyFile = filepath.Join(dir, "xiezuo.key")
	if _, err := vault.CreateKeyFile(testKeyFile); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testGetenv is the environment of a command with args: empty, but for a PostgreSQL database
// the key file the tests share.
func testGetenv(args []string) func(string) string {
	return func(k string) string {
		if k == vault.KeyFileEnv && slices.ContainsFunc(args, isPostgres) {
			return testKeyFile
		}
		return ""
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func decode(t *testing.T, s string) xiezuo.Summary {
	t.Helper()
	var sum xiezuo.Summary
	if err := json.Unmarshal([]byte(s), &sum); err != nil {
		t.Fatalf("output is not the summary JSON: %v\n%s", err, s)
	}
	return sum
}

func TestCheck2021(t *testing.T) {
	plan := writeFile(t, "2021-mentougou-plan.md", sample.Plan2021)
	code, out, errs := xz(t, "check", "--json", plan)
	if code != exitOK {
		t.Fatalf("check --json 2021 plan = exit %d, stderr %s", code, errs)
	}
	s := decode(t, out)
	got := []any{s.File, s.Year, s.District, s.WorkPoints, s.WorkTeams, s.Tasks, s.Projects, len(s.Errors), s.Totals.DistrictFundYuan.V}
	want := []any{plan, 2021, "门头沟区", 19, 10, 17, 16, 0, int64(560_500_000)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("check --json (-want +got):\n%s", diff)
	}
	for _, key := range []string{`"total_investment_yuan": 3225000`, `"beneficiary_villages": 53`, `"errors": []`, `"warnings": []`} {
		if !strings.Contains(out, key) {
			t.Errorf("check --json output lacks %s", key)
		}
	}
	code, out, _ = xz(t, "check", plan)
	if code != exitOK || !strings.Contains(out, "区级帮扶资金 560.5 万元") || !strings.Contains(out, "没有错误") {
		t.Errorf("check (text) = exit %d:\n%s", code, out)
	}
}

func TestCheckExitCodes(t *testing.T) {
	bad := writeFile(t, "bad.md", []byte(strings.Replace(string(sample.Plan2021), "武川县乡村振兴加工车间援建项目\t新建\t扶持农村专业合作社和小型加工车间3个,以支持其扩大生产带动村民尤其是脱贫人口增收。\t30\t30", "武川县乡村振兴加工车间援建项目\t新建\t扶持农村专业合作社和小型加工车间3个,以支持其扩大生产带动村民尤其是脱贫人口增收。\t30\t31", 1)))
	tests := []struct {
		name string
		args []string
		code int
		has  string
	}{
		{"errors", []string{"check", "--json", bad}, exitError, "区级帮扶资金 31 万元 大于项目总投资 30 万元"},
		{"missing file", []string{"check", filepath.Join(t.TempDir(), "none.md")}, exitUsage, "文件不存在"},
		{"old workbook", []string{"check", writeFile(t, "plan.xls", []byte("x"))}, exitUsage, "另存为 .xlsx"},
		{"no file", []string{"check"}, exitUsage, "用法"},
		{"unknown flag", []string{"check", "--nope", bad}, exitUsage, "flag provided but not defined"},
		{"unknown command", []string{"frobnicate"}, exitUsage, "未知命令"},
		{"help", []string{"help"}, exitOK, "check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := xz(t, tt.args...)
			if code != tt.code || !strings.Contains(out+errs, tt.has) {
				t.Errorf("xiezuo %v = exit %d, want %d with %q; output:\n%s%s", tt.args, code, tt.code, tt.has, out, errs)
			}
		})
	}
}

// forEachDB runs f with a fresh SQLite file and a fresh PostgreSQL database.
func forEachDB(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "data", "xiezuo.db")) })
	t.Run("postgres", func(t *testing.T) { f(t, sqldbtest.PostgresURL(t)) })
}

// TestImportTwiceThenSummary imports the 2021 plan twice: the second import changes nothing,
// and summary prints what check prints.
func TestImportTwiceThenSummary(t *testing.T) {
	plan := writeFile(t, "2021-mentougou-plan.md", sample.Plan2021)
	_, checkOut, _ := xz(t, "check", "--json", plan)
	forEachDB(t, func(t *testing.T, dsn string) {
		code, out, errs := xz(t, "import", "--db", dsn, plan)
		if code != exitOK || !strings.Contains(out, "新增 项目 16 个") {
			t.Fatalf("first import = exit %d:\n%s%s", code, out, errs)
		}
		code, out, _ = xz(t, "import", "--db", dsn, plan)
		if code != exitOK || !strings.Contains(out, "没有变化") {
			t.Errorf("second import = exit %d:\n%s", code, out)
		}
		code, sumOut, errs := xz(t, "summary", "--json", "--db", dsn, "--year", "2021", "--district", "门头沟区")
		if code != exitOK {
			t.Fatalf("summary = exit %d: %s", code, errs)
		}
		if diff := cmp.Diff(checkOut, sumOut); diff != "" {
			t.Errorf("summary differs from check (-check +summary):\n%s", diff)
		}
	})
}

// TestImportRefusedOrChanged: a document with an error changes nothing, even next to a good
// one; a corrected document updates what changed and says so.
func TestImportRefusedOrChanged(t *testing.T) {
	plan := writeFile(t, "2021-mentougou-plan.md", sample.Plan2021)
	// The consumption project gets 35 instead of 30 (万元): its category, region and the
	// project's own total must follow for the document to be valid.
	text := string(sample.Plan2021)
	changed := strings.NewReplacer(
		"2.消费帮扶类(1个)\t\t\t\t30\t30", "2.消费帮扶类(1个)\t\t\t\t35\t35",
		"内蒙古武川县(10个)\t\t\t\t322.5\t322.5", "内蒙古武川县(10个)\t\t\t\t327.5\t327.5",
		"进一步拓宽武川县特色农产品在京销售市场。\t30\t30", "进一步拓宽武川县特色农产品在京销售市场。\t35\t35",
	).Replace(text)
	if changed == text {
		t.Fatal("the replacement did not apply")
	}
	changedFile := writeFile(t, "2021-corrected.md", []byte(changed))
	broken := writeFile(t, "2021-broken.md", []byte(strings.Replace(changed, "2021年6月-2021年9月", "2021年6月-2021年19月", 1)))
	forEachDB(t, func(t *testing.T, dsn string) {
		if code, out, errs := xz(t, "import", "--db", dsn, plan); code != exitOK {
			t.Fatalf("import = exit %d:\n%s%s", code, out, errs)
		}
		_, before, _ := xz(t, "summary", "--json", "--db", dsn, "--year", "2021", "--district", "门头沟区")
		code, out, errs := xz(t, "import", "--db", dsn, changedFile, broken)
		if code != exitError || !strings.Contains(errs, "第") || !strings.Contains(errs, "没有导入任何内容") {
			t.Errorf("import with a broken file = exit %d:\n%s%s", code, out, errs)
		}
		_, after, _ := xz(t, "summary", "--json", "--db", dsn, "--year", "2021", "--district", "门头沟区")
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("a refused import changed the database (-before +after):\n%s", diff)
		}
		code, out, errs = xz(t, "import", "--db", dsn, changedFile)
		if code != exitOK {
			t.Fatalf("import corrected = exit %d:\n%s%s", code, out, errs)
		}
		for _, want := range []string{"项目总投资 30 → 35 万元", "区级帮扶资金 322.5 → 327.5 万元"} {
			if !strings.Contains(out, want) {
				t.Errorf("import corrected output lacks %q:\n%s", want, out)
			}
		}
		_, sumOut, _ := xz(t, "summary", "--json", "--db", dsn, "--year", "2021", "--district", "门头沟区")
		if s := decode(t, sumOut); s.Regions[0].DistrictFundYuan.V != 327_500_000 || s.Projects != 16 {
			t.Errorf("summary after the correction = %+v", s.Regions[0])
		}
	})
}

func TestExportProjects(t *testing.T) {
	plan := writeFile(t, "2021-mentougou-plan.md", sample.Plan2021)
	_, checkOut, _ := xz(t, "check", "--json", plan)
	forEachDB(t, func(t *testing.T, dsn string) {
		if code, _, errs := xz(t, "import", "--db", dsn, plan); code != exitOK {
			t.Fatalf("import: %s", errs)
		}
		out := filepath.Join(t.TempDir(), "项目计划表.xlsx")
		code, msg, errs := xz(t, "export", "projects", "--db", dsn, "--year", "2021", "--district", "门头沟区", "-o", out)
		if code != exitOK {
			t.Fatalf("export = exit %d: %s", code, errs)
		}
		if !strings.Contains(msg, "16 个项目") {
			t.Errorf("export said %q", msg)
		}
		code, back, errs := xz(t, "check", "--json", out)
		if code != exitOK {
			t.Fatalf("check of the export = exit %d: %s\n%s", code, errs, back)
		}
		want, got := decode(t, checkOut), decode(t, back)
		if diff := cmp.Diff(want.Regions, got.Regions); diff != "" {
			t.Errorf("export read back (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want.Totals, got.Totals); diff != "" {
			t.Errorf("export totals read back (-want +got):\n%s", diff)
		}
	})
	if code, _, errs := xz(t, "export", "projects", "--db", filepath.Join(t.TempDir(), "x.db"), "--year", "2030", "--district", "门头沟区", "-o", filepath.Join(t.TempDir(), "a.xlsx")); code != exitError || !strings.Contains(errs, "没有") {
		t.Errorf("export of a missing plan = exit %d: %s", code, errs)
	}
}

// syncBuffer is a buffer the server goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeDemo(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	var out, errs syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "x.db")}, os.Getenv, strings.NewReader(""), &out, &errs)
	}()
	addr := ""
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && addr == ""; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("serve printed no address:\n%s%s", out.String(), errs.String())
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz = %v, %v", resp, err)
	}
	resp.Body.Close()
	// A demo account signs in and finds the 2021 plan's figures on its home page.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err = c.Get("http://" + addr + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	var form bytes.Buffer
	form.ReadFrom(resp.Body)
	resp.Body.Close()
	pre := regexp.MustCompile(`name="pre" value="([^"]+)"`).FindStringSubmatch(form.String())
	if pre == nil {
		t.Fatalf("sign-in page has no form token:\n%s", form.String())
	}
	resp, err = c.PostForm("http://"+addr+"/signin", url.Values{"username": {"office"}, "password": {demoPassword}, "pre": {pre[1]}})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	page.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(page.String(), "内蒙古武川县") || !strings.Contains(page.String(), "322.5") {
		t.Errorf("office's home page lacks the 2021 plan:\n%s", page.String())
	}
	for _, u := range []string{"office", "caizheng", "wuchuan", "leader", "sysadmin", "secadmin", "auditor", "city"} {
		if !strings.Contains(out.String(), u) {
			t.Errorf("serve --demo did not print the demo account %s", u)
		}
	}
	if !strings.Contains(out.String(), "项目 16 个") {
		t.Errorf("serve --demo did not print the summary:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "陈干部（前方挂职干部，内蒙古武川县）") {
		t.Errorf("serve --demo does not print the cadre with its region:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "演示环境未要求动态口令") {
		t.Errorf("serve --demo does not say the second factor is off:\n%s", out.String())
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve exit = %d: %s", code, errs.String())
	}
}

// TestGenerate writes generated plans as documents and into a database: the documents pass
// check, and importing them into the database that generate filled changes nothing.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "g.db")
	args := []string{"--districts", "门头沟区,怀柔区", "--years", "2021-2022", "--projects", "30"}
	if code, out, errs := xz(t, append([]string{"generate", "-o", dir}, args...)...); code != exitOK || !strings.Contains(out, "[4/4]") {
		t.Fatalf("generate -o = exit %d:\n%s%s", code, out, errs)
	}
	if code, _, errs := xz(t, append([]string{"generate", "--db", db}, args...)...); code != exitOK {
		t.Fatalf("generate --db = exit %d: %s", code, errs)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	if len(files) != 4 {
		t.Fatalf("generate wrote %v, want 4 documents", files)
	}
	for _, f := range files {
		if code, out, _ := xz(t, "check", f); code != exitOK {
			t.Errorf("check %s = exit %d:\n%s", f, code, out)
		}
		if code, out, errs := xz(t, "import", "--db", db, f); code != exitOK || !strings.Contains(out, "没有变化") {
			t.Errorf("import %s into the generated database = exit %d:\n%s%s", f, code, out, errs)
		}
	}
	for _, bad := range [][]string{{"generate"}, {"generate", "-o", dir, "--years", "abc"}, {"generate", "-o", dir, "--districts", "99"}} {
		if code, _, _ := xz(t, bad...); code != exitUsage {
			t.Errorf("xiezuo %v = exit %d, want %d", bad, code, exitUsage)
		}
	}
}

func TestParseProxies(t *testing.T) {
	got, err := parseProxies(" 10.0.0.0/8, 192.0.2.7 ,::1")
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("::1/128")}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("parseProxies = %v, %v, want %v", got, err, want)
	}
	if got, err := parseProxies(""); err != nil || len(got) != 0 {
		t.Errorf("parseProxies(\"\") = %v, %v, want none", got, err)
	}
	if _, err := parseProxies("10.0.0.0/8,proxy.local"); err == nil || !strings.Contains(xiezuo.ErrorMessage(err), "proxy.local") {
		t.Errorf("parseProxies(name) = %v, want an error naming it", err)
	}
	if code, _, errs := xz(t, "serve", "--trusted-proxy", "nonsense", "--db", filepath.Join(t.TempDir(), "x.db")); code != exitUsage || !strings.Contains(errs, "nonsense") {
		t.Errorf("serve --trusted-proxy nonsense = exit %d: %s", code, errs)
	}
}
