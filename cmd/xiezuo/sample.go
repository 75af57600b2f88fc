package main

import (
	"context"
	"fmt"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
)

func runSample(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "sample", "[--db 数据库]")
	dsn := dbFlag(e, fs)
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		return exitUsage
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	s, err := loadSample(sqldb.WithActor(ctx, cliActor(e)), db)
	if err != nil {
		return fail(e, err)
	}
	printSummary(e.stdout, s)
	return exitOK
}

// loadSample imports the 2021 plan shipped in the binary; loading it again changes nothing.
func loadSample(ctx context.Context, db *sqldb.DB) (xiezuo.Summary, error) {
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil {
		return xiezuo.Summary{}, fmt.Errorf("read sample: %w", err)
	}
	if !res.OK() {
		return xiezuo.Summary{}, fmt.Errorf("sample plan has %d errors, first: %s", len(res.Errors), res.Errors[0].Message)
	}
	if _, err := db.ImportPlan(ctx, res.Plan, sample.Plan2021); err != nil {
		return xiezuo.Summary{}, fmt.Errorf("import sample: %w", err)
	}
	return res.Summary(), nil
}
