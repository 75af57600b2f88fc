package main

// The soak (--soak DURATION): the deadline day's mix, for a long time, against one server
// process, to show that it stays healthy: its memory flat and no request failing. Readers
// signed in as the demo's accounts read pages, dashboards and lists; units submit reports at
// a steady pace through the API, every fifth with an evidence file, every twentieth sent
// again with its key and another body (an expected refusal, 409); the office takes a few
// exports. Every --soak-sample the server's resident memory (/proc), Go heap and goroutines
// (/metrics) and open files (/proc) are sampled and printed as a row of a table.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"xiezuo/internal/loadclient"
)

// soakSample is one row of the soak's table.
type soakSample struct {
	at         time.Duration // since the soak started
	rssKiB     int64
	heapBytes  int64 // -1 when /metrics did not answer
	goroutines int64 // -1 when /metrics did not answer
	openFiles  int64
	requests   int64
	reports    int64
	files      int64
	refusals   int64 // expected refusals, answered as they should be
	errors     int64
}

// soakJudgesMemory is the shortest soak whose memory verdict counts: a shorter one (CI's) still
// prints it, and fails only on errors and on goroutines or files.
const soakJudgesMemory = 5 * time.Minute

// soakTally counts what the soak's clients did, and keeps the first errors.
type soakTally struct {
	requests, reports, files, refusals, exports, errors atomic.Int64
	pairsUsed                                           atomic.Bool // every (unit, duty) pair reported: reports stopped
	mu                                                  sync.Mutex
	first                                               []string
	byKind                                              map[string]int64
}

// fail counts an error: a transport error, a 5xx, or any answer that is neither 2xx nor the
// refusal the request expected.
func (t *soakTally) fail(kind, what string) {
	t.errors.Add(1)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byKind == nil {
		t.byKind = map[string]int64{}
	}
	t.byKind[kind]++
	if len(t.first) < 10 {
		t.first = append(t.first, what)
	}
}

// soakVerdict judges the samples. Memory is flat when, leaving out the samples of the
// warm-up, the largest resident memory of the last third is at most the largest of the
// first third plus 10 % plus 20 MiB; the median goroutines and open files of the last third at
// most the first third's plus 25 % plus 10.
// It needs three samples after the warm-up; with fewer it judges nothing (ok false, a reason).
func soakVerdict(samples []soakSample, warmUp time.Duration) (memOK, countsOK bool, why string) {
	var s []soakSample
	for _, x := range samples {
		if x.at >= warmUp {
			s = append(s, x)
		}
	}
	if len(s) < 3 {
		return false, false, fmt.Sprintf("%d samples after the warm-up of %s: at least 3 are needed to judge", len(s), warmUp)
	}
	third := len(s) / 3
	first, last := s[:third], s[len(s)-third:]
	peak := func(xs []soakSample, f func(soakSample) int64) int64 {
		m := f(xs[0])
		for _, x := range xs[1:] {
			m = max(m, f(x))
		}
		return m
	}
	rss := func(x soakSample) int64 { return x.rssKiB }
	r0, r1 := peak(first, rss), peak(last, rss)
	limit := r0 + r0/10 + 20*1024
	memOK = r1 <= limit
	why = fmt.Sprintf("resident memory: first third's peak %.1f MiB, last third's %.1f MiB, limit %.1f MiB", float64(r0)/1024, float64(r1)/1024, float64(limit)/1024)
	// Goroutines and open files come and go with the requests in flight: their medians are
	// compared, which a momentary peak does not move and a leak does.
	countsOK = true
	for _, c := range []struct {
		name string
		f    func(soakSample) int64
	}{{"goroutines", func(x soakSample) int64 { return x.goroutines }}, {"open files", func(x soakSample) int64 { return x.openFiles }}} {
		a, b := median64(first, c.f), median64(last, c.f)
		if a < 0 || b < 0 {
			continue
		}
		lim := a + a/4 + 10
		if b > lim {
			countsOK = false
		}
		why += fmt.Sprintf("; %s (medians): %d then %d (limit %d)", c.name, a, b, lim)
	}
	return memOK, countsOK, why
}

// median64 is the median of f over xs (the lower of the two middle values).
func median64(xs []soakSample, f func(soakSample) int64) int64 {
	v := make([]int64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	slices.Sort(v)
	return v[(len(v)-1)/2]
}

// soakReader is a demo account signed in as a browser, and the pages it reads in turn.
type soakReader struct {
	user  string
	paths []string
}

// soakReaders are the demo's accounts and what each reads on a deadline day.
var soakReaders = []soakReader{
	{"office", []string{"/", "/plan", "/projects", "/tasks", "/scorecard", "/funds", "/todo", "/supervision", "/notices", "/registers",
		"/api/v1/plans/门头沟区/2021/duties", "/api/v1/plans/门头沟区/2021/projects", "/api/v1/plans/门头沟区/2021/scorecard"}},
	{"leader", []string{"/", "/dashboard", "/scorecard", "/projects", "/funds", "/public/"}},
	{"caizheng", []string{"/", "/todo", "/plan", "/calendar", "/api/v1/me", "/api/v1/plans/门头沟区/2021/duties"}},
	{"kexin", []string{"/", "/todo", "/teams", "/units", "/api/v1/plans/门头沟区/2021/duties"}},
	{"wuchuan", []string{"/", "/cadre", "/projects", "/regions"}},
}

// soakExports are what the office downloads now and then: the task table and a register's
// template.
var soakExports = []string{"/supervision/tasks.xlsx", "/registers/meetings/template.xlsx"}

// get reads path as hc, expecting 200 and the page it asked for (not the sign-in form).
func soakGet(ctx context.Context, hc *http.Client, base, path, token string, t *soakTally) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	t.requests.Add(1)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return n, err
	}
	if resp.StatusCode != http.StatusOK {
		return n, fmt.Errorf("GET %s: %d", path, resp.StatusCode)
	}
	if p := resp.Request.URL.Path; p == "/signin" && path != "/signin" {
		return n, fmt.Errorf("GET %s: sent to the sign-in page (session lost)", path)
	}
	return n, nil
}

func soakKind(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, ": 5"), strings.HasPrefix(s, "5"):
		return "5xx"
	case strings.Contains(s, "session lost"):
		return "session"
	case strings.Contains(s, "connection"), strings.Contains(s, "EOF"), strings.Contains(s, "timeout"):
		return "transport"
	}
	return "other"
}

// soak runs the mix for c.soak and prints the table and the verdicts; it fails when a verdict
// is not met.
func soak(ctx context.Context, hc *http.Client, srv *server, pl *pool, c config, acked *ledger, out io.Writer) error {
	pid := srv.cmd.Process.Pid
	base := srv.base
	var t soakTally
	readers := make([]*http.Client, 0, len(soakReaders))
	for i := range c.readers {
		r := soakReaders[i%len(soakReaders)]
		rc, err := loadclient.SignIn(base, hc.Transport, r.user, "Xiezuo@2021")
		if err != nil {
			return fmt.Errorf("soak: %w", err)
		}
		readers = append(readers, rc)
	}
	ctx, cancel := context.WithTimeout(ctx, c.soak)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	note := func(kind string, err error) {
		if ctx.Err() != nil {
			return // the end of the soak cut the request short
		}
		if kind == "" {
			kind = soakKind(err)
		}
		t.fail(kind, fmt.Sprintf("%s %s", time.Since(start).Round(time.Second), err))
	}
	pause := func(d time.Duration) bool {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(d):
			return true
		}
	}

	// Readers: each of its pages in turn, with a pause a person takes.
	for i, rc := range readers {
		r := soakReaders[i%len(soakReaders)]
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				if _, err := soakGet(ctx, rc, base, r.paths[n%len(r.paths)], "", &t); err != nil {
					note("", fmt.Errorf("%s: %w", r.user, err))
				}
				if !pause(c.think) {
					return
				}
			}
		})
	}
	// Units read their duties and a report through the API.
	wg.Go(func() {
		rnd := mrand.New(mrand.NewPCG(3, 4))
		for ctx.Err() == nil {
			a := pl.accounts[rnd.IntN(len(pl.accounts))]
			if _, err := soakGet(ctx, hc, base, "/api/v1/plans/"+url.PathEscape(a.district)+"/2021/duties", a.token, &t); err != nil {
				note("", fmt.Errorf("%s: %w", a.user, err))
			}
			if !pause(c.think * 5) {
				return
			}
		}
	})
	// Exports: the office's downloads, one a minute (every sample on a short run).
	wg.Go(func() {
		ex, err := loadclient.SignIn(base, hc.Transport, "office", "Xiezuo@2021")
		if err != nil {
			note("other", err)
			return
		}
		every := min(time.Minute, c.sample)
		for n := 0; pause(every); n++ {
			if _, err := soakGet(ctx, ex, base, soakExports[n%len(soakExports)], "", &t); err != nil {
				note("", fmt.Errorf("export: %w", err))
			} else {
				t.exports.Add(1)
			}
		}
	})
	// Reports at a steady pace, each on a duty not reported yet.
	reporters := 2
	interval := time.Duration(float64(time.Second) * float64(reporters) / c.rate)
	for w := range reporters {
		wg.Go(func() {
			rnd := mrand.New(mrand.NewPCG(uint64(w), 21))
			file := make([]byte, c.soakFile)
			for n := 0; pause(interval); n++ {
				p, ok := pl.take()
				if !ok {
					// The plan's duties are used up: no fault of the server's, so not an error;
					// the summary says reports stopped early (a bigger plan or a lower rate).
					t.pairsUsed.Store(true)
					return
				}
				i := n*reporters + w
				key := fmt.Sprintf("soak-%d", i)
				body := reportBody(rnd, i)
				t.requests.Add(1)
				status, id, _, err := submit(ctx, hc, base, p, key, body)
				if status != http.StatusCreated {
					note("", fmt.Errorf("report %s on %s: %v", key, p.duty, err))
					continue
				}
				t.reports.Add(1)
				if err := acked.add(key, id); err != nil {
					note("other", err)
				}
				if i%20 == 0 { // the same key, another body: refused with 409, nothing stored
					t.requests.Add(1)
					status, _, _, err := submit(ctx, hc, base, p, key, reportBody(rnd, i+1))
					if status == http.StatusConflict {
						t.refusals.Add(1)
					} else {
						note("", fmt.Errorf("report %s sent again with another body: %d, want 409 (%v)", key, status, err))
					}
				}
				if i%5 == 0 {
					copy(file, "%PDF-1.4\n%")
					for j := 12; j < len(file)-8; j += 8 {
						binary.LittleEndian.PutUint64(file[j:], rnd.Uint64())
					}
					copy(file[len(file)-7:], "\n%%EOF\n")
					t.requests.Add(1)
					if err := attach(ctx, hc, base, p, id, fmt.Sprintf("进展材料-%d.pdf", i), file); err != nil {
						note("", fmt.Errorf("evidence of report %d: %w", id, err))
						continue
					}
					t.files.Add(1)
					acked.file(id, sha256.Sum256(file))
				}
			}
		})
	}

	// Samples: the first at the start, then every c.sample.
	var samples []soakSample
	take := func() soakSample {
		s := soakSample{at: time.Since(start).Round(time.Second), rssKiB: status(pid, "VmRSS"), openFiles: openFiles(pid),
			requests: t.requests.Load(), reports: t.reports.Load(), files: t.files.Load(), refusals: t.refusals.Load(), errors: t.errors.Load()}
		s.heapBytes, s.goroutines = scrape(hc, base)
		return s
	}
	fmt.Fprintf(out, "\nsoak: %s, a sample every %s; %d readers (pause %s), reports %.1f/s (a %d KiB file with every fifth), exports every %s\n",
		c.soak, c.sample, len(readers), c.think, c.rate, c.soakFile>>10, min(time.Minute, c.sample))
	fmt.Fprintln(out, "| time | RSS MiB | heap MiB | goroutines | open files | requests | reports | files | refusals | errors |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|---|---|---|---|")
	row := func(s soakSample) {
		heap := "–"
		if s.heapBytes >= 0 {
			heap = fmt.Sprintf("%.1f", float64(s.heapBytes)/(1<<20))
		}
		fmt.Fprintf(out, "| %s | %.1f | %s | %d | %d | %d | %d | %d | %d | %d |\n", s.at, float64(s.rssKiB)/1024, heap, s.goroutines, s.openFiles,
			s.requests, s.reports, s.files, s.refusals, s.errors)
	}
	samples = append(samples, take())
	row(samples[0])
	tick := time.NewTicker(c.sample)
	for loop := true; loop; {
		select {
		case <-ctx.Done():
			loop = false
		case <-srv.exited:
			cancel()
			wg.Wait()
			return fmt.Errorf("soak: the server exited: %s", srv.log)
		case <-tick.C:
			s := take()
			samples = append(samples, s)
			row(s)
		}
	}
	tick.Stop()
	wg.Wait()
	// The last row after every client stopped, so that the counts are whole.
	s := take()
	samples = append(samples, s)
	row(s)

	warm := min(2*time.Minute, c.soak/6)
	memOK, countsOK, why := soakVerdict(samples, warm)
	fmt.Fprintf(out, "\nsoak %s: %d requests, %d reports, %d files, %d exports, %d expected refusals, %d errors\n", time.Since(start).Round(time.Second),
		t.requests.Load(), t.reports.Load(), t.files.Load(), t.exports.Load(), t.refusals.Load(), t.errors.Load())
	if t.pairsUsed.Load() {
		fmt.Fprintln(out, "note: every (unit, duty) pair of the plan was reported, so reports stopped before the end (lower --soak-rate for a longer run)")
	}
	fmt.Fprintf(out, "warm-up %s left out; %s\n", warm, why)
	var failed []string
	switch {
	case memOK:
		fmt.Fprintln(out, "verdict: memory flat")
	case c.soak < soakJudgesMemory:
		// Seconds of a process still filling its caches say nothing of a leak: said, not failed.
		fmt.Fprintf(out, "verdict: memory not judged (a run shorter than %s; it grew)\n", soakJudgesMemory)
	default:
		failed = append(failed, "memory not flat")
	}
	if countsOK {
		fmt.Fprintln(out, "verdict: goroutines and open files flat")
	} else {
		failed = append(failed, "goroutines or open files grew")
	}
	if n := t.errors.Load(); n == 0 {
		fmt.Fprintln(out, "verdict: no error")
	} else {
		t.mu.Lock()
		fmt.Fprintf(out, "errors by kind: %v; the first: %s\n", t.byKind, strings.Join(t.first, " | "))
		t.mu.Unlock()
		failed = append(failed, fmt.Sprintf("%d errors", n))
	}
	if t.refusals.Load() == 0 || t.reports.Load() == 0 {
		failed = append(failed, "no report or no expected refusal: the mix did not run")
	}
	if len(failed) > 0 {
		return fmt.Errorf("soak failed: %s", strings.Join(failed, "; "))
	}
	return nil
}

// openFiles counts the descriptors process pid holds open (/proc/PID/fd); -1 when unreadable.
func openFiles(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return -1
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return -1
	}
	return int64(len(names))
}

// scrape reads the Go heap in use and the goroutines from the server's /metrics (served to
// loopback callers); -1, -1 when it does not answer.
func scrape(hc *http.Client, base string) (heap, goroutines int64) {
	heap, goroutines = -1, -1
	resp, err := hc.Get(base + "/metrics")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		for name, v := range map[string]*int64{"go_memstats_heap_alloc_bytes ": &heap, "go_goroutines ": &goroutines} {
			if rest, ok := bytes.CutPrefix(line, []byte(name)); ok {
				if f, err := strconv.ParseFloat(string(bytes.TrimSpace(rest)), 64); err == nil {
					*v = int64(f)
				}
			}
		}
	}
	return
}
