// Command xiezuo-drill runs the failure drills of issue 13 against a real `xiezuo serve` built
// once with `go build`, and prints a table: for each drill and database, the trials, the writes
// the client heard acknowledged, the acknowledged writes lost, the writes stored twice, the
// imports left partial (and half-written files left on disk), whether `xiezuo audit verify`
// passed, and the time to serve again (from the restart, failover or freed disk to /readyz 200
// and a write accepted). It exits 1 when a must-be-0 is not 0, audit verify fails, a drill heard
// no write acknowledged, or a drill asked for could not run (unless --allow-skip). Traffic
// goes to 127.0.0.1 only; every drill is bounded by --trials and --timeout.
//
//	go run ./cmd/xiezuo-drill --trials 20 --db sqlite,postgres --drills kill,pgrestart,failover,diskfull
//
// Drills:
//   - kill: kill -9 of serve at a random moment during imports (a jobs list uploaded and
//     confirmed through the labour pages), register imports (workbooks of 政策文件 rows uploaded
//     through POST /registers/{kind}/import, each stored whole or not at all), report
//     submissions (POST /api/v1/duties/{id}/reports), money transactions
//     (POST /api/v1/projects/{id}/transactions) and exports (a project workbook downloaded); the
//     client retries what got no answer with the same Idempotency-Key.
//     On SQLite, on PostgreSQL (--postgres) and on PostgreSQL kept by Patroni (--db patroni: the
//     cluster of deploy/ha/cluster.sh, through its multi-host connection string).
//   - pgrestart: a throwaway PostgreSQL of its own (--pg-port, default 5447) restarted with
//     pg_ctl restart -m fast and -m immediate, in turn, under reports and transactions.
//   - failover: the primary of the Patroni cluster of deploy/ha/cluster.sh (XIEZUO_HA_SCRIPT)
//     killed under load; skipped with a message when the script is missing.
//   - diskfull: the SQLite file and the evidence folder on a small tmpfs filled to ENOSPC under
//     load; the answers must be Chinese errors, not 500s; then the space is freed.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "xiezuo-drill:", err)
	}
	os.Exit(code)
}

type config struct {
	drills    []string
	dbs       []string
	trials    int
	timeout   time.Duration
	jsonOut   bool
	bin       string
	dir       string
	port      int
	pgURL     string
	pgPort    int
	haScript  string
	haPort    string
	seed      int64
	verbose   bool
	allowSkip bool
	stderr    io.Writer
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("xiezuo-drill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	drills := fs.String("drills", "kill", "drills to run, comma-separated: kill, pgrestart, failover, diskfull (or all)")
	dbs := fs.String("db", "sqlite,postgres", "database kinds of the kill drill: sqlite, postgres (--postgres), patroni (the cluster of --ha-script)")
	fs.IntVar(&c.trials, "trials", 20, "trials per kind and database")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Minute, "bound of the whole run")
	fs.BoolVar(&c.jsonOut, "json", false, "print the table as JSON")
	fs.StringVar(&c.bin, "bin", "", "a built xiezuo binary (default: go build ./cmd/xiezuo into the work folder)")
	fs.StringVar(&c.dir, "dir", "/tmp/xiezuo-drill", "work folder (emptied first)")
	fs.IntVar(&c.port, "port", 8200, "first loopback port of the servers (uses up to 10)")
	fs.StringVar(&c.pgURL, "postgres", getenv("XIEZUO_TEST_POSTGRES"), "PostgreSQL database of the kill drill (a schema of its own is made and dropped); default $XIEZUO_TEST_POSTGRES")
	fs.IntVar(&c.pgPort, "pg-port", 5447, "port of the throwaway PostgreSQL of the restart drill")
	haDefault := getenv("XIEZUO_HA_SCRIPT")
	if haDefault == "" {
		haDefault = "deploy/ha/cluster.sh"
	}
	fs.StringVar(&c.haScript, "ha-script", haDefault, "the HA cluster script of the failover drill (env XIEZUO_HA_SCRIPT)")
	c.haPort = getenv("XIEZUO_HA_PORT_BASE")
	if c.haPort == "" {
		c.haPort = "6440"
	}
	fs.Int64Var(&c.seed, "seed", time.Now().UnixNano(), "seed of the random kill moments")
	fs.BoolVar(&c.verbose, "v", false, "say what each trial does")
	fs.BoolVar(&c.allowSkip, "allow-skip", false, "a drill that cannot run here (no Patroni, no PostgreSQL programs, no tmpfs) is printed as skipped without failing the run")
	if err := fs.Parse(args); err != nil {
		return 2, nil
	}
	c.stderr = stderr
	c.drills = splitList(*drills)
	if len(c.drills) == 1 && c.drills[0] == "all" {
		c.drills = []string{"kill", "pgrestart", "failover", "diskfull"}
	}
	c.dbs = splitList(*dbs)
	for _, d := range c.drills {
		switch d {
		case "kill", "pgrestart", "failover", "diskfull":
		default:
			return 2, fmt.Errorf("unknown drill %q (kill, pgrestart, failover, diskfull)", d)
		}
	}
	for _, d := range c.dbs {
		if d != "sqlite" && d != "postgres" && d != "patroni" {
			return 2, fmt.Errorf("unknown database kind %q (sqlite, postgres, patroni)", d)
		}
	}
	if c.trials < 1 {
		return 2, errors.New("--trials must be at least 1")
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if err := os.RemoveAll(c.dir); err != nil {
		return 1, err
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return 1, err
	}
	if c.bin == "" {
		c.bin = c.dir + "/xiezuo"
		logf(&c, "building xiezuo into %s", c.bin)
		if out, err := runCmd(ctx, nil, "go", "build", "-o", c.bin, "xiezuo/cmd/xiezuo"); err != nil {
			return 1, fmt.Errorf("go build: %v: %s", err, out)
		}
	}
	d := &driller{config: c, rnd: newRand(c.seed)}
	var rows []row
	for _, name := range c.drills {
		var rs []row
		var err error
		switch name {
		case "kill":
			rs, err = d.killDrill(ctx)
		case "pgrestart":
			rs, err = d.pgRestartDrill(ctx)
		case "failover":
			rs, err = d.failoverDrill(ctx)
		case "diskfull":
			rs, err = d.diskFullDrill(ctx)
		}
		rows = append(rows, rs...)
		if err != nil {
			rows = append(rows, row{Drill: name, Failed: err.Error()})
		}
	}
	if c.jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"seed": c.seed, "rows": rows})
	} else {
		printTable(stdout, rows)
		fmt.Fprintf(stdout, "seed %d\n", c.seed)
	}
	for _, r := range rows {
		if !r.ok(c.allowSkip) {
			return 1, nil
		}
	}
	return 0, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func logf(c *config, format string, args ...any) {
	fmt.Fprintf(c.stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}
