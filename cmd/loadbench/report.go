package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type row struct {
	s        scenario
	variant  string
	size     int
	got, ref result
}

// memoryRow is a server process's resident memory at the end of the run.
type memoryRow struct {
	name     string // "server", "server VARIANT", and " (instance N)" of several
	hwm, rss int64
}

func numCPU() int { return runtime.NumCPU() }

// memory returns the peak and current resident memory of process pid in
// bytes, from /proc (0 where it cannot be read).
func memory(pid int) (hwm, rss int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) < 1 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmHWM":
			hwm = n << 10
		case "VmRSS":
			rss = n << 10
		}
	}
	return hwm, rss
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// cpuPerRequest formats the CPU time per request of r in microseconds.
func cpuPerRequest(r result) string {
	if r.cpu < 0 || r.requests == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f", float64(r.cpu.Microseconds())/float64(r.requests))
}

// handlerP99 formats the p99 of the durations the server logged itself
// (its handlers' time, without the network or waiting to be read).
func handlerP99(r result) string {
	if len(r.handler) == 0 {
		return "?"
	}
	return ms(r.handler[len(r.handler)*99/100])
}

// printTable prints one row per scenario and server variant (the variant
// column only when there are several), then each server process's memory.
func printTable(w io.Writer, rows []row, mems []memoryRow, variants bool) {
	vh, vs := "", ""
	if variants {
		vh, vs = " server |", "---|"
	}
	fmt.Fprintf(w, "| scenario |%s body bytes | req/s | ratio | p50 ms | p99 ms | handler p99 ms | CPU µs/req | baseline req/s | p50 ms | p99 ms | CPU µs/req | target | |\n", vh)
	fmt.Fprintf(w, "|---|%s---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n", vs)
	for _, r := range rows {
		ratio := r.got.rps / r.ref.rps
		ok := ratio >= r.s.target
		target := fmt.Sprintf("≥ %.0f%%", r.s.target*100)
		if r.s.p99 > 0 {
			target += fmt.Sprintf(", p99 ≤ %s ms", ms(r.s.p99))
			ok = ok && r.got.p99 <= r.s.p99
		}
		if r.got.errors > 0 || r.ref.errors > 0 {
			ok = false
			target += fmt.Sprintf(" (%d errors; statuses %v)", r.got.errors+r.ref.errors, r.got.status)
		}
		v := ""
		if variants {
			v = " " + r.variant + " |"
		}
		fmt.Fprintf(w, "| %s |%s %d | %.0f | %.1f%% | %s | %s | %s | %s | %.0f | %s | %s | %s | %s | %s |\n",
			r.s.name, v, r.size, r.got.rps, ratio*100, ms(r.got.p50), ms(r.got.p99), handlerP99(r.got), cpuPerRequest(r.got),
			r.ref.rps, ms(r.ref.p50), ms(r.ref.p99), cpuPerRequest(r.ref), target, mark(ok))
	}
	fmt.Fprintln(w)
	printMemory(w, mems)
}

// printMemory prints each server process's memory.
func printMemory(w io.Writer, mems []memoryRow) {
	for _, m := range mems {
		fmt.Fprintf(w, "%s resident memory: peak (VmHWM) %.1f MB, now (VmRSS) %.1f MB; target ≤ 100 MB %s\n",
			m.name, float64(m.hwm)/(1<<20), float64(m.rss)/(1<<20), mark(m.hwm > 0 && m.hwm <= 100<<20))
	}
}

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}
