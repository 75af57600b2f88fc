//go:build pprof

package main

import (
	"os"
	"runtime/pprof"
	"strconv"
	"time"
)

// A binary built with -tags pprof writes a CPU profile of its first XIEZUO_CPUPROFILE_SECONDS
// seconds (default 20), begun XIEZUO_CPUPROFILE_DELAY seconds after start (default 0), to the file
// XIEZUO_CPUPROFILE names, with the process id appended: how the deadline-day benchmark
// finds what is slow in a live server (docs/benchmarks.md). Release builds have no such code.
func init() {
	file := os.Getenv("XIEZUO_CPUPROFILE")
	if file == "" {
		return
	}
	f, err := os.Create(file + "." + strconv.Itoa(os.Getpid()))
	if err != nil {
		return
	}
	secs, err := strconv.Atoi(os.Getenv("XIEZUO_CPUPROFILE_SECONDS"))
	if err != nil || secs <= 0 {
		secs = 20
	}
	delay, _ := strconv.Atoi(os.Getenv("XIEZUO_CPUPROFILE_DELAY"))
	go func() {
		time.Sleep(time.Duration(delay) * time.Second)
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return
		}
		time.Sleep(time.Duration(secs) * time.Second)
		pprof.StopCPUProfile()
		f.Close()
	}()
}
