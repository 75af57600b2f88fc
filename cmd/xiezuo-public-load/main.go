// Command xiezuo-public-load measures the public notice pages (/public/) of a running xiezuo
// server on this machine under a crowd, and what the crowd does to signed-in users: first a few
// signed-in users alone on their usual pages, then the same users while the crowd (64 clients
// by default, each from its own address) reads the public pages, mostly fresh, some with the
// ETag they were given (304). It prints the public requests served per second with their
// latencies, the refusals (429 per address, 503 when busy), the signed-in users' p50/p95 in
// both phases and the server's resident memory. It only talks to loopback addresses, and
// stops by itself.
//
// The crowd's addresses come in X-Forwarded-For, which the server believes only from a
// trusted proxy: start it with --trusted-proxy 127.0.0.1/32, else every client is one address
// and the per-address limit (600 requests in 10 s) holds the crowd to 60 requests a second.
//
//	xiezuo serve --demo --addr 127.0.0.1:8090 --trusted-proxy 127.0.0.1/32 &
//	xiezuo-public-load --addr 127.0.0.1:8090 --pid $! --duration 15s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xiezuo/internal/loadclient"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "xiezuo-public-load:", err)
		os.Exit(1)
	}
}

type config struct {
	addr     string
	pid      int
	crowd    int
	users    int
	duration time.Duration
	district string
	year     int
	accounts []string
	password string
	revalid  int     // one public request in revalid sends the ETag it was given
	rate     float64 // public requests a second the crowd sends in all; 0: as fast as answered
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("xiezuo-public-load", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "server address (loopback only)")
	fs.IntVar(&c.pid, "pid", 0, "server process id, to read its resident memory")
	fs.IntVar(&c.crowd, "crowd", 64, "public clients at once, each from its own address")
	fs.IntVar(&c.users, "users", 4, "signed-in users at once")
	fs.DurationVar(&c.duration, "duration", 15*time.Second, "how long each phase runs")
	fs.StringVar(&c.district, "district", "门头沟区", "district of the published plan")
	fs.IntVar(&c.year, "year", 2021, "year of the published plan")
	accounts := fs.String("accounts", "office,caizheng,kexin,renshe,leader", "demo accounts the signed-in users sign in as, in turn")
	fs.StringVar(&c.password, "password", "Xiezuo@2021", "their password")
	fs.IntVar(&c.revalid, "revalidate", 4, "one public request in this many sends If-None-Match")
	fs.Float64Var(&c.rate, "rate", 3000, "public requests a second the crowd sends in all (0: each client as fast as it is answered)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("only loopback addresses may be load-tested")
	}
	c.accounts = strings.Split(*accounts, ",")
	base := "http://" + c.addr

	// The public paths: the index, the plan's notice and each published project's.
	planPath := "/public/" + url.PathEscape(c.district) + "/" + strconv.Itoa(c.year)
	resp, err := http.Get(base + planPath)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s = %d", planPath, resp.StatusCode)
	}
	paths := []string{"/public/", planPath, planPath}
	for _, m := range regexp.MustCompile(`href="(`+regexp.QuoteMeta(planPath)+`/[0-9]+)"`).FindAllSubmatch(body, -1) {
		if p := string(m[1]); !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	if len(paths) < 4 {
		return errors.New("the plan has no published project: publish some first (serve --demo does)")
	}
	fmt.Fprintf(out, "server %s: %d public paths (index, plan, %d projects)\n", base, len(paths), len(paths)-3)

	users := make([]*http.Client, c.users)
	pt := &http.Transport{MaxIdleConnsPerHost: c.users * 2}
	for i := range users {
		if users[i], err = loadclient.SignIn(base, pt, c.accounts[i%len(c.accounts)], c.password); err != nil {
			return fmt.Errorf("sign in user %d: %w", i, err)
		}
	}
	q := "?" + url.Values{"district": {c.district}, "year": {strconv.Itoa(c.year)}}.Encode()
	pages := []string{"/" + q, "/projects" + q, "/tasks" + q, "/plan" + q, "/regions" + q, "/todo" + q}
	mem := startMemory(c.pid)

	cpu0 := cpuTime(c.pid)
	alone := signedIn(ctx, base, users, pages, c.duration)
	fmt.Fprintf(out, "\nphase 1: %d signed-in users alone, %s\n", c.users, c.duration)
	alone.print(out, "signed-in")
	cpu1 := cpuTime(c.pid)
	if c.pid != 0 {
		fmt.Fprintf(out, "  server CPU %.1f s (%.0f µs an answer)\n", (cpu1 - cpu0).Seconds(), float64((cpu1-cpu0).Microseconds())/float64(max(1, len(alone.lat))))
	}

	crowdCtx, stop := context.WithCancel(ctx)
	crowd := make(chan stats, 1)
	go func() { crowd <- publicCrowd(crowdCtx, base, paths, c) }()
	time.Sleep(500 * time.Millisecond) // the crowd at full strength before measuring
	with := signedIn(ctx, base, users, pages, c.duration)
	stop()
	pub := <-crowd
	cpu2 := cpuTime(c.pid)
	fmt.Fprintf(out, "\nphase 2: the same users with %d public clients sending %.0f requests/s in all (0: unpaced), %s\n", c.crowd, c.rate, c.duration)
	with.print(out, "signed-in")
	pub.print(out, "public")
	if c.pid != 0 {
		fmt.Fprintf(out, "  server CPU %.1f s in %s (%.0f%% of one core)\n", (cpu2 - cpu1).Seconds(), pub.elapsed.Round(time.Millisecond), 100*(cpu2-cpu1).Seconds()/pub.elapsed.Seconds())
	}
	if mem != nil {
		peak, last := mem()
		fmt.Fprintf(out, "\nserver resident memory: peak %.1f MB (VmHWM), now %.1f MB\n", float64(peak)/1024, float64(last)/1024)
	}
	return nil
}

// stats are the answers of a phase: latencies in milliseconds, and counts by status.
type stats struct {
	lat     []float64
	status  map[int]int
	errors  int
	elapsed time.Duration
}

func (s *stats) add(o stats) {
	s.lat = append(s.lat, o.lat...)
	for k, v := range o.status {
		s.status[k] += v
	}
	s.errors += o.errors
}

func (s stats) print(out io.Writer, what string) {
	served := s.status[http.StatusOK] + s.status[http.StatusNotModified]
	fmt.Fprintf(out, "  %-9s %7d answers in %s: %.0f/s served (200 %d, 304 %d, 429 %d, 503 %d, other %d, errors %d); p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
		what, len(s.lat), s.elapsed.Round(time.Millisecond), float64(served)/s.elapsed.Seconds(), s.status[200], s.status[304], s.status[429], s.status[503],
		len(s.lat)-served-s.status[429]-s.status[503], s.errors, loadclient.Pct(s.lat, 50), loadclient.Pct(s.lat, 95), loadclient.Pct(s.lat, 99))
}

// signedIn runs each signed-in user through pages, one request after the other, for d.
func signedIn(ctx context.Context, base string, users []*http.Client, pages []string, d time.Duration) stats {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return together(ctx, len(users), func(ctx context.Context, i int, r *rand.Rand) (int, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+pages[r.IntN(len(pages))], nil)
		return do(users[i], req)
	})
}

// publicCrowd runs the crowd until ctx ends: each client from its own address, gzip accepted,
// one request in c.revalid with the ETag of that path it last got.
func publicCrowd(ctx context.Context, base string, paths []string, c config) stats {
	t := &http.Transport{MaxIdleConnsPerHost: c.crowd * 2, DisableCompression: true}
	hc := &http.Client{Transport: t, Timeout: 30 * time.Second}
	etags := make([]map[string]string, c.crowd)
	for i := range etags {
		etags[i] = map[string]string{}
	}
	// Each client sends at its share of the rate, from a random start; one that falls behind
	// sends at once and does not catch up in a burst.
	next := make([]time.Time, c.crowd)
	var every time.Duration
	if c.rate > 0 {
		every = time.Duration(float64(time.Second) * float64(c.crowd) / c.rate)
	}
	return together(ctx, c.crowd, func(ctx context.Context, i int, r *rand.Rand) (int, error) {
		if every > 0 {
			now := time.Now()
			if next[i].IsZero() {
				next[i] = now.Add(time.Duration(r.Int64N(int64(every))))
			}
			if wait := next[i].Sub(now); wait > 0 {
				select {
				case <-time.After(wait):
				case <-ctx.Done():
					return 0, ctx.Err()
				}
			}
			next[i] = maxTime(next[i].Add(every), time.Now())
		}
		path := paths[r.IntN(len(paths))]
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256+1))
		if tag := etags[i][path]; tag != "" && r.IntN(c.revalid) == 0 {
			req.Header.Set("If-None-Match", tag)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if tag := resp.Header.Get("ETag"); tag != "" {
			etags[i][path] = tag
		}
		return resp.StatusCode, nil
	})
}

// together runs n workers calling one until ctx ends, and gathers their answers.
func together(ctx context.Context, n int, one func(context.Context, int, *rand.Rand) (int, error)) stats {
	var mu sync.Mutex
	all := stats{status: map[int]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 7))
			local := stats{status: map[int]int{}}
			for ctx.Err() == nil {
				t0 := time.Now()
				status, err := one(ctx, i, r)
				if err != nil {
					if ctx.Err() == nil {
						local.errors++
					}
					continue
				}
				local.status[status]++
				local.lat = append(local.lat, float64(time.Since(t0).Microseconds())/1000)
			}
			mu.Lock()
			all.add(local)
			mu.Unlock()
		}()
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	return all
}

func do(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// cpuTime is the CPU time the process has used (user and system), from /proc; 0 when unknown.
func cpuTime(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name (which may hold spaces) start after its ')'.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b)[i+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // clock ticks of 1/100 s (USER_HZ)
}

// startMemory samples the server's resident memory; the returned function gives the peak
// (VmHWM) and the last value, in KiB.
func startMemory(pid int) func() (int64, int64) {
	if pid == 0 {
		return nil
	}
	read := func(key string) int64 {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return 0
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, key+":") {
				f := strings.Fields(line)
				v, _ := strconv.ParseInt(f[1], 10, 64)
				return v
			}
		}
		return 0
	}
	return func() (int64, int64) { return read("VmHWM"), read("VmRSS") }
}
