package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

type driller struct {
	config
	rnd       *rand.Rand
	probe     int
	afterKill []func() // what the kill drill started for its targets, stopped at its end
}

// pause is a random moment between lo and hi.
func (d *driller) pause(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(d.rnd.Int64N(int64(hi-lo)))
}

// serveAgain measures from now to /readyz 200 and a report accepted.
func (d *driller) serveAgain(ctx context.Context, t *target, s *server, start time.Time, l *ledger) (time.Duration, error) {
	if err := s.waitReady(ctx, 2*time.Minute); err != nil {
		return 0, err
	}
	a := newAPI(s.base(), t.reportToken)
	for {
		d.probe++
		key := fmt.Sprintf("drill-probe-%d-%d", time.Now().UnixNano(), d.probe)
		st, b, err := a.post(ctx, reportWriter.path(t, -1), key, reportWriter.body(key, t.probeRID))
		if err == nil {
			took := time.Since(start)
			if st/100 == 2 {
				l.record(key, st, b, nil)
			}
			rid, aerr := reportWriter.after(ctx, t, s.base(), key, st, b, t.probeRID)
			if aerr != nil {
				return 0, aerr
			}
			t.probeRID = rid
			if st/100 == 2 {
				return took, nil
			}
		}
		if time.Since(start) > 2*time.Minute || ctx.Err() != nil {
			return 0, fmt.Errorf("no write accepted after the restart: %d %v %.200s", st, err, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// targets makes the databases of the kill drill.
func (d *driller) killTargets(ctx context.Context) ([]*target, []row) {
	var ts []*target
	var skipped []row
	for _, kind := range d.dbs {
		dir := filepath.Join(d.dir, "kill-"+kind)
		switch kind {
		case "sqlite":
			t, err := newTarget(kind, filepath.Join(dir, "xiezuo.db"), dir)
			if err != nil {
				skipped = append(skipped, row{Drill: "kill -9", Database: kind, Failed: err.Error()})
				continue
			}
			ts = append(ts, t)
		case "patroni":
			// The kill drill on PostgreSQL kept by Patroni (deploy/ha/cluster.sh): a primary and a
			// synchronous replica, the server connected through the multi-host string.
			dsn, stop, skip := d.startHA(ctx, filepath.Join(d.dir, "ha-kill"))
			if skip != "" {
				skipped = append(skipped, row{Drill: "kill -9", Database: kind, Skipped: skip})
				continue
			}
			d.afterKill = append(d.afterKill, stop)
			t, err := newTarget("postgres", dsn, dir)
			if err != nil {
				skipped = append(skipped, row{Drill: "kill -9", Database: kind, Failed: err.Error()})
				continue
			}
			t.name = kind
			ts = append(ts, t)
		case "postgres":
			if d.pgURL == "" {
				skipped = append(skipped, row{Drill: "kill -9", Database: kind, Skipped: "no PostgreSQL: set --postgres or XIEZUO_TEST_POSTGRES"})
				continue
			}
			dsn, err := freshSchema(ctx, d.pgURL, fmt.Sprintf("xiezuo_drill_%d", os.Getpid()))
			if err != nil {
				skipped = append(skipped, row{Drill: "kill -9", Database: kind, Failed: err.Error()})
				continue
			}
			t, err := newTarget(kind, dsn, dir)
			if err != nil {
				skipped = append(skipped, row{Drill: "kill -9", Database: kind, Failed: err.Error()})
				continue
			}
			ts = append(ts, t)
		}
	}
	return ts, skipped
}

// freshSchema makes an empty schema in the database of dsn and returns a dsn that uses it (so a
// shared database is not touched beyond it).
func freshSchema(ctx context.Context, dsn, schema string) (string, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema); err != nil {
		return "", err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func dropSchema(dsn string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return
	}
	schema := u.Query().Get("search_path")
	if !strings.HasPrefix(schema, "xiezuo_drill_") {
		return
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return
	}
	defer db.Close()
	db.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
}

// killDrill: kill -9 of serve at a random moment during each kind of write.
func (d *driller) killDrill(ctx context.Context) ([]row, error) {
	ts, rows := d.killTargets(ctx)
	defer func() {
		for _, stop := range d.afterKill {
			stop()
		}
		d.afterKill = nil
	}()
	for i, t := range ts {
		rs, err := d.killOn(ctx, t, d.port+i)
		if t.name == "postgres" {
			dropSchema(t.dsn)
		}
		rows = append(rows, rs...)
		if err != nil {
			rows = append(rows, row{Drill: "kill -9", Database: t.name, Failed: err.Error()})
		}
	}
	return rows, nil
}

func (d *driller) killOn(ctx context.Context, t *target, port int) ([]row, error) {
	addr := addrOf(port)
	logf(&d.config, "kill drill on %s: preparing the 2021 demo", t.name)
	defer t.close()
	s, err := d.readyServer(ctx, t, addr)
	if err != nil {
		return nil, err
	}
	defer func() { s.stop() }()
	probes := newLedger()
	var rows []row
	for _, kind := range []string{"imports", "registers", "reports", "transactions", "exports"} {
		r := row{Drill: "kill -9 " + kind, Database: t.name}
		l := newLedger()
		prefix := fmt.Sprintf("drill-%s-%s-", t.name, kind)
		var imports []string // the names of the imports sent: employers, or register uploads
		var notes []string
		// The office signs in once per kind: its session outlives the restarts (it is stored in
		// the database), and sign-ins cut by a kill would count towards the account's lockout.
		var office *web
		if kind == "imports" || kind == "registers" || kind == "exports" {
			if office, err = signIn(s.base(), "office"); err != nil {
				return rows, err
			}
		}
		for trial := range d.trials {
			if ctx.Err() != nil {
				r.Failed = "time bound reached"
				break
			}
			lctx, stopLoad := context.WithCancel(ctx)
			var wg sync.WaitGroup
			var acked []string // imports whose end the client saw
			var mu sync.Mutex
			// noteRefusal keeps what the server answered instead of the work, and counts a 500
			// (a 503 says the database is switching or full: a clear answer).
			noteRefusal := func(status int, msg string) {
				mu.Lock()
				defer mu.Unlock()
				notes = append(notes, msg)
				if status >= 500 && status != http.StatusServiceUnavailable {
					r.ServerErr++
				}
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				switch kind {
				case "reports":
					reportWriter.load(lctx, t, s.base(), fmt.Sprintf("%s%d", prefix, trial), min(4, len(t.duties)-1), l)
				case "transactions":
					txWriter.load(lctx, t, s.base(), fmt.Sprintf("%s%d", prefix, trial), 4, l)
				case "imports":
					w := &web{base: s.base(), hc: office.hc}
					if err := w.loadCSRF(lctx); err != nil {
						return
					}
					for n := 0; lctx.Err() == nil; n++ {
						name := fmt.Sprintf("演练企业%s%d-%d", t.name, trial, n)
						mu.Lock()
						imports = append(imports, name)
						mu.Unlock()
						id, err := w.importJobs(lctx, name+".csv", jobsCSV(name, importRows))
						if err == nil {
							err = w.importDone(lctx, id)
						}
						if err != nil {
							if rf, ok := err.(*refused); ok && rf.status >= 500 {
								noteRefusal(rf.status, rf.msg)
							}
							if _, ok := err.(*refused); !ok {
								return
							}
							continue
						}
						mu.Lock()
						acked = append(acked, name)
						mu.Unlock()
					}
				case "registers":
					w := &web{base: s.base(), hc: office.hc}
					if err := w.loadCSRF(lctx); err != nil {
						return
					}
					for n := 0; lctx.Err() == nil; n++ {
						name := fmt.Sprintf("演练台账%s%d-%d", t.name, trial, n)
						data, err := registerWorkbook(name, registerRows)
						if err != nil {
							return
						}
						mu.Lock()
						imports = append(imports, name)
						mu.Unlock()
						err = w.importRegister(lctx, registerKind, name+".xlsx", data, registerRows)
						if rf, ok := err.(*refused); ok {
							// Each upload is new: none should be refused.
							noteRefusal(rf.status, rf.msg)
							continue
						}
						if err != nil {
							return
						}
						mu.Lock()
						acked = append(acked, name)
						mu.Unlock()
					}
				case "exports":
					w := &web{base: s.base(), hc: office.hc}
					for lctx.Err() == nil {
						st, b, err := w.get(lctx, "/projects"+planQuery+"&format=xlsx")
						if err != nil {
							return
						}
						if st == 200 && len(b) > 2 && string(b[:2]) == "PK" {
							mu.Lock()
							r.Acked++
							mu.Unlock()
						} else {
							noteRefusal(st, fmt.Sprintf("export = %d", st))
						}
					}
				}
			}()
			lo, hi := 50*time.Millisecond, 1500*time.Millisecond
			if kind == "imports" || kind == "registers" || kind == "exports" {
				hi = 3 * time.Second
			}
			if trial == 0 {
				// The first kill waits for a first acknowledged write (a minute at the most), so
				// that a short run on a loaded machine still proves something: a drill with
				// nothing acknowledged fails.
				ackedSoFar := func() int {
					l.mu.Lock()
					n := len(l.acked)
					l.mu.Unlock()
					mu.Lock()
					n += len(acked) + r.Acked
					mu.Unlock()
					return n
				}
				for wait := time.Now().Add(time.Minute); ackedSoFar() == 0 && time.Now().Before(wait) && ctx.Err() == nil; {
					time.Sleep(20 * time.Millisecond)
				}
			}
			time.Sleep(d.pause(lo, hi))
			s.kill9()
			stopLoad()
			wg.Wait()
			start := time.Now()
			s, err = d.startServer(ctx, t, addr, false)
			if err != nil {
				return rows, err
			}
			took, err := d.serveAgain(ctx, t, s, start, probes)
			if err != nil {
				r.Failed = err.Error()
				break
			}
			r.serve = append(r.serve, took)
			r.Trials++
			switch kind {
			case "reports", "transactions":
				w := reportWriter
				if kind == "transactions" {
					w = txWriter
				}
				if err := w.retry(ctx, t, s.base(), l); err != nil {
					r.Failed = err.Error()
				}
			case "imports":
				lost, partial, err := d.checkImports(ctx, t, s, office, imports, acked)
				if err != nil {
					r.Failed = err.Error()
					break
				}
				r.Lost += lost
				r.Partial += partial
				r.Acked += len(acked)
				imports = nil
			case "registers":
				lost, partial, dups, err := checkRegisters(ctx, t, fmt.Sprintf("演练台账%s%d-", t.name, trial), imports, acked)
				if err != nil {
					r.Failed = err.Error()
					break
				}
				r.Lost += lost
				r.Partial += partial
				r.Duplicates += dups
				r.Acked += len(acked)
				imports = nil
			case "exports":
				n, err := leftovers(t)
				if err != nil {
					r.Failed = err.Error()
				}
				if n > 0 {
					notes = append(notes, fmt.Sprintf("trial %d: %d files left in the server's temporary folders", trial, n))
				}
				r.Partial += n
			}
			if d.verbose {
				logf(&d.config, "%s %s trial %d: serving again after %s", t.name, kind, trial, took.Round(time.Millisecond))
			}
			if r.Failed != "" {
				break
			}
		}
		if kind == "reports" || kind == "transactions" {
			w := reportWriter
			if kind == "transactions" {
				w = txWriter
			}
			lost, dups, err := w.check(ctx, t, prefix, l)
			if err != nil {
				r.Failed = err.Error()
			}
			r.Acked, r.Lost, r.Duplicates = len(l.acked), lost, dups
			r.ServerErr = len(l.bad)
			notes = append(notes, firstN(l.bad, 3)...)
		}
		r.Notes = strings.Join(firstN(notes, 3), "; ")
		r.finish()
		rows = append(rows, r)
		logf(&d.config, "%s %s: %d trials, %d acknowledged, %d lost, %d duplicated, %d partial", t.name, kind, r.Trials, r.Acked, r.Lost, r.Duplicates, r.Partial)
	}
	// The probes (one report after each restart) are checked like the rest.
	lost, dups, err := reportWriter.check(ctx, t, "drill-probe-", probes)
	if err != nil {
		return rows, err
	}
	s.stop()
	audit, msg := d.auditVerify(ctx, t)
	for i := range rows {
		rows[i].Audit = audit
		if msg != "" {
			rows[i].Notes = strings.TrimPrefix(rows[i].Notes+"; audit: "+msg, "; ")
		}
	}
	if lost+dups > 0 && len(rows) > 0 {
		rows[0].Lost += lost
		rows[0].Duplicates += dups
		rows[0].Notes += fmt.Sprintf("; the writes after restarts: %d lost, %d duplicated", lost, dups)
	}
	return rows, nil
}

const importRows = 300

// checkImports looks at every import sent in a trial: its jobs are all there or none (partial
// otherwise); an import the client saw end must be there (lost otherwise). What was not seen
// to end is uploaded again, as a clerk would, and must then be whole once.
func (d *driller) checkImports(ctx context.Context, t *target, s *server, office *web, sent, acked []string) (lost, partial int, err error) {
	isAcked := map[string]bool{}
	for _, a := range acked {
		isAcked[a] = true
	}
	var again []string
	for _, name := range sent {
		var n int
		if err := t.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM labour_jobs WHERE employer = $1`, name).Scan(&n); err != nil {
			return 0, 0, err
		}
		switch {
		case n != 0 && n != importRows:
			partial++
		case n == 0 && isAcked[name]:
			lost++
		case n == 0:
			again = append(again, name)
		}
	}
	if len(again) == 0 {
		return lost, partial, nil
	}
	w := &web{base: s.base(), hc: office.hc}
	if err := w.loadCSRF(ctx); err != nil {
		return 0, 0, err
	}
	for _, name := range again {
		var id int64
		for try := 0; ; try++ {
			id, err = w.importJobs(ctx, name+".csv", jobsCSV(name, importRows))
			if err == nil || try == 50 {
				break
			}
			time.Sleep(100 * time.Millisecond) // another import still running
		}
		if err != nil {
			return 0, 0, fmt.Errorf("import again %s: %w", name, err)
		}
		if err := w.importDone(ctx, id); err != nil {
			return 0, 0, err
		}
		var n int
		if err := t.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM labour_jobs WHERE employer = $1`, name).Scan(&n); err != nil {
			return 0, 0, err
		}
		if n != importRows {
			partial++
		}
	}
	return lost, partial, nil
}

const (
	registerKind = "policies" // 政策文件: four columns to fill, texts and a date, no natural key
	registerRows = 20
)

// checkRegisters counts the stored rows of every register workbook sent in a trial (its uploads'
// names begin with trial, which ends in "-"), each row found by its marker (the title).
func checkRegisters(ctx context.Context, t *target, trial string, sent, acked []string) (lost, partial, dups int, err error) {
	rows, err := t.sql.QueryContext(ctx, `SELECT fields FROM register_entries WHERE district = $1 AND kind = $2 AND fields LIKE $3`,
		district, registerKind, "%"+trial+"%")
	if err != nil {
		return 0, 0, 0, err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var fields string
		if err := rows.Scan(&fields); err != nil {
			return 0, 0, 0, err
		}
		var v map[string]string
		if err := json.Unmarshal([]byte(fields), &v); err != nil {
			return 0, 0, 0, fmt.Errorf("register row %.80s: %w", fields, err)
		}
		counts[v["title"]]++
	}
	if err := rows.Err(); err != nil {
		return 0, 0, 0, err
	}
	lost, partial, dups = judgeUploads(sent, acked, counts, registerRows)
	return lost, partial, dups, nil
}

// judgeUploads judges uploads of n rows each by how many times each row's marker
// (uploadMarker) is stored: an upload the client saw succeed without all its rows is lost; an
// upload with some of its rows but not all is partial (an import is one transaction); a
// marker stored k > 1 times is k-1 duplicates.
func judgeUploads(sent, acked []string, counts map[string]int, n int) (lost, partial, dups int) {
	isAcked := map[string]bool{}
	for _, a := range acked {
		isAcked[a] = true
	}
	for _, name := range sent {
		have := 0
		for i := range n {
			if counts[uploadMarker(name, i)] > 0 {
				have++
			}
		}
		if have != n && isAcked[name] {
			lost++
		}
		if have != 0 && have != n {
			partial++
		}
	}
	for _, k := range counts {
		if k > 1 {
			dups += k - 1
		}
	}
	return lost, partial, dups
}

// leftovers counts the files in the server's TMPDIR and temp files in the evidence folder.
func leftovers(t *target) (int, error) {
	n := 0
	err := filepath.WalkDir(t.tmpDir(), func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	ents, _ := os.ReadDir(t.evidenceDir())
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".") {
			n++
		}
	}
	return n, nil
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("… %d more", len(s)-n))
	}
	return s
}

func pgBin() string {
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1]
}

// asPostgres runs a PostgreSQL tool as the postgres user when we are root.
func asPostgres(ctx context.Context, args ...string) (string, error) {
	if os.Geteuid() == 0 {
		return runCmd(ctx, nil, "su", "postgres", "-s", "/bin/sh", "-c", shellJoin(args))
	}
	return runCmd(ctx, nil, args[0], args[1:]...)
}

func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

var _ = exec.Command
