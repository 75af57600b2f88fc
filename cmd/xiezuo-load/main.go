// Command xiezuo-load measures a running xiezuo server on this machine: page latencies with
// many signed-in users at once, the throughput of a 100-row list (page and API), and the
// server's resident memory. It is bounded in time and in requests and stops by itself. It only
// talks to loopback addresses.
//
//	xiezuo generate --districts 16 --years 5 --projects 100 --db /tmp/load.db
//	xiezuo serve --demo --db /tmp/load.db --addr 127.0.0.1:8090 &
//	xiezuo-load --addr 127.0.0.1:8090 --pid $! --users 50 --duration 30s
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
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

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "xiezuo-load:", err)
		os.Exit(1)
	}
}

type config struct {
	addr     string
	pid      int
	users    int
	duration time.Duration
	max      int
	accounts []string
	password string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("xiezuo-load", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "server address (loopback only)")
	fs.IntVar(&c.pid, "pid", 0, "server process id, to read its resident memory")
	fs.IntVar(&c.users, "users", 50, "signed-in users at once")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "how long each phase runs")
	fs.IntVar(&c.max, "max", 200_000, "most requests per phase")
	accounts := fs.String("accounts", "office,caizheng,kexin,renshe,wuchuan,leader", "demo accounts to sign in as, in turn")
	fs.StringVar(&c.password, "password", "Xiezuo@2021", "their password")
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
	transport := &http.Transport{MaxIdleConnsPerHost: c.users * 2, MaxConnsPerHost: c.users * 2}

	plans, err := listPlans(base, transport, c)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "server %s: %d plans stored\n", base, len(plans))
	clients := make([]*client, c.users)
	for i := range clients {
		cl, err := signIn(base, transport, c.accounts[i%len(c.accounts)], c.password)
		if err != nil {
			return fmt.Errorf("sign in user %d: %w", i, err)
		}
		clients[i] = cl
	}
	fmt.Fprintf(out, "%d users signed in\n", len(clients))
	mem := startMemory(c.pid)

	// Phase 1: every page, many users at once.
	pages := func(r *rand.Rand) (string, string) {
		p := plans[r.IntN(len(plans))]
		q := "?" + url.Values{"district": {p.District}, "year": {strconv.Itoa(p.Year)}}.Encode()
		all := []struct{ name, path string }{
			{"home", "/" + q}, {"plan", "/plan" + q}, {"coverage", "/plan/coverage" + q}, {"tasks", "/tasks" + q},
			{"projects", "/projects" + q}, {"teams", "/teams" + q}, {"units", "/units" + q}, {"regions", "/regions" + q},
			{"unit", "/units/" + url.PathEscape("领导小组办公室") + q}, {"search", "/search" + q + "&q=" + url.QueryEscape("帮扶")},
			{"api-summary", "/api/v1/plans/" + url.PathEscape(p.District) + "/" + strconv.Itoa(p.Year)},
		}
		pg := all[r.IntN(len(all))]
		return pg.name, pg.path
	}
	res := phase(ctx, clients, c, pages)
	fmt.Fprintf(out, "\nphase 1: all pages, %d users, %s: %d requests, %d errors, %.0f requests/s\n", c.users, res.elapsed.Round(time.Millisecond), res.n, res.errors, float64(res.n)/res.elapsed.Seconds())
	fmt.Fprintf(out, "%-12s %8s %8s %8s %8s\n", "page", "count", "p50 ms", "p95 ms", "p99 ms")
	names := make([]string, 0, len(res.lat))
	for n := range res.lat {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		l := res.lat[n]
		fmt.Fprintf(out, "%-12s %8d %8.1f %8.1f %8.1f\n", n, len(l), loadclient.Pct(l, 50), loadclient.Pct(l, 95), loadclient.Pct(l, 99))
	}

	// Phase 2: a list of 100 projects, as a page and from the API.
	for _, kind := range []string{"page", "api"} {
		list := func(r *rand.Rand) (string, string) {
			p := plans[r.IntN(len(plans))]
			if kind == "api" {
				return "api", "/api/v1/plans/" + url.PathEscape(p.District) + "/" + strconv.Itoa(p.Year) + "/projects?limit=100"
			}
			return "page", "/projects?" + url.Values{"district": {p.District}, "year": {strconv.Itoa(p.Year)}}.Encode()
		}
		res := phase(ctx, clients, c, list)
		l := res.lat[kind]
		fmt.Fprintf(out, "\nphase 2: list of 100 projects (%s), %d users: %d requests in %s, %d errors: %.0f requests/s, p50 %.1f ms, p95 %.1f ms\n",
			kind, c.users, res.n, res.elapsed.Round(time.Millisecond), res.errors, float64(res.n)/res.elapsed.Seconds(), loadclient.Pct(l, 50), loadclient.Pct(l, 95))
	}
	if mem != nil {
		peak, last := mem()
		fmt.Fprintf(out, "\nserver resident memory: peak %.1f MB (VmHWM), now %.1f MB\n", float64(peak)/1024, float64(last)/1024)
	}
	return nil
}

type planInfo struct {
	District string `json:"district"`
	Year     int    `json:"year"`
}

func listPlans(base string, t *http.Transport, c config) ([]planInfo, error) {
	cl, err := signIn(base, t, c.accounts[0], c.password)
	if err != nil {
		return nil, err
	}
	resp, err := cl.http.Get(base + "/api/v1/plans")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var v struct {
		Plans []planInfo `json:"plans"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return nil, fmt.Errorf("read /api/v1/plans: %w", err)
	}
	if len(v.Plans) == 0 {
		return nil, errors.New("the server has no plans: generate some first")
	}
	return v.Plans, nil
}

type client struct {
	http *http.Client
}

func signIn(base string, t *http.Transport, user, pw string) (*client, error) {
	hc, err := loadclient.SignIn(base, t, user, pw)
	if err != nil {
		return nil, err
	}
	return &client{http: hc}, nil
}

type result struct {
	n, errors int64
	elapsed   time.Duration
	lat       map[string][]float64
}

// phase runs the users at once, each requesting pick's paths one after the other, until the
// duration or the request count runs out.
func phase(ctx context.Context, clients []*client, c config, pick func(*rand.Rand) (string, string)) result {
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	var n, errs atomic.Int64
	var mu sync.Mutex
	lat := map[string][]float64{}
	var wg sync.WaitGroup
	start := time.Now()
	base := "http://" + c.addr
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 42))
			local := map[string][]float64{}
			for ctx.Err() == nil && n.Add(1) <= int64(c.max) {
				name, path := pick(r)
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
				resp, err := cl.http.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					n.Add(-1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs.Add(1)
				}
				local[name] = append(local[name], float64(time.Since(t0).Microseconds())/1000)
			}
			mu.Lock()
			for k, v := range local {
				lat[k] = append(lat[k], v...)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	total := int64(0)
	for _, v := range lat {
		total += int64(len(v))
	}
	return result{n: total, errors: errs.Load(), elapsed: time.Since(start), lat: lat}
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
