package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/gen"
)

// runGenerate makes synthetic plans of Beijing districts (package gen) for demonstrations and
// benchmarks, and writes them as documents into a folder or imports them into a database.
func runGenerate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "generate", "--districts N --years Y --projects P [--regions R] [--seed S] (-o 目录 [--format md|csv|xlsx] | --db 数据库 [--reports-until YYYY-MM-DD])")
	districts := fs.String("districts", "1", "区：个数（1–16，按东城区、西城区……的顺序）或以逗号分隔的区名")
	years := fs.String("years", "2021", "年度：一个年份（2021）、一段年份（2021-2023）或年数（3 即 2021–2023）")
	projects := fs.Int("projects", 16, "每份计划的项目数（0 即没有项目计划表）")
	regions := fs.Int("regions", 3, "每份计划的协作地区数")
	seed := fs.Int64("seed", 1, "随机种子：同一种子生成同样的计划")
	out := fs.String("o", "", "输出目录：每份计划写成一个文件")
	format := fs.String("format", "md", "-o 的文件格式：md（整份计划）、csv 或 xlsx（只有项目计划表）")
	dsn := fs.String("db", "", "直接导入的数据库：SQLite 文件路径或 postgres:// 地址")
	until := fs.String("reports-until", "", "与 --db 同用：再为每份计划生成 6 月起到这一天（YYYY-MM-DD）为止的项目进展、督查数据（进展报告、审核、销号、封存、督办单）、资金、成效和公示")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return exitUsage
	}
	usage := func(msg string) int {
		fmt.Fprintln(e.stderr, "xiezuo: generate "+msg)
		fs.Usage()
		return exitUsage
	}
	if len(rest) > 0 {
		return usage("不接受文件参数")
	}
	if (*out == "") == (*dsn == "") {
		return usage("需要 -o 目录 或 --db 数据库（二者选一）")
	}
	var reportsUntil time.Time
	if *until != "" {
		d, err := xiezuo.ParseDate(*until)
		if err != nil || *dsn == "" {
			return usage("--reports-until 应为日期（如 2021-09-15），且须与 --db 同用")
		}
		reportsUntil = time.Date(d.Year, d.Month, d.Day, 18, 0, 0, 0, xiezuo.Beijing)
	}
	names, err := districtNames(*districts)
	if err != nil {
		return usage(err.Error())
	}
	ys, err := yearList(*years)
	if err != nil {
		return usage(err.Error())
	}
	if *projects < 0 || *regions < 1 {
		return usage("--projects 不能为负数，--regions 至少为 1")
	}
	ext := "." + *format
	if ext != ".md" && ext != ".csv" && ext != ".xlsx" {
		return usage("--format 只能是 md、csv 或 xlsx")
	}
	if *format != "md" && *projects == 0 {
		return usage("csv 和 xlsx 只有项目计划表：--projects 不能为 0")
	}
	write := func(p *xiezuo.Plan) (string, error) {
		var data []byte
		switch ext {
		case ".md":
			data = gen.Markdown(p)
		case ".csv":
			data = gen.CSV(p)
		default:
			wb, err := gen.Workbook(p)
			if err != nil {
				return "", err
			}
			data = wb
		}
		file := filepath.Join(*out, gen.FileName(p, ext))
		return file, os.WriteFile(file, data, 0o644)
	}
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return fail(e, err)
		}
	} else {
		db, code := openDB(ctx, e, *dsn)
		if db == nil {
			return code
		}
		defer db.Close()
		write = func(p *xiezuo.Plan) (string, error) {
			where := fmt.Sprintf("%d年%s", p.Year, p.District)
			if err := gen.Store(ctx, db, p); err != nil || reportsUntil.IsZero() || p.Year > reportsUntil.Year() {
				return where, err
			}
			// The projects' steps first: the money, results, assets and public notice follow them.
			if _, err := gen.WriteLife(ctx, db, gen.Life{District: p.District, Year: p.Year, Today: reportsUntil, Seed: *seed}); err != nil {
				return where, err
			}
			stats, err := gen.WriteHalfYear(ctx, db, gen.HalfYear{District: p.District, Year: p.Year, Today: reportsUntil, Seed: *seed})
			if err != nil {
				return where, err
			}
			fs, err := gen.WriteFunds(ctx, db, gen.FundsDemo{District: p.District, Year: p.Year, Today: reportsUntil, Seed: *seed})
			if err != nil {
				return where, err
			}
			if _, err := gen.WriteReach(ctx, db, gen.Reach{District: p.District, Year: p.Year, Today: reportsUntil, Seed: *seed}); err != nil {
				return where, err
			}
			pub, err := gen.WritePublic(ctx, db, p.District, p.Year, reportsUntil)
			if err != nil {
				return where, err
			}
			if err := gen.WriteRegisters(ctx, db, p.District, gen.RegisterYear(p, xiezuo.DayOf(reportsUntil), *seed)); err != nil {
				return where, err
			}
			if err == nil {
				where += fmt.Sprintf("（进展报告 %d 份，审核 %d 次，督办单 %d 份，公示项目 %d 个）（资金记录 %d 笔）", stats.Reports, stats.Reviews, stats.Notices, pub.Published, fs.Transactions)
			}
			return where, err
		}
	}
	n := *projects
	if n == 0 {
		n = -1 // gen: a negative count means none
	}
	total := len(names) * len(ys)
	done := 0
	for di, d := range names {
		for _, y := range ys {
			// One plan at a time: a large run never holds more than one in memory.
			p := gen.Plan(gen.Options{
				Seed:     *seed*1_000_003 + int64(di)*10_007 + int64(y),
				District: d,
				Year:     y,
				Regions:  *regions,
				Projects: n,
			})
			where, err := write(p)
			if err != nil {
				fmt.Fprintf(e.stderr, "xiezuo: %d年%s：%s\n", y, d, errorText(err))
				return exitError
			}
			done++
			fmt.Fprintf(e.stdout, "[%d/%d] %s：%d 条工作要点，%d 项任务，%d 个协作地区，%d 个项目\n",
				done, total, where, len(p.Points), len(p.Tasks), len(p.Regions), len(p.Projects))
		}
	}
	return exitOK
}

// errorText is a domain error's message, or any other error in full: the command line is the
// operator's own console.
func errorText(err error) string {
	if xiezuo.ErrorCode(err) != xiezuo.EINTERNAL {
		return xiezuo.ErrorMessage(err)
	}
	return err.Error()
}

// districtNames reads --districts: a count of Beijing's districts, or their names.
func districtNames(s string) ([]string, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > len(gen.Districts) {
			return nil, fmt.Errorf("--districts 应在 1 到 %d 之间", len(gen.Districts))
		}
		return gen.Districts[:n], nil
	}
	var names []string
	for _, d := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		names = append(names, strings.TrimSpace(d))
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("--districts 为空")
	}
	return names, nil
}

// yearList reads --years: 2021, 2021-2023, or a number of years from 2021 on.
func yearList(s string) ([]int, error) {
	bad := fmt.Errorf("--years 应写作 2021、2021-2023 或年数（如 3）")
	from, to, isRange := strings.Cut(s, "-")
	a, err := strconv.Atoi(from)
	if err != nil {
		return nil, bad
	}
	b := a
	switch {
	case isRange:
		if b, err = strconv.Atoi(to); err != nil {
			return nil, bad
		}
	case a < 1000:
		a, b = 2021, 2021+a-1
	}
	if a < 2000 || b > 2100 || b < a {
		return nil, bad
	}
	var ys []int
	for y := a; y <= b; y++ {
		ys = append(ys, y)
	}
	return ys, nil
}
