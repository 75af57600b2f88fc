// Command xiezuo-deadline measures a deadline day: many units each submitting, at once, their
// progress report on each duty they answer for, through the API. It builds xiezuo (or takes
// --bin), makes a fresh SQLite file or a fresh PostgreSQL database (--db postgres://… names the
// server; a database of its own is created there and dropped at the end) and stores in it,
// before the server starts, generated plans (package gen) of other districts for 2021 with as
// many projects as the run submits reports (at most 15,000 a plan, so several districts for a
// long run), one account with an API token per (district, lead unit) and one per flood report.
// Then it starts `xiezuo serve --demo` and:
//
//   - reports: --clients clients POST reports without files (each with its Idempotency-Key)
//     for --duration or --max reports; each request takes a (unit, project) pair not used yet,
//     as a unit reports once a month on a duty (a second new report would be refused with 409,
//     xiezuo.NewReportRefusal); closed (销号) duties are left out. It prints reports per
//     second and p50/p95/p99;
//   - raw: the database alone in the same run, for the ratio: on SQLite a bare insert loop
//     with the same driver and settings from --clients goroutines, on PostgreSQL pgbench's
//     TPC-B-like transactions with --clients clients;
//   - kill: with --kills N, submissions go on while the server is killed with SIGKILL N times
//     at random moments and started again; every request not answered is sent again with
//     its key until all are; then every answered report must be stored exactly once;
//   - flood: with --flood N, N accounts each submit a report and then a file of --file-size
//     (1 MB) to it, and it prints the time and the server's peak resident memory;
//   - at the end the stored reports are counted against the answers (none lost, none doubled,
//     no unit twice on a duty) and `xiezuo audit verify` must pass.
//
// It only talks to loopback addresses, and every loop is bounded in time and count.
//
//	go run ./cmd/xiezuo-deadline                                   # SQLite, 3 rounds of 10 s
//	go run ./cmd/xiezuo-deadline --db postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
//	go run ./cmd/xiezuo-deadline --kills 10 --duration 0            # the kill -9 drill alone
//	go run ./cmd/xiezuo-deadline --short                            # what the test runs
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	_ "modernc.org/sqlite"             // driver "sqlite"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/internal/loadclient"
	"xiezuo/password"
	"xiezuo/sqldb"
	"xiezuo/vault"
	"xiezuo/web"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "xiezuo-deadline:", err)
		os.Exit(1)
	}
}

// config is what one run does.
type config struct {
	bin      string
	db       string // "" for SQLite in the temporary folder, else a PostgreSQL server's URL
	clients  int
	duration time.Duration
	max      int
	kills    int
	drill    int // reports of the kill drill
	flood    int // units each submitting a report with a file
	fileSize int // bytes of each flood file
	raw      bool
	rounds   int    // turns of the reports and the raw database
	tag      string // of this round's Idempotency-Keys
	short    bool
	keep     bool
	addr     string // the server's address; a free loopback port when empty

	// The soak (soak.go).
	soak     time.Duration // 0: no soak
	sample   time.Duration
	rate     float64 // reports a second
	readers  int
	think    time.Duration // a reader's pause between pages
	soakFile int           // bytes of each evidence file
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("xiezuo-deadline", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.bin, "bin", "", "xiezuo binary (built from this repository when empty)")
	fs.StringVar(&c.db, "db", "", "postgres:// URL of a server to run on (a database is created there and dropped); SQLite when empty")
	fs.IntVar(&c.clients, "clients", 32, "clients submitting at once")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "how long the reports phase and the raw phase run (0: skip them)")
	fs.IntVar(&c.max, "max", 42_000, "most reports of the reports phase: the generated plans hold as many projects, each reported on once")
	fs.IntVar(&c.kills, "kills", 0, "kill the server with SIGKILL this many times during submissions (0: no drill)")
	fs.IntVar(&c.drill, "drill-reports", 20000, "reports the kill drill submits")
	fs.IntVar(&c.flood, "flood", 0, "accounts each submitting a report with a file of --file-size (0: no flood)")
	fs.IntVar(&c.fileSize, "file-size", 1<<20, "bytes of each flood file")
	fs.IntVar(&c.rounds, "rounds", 3, "rounds in which the reports and the raw database take turns (--duration is split among them)")
	fs.BoolVar(&c.raw, "raw", true, "measure the database alone in the same run")
	fs.BoolVar(&c.short, "short", false, "a few seconds and reports, for the test")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary folder")
	fs.StringVar(&c.addr, "addr", "", "loopback address the server listens on (a free port when empty)")
	fs.DurationVar(&c.soak, "soak", 0, "run the soak for this long instead of the phases above (soak.go)")
	fs.DurationVar(&c.sample, "soak-sample", 30*time.Second, "the soak's sampling interval")
	fs.Float64Var(&c.rate, "soak-rate", 2, "the soak's reports a second")
	fs.IntVar(&c.readers, "soak-readers", 5, "the soak's signed-in readers of pages")
	fs.DurationVar(&c.think, "soak-think", 200*time.Millisecond, "a soak reader's pause between two pages")
	fs.IntVar(&c.soakFile, "soak-file-size", 256<<10, "bytes of each evidence file of the soak")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.short {
		c.duration, c.max, c.drill, c.clients, c.rounds = 2*time.Second, 400, 1500, min(c.clients, 8), 2
		if c.kills == 0 {
			c.kills = 2
		}
		if c.flood == 0 {
			c.flood = 40
		}
	}
	if c.soak > 0 {
		// The soak alone: no timed phases, no kills, no flood.
		c.duration, c.kills, c.flood, c.raw = 0, 0, 0, false
		if c.rate <= 0 || c.sample <= 0 || c.readers < 1 || c.soakFile < 64 {
			return errors.New("--soak-rate, --soak-sample, --soak-readers and --soak-file-size must be positive")
		}
	}
	if c.addr != "" {
		host, _, err := net.SplitHostPort(c.addr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return errors.New("--addr must be a loopback address with a port")
		}
	}
	if c.db != "" && !strings.HasPrefix(c.db, "postgres://") && !strings.HasPrefix(c.db, "postgresql://") {
		return errors.New("--db takes a postgres:// URL; SQLite runs in the temporary folder")
	}
	dir, err := os.MkdirTemp("", "xiezuo-deadline-")
	if err != nil {
		return err
	}
	if c.keep {
		fmt.Fprintf(out, "temporary folder %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	if c.bin == "" {
		c.bin = filepath.Join(dir, "xiezuo")
		build := exec.CommandContext(ctx, "go", "build", "-o", c.bin, "xiezuo/cmd/xiezuo")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build xiezuo: %w", err)
		}
	}
	keyFile := filepath.Join(dir, "xiezuo.key")
	if b, err := exec.CommandContext(ctx, c.bin, "keys", "new", keyFile).CombinedOutput(); err != nil {
		return fmt.Errorf("xiezuo keys new: %v: %s", err, b)
	}
	dsn := filepath.Join(dir, "data", "xiezuo.db")
	kind := "SQLite"
	if c.db != "" {
		kind = "PostgreSQL"
		drop, u, err := createDatabase(ctx, c.db, "xiezuo_deadline_")
		if err != nil {
			return err
		}
		defer drop()
		dsn = u
	}
	env := append(os.Environ(), vault.KeyFileEnv+"="+keyFile)
	need := 0
	if c.duration > 0 {
		need += c.max
	}
	if c.kills > 0 {
		need += c.drill
	}
	if c.soak > 0 {
		need += int(c.rate*c.soak.Seconds()) + 10
	}
	pl, floods, err := prepare(ctx, dsn, keyFile, need, c.flood, out)
	if err != nil {
		return fmt.Errorf("prepare plans and accounts: %w", err)
	}
	srv := &server{bin: c.bin, dsn: dsn, dir: dir, env: env, addr: c.addr}
	if err := srv.start(ctx); err != nil {
		return err
	}
	defer srv.stop()
	fmt.Fprintf(out, "xiezuo-deadline on %s: server pid %d at %s, %d clients\n", kind, srv.cmd.Process.Pid, srv.base, c.clients)

	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.clients * 2, MaxConnsPerHost: c.clients * 2}, Timeout: 30 * time.Second}
	acked := &ledger{ids: map[string]int64{}}
	if err := warmUp(ctx, hc, srv.base, pl, acked); err != nil {
		return err
	}
	// The server runs its daily reminders at start, over every plan: the clock starts when
	// that is done, as on a deadline day the job ran at 08:30.
	fmt.Fprintf(out, "warm-up: one report from each of %d accounts; server idle after %s more (its daily reminder run at start)\n",
		len(pl.accounts), settle(srv.cmd.Process.Pid, 2*time.Minute).Round(100*time.Millisecond))

	if c.duration > 0 {
		// The machine may be shared: the reports and the raw database take turns, in rounds,
		// so that both see the same conditions, and the medians are compared.
		var raw func(time.Duration) (float64, error)
		var what string
		switch {
		case !c.raw:
		case c.db == "":
			what = "bare INSERT loop (modernc SQLite, WAL, same pragmas, one connection)"
			rawDB, err := openRawSQLite(ctx, filepath.Join(dir, "raw", "raw.db"))
			if err != nil {
				return fmt.Errorf("raw database: %w", err)
			}
			defer rawDB.Close()
			raw = func(d time.Duration) (float64, error) { return rawSQLite(ctx, rawDB, c.clients, d, c.max*4) }
		default:
			what = "pgbench TPC-B-like (-c " + strconv.Itoa(c.clients) + " -j 2)"
			u, drop, err := initPgbench(ctx, c.db)
			if err != nil {
				return fmt.Errorf("raw database: %w", err)
			}
			defer drop()
			raw = func(d time.Duration) (float64, error) { return rawPostgres(ctx, u, c.clients, d) }
		}
		slice := max(c.duration/time.Duration(c.rounds), time.Second)
		var all phaseResult
		var rates, raws []float64
		rc := c
		rc.duration, rc.max = slice, c.max/c.rounds
		for round := 1; round <= c.rounds; round++ {
			rc.tag = strconv.Itoa(round)
			res := reportsPhase(ctx, hc, srv.base, pl, rc, acked)
			if res.errors > 0 {
				return fmt.Errorf("%d reports failed: %s", res.errors, res.firstErr)
			}
			all.n += res.n
			all.elapsed += res.elapsed
			all.lat = append(all.lat, res.lat...)
			rates = append(rates, res.rate())
			line := fmt.Sprintf("round %d: reports %.0f/s, p99 %.1f ms", round, res.rate(), loadclient.Pct(res.lat, 99))
			if res.exhausted {
				line += " (every pair used: the round ended early; raise --max)"
			}
			if raw != nil {
				r, err := raw(slice)
				if err != nil {
					return fmt.Errorf("raw database: %w", err)
				}
				raws = append(raws, r)
				line += fmt.Sprintf("; raw %.0f/s", r)
			}
			fmt.Fprintln(out, line)
		}
		fmt.Fprintf(out, "\nreports without files, %d clients, %d rounds, %s in all: %d answered 201, 0 errors: median %.0f reports/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
			c.clients, c.rounds, all.elapsed.Round(time.Millisecond), all.n, median(rates), loadclient.Pct(all.lat, 50), loadclient.Pct(all.lat, 95), loadclient.Pct(all.lat, 99))
		fmt.Fprintf(out, "server resident memory: peak %.1f MB (VmHWM)\n", float64(status(srv.cmd.Process.Pid, "VmHWM"))/1024)
		if raw != nil {
			fmt.Fprintf(out, "raw database, %s: median %.0f transactions/s; reports/raw = %.0f %%\n", what, median(raws), 100*median(rates)/median(raws))
		}
	}

	if c.flood > 0 {
		f, err := flood(ctx, hc, srv.base, floods, c, acked)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\nfile flood: %d accounts each submitted a report with a %.1f MB file, %d clients, %s: %.1f reports with files/s, p50 %.0f ms, p99 %.0f ms; server peak resident memory %.1f MB (VmHWM)\n",
			c.flood, float64(c.fileSize)/(1<<20), c.clients, f.elapsed.Round(time.Millisecond), float64(c.flood)/f.elapsed.Seconds(), loadclient.Pct(f.lat, 50), loadclient.Pct(f.lat, 99),
			float64(status(srv.cmd.Process.Pid, "VmHWM"))/1024)
	}

	if c.soak > 0 {
		if err := soak(ctx, hc, srv, pl, c, acked, out); err != nil {
			return err
		}
	}

	if c.kills > 0 {
		d, err := killDrill(ctx, hc, srv, pl, c, acked, out)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\nkill -9 drill: %d kills during %d submissions; %d requests unanswered and sent again, %d of them answered 200 with the first receipt (stored before the kill)\n",
			d.kills, c.drill, d.resent, d.replayed)
	}

	srv.stop()
	if err := check(ctx, dsn, acked, out); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, c.bin, "audit", "verify", "--db", dsn)
	cmd.Env = env
	b, err := cmd.CombinedOutput()
	fmt.Fprintf(out, "xiezuo audit verify: %s", b)
	if err != nil {
		return fmt.Errorf("xiezuo audit verify failed: %v", err)
	}
	return nil
}

// server is a `xiezuo serve --demo` process on a loopback port.
type server struct {
	bin, dsn, dir string
	addr          string // "": a free loopback port
	env           []string
	cmd           *exec.Cmd
	base          string
	exited        chan struct{}
	log           *bytes.Buffer
}

func (s *server) start(ctx context.Context) error {
	addr := s.addr
	if addr == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		addr = ln.Addr().String()
		ln.Close()
	}
	s.cmd = exec.Command(s.bin, "serve", "--demo", "--db", s.dsn, "--addr", addr)
	s.cmd.Dir = s.dir
	s.cmd.Env = s.env
	s.log = &bytes.Buffer{}
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, &syncWriter{w: s.log}
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.exited = make(chan struct{})
	go func() { s.cmd.Wait(); close(s.exited) }()
	s.base = "http://" + addr
	// The demo's seeding over PostgreSQL took more than a minute on the shared machine.
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("xiezuo serve exited: %s", s.log)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("xiezuo serve did not answer /healthz in 3 minutes: %s", s.log)
}

// kill ends the server with SIGKILL, as a crash or the OOM killer would.
func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

// stop ends the server as an operator would, letting it finish what it does.
func (s *server) stop() {
	if s.cmd == nil || s.exited == nil {
		return
	}
	select {
	case <-s.exited:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		s.kill()
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// pair is an account with an API token and a duty its unit reports on.
type pair struct {
	user, unit, token, duty string
}

// A deadline day runs on generated plans of Beijing districts (package gen) for 2021, other
// than the demo's 门头沟区, stored before the server starts. Each project is a duty its lead unit
// reports on, and on a deadline day each unit reports ONCE on each of its duties (a second
// report in the month would be refused: xiezuo.NewReportRefusal), so the plans hold at least as
// many projects as the run submits reports. The projects' lead units are dealt out among the
// district's leading-group members in turn, so that many units report, each on about as many
// duties as the others.
const (
	// projectsPerPlan is the most projects of one district's plan: more reports take more
	// districts.
	projectsPerPlan = 15_000
	// mostProjects bounds the projects of all the plans: the server keeps plans of 50,000
	// projects in memory (web's planCacheProjects, with the demo's), and a run over more would
	// measure plans loaded again and again rather than reports.
	mostProjects = 45_000
)

// pool is the (unit, project) pairs not used yet, by account: each request takes the next
// account's next pair, in turn, so that every unit reports at about the same pace and none
// reaches the server's per-account limit (1,000 requests in 5 s). Each pair is taken once, so
// no unit reports twice on a duty.
type pool struct {
	mu       sync.Mutex
	accounts []*account
	next     int
}

// account is a unit account with an API token and the duties it has not reported on yet.
type account struct {
	user, unit, district, token string
	left                        []pair
}

// take returns an unused pair of the next account that has one; false when none is left.
func (pl *pool) take() (pair, bool) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	for range pl.accounts {
		a := pl.accounts[pl.next%len(pl.accounts)]
		pl.next++
		if len(a.left) > 0 {
			p := a.left[len(a.left)-1]
			a.left = a.left[:len(a.left)-1]
			return p, true
		}
	}
	return pair{}, false
}

// takeFrom returns an unused pair of account a; false when it has none left.
func (pl *pool) takeFrom(a *account) (pair, bool) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if len(a.left) == 0 {
		return pair{}, false
	}
	p := a.left[len(a.left)-1]
	a.left = a.left[:len(a.left)-1]
	return p, true
}

// size is the number of pairs left.
func (pl *pool) size() int {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	n := 0
	for _, a := range pl.accounts {
		n += len(a.left)
	}
	return n
}

// prepare stores, straight in the database and before the server starts, generated plans of
// other districts for 2021 with at least need + flood projects led by catalogue units
// (closed duties left out), one account with an API token per (district, lead unit), and one
// account more for each of the flood's pairs (the flood's units each submit once). It returns
// the pairs by account and the flood's pairs.
func prepare(ctx context.Context, dsn, keyFile string, need, flood int, out io.Writer) (*pool, []pair, error) {
	if !strings.HasPrefix(dsn, "postgres") {
		if err := os.MkdirAll(filepath.Dir(dsn), 0o700); err != nil {
			return nil, nil, err
		}
	}
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	keys, err := vault.LoadKeys(func(k string) string {
		if k == vault.KeyFileEnv {
			return keyFile
		}
		return ""
	})
	if err != nil {
		return nil, nil, err
	}
	if err := db.UseAuditKey(ctx, keys.Audit); err != nil {
		return nil, nil, err
	}
	ctx = sqldb.WithActor(ctx, sqldb.Actor{Username: "xiezuo-deadline", IP: "命令行（xiezuo-deadline）"})
	hash, err := password.Hash("Deadline#2021pw")
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	newAccount := func(username, district, unit string) (string, error) {
		u := xiezuo.User{Username: username, Name: "报送" + username, District: district,
			Unit: unit, Roles: []string{xiezuo.RoleUnit}, PasswordAt: now}
		if err := db.CreateUser(ctx, &u, hash); err != nil {
			return "", fmt.Errorf("create %s: %w", u.Username, err)
		}
		token, th := web.NewAPIToken()
		if _, err := db.CreateAPIToken(ctx, u.ID, "xiezuo-deadline", th, now, now.Add(24*time.Hour)); err != nil {
			return "", err
		}
		return token, nil
	}
	var districts []string
	for _, d := range gen.Districts {
		if d != "门头沟区" { // the demo's plan, with its half year of reports and closures
			districts = append(districts, d)
		}
	}
	var members []string // the leading group's members: the units a district's projects are dealt to
	for _, m := range xiezuo.CatalogueMembers() {
		if !strings.Contains(m, "门头沟") {
			members = append(members, m)
		}
	}
	pl := &pool{}
	want, total, projects := need+flood, 0, 0
	// A few more projects than pairs wanted, should a duty be closed.
	if n := want*21/20 + 20; n > mostProjects {
		return nil, nil, fmt.Errorf("%d reports need %d projects, more than the %d the server keeps in memory: lower --max, --drill-reports or --flood, or run them apart", want, n, mostProjects)
	}
	t0 := time.Now()
	for i := 0; total < want; i++ {
		if i == len(districts) {
			return nil, nil, fmt.Errorf("%d reports need more than %d districts' plans of %d projects", want, len(districts), projectsPerPlan)
		}
		district := districts[i]
		n := min(projectsPerPlan, (want-total)*21/20+20)
		p := gen.Plan(gen.Options{Seed: int64(i + 1), District: district, Year: 2021, Regions: 10, Projects: n})
		dealLeads(p, members)
		if err := gen.Store(ctx, db, p); err != nil {
			return nil, nil, err
		}
		stored, err := db.LoadPlan(ctx, district, 2021)
		if err != nil {
			return nil, nil, err
		}
		closures, err := db.PlanClosures(ctx, district, 2021)
		if err != nil {
			return nil, nil, err
		}
		byDuty := map[xiezuo.DutyKey][]xiezuo.Closure{}
		for _, c := range closures {
			byDuty[c.Duty] = append(byDuty[c.Duty], c)
		}
		byUnit := map[string]*account{}
		for _, pr := range stored.Projects {
			projects++
			key := xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: pr.ID}
			if c, ok := xiezuo.LookupUnit(pr.LeadUnit); !ok || c.Kind == xiezuo.KindGroup || pr.LeadUnit == "" {
				continue
			}
			if xiezuo.ClosedAt(byDuty[key], time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) {
				continue // a closed (销号) duty takes no report
			}
			a := byUnit[pr.LeadUnit]
			if a == nil {
				a = &account{user: fmt.Sprintf("dl%03d", len(pl.accounts)), unit: pr.LeadUnit, district: district}
				if a.token, err = newAccount(a.user, district, a.unit); err != nil {
					return nil, nil, err
				}
				byUnit[pr.LeadUnit] = a
				pl.accounts = append(pl.accounts, a)
			}
			a.left = append(a.left, pair{user: a.user, unit: a.unit, token: a.token, duty: key.String()})
			total++
		}
	}
	if len(pl.accounts) == 0 {
		return nil, nil, errors.New("the generated plans name no lead unit")
	}
	// The flood: each of its pairs reported by an account of its own in the pair's unit.
	var floods []pair
	for i := range flood {
		p, ok := pl.take()
		if !ok {
			return nil, nil, errors.New("no pair left for the flood")
		}
		a := pl.accounts[0]
		for _, b := range pl.accounts {
			if b.user == p.user {
				a = b
			}
		}
		p.user = fmt.Sprintf("dlf%04d", i)
		if p.token, err = newAccount(p.user, a.district, a.unit); err != nil {
			return nil, nil, err
		}
		floods = append(floods, p)
	}
	units := map[string]bool{}
	for _, a := range pl.accounts {
		units[a.unit] = true
	}
	fmt.Fprintf(out, "stored before serving in %s: plans of %d districts for 2021 with %d projects; %d accounts (one per district and lead unit, %d units) with %d projects to report on once each; %d flood accounts\n",
		time.Since(t0).Round(time.Millisecond), len(districtsOf(pl)), projects, len(pl.accounts), len(units), pl.size(), len(floods))
	return pl, floods, nil
}

// dealLeads makes the units of members, in turn, the lead units of p's projects, and names
// them among the plan's units.
func dealLeads(p *xiezuo.Plan, members []string) {
	for i := range p.Projects {
		u := members[i%len(members)]
		p.Projects[i].LeadUnit, p.Projects[i].LeadUnitWritten = u, u
	}
	named := map[string]bool{}
	for _, u := range p.Units {
		named[u.Name] = true
	}
	for _, m := range members {
		if u, ok := xiezuo.LookupUnit(m); ok && !named[u.Name] {
			p.Units = append(p.Units, u)
		}
	}
}

func districtsOf(pl *pool) map[string]bool {
	m := map[string]bool{}
	for _, a := range pl.accounts {
		m[a.district] = true
	}
	return m
}

// reportBody is a report as a unit's script sends it.
func reportBody(r *mrand.Rand, i int) []byte {
	b, _ := json.Marshal(map[string]any{
		"text":    fmt.Sprintf("第%d次报送：本月召开协调会 1 次，组织培训 %d 人，推进消费帮扶采购，完成形象进度如数。", i, r.IntN(200)),
		"percent": r.IntN(101),
	})
	return b
}

// submit POSTs one report; it returns the status, the receipt's id and the latency.
func submit(ctx context.Context, hc *http.Client, base string, p pair, key string, body []byte) (int, int64, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/duties/"+url.PathEscape(p.duty)+"/reports", bytes.NewReader(body))
	if err != nil {
		return 0, 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+p.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	t0 := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return 0, 0, 0, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	lat := time.Since(t0)
	if err != nil {
		return 0, 0, lat, err
	}
	var rc struct {
		ID int64 `json:"id"`
	}
	if resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &rc); err != nil || rc.ID == 0 {
			return resp.StatusCode, 0, lat, fmt.Errorf("receipt %q: %v", b, err)
		}
		return resp.StatusCode, rc.ID, lat, nil
	}
	return resp.StatusCode, 0, lat, fmt.Errorf("%d %s", resp.StatusCode, bytes.TrimSpace(b))
}

// warmUp submits one report from each account, on a duty of its own, so that the server has
// loaded every plan before the clock starts; each must be answered 201.
func warmUp(ctx context.Context, hc *http.Client, base string, pl *pool, acked *ledger) error {
	r := mrand.New(mrand.NewPCG(1, 2))
	for _, a := range pl.accounts {
		p, ok := pl.takeFrom(a)
		if !ok {
			return fmt.Errorf("no pair left for the warm-up of %s", a.user)
		}
		key := "warm-" + a.user
		status, id, _, err := submit(ctx, hc, base, p, key, reportBody(r, 0))
		if status != http.StatusCreated {
			return fmt.Errorf("warm-up report of %s on %s: %v", p.user, p.duty, err)
		}
		acked.add(key, id)
	}
	return nil
}

// ledger is every report answered with a receipt, by Idempotency-Key.
type ledger struct {
	mu    sync.Mutex
	ids   map[string]int64
	files map[int64][32]byte // report → SHA-256 of the file uploaded with it
}

func (l *ledger) file(id int64, sum [32]byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.files == nil {
		l.files = map[int64][32]byte{}
	}
	l.files[id] = sum
}

func (l *ledger) add(key string, id int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, ok := l.ids[key]; ok && old != id {
		return fmt.Errorf("key %s answered with report %d, then with report %d", key, old, id)
	}
	l.ids[key] = id
	return nil
}

type phaseResult struct {
	n, errors int64
	elapsed   time.Duration
	lat       []float64
	firstErr  string
	exhausted bool // the pairs ran out before the duration
}

func (r phaseResult) rate() float64 { return float64(r.n) / r.elapsed.Seconds() }

// reportsPhase runs the clients at once, each submitting reports one after the other, each on
// a (unit, project) pair not used yet (its account's first), until the duration or the count
// runs out, or the pairs do.
func reportsPhase(ctx context.Context, hc *http.Client, base string, pl *pool, c config, acked *ledger) phaseResult {
	// Requests under way when the phase ends are answered all the same (parent, not ctx):
	// a request cut off might be stored unanswered.
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	var issued, errs atomic.Int64
	var exhausted atomic.Bool
	var mu sync.Mutex
	var res phaseResult
	var wg sync.WaitGroup
	start := time.Now()
	for i := range c.clients {
		wg.Go(func() {
			r := mrand.New(mrand.NewPCG(uint64(i), 7))
			var lat []float64
			for ctx.Err() == nil && issued.Add(1) <= int64(c.max) {
				p, ok := pl.take()
				if !ok {
					exhausted.Store(true)
					break
				}
				key := fmt.Sprintf("run-%s-%d-%d", c.tag, i, len(lat))
				status, id, d, err := submit(parent, hc, base, p, key, reportBody(r, len(lat)))
				if status != http.StatusCreated {
					if errs.Add(1) == 1 {
						mu.Lock()
						res.firstErr = fmt.Sprint(err)
						mu.Unlock()
					}
					continue
				}
				acked.add(key, id)
				lat = append(lat, float64(d.Microseconds())/1000)
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.n, res.errors, res.exhausted = int64(len(res.lat)), errs.Load(), exhausted.Load()
	return res
}

// flood has the flood's accounts (one per pair) each submit a report and then its evidence
// file (POST /api/v1/reports/{id}/evidence, multipart), c.clients at once, and records each
// file's report for check.
func flood(ctx context.Context, hc *http.Client, base string, accounts []pair, c config, acked *ledger) (phaseResult, error) {
	if len(accounts) < c.flood {
		return phaseResult{}, fmt.Errorf("%d accounts for a flood of %d", len(accounts), c.flood)
	}
	work := make(chan int, c.flood)
	for i := range c.flood {
		work <- i
	}
	close(work)
	var mu sync.Mutex
	var res phaseResult
	var failure atomic.Pointer[error]
	var wg sync.WaitGroup
	start := time.Now()
	for w := range c.clients {
		wg.Go(func() {
			r := mrand.New(mrand.NewPCG(uint64(w), 11))
			file := make([]byte, c.fileSize)
			for i := range work {
				if failure.Load() != nil {
					return
				}
				p := accounts[i]
				t0 := time.Now()
				key := fmt.Sprintf("flood-%d", i)
				status, id, _, err := submit(ctx, hc, base, p, key, reportBody(r, i))
				if status != http.StatusCreated {
					err := fmt.Errorf("flood report %d: %v", i, err)
					failure.Store(&err)
					return
				}
				acked.add(key, id)
				// A PDF by its first bytes, different for each unit.
				copy(file, "%PDF-1.4\n%")
				for j := 12; j < len(file)-8; j += 8 {
					binary.LittleEndian.PutUint64(file[j:], r.Uint64())
				}
				copy(file[len(file)-7:], "\n%%EOF\n")
				if err := attach(ctx, hc, base, p, id, fmt.Sprintf("进展材料-%d.pdf", i), file); err != nil {
					err := fmt.Errorf("flood file %d: %w", i, err)
					failure.Store(&err)
					return
				}
				acked.file(id, sha256.Sum256(file))
				mu.Lock()
				res.lat = append(res.lat, float64(time.Since(t0).Microseconds())/1000)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	if f := failure.Load(); f != nil {
		return res, *f
	}
	return res, nil
}

// attach uploads one evidence file to report id, multipart, streamed from memory.
func attach(ctx context.Context, hc *http.Client, base string, p pair, id int64, name string, file []byte) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("evidence", name)
	if err != nil {
		return err
	}
	fw.Write(file)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/reports/"+strconv.FormatInt(id, 10)+"/evidence", &body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+p.token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Idempotency-Key", "file-"+strconv.FormatInt(id, 10))
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("%d %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	return nil
}

type drillResult struct {
	kills, resent, replayed int
}

// killDrill submits c.drill reports, each with its own key, from c.clients clients, while the
// server is killed c.kills times at random moments and started again; a request without an
// answer goes back to the queue and is sent again, with its key and body, until answered.
func killDrill(ctx context.Context, hc *http.Client, srv *server, pl *pool, c config, acked *ledger, out io.Writer) (drillResult, error) {
	type item struct {
		key  string
		p    pair
		body []byte
		sent int
	}
	r := mrand.New(mrand.NewPCG(3, 4))
	queue := make(chan *item, c.drill)
	for i := range c.drill {
		p, ok := pl.take()
		if !ok {
			return drillResult{}, fmt.Errorf("no pair left for drill report %d", i)
		}
		queue <- &item{key: fmt.Sprintf("drill-%d", i), p: p, body: reportBody(r, i)}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	var mu sync.RWMutex // held for writing while the server is down and restarting
	base := func() string { mu.RLock(); defer mu.RUnlock(); return srv.base }
	var d drillResult
	var left atomic.Int64
	left.Store(int64(c.drill))
	var failure atomic.Pointer[error]
	var wg sync.WaitGroup
	var resent, replayed atomic.Int64
	for range c.clients {
		wg.Go(func() {
			for left.Load() > 0 && ctx.Err() == nil && failure.Load() == nil {
				var it *item
				select {
				case it = <-queue:
				case <-time.After(50 * time.Millisecond):
					continue
				}
				it.sent++
				if it.sent > 1 {
					resent.Add(1)
				}
				status, id, _, err := submit(ctx, hc, base(), it.p, it.key, it.body)
				switch {
				case status == http.StatusCreated || status == http.StatusOK:
					if status == http.StatusOK {
						replayed.Add(1)
					}
					if err := acked.add(it.key, id); err != nil {
						failure.Store(&err)
					}
					left.Add(-1)
				case status == http.StatusTooManyRequests:
					// The server's per-account limit (1,000 requests in 5 s): a script backs
					// off and sends again, as this one does.
					time.Sleep(200 * time.Millisecond)
					queue <- it
				case status != 0 && status < 500:
					err := fmt.Errorf("report %s refused: %v", it.key, err)
					failure.Store(&err)
				default: // no answer (killed, restarting) or a 5xx: sent again later
					time.Sleep(20 * time.Millisecond)
					queue <- it
				}
			}
		})
	}
	kr := mrand.New(mrand.NewPCG(5, 6))
	lo, spread := 150, 600
	if c.short {
		lo, spread = 50, 150
	}
	for d.kills < c.kills && left.Load() > 0 && failure.Load() == nil {
		// A kill falls during submissions: after a start (the server loads its plans on the
		// first requests) it waits until the server has answered some again.
		for before := left.Load(); before-left.Load() < 100 && left.Load() > 0 && failure.Load() == nil; {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(time.Duration(lo+kr.IntN(spread)) * time.Millisecond)
		mu.Lock()
		srv.kill()
		d.kills++
		err := srv.start(ctx)
		mu.Unlock()
		if err != nil {
			cancel()
			wg.Wait()
			return d, fmt.Errorf("restart after kill %d: %w", d.kills, err)
		}
		fmt.Fprintf(out, "kill %d: %d reports still to answer; restarted as pid %d\n", d.kills, left.Load(), srv.cmd.Process.Pid)
	}
	wg.Wait()
	if f := failure.Load(); f != nil {
		return d, *f
	}
	if left.Load() > 0 {
		return d, fmt.Errorf("%d reports unanswered after 10 minutes", left.Load())
	}
	if d.kills < c.kills {
		return d, fmt.Errorf("all reports answered after %d kills of %d: raise --drill-reports", d.kills, c.kills)
	}
	d.resent, d.replayed = int(resent.Load()), int(replayed.Load())
	return d, nil
}

// check compares the database with the answers: every answered report is stored, once, under
// its key, and no report is stored that was not answered. Only this program's accounts (dl…)
// are counted: the demo may hold reports of its own.
func check(ctx context.Context, dsn string, acked *ledger, out io.Writer) error {
	driver, src := "pgx", dsn
	if !strings.HasPrefix(dsn, "postgres") {
		driver, src = "sqlite", dsn+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		return err
	}
	defer db.Close()
	var reports, keys, versions int
	for q, v := range map[string]*int{
		`SELECT COUNT(*) FROM reports WHERE created_by LIKE 'dl%'`:                                                  &reports,
		`SELECT COUNT(*) FROM report_versions v JOIN reports r ON r.id = v.report_id WHERE r.created_by LIKE 'dl%'`: &versions,
		`SELECT COUNT(*) FROM idempotency_keys k JOIN users u ON u.id = k.user_id WHERE u.username LIKE 'dl%'`:      &keys,
	} {
		if err := db.QueryRowContext(ctx, q).Scan(v); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	stored := map[string]int64{}
	rows, err := db.QueryContext(ctx, `SELECT k.key, k.response FROM idempotency_keys k JOIN users u ON u.id = k.user_id WHERE u.username LIKE 'dl%'`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k, resp string
		if err := rows.Scan(&k, &resp); err != nil {
			return err
		}
		var rc struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(resp), &rc)
		stored[k] = rc.ID
	}
	rows.Close()
	acked.mu.Lock()
	defer acked.mu.Unlock()
	ids := map[int64]string{}
	for k, id := range acked.ids {
		if other, ok := ids[id]; ok {
			return fmt.Errorf("report %d answered to two keys, %s and %s: doubled", id, other, k)
		}
		ids[id] = k
		if s, ok := stored[k]; !ok || s != id {
			return fmt.Errorf("answered report %d (key %s) is not stored under its key (stored %d, %v): lost", id, k, s, ok)
		}
	}
	fmt.Fprintf(out, "\nstored: %d reports, %d versions, %d idempotency keys (the files' among them); answered: %d reports, %d files\n", reports, versions, keys, len(acked.ids), len(acked.files))
	if reports != len(acked.ids) || versions != reports || keys != reports+len(acked.files) {
		return fmt.Errorf("%d reports stored, %d answered: none may be lost or doubled", reports, len(acked.ids))
	}
	fmt.Fprintln(out, "every answered report stored exactly once, none unanswered stored")
	// A deadline day: each unit reports once on each of its duties.
	var twice int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT unit_id, project_id FROM reports WHERE created_by LIKE 'dl%'
		GROUP BY unit_id, project_id HAVING COUNT(*) > 1) d`).Scan(&twice); err != nil {
		return err
	}
	if twice > 0 {
		return fmt.Errorf("%d (unit, project) pairs hold more than one report: a unit reports once a month on a duty", twice)
	}
	fmt.Fprintf(out, "each unit reported once on each of its duties (%d pairs)\n", reports)
	if len(acked.files) > 0 {
		got := map[int64][]string{}
		rows, err := db.QueryContext(ctx, `SELECT e.report_id, e.sha256 FROM report_evidence e JOIN reports r ON r.id = e.report_id WHERE r.created_by LIKE 'dl%'`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var sum string
			if err := rows.Scan(&id, &sum); err != nil {
				return err
			}
			got[id] = append(got[id], sum)
		}
		rows.Close()
		for id, sum := range acked.files {
			if g := got[id]; len(g) != 1 || g[0] != hex.EncodeToString(sum[:]) {
				return fmt.Errorf("report %d holds files %v, want exactly its own %x: lost or doubled", id, g, sum)
			}
		}
		if len(got) != len(acked.files) {
			return fmt.Errorf("%d reports hold files, %d were sent one", len(got), len(acked.files))
		}
		fmt.Fprintf(out, "every uploaded file stored exactly once with its report (%d files)\n", len(acked.files))
	}
	return nil
}

// createDatabase makes a fresh database on the PostgreSQL server of admin and returns a
// function dropping it and its URL.
func createDatabase(ctx context.Context, admin, prefix string) (func(), string, error) {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return nil, "", err
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := prefix + hex.EncodeToString(b) // generated: safe to splice into DDL
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		return nil, "", fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := url.Parse(admin)
	if err != nil {
		db.Close()
		return nil, "", err
	}
	u.Path = "/" + name
	drop := func() {
		db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		db.Close()
	}
	return drop, u.String(), nil
}

// openRawSQLite opens a fresh file for the database alone, with the server's pragmas and
// driver, over one connection as the server writes: SQLite runs one writer at a time, and
// writers queued in Go do not sleep in SQLite's busy handler.
func openRawSQLite(ctx context.Context, file string) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", file+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE raw (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL, body TEXT NOT NULL, at TIMESTAMP NOT NULL)`); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// rawSQLite is the database alone: goroutines inserting a row each in its own transaction,
// with the statement compiled once (as the server keeps its statements compiled). It returns
// inserts per second.
func rawSQLite(ctx context.Context, db *sql.DB, workers int, d time.Duration, most int) (float64, error) {
	stmt, err := db.PrepareContext(ctx, `INSERT INTO raw (n, body, at) VALUES ($1, $2, $3)`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	return loop(ctx, workers, d, most, func(i int64) error {
		_, err := stmt.ExecContext(ctx, i, "本月召开协调会 1 次，组织培训 40 人", time.Now().UTC())
		return err
	})
}

// loop runs f from workers goroutines until d or most calls, and returns calls per second.
func loop(ctx context.Context, workers int, d time.Duration, most int, f func(int64) error) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var n, done atomic.Int64
	var first atomic.Pointer[error]
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := n.Add(1)
				if i > int64(most) {
					return
				}
				if err := f(i); err != nil {
					if ctx.Err() == nil {
						first.CompareAndSwap(nil, &err)
					}
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	if e := first.Load(); e != nil {
		return 0, *e
	}
	return float64(done.Load()) / time.Since(start).Seconds(), nil
}

var reTPS = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// initPgbench makes a fresh database on the server of admin with pgbench's tables (scale
// 10), and returns its URL and a function dropping it.
func initPgbench(ctx context.Context, admin string) (string, func(), error) {
	drop, u, err := createDatabase(ctx, admin, "xiezuo_pgbench_")
	if err != nil {
		return "", nil, err
	}
	if b, err := exec.CommandContext(ctx, "pgbench", "-i", "-q", "-s", "10", u).CombinedOutput(); err != nil {
		drop()
		return "", nil, fmt.Errorf("pgbench -i: %v: %s", err, b)
	}
	return u, drop, nil
}

// rawPostgres runs pgbench's TPC-B-like transactions (three updates and an insert each) with
// clients clients for d on the database u, and returns transactions per second.
func rawPostgres(ctx context.Context, u string, clients int, d time.Duration) (float64, error) {
	secs := max(1, int(d.Seconds()))
	// A run of a second on a machine busy with other work may finish no transaction, and then
	// pgbench prints no rate: it is run again, twice as long, a few times.
	for try := 0; ; try++ {
		b, err := exec.CommandContext(ctx, "pgbench", "-n", "-c", strconv.Itoa(clients), "-j", "2", "-T", strconv.Itoa(secs), u).CombinedOutput()
		if err != nil {
			return 0, fmt.Errorf("pgbench: %v: %s", err, b)
		}
		if m := reTPS.FindSubmatch(b); m != nil {
			return strconv.ParseFloat(string(m[1]), 64)
		}
		if try == 3 || !bytes.Contains(b, []byte("actually processed: 0")) {
			return 0, fmt.Errorf("pgbench printed no tps: %s", b)
		}
		secs *= 2
	}
}

func median(v []float64) float64 { return loadclient.Pct(v, 50) }

// settle waits, up to most, until process pid uses less than a tenth of a core over half a
// second, and returns how long it waited.
func settle(pid int, most time.Duration) time.Duration {
	start := time.Now()
	last := cpuTicks(pid)
	for time.Since(start) < most {
		time.Sleep(500 * time.Millisecond)
		now := cpuTicks(pid)
		if now-last <= 5 { // clock ticks of 10 ms
			break
		}
		last = now
	}
	return time.Since(start)
}

// cpuTicks is the user and system time of process pid, in clock ticks (/proc/PID/stat).
func cpuTicks(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces: fields are counted after its closing parenthesis.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st
}

// status reads a field of /proc/PID/status, in kB.
func status(pid int, key string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, key+":") {
			f := strings.Fields(line)
			if len(f) > 1 {
				v, _ := strconv.ParseInt(f[1], 10, 64)
				return v
			}
		}
	}
	return 0
}
