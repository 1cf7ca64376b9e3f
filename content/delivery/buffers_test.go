package delivery_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"dateline/content/delivery"
)

// Stories are read, and list pages assembled, in recycled buffers; the
// response cache keeps some of them. A buffer the cache holds must never
// be written again.
func TestCachedAnswersKeepTheirBytes(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	for i, tag := range []string{"Harbour", "Weather", "Port", "Fleet"} {
		env.seedMany(t, 30, tag, -time.Duration(i+1)*time.Hour)
	}
	pages := []string{"/api/v1/articles?tag=harbour&limit=20"}
	for _, tag := range []string{"harbour", "weather", "port", "fleet"} {
		for limit := 5; limit <= 25; limit += 5 {
			pages = append(pages, fmt.Sprintf("/api/v1/articles?tag=%s&limit=%d", tag, limit))
		}
	}
	pages = append(pages, "/api/v1/articles?limit=30", "/api/v1/articles?q=story&limit=10")
	for i := range 30 {
		pages = append(pages, fmt.Sprintf("/api/v1/articles/story-%04d", i))
	}

	first := map[string]string{}
	for round := range 3 {
		for _, p := range pages {
			rec := env.get(t, p)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d %s", p, rec.Code, rec.Body)
			}
			if round == 0 {
				if _, seen := first[p]; !seen {
					first[p] = rec.Body.String()
				}
				continue
			}
			if got := rec.Body.String(); got != first[p] {
				t.Fatalf("round %d: GET %s answers\n%.300s\nafter first answering\n%.300s", round, p, got, first[p])
			}
		}
	}
}
