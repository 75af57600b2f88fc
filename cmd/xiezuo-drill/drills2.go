package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// underLoad runs reports and transactions against s while event happens at a random moment;
// event returns when the trouble is over (the restart, failover or freeing began), from which
// the time to serve again runs. Pending writes are retried after.
func (d *driller) underLoad(ctx context.Context, t *target, s *server, trial int, r *row, ls map[string]*ledger, prefix string, event func() error) error {
	lctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, w := range []writer{reportWriter, txWriter} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A write with no answer waits for the retry; the load goes on with new keys.
			for n := 0; lctx.Err() == nil; n++ {
				w.load(lctx, t, s.base(), fmt.Sprintf("%s%s-%d-%d", prefix, w.name, trial, n), 2, ls[w.name])
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	time.Sleep(d.pause(100*time.Millisecond, 1500*time.Millisecond))
	err := event()
	start := time.Now()
	if err != nil {
		stop()
		wg.Wait()
		return err
	}
	took, err := d.serveAgain(ctx, t, s, start, ls["reports"])
	time.Sleep(200 * time.Millisecond) // the load runs on the recovered database a moment
	stop()
	wg.Wait()
	if err != nil {
		return err
	}
	r.serve = append(r.serve, took)
	r.Trials++
	for _, w := range []writer{reportWriter, txWriter} {
		if err := w.retry(ctx, t, s.base(), ls[w.name]); err != nil {
			return err
		}
	}
	return nil
}

// settle fills r from the ledgers of reports and transactions, then audit verify.
func (d *driller) settle(ctx context.Context, t *target, r *row, ls map[string]*ledger, prefix string) {
	var notes []string
	for _, w := range []writer{reportWriter, txWriter} {
		l := ls[w.name]
		p := prefix + w.name
		if w.name == "reports" {
			p = "drill-" // the probes are reports too
		}
		lost, dups, err := w.check(ctx, t, p, l)
		if err != nil {
			r.Failed = err.Error()
			return
		}
		r.Acked += len(l.acked)
		r.Lost += lost
		r.Duplicates += dups
		r.ServerErr += len(l.bad)
		notes = append(notes, firstN(l.bad, 2)...)
	}
	r.Audit, _ = d.auditVerify(ctx, t)
	r.Notes = strings.Join(notes, "; ")
	r.finish()
}

// pgRestartDrill restarts a throwaway PostgreSQL under load, -m fast and -m immediate in turn.
func (d *driller) pgRestartDrill(ctx context.Context) ([]row, error) {
	r := row{Drill: "pg_ctl restart", Database: "postgres"}
	bin := pgBin()
	if bin == "" {
		r.Skipped = "PostgreSQL's programs are not installed"
		return []row{r}, nil
	}
	dir := filepath.Join(d.dir, "pg")
	data := filepath.Join(dir, "data")
	os.MkdirAll(dir, 0o755)
	if os.Geteuid() == 0 {
		os.Chown(dir, pgUID(), -1)
	}
	if out, err := asPostgres(ctx, bin+"/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	conf := fmt.Sprintf("port = %d\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nfsync = on\n", d.pgPort, dir)
	if err := appendFile(filepath.Join(data, "postgresql.conf"), conf); err != nil {
		return nil, err
	}
	pgctl := func(args ...string) (string, error) {
		return asPostgres(ctx, append([]string{bin + "/pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w"}, args...)...)
	}
	if out, err := pgctl("start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	defer pgctl("-m", "immediate", "stop")
	t, err := newTarget("postgres", fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", d.pgPort), filepath.Join(d.dir, "pgrestart"))
	if err != nil {
		return nil, err
	}
	addr := addrOf(d.port + 5)
	defer t.close()
	s, err := d.readyServer(ctx, t, addr)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	d.runTrials(ctx, t, s, &r, "drill-pgr-", d.trials, func(trial int) error {
		mode := "fast"
		if trial%2 == 1 {
			mode = "immediate"
		}
		if out, err := pgctl("-m", mode, "restart"); err != nil {
			return fmt.Errorf("pg_ctl restart -m %s: %v: %s", mode, err, out)
		}
		return nil
	})
	return []row{r}, nil
}

// runTrials runs trials of disrupt, each under load on s (underLoad), then stops s and settles
// the ledgers of the writes acknowledged; a trial that cannot run ends them, in r.Failed.
func (d *driller) runTrials(ctx context.Context, t *target, s *server, r *row, prefix string, trials int, disrupt func(trial int) error) {
	ls := map[string]*ledger{"reports": newLedger(), "transactions": newLedger()}
	for trial := range trials {
		if err := d.underLoad(ctx, t, s, trial, r, ls, prefix, func() error { return disrupt(trial) }); err != nil {
			r.Failed = err.Error()
			break
		}
	}
	s.stop()
	d.settle(ctx, t, r, ls, prefix)
}

// haEnv is the environment of the HA script: its port base.
func (d *driller) haEnv() []string { return []string{"XIEZUO_HA_PORT_BASE=" + d.haPort} }

// startHA starts the Patroni cluster of the HA script in dir and returns the multi-host DSN of
// its database and how to stop it; skip says why it could not start.
func (d *driller) startHA(ctx context.Context, dir string) (dsn string, stop func(), skip string) {
	script := d.haScript
	if _, err := os.Stat(script); err != nil {
		return "", nil, fmt.Sprintf("no HA script at %s (set XIEZUO_HA_SCRIPT to deploy/ha/cluster.sh of the HA work)", script)
	}
	env := d.haEnv()
	out, err := runCmd(ctx, env, script, "start", dir)
	stop = func() { runCmd(context.Background(), env, script, "stop", dir) }
	if err != nil {
		stop()
		return "", nil, fmt.Sprintf("%s start failed: %v: %.300s", script, err, out)
	}
	vars := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "="); ok && strings.HasPrefix(k, "XIEZUO_HA_") {
			vars[k] = strings.Trim(v, `"'`)
		}
	}
	dsn = vars["XIEZUO_HA_MULTIHOST_DSN"]
	if dsn == "" {
		dsn = vars["XIEZUO_HA_DSN"]
	}
	if dsn == "" {
		stop()
		return "", nil, "the HA script printed no XIEZUO_HA_DSN"
	}
	return dsn, stop, ""
}

// failoverDrill kills the primary of the Patroni cluster under load.
func (d *driller) failoverDrill(ctx context.Context) ([]row, error) {
	r := row{Drill: "patroni failover", Database: "patroni"}
	dir := filepath.Join(d.dir, "ha")
	dsn, stop, skip := d.startHA(ctx, dir)
	if skip != "" {
		r.Skipped = skip
		return []row{r}, nil
	}
	defer stop()
	t, err := newTarget("postgres", dsn, filepath.Join(d.dir, "failover"))
	if err != nil {
		return nil, err
	}
	addr := addrOf(d.port + 6)
	defer t.close()
	s, err := d.readyServer(ctx, t, addr)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	// Each failover takes tens of seconds: 5 trials at the most.
	d.runTrials(ctx, t, s, &r, "drill-ha-", min(d.trials, 5), func(int) error {
		if out, err := runCmd(ctx, d.haEnv(), d.haScript, "failover", dir); err != nil {
			return fmt.Errorf("failover: %v: %.300s", err, out)
		}
		return nil
	})
	return []row{r}, nil
}

// diskFullDrill puts the SQLite file and the evidence folder on a small tmpfs, fills it under
// load until writes are refused, checks the refusals, frees the space and measures the return.
func (d *driller) diskFullDrill(ctx context.Context) ([]row, error) {
	r := row{Drill: "disk full", Database: "sqlite"}
	base := filepath.Join(d.dir, "disk")
	mnt := filepath.Join(base, "mnt")
	os.MkdirAll(mnt, 0o755)
	if out, err := runCmd(ctx, nil, "mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mnt); err != nil {
		r.Skipped = fmt.Sprintf("cannot mount a tmpfs (%v: %s)", err, strings.TrimSpace(out))
		return []row{r}, nil
	}
	defer runCmd(context.Background(), nil, "umount", "-l", mnt)
	// The server's log is on the small filesystem: kept beside it before the unmount.
	defer func() {
		if b, err := os.ReadFile(filepath.Join(mnt, "serve.log")); err == nil {
			os.WriteFile(filepath.Join(base, "serve.log"), b, 0o644)
		}
	}()
	t, err := newTarget("sqlite", filepath.Join(mnt, "xiezuo.db"), mnt)
	if err != nil {
		return nil, err
	}
	addr := addrOf(d.port + 7)
	defer t.close()
	s, err := d.readyServer(ctx, t, addr)
	if err != nil {
		return nil, err
	}
	defer func() { s.stop() }()
	ls := map[string]*ledger{"reports": newLedger(), "transactions": newLedger()}
	prefix := "drill-disk-"
	filler := filepath.Join(mnt, "filler")
	refusals := 0
	trials := min(d.trials, 5)
	var notes []string
	for trial := range trials {
		var refusedAt int
		err := d.underLoad(ctx, t, s, trial, &r, ls, prefix, func() error {
			// Fill the disk; the load runs on until its writes are refused.
			fillDisk(filler)
			deadline := time.Now().Add(15 * time.Second)
			for time.Now().Before(deadline) {
				if n := countRefused(ctx, t, s, ls["reports"]); n > 0 {
					refusedAt = n
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			os.Remove(filler)
			return nil
		})
		if err != nil {
			r.Failed = err.Error()
			break
		}
		if refusedAt > 0 {
			refusals++
		} else {
			notes = append(notes, fmt.Sprintf("trial %d: no write refused on the full disk", trial))
		}
		// The server may have stopped serving for good: a restart is allowed.
		if s.waitReady(ctx, 5*time.Second) != nil {
			s.kill9()
			if s, err = d.startServer(ctx, t, addr, false); err != nil {
				return nil, err
			}
		}
	}
	s.stop()
	d.settle(ctx, t, &r, ls, prefix)
	if refusals == 0 && r.Failed == "" && r.Trials > 0 {
		// Every write on every full disk was accepted: the refusal path was never reached, and
		// the drill proves nothing about it.
		r.Failed = fmt.Sprintf("no write was refused in %d fills: the full disk was not reached", r.Trials)
	}
	all := append([]string{fmt.Sprintf("%d of %d fills refused writes with a clear error", refusals, r.Trials), r.Notes}, notes...)
	r.Notes = strings.Join(slices.DeleteFunc(all, func(n string) bool { return n == "" }), "; ")
	return []row{r}, nil
}

// fillDisk writes a file until the filesystem is full.
func fillDisk(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for {
		if _, err := f.Write(buf); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return
			}
			return
		}
	}
}

// countRefused sends one report on the full disk: 1 when it was refused with a clear Chinese
// error, 0 when it was accepted. Its answer goes into the reports ledger l like any other write:
// an accepted probe is an acknowledged write that must be found after, a 500 or a message that
// is not Chinese is counted as a server error.
func countRefused(ctx context.Context, t *target, s *server, l *ledger) int {
	a := newAPI(s.base(), t.reportToken)
	key := fmt.Sprintf("drill-diskprobe-%d", time.Now().UnixNano())
	st, b, err := a.post(ctx, reportWriter.path(t, -1), key, reportWriter.body(key, t.probeRID))
	if err != nil {
		return 0 // no answer: not acknowledged, and the retrying writers carry on
	}
	l.record(key, st, b, nil)
	if rid, err := reportWriter.after(ctx, t, s.base(), key, st, b, t.probeRID); err == nil {
		t.probeRID = rid
	}
	if st/100 == 2 || st == http.StatusConflict {
		return 0
	}
	if clearError(st, b) {
		return 1
	}
	return 0
}

func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func pgUID() int {
	b, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, ":")
		if len(f) > 2 && f[0] == "postgres" {
			n, _ := strconv.Atoi(f[2])
			return n
		}
	}
	return -1
}
