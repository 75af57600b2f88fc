package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// row is one line of the table: one drill (and kind) on one database.
type row struct {
	Drill      string  `json:"drill"`
	Database   string  `json:"database"`
	Trials     int     `json:"trials"`
	Acked      int     `json:"acknowledged_writes"`
	Lost       int     `json:"lost"`
	Duplicates int     `json:"duplicates"`
	Partial    int     `json:"partial_imports"`
	ServerErr  int     `json:"server_errors"` // answers 500 or not in Chinese, where a clear error was due
	Audit      string  `json:"audit_verify"`  // passed, failed or "" (not run)
	ServeP50   float64 `json:"serve_again_median_s"`
	ServeMax   float64 `json:"serve_again_max_s"`
	Skipped    string  `json:"skipped,omitempty"`
	Failed     string  `json:"failed,omitempty"`
	Notes      string  `json:"notes,omitempty"`

	serve []time.Duration
}

// ok reports whether the row proves what the drill is for: trials ran, the client heard
// writes acknowledged (a drill with nothing acknowledged proves nothing lost), every must-be-0
// is 0 and audit verify passed. A skipped row passes only when allowSkip: a drill asked for and
// not run is a failure unless the caller said it may be left out.
func (r row) ok(allowSkip bool) bool {
	if r.Skipped != "" {
		return allowSkip
	}
	return r.Failed == "" && r.Trials > 0 && r.Acked > 0 && r.Lost == 0 && r.Duplicates == 0 && r.Partial == 0 && r.ServerErr == 0 && r.Audit == "passed"
}

// finish computes the times to serve again.
func (r *row) finish() {
	if len(r.serve) == 0 {
		return
	}
	s := slices.Clone(r.serve)
	slices.Sort(s)
	r.ServeP50 = s[(len(s)-1)/2].Seconds()
	r.ServeMax = s[len(s)-1].Seconds()
}

func printTable(w io.Writer, rows []row) {
	fmt.Fprintf(w, "%-22s %-9s %6s %6s %5s %5s %8s %4s %-7s %9s %9s\n",
		"drill", "database", "trials", "acked", "lost", "dups", "partial", "5xx", "audit", "serve p50", "serve max")
	fmt.Fprintln(w, strings.Repeat("-", 104))
	for _, r := range rows {
		if r.Skipped != "" {
			fmt.Fprintf(w, "%-22s %-9s skipped: %s\n", r.Drill, r.Database, r.Skipped)
			continue
		}
		if r.Failed != "" {
			fmt.Fprintf(w, "%-22s %-9s FAILED: %s\n", r.Drill, r.Database, r.Failed)
			if r.Trials == 0 {
				continue
			}
		}
		fmt.Fprintf(w, "%-22s %-9s %6d %6d %5d %5d %8d %4d %-7s %8.2fs %8.2fs\n",
			r.Drill, r.Database, r.Trials, r.Acked, r.Lost, r.Duplicates, r.Partial, r.ServerErr, r.Audit, r.ServeP50, r.ServeMax)
		if r.Notes != "" {
			fmt.Fprintf(w, "    %s\n", r.Notes)
		}
	}
}

func newRand(seed int64) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 13)) }
