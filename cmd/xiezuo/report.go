package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/evidence"
	"xiezuo/gongwen"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// reportUsage is the arguments of xiezuo report.
const reportUsage = "summary|assessment --db 数据库 --year 年份 --district 区县 [--as-of YYYY-MM-DD] [--period h1|year] -o 文件.docx|文件.pdf（考核自评还可为 .xlsx 自评表、.zip 佐证材料包）"

// runReport writes the half-year or annual work summary, or the self-assessment, drafted from the
// data (xiezuo.BuildDraft, as the page 总结与自评 generates it) as Word or PDF; the assessment also
// as its workbook or its evidence bundle.
func runReport(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || (args[0] != "summary" && args[0] != "assessment") {
		fmt.Fprintln(e.stderr, "用法：xiezuo report "+reportUsage)
		return exitUsage
	}
	kind := xiezuo.DraftKind(args[0])
	fs := newFlags(e, "report "+args[0], "--db 数据库 --year 年份 --district 区县 [--as-of YYYY-MM-DD] [--period h1|year] -o 文件")
	dsn := dbFlag(e, fs)
	year := fs.Int("year", 0, "年份，如 2021")
	district := fs.String("district", "", "区县，如 门头沟区")
	asOfFlag := fs.String("as-of", "", "数据截至的日期 YYYY-MM-DD（默认：上半年为 6 月 30 日，全年为 12 月 31 日，未到则为今天）")
	periodFlag := fs.String("period", "", "工作总结的期间：h1 上半年（默认）或 year 全年；考核自评为全年")
	out := fs.String("o", "", "输出文件：.docx 或 .pdf；考核自评还可为 .xlsx 或 .zip")
	evDir := fs.String("evidence-dir", "", "证明材料的存储目录（默认与 serve 相同：数据库旁的 evidence）")
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return exitUsage
	}
	usage := func(msg string) int {
		fmt.Fprintln(e.stderr, "xiezuo: report "+args[0]+" "+msg)
		return exitUsage
	}
	if len(rest) > 0 {
		return usage("不接受多余的参数：" + strings.Join(rest, " "))
	}
	if *year == 0 || *district == "" || *out == "" {
		return usage("需要 --year、--district 和 -o")
	}
	ext := strings.ToLower(filepath.Ext(*out))
	switch ext {
	case ".docx", ".pdf":
	case ".xlsx", ".zip":
		if kind != xiezuo.DraftAssessment {
			return usage("工作总结只能写成 .docx 或 .pdf；.xlsx 和 .zip 是考核自评的自评表和佐证材料包")
		}
	default:
		return usage("输出文件应以 .docx、.pdf 结尾（考核自评还可为 .xlsx、.zip）")
	}
	p := *periodFlag
	if kind == xiezuo.DraftAssessment {
		if p != "" && p != string(xiezuo.DraftYear) {
			return usage("考核自评按全年，不接受 --period " + p)
		}
		p = string(xiezuo.DraftYear)
	} else if p == "" {
		p = string(xiezuo.DraftH1)
	}
	period, err := xiezuo.ParseDraftPeriod(p)
	if err != nil {
		return usage("--period：" + xiezuo.ErrorMessage(err))
	}
	var asked xiezuo.Date
	if *asOfFlag != "" {
		if asked, err = xiezuo.ParseDate(*asOfFlag); err != nil {
			return usage(fmt.Sprintf("--as-of「%s」不是日期，应如 2021-06-30", *asOfFlag))
		}
	}
	now := time.Now()
	day, err := xiezuo.DraftDay(*year, period, asked, xiezuo.DayOf(now))
	if err != nil {
		return usage("--as-of：" + xiezuo.ErrorMessage(err))
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	f, err := db.DraftFacts(ctx, *district, *year, xiezuo.EndOfDay(day))
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: %s\n", xiezuo.ErrorMessage(err))
		return exitError
	}
	doc := xiezuo.BuildDraft(f, kind, period, day)
	write := func(w io.Writer) error {
		switch ext {
		case ".docx":
			return gongwen.WriteDOCX(w, doc)
		case ".pdf":
			font, err := gongwen.FindFont()
			if err != nil {
				return fmt.Errorf("找不到中文 TrueType 字体（如 Debian 的 fonts-lxgw-wenkai）：%w", err)
			}
			return gongwen.WritePDF(w, doc, font)
		}
		rows := xiezuo.AssessmentRows(xiezuo.AssessmentCard(f, day))
		title := xiezuo.AssessmentTitle(*district, *year) + "（截至" + xiezuo.DraftChineseDate(day) + "）"
		if ext == ".xlsx" {
			return xlsx.WriteAssessment(w, title, rows, func(_ xiezuo.AssessmentRow, e xiezuo.EvidenceRef) string { return e.KindName() })
		}
		return xlsx.WriteEvidenceBundle(w, title, rows, bundleFiles(ctx, db, evidenceDirOf(*evDir, *dsn), f.Score), xlsx.DefaultBundleLimits, now)
	}
	if err := writeFileAtomic(*out, write); err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 写入“%s”失败：%v\n", *out, err)
		return exitError
	}
	fmt.Fprintf(e.stdout, "已写出 %s（数据截至 %s）到 %s\n", doc.Title, day, *out)
	return exitOK
}

// bundleFiles gives the bundle's files of an evidence item: a report's stored files (from the
// evidence store in dir, when there is one), else a text describing the entry or project.
func bundleFiles(ctx context.Context, db *sqldb.DB, dir string, d xiezuo.ScoreData) func(xiezuo.EvidenceRef) ([]xlsx.BundleFile, error) {
	var store *evidence.Store
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		store, _ = evidence.NewStore(dir)
	}
	who, whoErr := db.Writers(ctx, xiezuo.EntryRecorders(d))
	return func(ev xiezuo.EvidenceRef) ([]xlsx.BundleFile, error) {
		if whoErr != nil {
			return nil, whoErr
		}
		var out []xlsx.BundleFile
		if ev.Kind == "report" {
			if store == nil {
				return nil, nil
			}
			files, err := db.ReportEvidence(ctx, ev.ID)
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				sum := f.SHA256
				out = append(out, xlsx.BundleFile{Name: f.Name, Open: func() (io.ReadCloser, error) { return store.Open(sum) }})
			}
			return out, nil
		}
		for _, it := range xiezuo.DescribeEvidence(d, ev, who) {
			text := it.Text
			out = append(out, xlsx.BundleFile{Name: it.Name, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }})
		}
		return out, nil
	}
}

// writeFileAtomic writes path through a temporary file beside it, renamed when complete: a
// failed write leaves no half file.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".xiezuo-report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
