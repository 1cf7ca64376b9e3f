package photo

import (
	"bytes"
	"context"
	"runtime/metrics"
	"testing"
	"time"
)

// heapPeak samples the Go heap while fn runs and returns the largest
// figure of live and unswept heap objects seen, in MB.
func heapPeak(fn func()) float64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	peak := make(chan float64)
	go func() {
		var top uint64
		for {
			metrics.Read(sample)
			top = max(top, sample[0].Value.Uint64())
			select {
			case <-done:
				peak <- float64(top) / 1e6
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	return <-peak
}

// BenchmarkRenditions24MP makes every default rendition of a 24-megapixel
// JPEG (6000×4000) from its bytes: probe, decode, then the widths and crops
// in JPEG and WebP. It reports the heap peak besides the time.
func BenchmarkRenditions24MP(b *testing.B) {
	src := sceneJPEG(b, 6000, 4000)
	spec := DefaultSpec()
	b.SetBytes(int64(len(src)))
	var files, webp640, total int
	var peak float64
	for b.Loop() {
		files, total = 0, 0
		peak = max(peak, heapPeak(func() {
			info, err := Probe(bytes.NewReader(src), Limits{})
			if err != nil {
				b.Fatal(err)
			}
			img, err := Decode(bytes.NewReader(src), info)
			if err != nil {
				b.Fatal(err)
			}
			err = spec.Build(context.Background(), img, Centre, func(v Variant, data []byte) error {
				files++
				total += len(data)
				if v.Crop == (Ratio{}) && v.Width == 640 && v.Format == WebP {
					webp640 = len(data)
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(files), "files")
	b.ReportMetric(peak, "heap-peak-MB")
	b.ReportMetric(float64(webp640), "webp640-bytes")
	b.ReportMetric(float64(len(src)), "original-bytes")
	b.Logf("%d renditions, %d bytes in all; the 640-wide WebP is %d bytes, the original %d", files, total, webp640, len(src))
}
