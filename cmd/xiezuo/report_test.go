package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/sample"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// openKeyed opens dsn with its keys, as the commands do.
func openKeyed(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	var errs bytes.Buffer
	db, _ := openDB(t.Context(), &env{getenv: testGetenv([]string{dsn}), stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errs}, dsn)
	if db == nil {
		t.Fatalf("open %s: %s", dsn, errs.String())
	}
	return db
}

// reportDemo imports the 2021 plan into dsn and writes a demo year of facts up to today.
func reportDemo(t *testing.T, dsn string, today time.Time) {
	t.Helper()
	plan := writeFile(t, "2021-mentougou-plan.md", sample.Plan2021)
	if code, _, errs := xz(t, "import", "--db", dsn, plan); code != exitOK {
		t.Fatalf("import: %s", errs)
	}
	db := openKeyed(t, dsn)
	defer db.Close()
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	if _, err := gen.WriteLife(ctx, db, gen.Life{District: "门头沟区", Year: 2021, Today: today, Seed: 1}); err != nil {
		t.Fatalf("WriteLife = %v", err)
	}
	if _, err := gen.WriteFunds(ctx, db, gen.FundsDemo{District: "门头沟区", Year: 2021, Today: today, Seed: 1}); err != nil {
		t.Fatalf("WriteFunds = %v", err)
	}
	if _, err := gen.WriteHalfYear(ctx, db, gen.HalfYear{District: "门头沟区", Year: 2021, Today: today, Seed: 1}); err != nil {
		t.Fatalf("WriteHalfYear = %v", err)
	}
	p, err := db.LoadPlan(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteRegisters(ctx, db, "门头沟区", gen.RegisterYear(p, xiezuo.DayOf(today), 1)); err != nil {
		t.Fatalf("WriteRegisters = %v", err)
	}
}

// TestReportAssessment writes the self-assessment's workbook and evidence bundle on SQLite and
// PostgreSQL: its rows say the scorecard's figures for the same day.
func TestReportAssessment(t *testing.T) {
	today := time.Date(2021, 9, 15, 18, 0, 0, 0, xiezuo.Beijing)
	forEachDB(t, func(t *testing.T, dsn string) {
		reportDemo(t, dsn, today)
		dir := t.TempDir()
		out := filepath.Join(dir, "自评表.xlsx")
		base := []string{"report", "assessment", "--db", dsn, "--year", "2021", "--district", "门头沟区", "--as-of", "2021-09-15"}
		if code, msg, errs := xz(t, append(base, "-o", out)...); code != exitOK || !strings.Contains(msg, "考核自评报告") {
			t.Fatalf("report assessment -o .xlsx = exit %d: %s %s", code, msg, errs)
		}
		db := openKeyed(t, dsn)
		defer db.Close()
		day := xiezuo.NewDate(2021, 9, 15)
		set, err := db.IndicatorSet(t.Context(), "门头沟区", 2021, xiezuo.EndOfDay(day))
		if err != nil {
			t.Fatal(err)
		}
		data, err := db.ScoreData(t.Context(), "门头沟区", 2021, xiezuo.EndOfDay(day))
		if err != nil {
			t.Fatal(err)
		}
		rows := xiezuo.AssessmentRows(xiezuo.Score(set, data, day, xiezuo.ByDimension))
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.GetRows(xlsx.AssessmentSheet)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(rows)+2 {
			t.Fatalf("自评表 has %d rows, want %d + 2", len(got), len(rows))
		}
		for i, r := range rows {
			if g := got[i+2]; g[2] != r.Name || g[4] != r.Target || g[5] != r.Value || g[6] != r.Light {
				t.Errorf("row %d = %q, want %s %s %s %s", i+3, g, r.Name, r.Target, r.Value, r.Light)
			}
		}
		zout := filepath.Join(dir, "佐证材料.zip")
		if code, _, errs := xz(t, append(base, "-o", zout)...); code != exitOK {
			t.Fatalf("report assessment -o .zip = exit %d: %s", code, errs)
		}
		b, err := os.ReadFile(zout)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		if zr.File[0].Name != "清单.xlsx" || !strings.HasPrefix(zr.File[1].Name, "01_") {
			t.Errorf("bundle starts %q, %q; want 清单.xlsx then 01_…", zr.File[0].Name, zr.File[1].Name)
		}
	})
}

// TestReportUsage: bad usage exits 2 with a message naming what is wrong.
func TestReportUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	base := []string{"--db", db, "--year", "2021", "--district", "门头沟区"}
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"report"}, "用法"},
		{[]string{"report", "plan"}, "用法"},
		{append([]string{"report", "summary"}, base...), "-o"},
		{append(append([]string{"report", "summary"}, base...), "-o", "a.txt"), ".docx"},
		{append(append([]string{"report", "summary"}, base...), "-o", "a.xlsx"), "考核自评"},
		{append(append([]string{"report", "summary"}, base...), "-o", "a.docx", "--period", "h3"), "--period"},
		{append(append([]string{"report", "assessment"}, base...), "-o", "a.docx", "--period", "h1"), "全年"},
		{append(append([]string{"report", "summary"}, base...), "-o", "a.docx", "--as-of", "2021-6-31"), "--as-of"},
		{append(append([]string{"report", "summary"}, base...), "-o", "a.docx", "--as-of", "2999-01-01"), "晚于今天"},
	} {
		code, _, errs := xz(t, c.args...)
		if code != exitUsage || !strings.Contains(errs, c.says) {
			t.Errorf("xiezuo %v = exit %d: %q, want 2 saying %s", c.args, code, errs, c.says)
		}
	}
}

// TestReportWordPDF writes the summary and the assessment as Word and PDF.
func TestReportWordPDF(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "data", "xiezuo.db")
	reportDemo(t, dsn, time.Date(2021, 9, 15, 18, 0, 0, 0, xiezuo.Beijing))
	for _, c := range []struct{ kind, ext, magic string }{
		{"summary", ".docx", "PK"}, {"summary", ".pdf", "%PDF"}, {"assessment", ".docx", "PK"}, {"assessment", ".pdf", "%PDF"},
	} {
		out := filepath.Join(t.TempDir(), c.kind+c.ext)
		if code, _, errs := xz(t, "report", c.kind, "--db", dsn, "--year", "2021", "--district", "门头沟区", "-o", out); code != exitOK {
			t.Errorf("report %s -o %s = exit %d: %s", c.kind, c.ext, code, errs)
			continue
		}
		if b, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(b, []byte(c.magic)) {
			t.Errorf("%s%s does not start with %q (%v)", c.kind, c.ext, c.magic, err)
			continue
		}
		if c.ext == ".docx" {
			officeReads(t, out, c.kind)
		}
	}
}

// officeReads converts a .docx to PDF with LibreOffice (its own profile, a time limit) and checks
// the text of the PDF names the draft's title; with XIEZUO_DRAFT_SHOTS set it writes images of
// the first two pages to docs/screenshots/<name>-page-N.png. Skipped without soffice or
// pdftotext (CI installs both).
func officeReads(t *testing.T, docx, name string) {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("soffice (LibreOffice) is not installed: .ci/run installs it")
		}
		t.Skip("no soffice")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is not installed: .ci/run installs it")
		}
		t.Skip("no pdftotext")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, docx)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice %s: %v\n%s", docx, err, b)
	}
	pdf := filepath.Join(dir, strings.TrimSuffix(filepath.Base(docx), ".docx")+".pdf")
	txt, err := exec.CommandContext(ctx, pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	want := "门头沟区2021年"
	if !strings.Contains(strings.Join(strings.Fields(string(txt)), ""), want) {
		t.Errorf("LibreOffice's PDF of %s does not read %q:\n%.600s", name, want, txt)
	}
	if os.Getenv("XIEZUO_DRAFT_SHOTS") != "" {
		shots := filepath.Join("..", "..", "docs", "screenshots")
		if out, err := exec.CommandContext(ctx, "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", pdf, filepath.Join(shots, name+"-page")).CombinedOutput(); err != nil {
			t.Errorf("pdftoppm: %v\n%s", err, out)
		}
		// pdftoppm pads the page number to the page count's digits: name them -01, -02 always.
		for _, n := range []string{"1", "2"} {
			from := filepath.Join(shots, name+"-page-"+n+".png")
			if _, err := os.Stat(from); err == nil {
				if err := os.Rename(from, filepath.Join(shots, name+"-page-0"+n+".png")); err != nil {
					t.Error(err)
				}
			}
		}
	}
}

// TestReportNoPlan: a year without a stored plan is an error (exit 1) saying so, and no file.
func TestReportNoPlan(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "a.xlsx")
	code, _, errs := xz(t, "report", "assessment", "--db", filepath.Join(dir, "data", "x.db"), "--year", "2021", "--district", "门头沟区", "-o", out)
	if code != exitError || !strings.Contains(errs, "2021") {
		t.Errorf("report on an empty database = exit %d: %q, want 1 naming the plan", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a file was written")
	}
}
