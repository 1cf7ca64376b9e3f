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

// BenchmarkRenditions24MP is the way of a 24-megapixel JPEG (6000×4000)
// from upload to all renditions: the upload is probed, decoded and encoded
// again (what the upload answer waits for), and the stored original is
// then decoded and every default rendition made from it, the widths and
// crops in JPEG and WebP (the background job). It reports both times, the
// heap peak, and the bytes of the 640-wide WebP and of the original.
func BenchmarkRenditions24MP(b *testing.B) {
	upload := sceneJPEG(b, 6000, 4000)
	spec := DefaultSpec()
	b.SetBytes(int64(len(upload)))
	var files, webp640, total int
	var peak float64
	var cleanTime, buildTime time.Duration
	var src []byte
	for b.Loop() {
		files, total = 0, 0
		peak = max(peak, heapPeak(func() {
			start := time.Now()
			info, err := Probe(bytes.NewReader(upload), Limits{})
			if err != nil {
				b.Fatal(err)
			}
			var stored bytes.Buffer
			if _, _, err := Clean(&stored, bytes.NewReader(upload), info); err != nil {
				b.Fatal(err)
			}
			src = stored.Bytes()
			cleanTime += time.Since(start)
			start = time.Now()
			if info, err = Probe(bytes.NewReader(src), Limits{}); err != nil {
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
			buildTime += time.Since(start)
		}))
	}
	b.ReportMetric(cleanTime.Seconds()/float64(b.N), "upload-s/op")
	b.ReportMetric(buildTime.Seconds()/float64(b.N), "renditions-s/op")
	b.ReportMetric(float64(files), "files")
	b.ReportMetric(peak, "heap-peak-MB")
	b.ReportMetric(float64(webp640), "webp640-bytes")
	b.ReportMetric(float64(len(src)), "original-bytes")
	b.ReportMetric(float64(len(upload)), "upload-bytes")
	b.Logf("%d renditions, %d bytes in all; the 640-wide WebP is %d bytes, the original %d", files, total, webp640, len(src))
}
