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
	size     int
	got, ref result
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

func printTable(w io.Writer, rows []row, hwm, rss int64) {
	fmt.Fprintf(w, "| scenario | body bytes | dateline req/s | p50 ms | p99 ms | baseline req/s | p50 ms | p99 ms | ratio | target | |\n")
	fmt.Fprintf(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
	for _, r := range rows {
		ratio := r.got.rps / r.ref.rps
		ok := ratio >= r.s.target
		target := fmt.Sprintf("≥ %.0f%%", r.s.target*100)
		if r.s.p99 {
			target += ", p99 < 10 ms"
			ok = ok && r.got.p99 < 10*time.Millisecond
		}
		if r.got.errors > 0 || r.ref.errors > 0 {
			ok = false
			target += fmt.Sprintf(" (%d errors; statuses %v)", r.got.errors+r.ref.errors, r.got.status)
		}
		fmt.Fprintf(w, "| %s | %d | %.0f | %s | %s | %.0f | %s | %s | %.0f%% | %s | %s |\n",
			r.s.name, r.size, r.got.rps, ms(r.got.p50), ms(r.got.p99), r.ref.rps, ms(r.ref.p50), ms(r.ref.p99), ratio*100, target, mark(ok))
	}
	fmt.Fprintf(w, "\nserver resident memory: peak (VmHWM) %.1f MB, now (VmRSS) %.1f MB; target < 100 MB %s\n",
		float64(hwm)/(1<<20), float64(rss)/(1<<20), mark(hwm > 0 && hwm < 100<<20))
}

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}
