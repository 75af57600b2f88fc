// Command xiezuo-hostile replays the attack pass on the readers against a live server on this
// machine: it makes each hostile document (gen/hostile), uploads it to the import page as the
// demo office account, and meanwhile polls /healthz every 100 ms and a normal page as another
// user. It reports per document the server's answer, the time, the peak resident memory of the
// server process during the upload (VmRSS sampled every 20 ms; VmHWM at the end), the slowest
// /healthz and page answers, and whether /healthz answered throughout. At the end it checks
// that no temporary folder of a read is left, then kills the server during a workbook read and
// checks that the next start removes what the killed read left.
//
//	go run ./cmd/xiezuo-hostile             # builds xiezuo, starts `xiezuo serve --demo` in a temporary folder
//	go run ./cmd/xiezuo-hostile -short      # small sizes (what the test runs)
//	go run ./cmd/xiezuo-hostile -bin ./xiezuo -check   # also `xiezuo check` of each document under /usr/bin/time -v
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
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
	"text/tabwriter"
	"time"

	"xiezuo/gen"
	"xiezuo/gen/hostile"
	"xiezuo/sample"
)

func main() {
	var out bytes.Buffer
	err := run(context.Background(), os.Args[1:], io.MultiWriter(os.Stdout, &out))
	if err != nil {
		fmt.Fprintln(os.Stderr, "xiezuo-hostile:", err)
		os.Exit(1)
	}
}

// config is what one run does.
type config struct {
	bin   string // the xiezuo binary; built when empty
	short bool   // small sizes
	check bool   // also run `xiezuo check` on each document under /usr/bin/time -v
	keep  bool   // keep the temporary folder
}

// report is the outcome of one upload.
type report struct {
	name, size, status, answer string
	elapsed                    time.Duration
	peakRSS                    int64 // kB
	healthOK                   bool
	healthMax, pageMax         time.Duration
	checkRSS                   int64 // kB, `xiezuo check` under /usr/bin/time -v, 0 when not run
	checkAnswer                string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("xiezuo-hostile", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.bin, "bin", "", "xiezuo binary (built from this repository when empty)")
	fs.BoolVar(&c.short, "short", false, "small documents, for the test")
	fs.BoolVar(&c.check, "check", false, "also run `xiezuo check` on each document under /usr/bin/time -v")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "xiezuo-hostile-")
	if err != nil {
		return err
	}
	if !c.keep {
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
	docs, err := documents(c.short)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "tmp") // the server's TMPDIR, to see what its reads leave
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return err
	}
	srv, err := startServer(ctx, c.bin, dir, tmp)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Fprintf(out, "server pid %d at %s, resident %d kB after start\n", srv.cmd.Process.Pid, srv.base, status(srv.cmd.Process.Pid, "VmRSS"))
	office, err := signIn(srv.base, "office")
	if err != nil {
		return err
	}
	other, err := signIn(srv.base, "caizheng")
	if err != nil {
		return err
	}
	var reports []report
	for _, d := range docs {
		r := upload(ctx, srv, office, other, d)
		if c.check {
			r.checkRSS, r.checkAnswer = checkCommand(ctx, c.bin, dir, tmp, d)
		}
		reports = append(reports, r)
	}
	quiet := 3 * time.Second
	if c.short {
		quiet = time.Second
	}
	cancelled := cancelledUpload(ctx, srv, office, docs, quiet)
	tw := tabwriter.NewWriter(out, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "input\tsize\tanswer\ttime\tpeak RSS\t/healthz ok\tslowest /healthz\tslowest page\tcheck peak RSS\tmessage")
	for _, r := range reports {
		checkRSS := "—"
		if r.checkRSS > 0 {
			checkRSS = fmt.Sprintf("%.0f MB", float64(r.checkRSS)/1024)
		}
		if r.checkRSS > 0 {
			checkRSS += " (" + r.checkAnswer + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f s\t%.0f MB\t%v\t%d ms\t%d ms\t%s\t%s\n", r.name, r.size, r.status, r.elapsed.Seconds(),
			float64(r.peakRSS)/1024, r.healthOK, r.healthMax.Milliseconds(), r.pageMax.Milliseconds(), checkRSS, r.answer)
	}
	tw.Flush()
	fmt.Fprintf(out, "server peak resident memory (VmHWM) over the whole run: %.0f MB\n", float64(status(srv.cmd.Process.Pid, "VmHWM"))/1024)
	fmt.Fprintln(out, cancelled)
	var failed []string
	for _, r := range reports {
		if !r.healthOK {
			failed = append(failed, r.name+": /healthz failed during the upload")
		}
		if r.status == "" || strings.HasPrefix(r.status, "5") {
			failed = append(failed, r.name+": no answer or a server error: "+r.status+" "+r.answer)
		}
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "xiezuo-plandoc", "*"))
	fmt.Fprintf(out, "temporary folders of reads left after the uploads: %d\n", len(left))
	if len(left) > 0 {
		failed = append(failed, fmt.Sprintf("temporary folders left: %v", left))
	}
	swept, err := crashAndRestart(ctx, srv, c.bin, dir, tmp, office, docs)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, swept)
	if strings.Contains(swept, "NOT") {
		failed = append(failed, swept)
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "; "))
	}
	return nil
}

// documents makes the hostile documents, and two legitimate ones to compare with.
func documents(short bool) ([]hostile.Doc, error) {
	bombSize, rows, lines, tableRows, subtotals, serials := int64(3<<30), 1<<20, 1_000_000, 25_000, 9_990, 10_000
	projects, wideRows, sst := 10_000, 20_000, 470_000
	if short {
		// 200,000 rows inflate to 5 MB: past the size excelize holds in memory, so the read
		// makes a temporary file for the crash test to find.
		bombSize, rows, lines, tableRows, subtotals, serials = 256<<20, 200_000, 300_000, 21_000, 500, 100
		projects, wideRows, sst = 200, 1_000, 10_000
	}
	bomb, err := hostile.ZipBomb(bombSize)
	if err != nil {
		return nil, err
	}
	many, err := hostile.ManyRows(rows)
	if err != nil {
		return nil, err
	}
	huge := hostile.MarkdownTable(lines)
	strs, err := hostile.SharedStrings(sst, 20)
	if err != nil {
		return nil, err
	}
	escapes, err := hostile.Escapes(80_000)
	if err != nil {
		return nil, err
	}
	long, err := hostile.LongCell(1 << 20)
	if err != nil {
		return nil, err
	}
	merges, partBomb, xfdRows := 50_000, int64(60<<20), 1<<20
	if short {
		merges, partBomb, xfdRows = 10_000, 8<<20, 100_000
	}
	extra := []func() (hostile.Doc, error){
		func() (hostile.Doc, error) { return hostile.Merges(merges, 2) },
		func() (hostile.Doc, error) { return hostile.TallMerges(1_000) },
		func() (hostile.Doc, error) { return hostile.SharedSheet(50, 300) },
		func() (hostile.Doc, error) { return hostile.StylesBomb(partBomb) },
		func() (hostile.Doc, error) { return hostile.DrawingBomb(partBomb) },
		// A worksheet relationship naming styles.xml, and shared strings naming styles or the
		// theme: the part is bound by its own name (60 MB of styles took 434 MB and 60 s).
		func() (hostile.Doc, error) { return hostile.StylesAsSheet(partBomb) },
		func() (hostile.Doc, error) { return hostile.SharedStringsAt("styles.xml", 6<<20) },
		func() (hostile.Doc, error) { return hostile.SharedStringsAt("theme/theme1.xml", 6<<20) },
		// Blank cells reach the bound of cells read (2,000,000, at row 123) before the rows'.
		func() (hostile.Doc, error) { return hostile.XFDRows(50_000, " ") },
		func() (hostile.Doc, error) { return hostile.XFDRows(xfdRows, "") },
	}
	var workbooks []hostile.Doc
	for _, mk := range extra {
		d, err := mk()
		if err != nil {
			return nil, err
		}
		workbooks = append(workbooks, d)
	}
	p := gen.Plan(gen.Options{Seed: 10000, District: "门头沟区", Year: 2021, Regions: 10, Projects: projects})
	legit := hostile.Doc{Name: gen.FileName(p, ".md"), Data: gen.Markdown(p)}
	docs := []hostile.Doc{
		{Name: sample.Plan2021Name, Data: sample.Plan2021},
		legit,
		bomb,
		many,
		huge,
	}
	if len(huge.Data) > 16<<20 {
		// Past the upload limit: also the largest that fits, refused by the reader at its line.
		d := hostile.MarkdownTable(300_000)
		d.Data = bytes.ReplaceAll(d.Data, []byte("|区农业农村局|"), []byte("|"))
		docs = append(docs, d)
	}
	return append(append(docs,
		hostile.MarkdownTable(tableRows),
		hostile.MarkdownTable(3_000),
		hostile.Subtotals(subtotals),
		hostile.SixDigitSerials(serials),
		hostile.NUL(),
		hostile.NULCSV(),
		escapes,
		long,
		// At the bounds: the most cells and text a document may hold, and the largest shared
		// string table (of the smallest strings, which excelize holds at the most per byte).
		hostile.WideTable(wideRows, 19, 40),
		strs,
	), workbooks...), nil
}

// server is a running `xiezuo serve --demo`.
type server struct {
	cmd  *exec.Cmd
	base string
	logs *bytes.Buffer
}

func startServer(ctx context.Context, bin, dir, tmp string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.CommandContext(ctx, bin, "serve", "--demo", "--addr", addr, "--db", filepath.Join(dir, "x.db"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	logs := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = io.Discard, &lockedWriter{w: logs}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr, logs: logs}
	for deadline := time.Now().Add(60 * time.Second); ; {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("server did not start: %s", logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *server) stop() {
	if s.cmd.ProcessState == nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-done
		}
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

var (
	rePre  = regexp.MustCompile(`name="pre" value="([^"]+)"`)
	reCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	reMsg  = regexp.MustCompile(`(?s)class="msg (?:error|ok)"[^>]*>(.*?)</div>`)
	reRow  = regexp.MustCompile(`(?s)<tr class="problem-error"><td>(.*?)</td><td>(.*?)</td>`)
	reOmit = regexp.MustCompile(`另有 \d+ 个错误未列出`)
	reDiff = regexp.MustCompile(`<h2>([^<]*处变化)</h2>`)
)

func signIn(base, user string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 120 * time.Second}
	resp, err := hc.Get(base + "/signin")
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := rePre.FindSubmatch(b)
	if m == nil {
		return nil, errors.New("no sign-in form")
	}
	resp, err = hc.PostForm(base+"/signin", url.Values{"username": {user}, "password": {"Xiezuo@2021"}, "pre": {string(m[1])}})
	if err != nil {
		return nil, err
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path == "/signin" {
		return nil, fmt.Errorf("sign in as %s refused: %.200s", user, b)
	}
	return hc, nil
}

// uploadRequest is the import form with the document, as a browser sends it.
func uploadRequest(ctx context.Context, base string, hc *http.Client, d hostile.Doc) (*http.Request, error) {
	resp, err := hc.Get(base + "/import")
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := reCSRF.FindSubmatch(page)
	if m == nil {
		return nil, errors.New("no CSRF token on /import")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", string(m[1]))
	fw, _ := mw.CreateFormFile("file", d.Name)
	fw.Write(d.Data)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/import", &body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req, nil
}

// upload sends one document while watching the server, and reports.
func upload(ctx context.Context, srv *server, office, other *http.Client, d hostile.Doc) report {
	r := report{name: d.Name, size: size(len(d.Data)), healthOK: true}
	pid := srv.cmd.Process.Pid
	req, err := uploadRequest(ctx, srv.base, office, d)
	if err != nil {
		r.status, r.answer = "", err.Error()
		return r
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var peak, healthMax, pageMax atomic.Int64
	var healthFailed atomic.Bool
	peak.Store(status(pid, "VmRSS"))
	wg.Add(3)
	go func() { // resident memory, every 20 ms
		defer wg.Done()
		for t := time.NewTicker(20 * time.Millisecond); ; {
			select {
			case <-watchCtx.Done():
				t.Stop()
				return
			case <-t.C:
				if v := status(pid, "VmRSS"); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	poll := func(hc *http.Client, path string, slowest *atomic.Int64, failed *atomic.Bool) {
		defer wg.Done()
		for t := time.NewTicker(100 * time.Millisecond); ; {
			select {
			case <-watchCtx.Done():
				t.Stop()
				return
			case <-t.C:
				start := time.Now()
				rctx, cancel := context.WithTimeout(watchCtx, 2*time.Second)
				req, _ := http.NewRequestWithContext(rctx, http.MethodGet, srv.base+path, nil)
				resp, err := hc.Do(req)
				ok := err == nil && resp.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				cancel()
				if watchCtx.Err() != nil {
					return
				}
				if el := time.Since(start); int64(el) > slowest.Load() {
					slowest.Store(int64(el))
				}
				if !ok && failed != nil {
					failed.Store(true)
				}
			}
		}
	}
	go poll(&http.Client{Timeout: 2 * time.Second}, "/healthz", &healthMax, &healthFailed)
	go poll(other, "/projects?year=2021&district="+url.QueryEscape("门头沟区"), &pageMax, nil)
	start := time.Now()
	resp, err := office.Do(req)
	if err != nil {
		r.answer = err.Error()
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		r.status = strconv.Itoa(resp.StatusCode)
		r.answer = answer(body)
	}
	r.elapsed = time.Since(start)
	time.Sleep(150 * time.Millisecond) // one more poll after the answer
	stopWatch()
	wg.Wait()
	r.peakRSS, r.healthOK = peak.Load(), !healthFailed.Load()
	r.healthMax, r.pageMax = time.Duration(healthMax.Load()), time.Duration(pageMax.Load())
	return r
}

// answer is what the import page said: its message, and the first error listed with the count
// of those not listed.
func answer(page []byte) string {
	var parts []string
	if m := reMsg.FindSubmatch(page); m != nil {
		parts = append(parts, string(m[1]))
	}
	if m := reRow.FindSubmatch(page); m != nil {
		parts = append(parts, string(m[1])+"："+string(m[2]))
	}
	if m := reOmit.Find(page); m != nil {
		parts = append(parts, string(m))
	}
	if m := reDiff.FindSubmatch(page); m != nil {
		parts = append(parts, "checked, "+string(m[1]))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("(%d bytes)", len(page))
	}
	s := html.UnescapeString(strings.Join(parts, " / "))
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return strings.ReplaceAll(s, "\n", " ")
}

// cancelledUpload sends the largest legitimate document and goes away 100 ms later: the
// server's CPU time after that shows whether the read went on.
func cancelledUpload(ctx context.Context, srv *server, office *http.Client, docs []hostile.Doc, quiet time.Duration) string {
	d := docs[1]
	pid := srv.cmd.Process.Pid
	rctx, cancel := context.WithCancel(ctx)
	req, err := uploadRequest(rctx, srv.base, office, d)
	if err != nil {
		cancel()
		return "cancelled upload: " + err.Error()
	}
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	before := cpuTime(pid)
	start := time.Now()
	if resp, err := office.Do(req); err == nil {
		resp.Body.Close()
	}
	elapsed := time.Since(start)
	atCancel := cpuTime(pid)
	time.Sleep(quiet)
	after := cpuTime(pid)
	return fmt.Sprintf("cancelled upload of %s (%s), client gone after %d ms: server CPU %d ms until then, %d ms in the %v after it",
		d.Name, size(len(d.Data)), elapsed.Milliseconds(), (atCancel - before).Milliseconds(), (after - atCancel).Milliseconds(), quiet)
}

// crashAndRestart kills the server while it reads a workbook large enough to be inflated to a
// temporary file, starts it again, and tells whether the start removed what the read left.
func crashAndRestart(ctx context.Context, srv *server, bin, dir, tmp string, office *http.Client, docs []hostile.Doc) (string, error) {
	// Rows of text within every bound, inflating past the 2 MB excelize holds in memory.
	many, err := hostile.TextRows(19_000)
	if err != nil {
		return "", err
	}
	req, err := uploadRequest(ctx, srv.base, office, many)
	if err != nil {
		return "", err
	}
	go func() {
		if resp, err := office.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	root := filepath.Join(tmp, "xiezuo-plandoc")
	var seen []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && len(seen) == 0; time.Sleep(5 * time.Millisecond) {
		seen, _ = filepath.Glob(filepath.Join(root, "*", "excelize-*"))
	}
	srv.cmd.Process.Kill()
	srv.cmd.Wait()
	left, _ := filepath.Glob(filepath.Join(root, "*"))
	next, err := startServer(ctx, bin, dir, tmp)
	if err != nil {
		return "", err
	}
	defer next.stop()
	after, _ := filepath.Glob(filepath.Join(root, "*"))
	verdict := "removed"
	if len(after) > 0 {
		verdict = "NOT removed"
	}
	return fmt.Sprintf("killed during a workbook read: %d temporary folder(s) left (excelize files seen: %d); after the next start: %s (%d left)", len(left), len(seen), verdict, len(after)), nil
}

// checkCommand runs `xiezuo check` on the document under /usr/bin/time -v and returns its peak
// resident memory (kB) and its last line of output.
func checkCommand(ctx context.Context, bin, dir, tmp string, d hostile.Doc) (int64, string) {
	path := filepath.Join(dir, "docs", d.Name)
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, d.Data, 0o600); err != nil {
		return 0, err.Error()
	}
	defer os.Remove(path)
	cmd := exec.CommandContext(ctx, "/usr/bin/time", "-v", bin, "check", path)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var rss int64
	if m := regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`).FindSubmatch(stderr.Bytes()); m != nil {
		rss, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	}
	return rss, "exit " + strconv.Itoa(code)
}

// status reads a field (in kB) of /proc/<pid>/status.
func status(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// cpuTime is the user and system CPU time of a process.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(fields) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * (time.Second / 100) // clock ticks of 1/100 s
}

func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
