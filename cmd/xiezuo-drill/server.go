package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// target is one database the drills write to.
type target struct {
	kind string // sqlite or postgres
	name string // what the table calls it: sqlite, postgres, or patroni (PostgreSQL under Patroni)
	dsn  string
	dir  string   // the target's folder: key file, evidence, the server's TMPDIR and log
	env  []string // XIEZUO_KEY_FILE and TMPDIR of every xiezuo command on it

	reportToken, officeToken string
	duties                   []string // duties caizheng leads: [0] the probe's, the others the workers' (one each, or shared)
	project                  string
	probeRID                 int64 // the probe duty's report of the month
	sql                      *sql.DB
}

func (t *target) evidenceDir() string { return filepath.Join(t.dir, "evidence") }
func (t *target) tmpDir() string      { return filepath.Join(t.dir, "tmp") }

// newTarget prepares dir for a database: the key file's place, the evidence folder and a
// private TMPDIR, so that leftovers of a killed server can be counted.
func newTarget(kind, dsn, dir string) (*target, error) {
	t := &target{kind: kind, name: kind, dsn: dsn, dir: dir}
	for _, d := range []string{dir, t.evidenceDir(), t.tmpDir()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	t.env = []string{"TMPDIR=" + t.tmpDir()}
	if kind == "postgres" {
		t.env = append(t.env, "XIEZUO_KEY_FILE="+filepath.Join(dir, "xiezuo.key"))
	}
	return t, nil
}

// open opens the drill's own connection, to count what is stored.
func (t *target) open() error {
	driver := "sqlite"
	if t.kind == "postgres" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, t.dsn)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(2)
	t.sql = db
	return nil
}

func (t *target) close() {
	if t.sql != nil {
		t.sql.Close()
	}
}

// server is one running `xiezuo serve`.
type server struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{}
	log  *os.File
}

func (d *driller) startServer(ctx context.Context, t *target, addr string, demo bool) (*server, error) {
	args := []string{"serve", "--db", t.dsn, "--addr", addr, "--evidence-dir", t.evidenceDir(), "--remind-at", "off", "--today", "2021-09-15"}
	if demo {
		args = append(args, "--demo")
	}
	logf, err := os.OpenFile(filepath.Join(t.dir, "serve.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(d.bin, args...)
	cmd.Dir = t.dir
	cmd.Env = append(os.Environ(), t.env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	s := &server{cmd: cmd, addr: addr, done: make(chan struct{}), log: logf}
	go func() { cmd.Wait(); logf.Close(); close(s.done) }()
	return s, nil
}

func (s *server) base() string { return "http://" + s.addr }

// kill9 kills the server with SIGKILL and waits for it to be gone.
func (s *server) kill9() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// stop ends the server gracefully (SIGTERM), or kills it after 20 s.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.kill9()
	}
}

// waitReady polls /readyz until it answers 200, the server exits or ctx ends.
func (s *server) waitReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	hc := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.base()+"/readyz", nil)
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-s.done:
			return errors.New("serve exited before it was ready (see serve.log)")
		case <-ctx.Done():
			return fmt.Errorf("not ready within %s", limit)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// runCmd runs a command with env added, returning its combined output.
func runCmd(ctx context.Context, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.String(), err
}

// readyServer prepares t (prepare) and starts a server over it on addr, ready to serve; the
// caller closes t, also when it fails, and stops the server.
func (d *driller) readyServer(ctx context.Context, t *target, addr string) (*server, error) {
	if err := d.prepare(ctx, t, addr); err != nil {
		return nil, err
	}
	s, err := d.startServer(ctx, t, addr, false)
	if err != nil {
		return nil, err
	}
	if err := s.waitReady(ctx, time.Minute); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// prepare fills t with the 2021 demo (serve --demo once, stopped gracefully), makes the API
// tokens of the report writer (caizheng) and the office, and picks the duty and project the
// drills write to.
func (d *driller) prepare(ctx context.Context, t *target, addr string) error {
	if t.kind == "postgres" {
		if out, err := runCmd(ctx, nil, d.bin, "keys", "new", filepath.Join(t.dir, "xiezuo.key")); err != nil {
			return fmt.Errorf("keys new: %v: %s", err, out)
		}
	}
	s, err := d.startServer(ctx, t, addr, true)
	if err != nil {
		return err
	}
	if err := s.waitReady(ctx, 5*time.Minute); err != nil {
		s.kill9()
		return fmt.Errorf("demo serve on %s: %w", t.kind, err)
	}
	s.stop()
	for _, u := range []struct {
		name string
		dst  *string
	}{{"caizheng", &t.reportToken}, {"office", &t.officeToken}} {
		out, err := runCmd(ctx, append(t.env, "TMPDIR="+t.tmpDir()), d.bin, "user", "token", "--db", t.dsn, "--username", u.name, "--label", "drill")
		if err != nil {
			return fmt.Errorf("user token %s: %v: %s", u.name, err, out)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		*u.dst = strings.TrimSpace(lines[len(lines)-1])
	}
	if err := t.open(); err != nil {
		return err
	}
	s, err = d.startServer(ctx, t, addr, false)
	if err != nil {
		return err
	}
	defer s.stop()
	if err := s.waitReady(ctx, time.Minute); err != nil {
		return err
	}
	c := newAPI(s.base(), t.reportToken)
	var duties struct {
		Duties []struct {
			ID   string `json:"id"`
			Lead bool   `json:"lead"`
		} `json:"duties"`
	}
	if err := c.getJSON(ctx, "/api/v1/plans/"+url.PathEscape(district)+"/2021/duties", &duties); err != nil {
		return err
	}
	// Only duties caizheng leads: its reports on the others go to their lead unit, which the
	// office may not return (403), and the drill returns each acknowledged report.
	for _, du := range duties.Duties {
		if du.Lead && len(t.duties) < 6 {
			t.duties = append(t.duties, du.ID)
		}
	}
	var projects struct {
		Projects []struct {
			ID json.Number `json:"id"`
		} `json:"projects"`
	}
	o := newAPI(s.base(), t.officeToken)
	if err := o.getJSON(ctx, "/api/v1/plans/"+url.PathEscape(district)+"/2021/projects", &projects); err != nil {
		return err
	}
	if len(t.duties) < 2 || len(projects.Projects) == 0 {
		return fmt.Errorf("no duty of caizheng (%d duties) or no project (%d)", len(duties.Duties), len(projects.Projects))
	}
	t.project = projects.Projects[0].ID.String()
	return nil
}

// auditVerify runs xiezuo audit verify on t.
func (d *driller) auditVerify(ctx context.Context, t *target) (string, string) {
	out, err := runCmd(ctx, t.env, d.bin, "audit", "verify", "--db", t.dsn)
	if err != nil {
		return "failed", strings.TrimSpace(out)
	}
	return "passed", ""
}

func addrOf(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

const district = "门头沟区"
