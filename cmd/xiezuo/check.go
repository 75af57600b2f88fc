package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"xiezuo"
	"xiezuo/plandoc"
)

func newFlags(e *env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "用法：xiezuo %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses flags that may stand before or after the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func runCheck(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "check", "[--json] 文件")
	asJSON := fs.Bool("json", false, "输出 JSON（见 DESIGN.md 的约定）")
	files, err := parseFlags(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(files) != 1 {
		fs.Usage()
		return exitUsage
	}
	sweepTemp(e)
	res, code := readPlan(ctx, e, files[0])
	if res == nil {
		return code
	}
	s := res.Summary()
	s.File = files[0]
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			return fail(e, err)
		}
	} else {
		printSummary(e.stdout, s)
	}
	if !res.OK() {
		return exitError
	}
	return exitOK
}

// readPlan reads and parses a plan file; on unreadable input it reports and returns nil.
func readPlan(ctx context.Context, e *env, name string) (*plandoc.Result, int) {
	data, err := readDocument(name)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 无法读取文件“%s”：%s\n", name, osMessage(err))
		return nil, exitUsage
	}
	res, err := plandoc.ParseContext(ctx, name, data)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: %s：%s\n", name, parseMessage(err))
		return nil, exitUsage
	}
	return res, exitOK
}

// readDocument reads a document, refusing one larger than plandoc reads before reading it.
func readDocument(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, plandoc.MaxDocumentBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > plandoc.MaxDocumentBytes {
		return nil, fmt.Errorf("文件超过 %d MB 的上限，请拆分后再检查", plandoc.MaxDocumentBytes>>20)
	}
	return data, nil
}

// parseMessage is the message of a refused document, or of a read stopped by Ctrl+C.
func parseMessage(err error) string {
	if errors.Is(err, context.Canceled) {
		return "已中断"
	}
	return xiezuo.ErrorMessage(err)
}

// sweepTemp removes the temporary folders a crashed read left behind.
func sweepTemp(e *env) {
	if err := plandoc.SweepTemp(); err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 无法清理临时文件夹 %s：%v\n", plandoc.TempRoot(), err)
	}
}

func osMessage(err error) string {
	switch {
	case os.IsNotExist(err):
		return "文件不存在"
	case os.IsPermission(err):
		return "没有读取权限"
	}
	if strings.Contains(err.Error(), "is a directory") {
		return "这是一个文件夹，不是文件"
	}
	return err.Error()
}

// printSummary writes the summary for a person: figures with their units, then every error and
// warning at its line.
func printSummary(w io.Writer, s xiezuo.Summary) {
	fmt.Fprintf(w, "文件：%s\n", s.File)
	fmt.Fprintf(w, "年份：%d　区县：%s\n", s.Year, s.District)
	fmt.Fprintf(w, "工作要点 %d 条，工作专班 %d 个，任务 %d 项，项目 %d 个\n", s.WorkPoints, s.WorkTeams, s.Tasks, s.Projects)
	if s.Projects > 0 {
		// A document without a project table (a task list, the work teams) has no totals to give.
		fmt.Fprintf(w, "合计：项目总投资 %s 万元，区级帮扶资金 %s 万元，受益脱贫村 %d 个，受益脱贫人口 %d 人，吸纳脱贫人口 %d 人\n",
			xiezuo.FormatWan(s.Totals.TotalInvestmentYuan.V), xiezuo.FormatWan(s.Totals.DistrictFundYuan.V),
			s.Totals.BeneficiaryVillages, s.Totals.BeneficiaryPeople, s.Totals.EmployedPeople)
	}
	for _, r := range s.Regions {
		fmt.Fprintf(w, "  %s：项目 %d 个，区级帮扶资金 %s 万元，受益脱贫村 %d 个，受益脱贫人口 %d 人，吸纳脱贫人口 %d 人\n",
			r.Name, r.Projects, xiezuo.FormatWan(r.DistrictFundYuan.V), r.BeneficiaryVillages, r.BeneficiaryPeople, r.EmployedPeople)
	}
	for _, p := range s.Errors {
		fmt.Fprintf(w, "错误 %s：%s\n", at(p), p.Message)
	}
	if s.ErrorsOmitted > 0 {
		fmt.Fprintf(w, "另有 %d 个错误未列出（只列出前 %d 个）\n", s.ErrorsOmitted, len(s.Errors))
	}
	for _, p := range s.Warnings {
		fmt.Fprintf(w, "提醒 %s：%s\n", at(p), p.Message)
	}
	if s.WarningsOmitted > 0 {
		fmt.Fprintf(w, "另有 %d 个提醒未列出（只列出前 %d 个）\n", s.WarningsOmitted, len(s.Warnings))
	}
	errs, warns := len(s.Errors)+s.ErrorsOmitted, len(s.Warnings)+s.WarningsOmitted
	switch {
	case errs > 0:
		fmt.Fprintf(w, "共 %d 个错误、%d 个提醒：请改正错误后再导入，有错误的文件不会导入任何内容。\n", errs, warns)
	case warns > 0:
		fmt.Fprintf(w, "没有错误，%d 个提醒：可以导入。\n", warns)
	default:
		fmt.Fprintln(w, "没有错误：可以导入。")
	}
}

// at names where a problem is: the line, and for a Word or PDF document where the clerk finds
// it in the original (附件2 表格第5行，第3页).
func at(p xiezuo.Problem) string {
	if p.Sheet != "" {
		return fmt.Sprintf("工作表“%s”第%d行", p.Sheet, p.Line)
	}
	if place := p.Place(); place != "" {
		return fmt.Sprintf("第%d行（%s）", p.Line, place)
	}
	return fmt.Sprintf("第%d行", p.Line)
}
