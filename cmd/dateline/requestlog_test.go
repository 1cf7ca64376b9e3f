package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// loggedRequests returns the request lines of a JSON log.
func loggedRequests(tb testing.TB, logs *bytes.Buffer) []map[string]any {
	tb.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(logs)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			tb.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if m := line["msg"]; m == "request" || m == "request cancelled" {
			out = append(out, line)
		}
	}
	return out
}

func TestTheRequestLogSamplesOnlyFastSuccesses(t *testing.T) {
	tests := []struct {
		name   string
		sample int
		slow   time.Duration
		target string
		n      int
		want   int
	}{
		{"without sampling every request is logged", 1, time.Second, "/healthz", 30, 30},
		{"with log_sample 10 one in ten successes is logged", 10, time.Minute, "/healthz", 30, 3},
		{"with log_sample 10 every client error is logged", 10, time.Minute, "/api/v1/articles/no-such-story", 30, 30},
		{"with log_sample 10 every slow success is logged", 10, time.Nanosecond, "/healthz", 30, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			_, h := newLoggedTestApp(t, &logs, func(c *Config) { c.LogSample, c.LogSlow = tt.sample, tt.slow })
			for range tt.n {
				get(t, h, tt.target)
			}
			lines := loggedRequests(t, &logs)
			if len(lines) != tt.want {
				t.Fatalf("%d request lines for %d requests, want %d", len(lines), tt.n, tt.want)
			}
			for _, l := range lines {
				status, _ := l["status"].(float64)
				got, marked := l["sample"].(float64)
				if wantMark := status < 400 && tt.want < tt.n; marked != wantMark || (marked && int(got) != tt.sample) {
					t.Errorf("line %v: sample = %v, want it only on sampled lines, as %d", l, l["sample"], tt.sample)
				}
			}
		})
	}
}

func TestLogSampleIsConfigured(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		want string // "" accepted
	}{
		{"log_sample from the file", "log_sample: 100\nlog_slow: 250ms\n", nil, ""},
		{"log_sample from the environment", "", map[string]string{"DATELINE_LOG_SAMPLE": "50"}, ""},
		{"a log_sample of zero is refused", "log_sample: 0\n", nil, "log_sample"},
		{"a log_sample that is no number is refused", "", map[string]string{"DATELINE_LOG_SAMPLE": "many"}, "log_sample"},
		{"a log_slow that is no duration is refused", "log_slow: 5\n", nil, "log_slow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeTemp(t, t.TempDir())
			if err := writeFile(file, []byte(tt.yaml)); err != nil {
				t.Fatal(err)
			}
			_, err := loadConfig(commonFlags{config: file}, envOf(tt.env))
			if tt.want == "" && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if tt.want != "" && (err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want))) {
				t.Fatalf("err = %v, want one naming %s", err, tt.want)
			}
		})
	}
}
