package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"dateline/content/photo"
)

// PhotosConfig is the part of Config that says how uploaded images are
// processed: the renditions every photo gets, and the memory decoding may
// take. It is embedded in Config, so its keys sit at the top level of
// config.yaml.
type PhotosConfig struct {
	// RenditionWidths are the widths of every rendition (never wider than
	// the photo); RenditionCrops the aspect ratios of the crops around the
	// focal point ("16:9"), each made at those widths too.
	RenditionWidths      []int    `yaml:"rendition_widths"`
	RenditionCrops       []string `yaml:"rendition_crops"`
	RenditionJPEGQuality int      `yaml:"rendition_jpeg_quality"`
	RenditionWebPQuality int      `yaml:"rendition_webp_quality"`
	// RenditionWorkers is how many photos have their renditions made at
	// once, in the background.
	RenditionWorkers int `yaml:"rendition_workers"`
	// ImageMemoryMB is the memory, in MiB, that decoding and encoding
	// images (uploads and renditions) may take at once; ImageWait is how
	// long an upload waits for room before it is answered 503.
	ImageMemoryMB int           `yaml:"image_memory_mb"`
	ImageWait     time.Duration `yaml:"image_wait"`
}

func defaultPhotosConfig() PhotosConfig {
	spec := photo.DefaultSpec()
	crops := make([]string, len(spec.Crops))
	for i, r := range spec.Crops {
		crops[i] = r.String()
	}
	return PhotosConfig{
		RenditionWidths: spec.Widths, RenditionCrops: crops,
		RenditionJPEGQuality: spec.JPEGQuality, RenditionWebPQuality: spec.WebPQuality,
		RenditionWorkers: 1, ImageMemoryMB: 96, ImageWait: time.Minute,
	}
}

// photosDurationKeys are PhotosConfig's keys holding Go durations.
var photosDurationKeys = []string{"image_wait"}

// photosEnvKeys maps environment variables to PhotosConfig's fields.
var photosEnvKeys = []struct {
	name string
	set  func(*Config, string)
}{
	{"DATELINE_RENDITION_WIDTHS", func(c *Config, v string) { c.RenditionWidths = envInts(v) }},
	{"DATELINE_RENDITION_CROPS", func(c *Config, v string) { c.RenditionCrops = splitList(v) }},
	{"DATELINE_RENDITION_WORKERS", func(c *Config, v string) { c.RenditionWorkers = envInt(v) }},
	{"DATELINE_IMAGE_MEMORY_MB", func(c *Config, v string) { c.ImageMemoryMB = envInt(v) }},
	{"DATELINE_IMAGE_WAIT", func(c *Config, v string) { c.ImageWait = envDuration(v) }},
}

// envInts parses a comma-separated list of whole numbers; anything else
// becomes [-1], which validation refuses naming the key.
func envInts(v string) []int {
	var out []int
	for _, s := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return []int{-1}
		}
		out = append(out, n)
	}
	return out
}

// renditionSpec is the rendition spec the config describes.
func (c PhotosConfig) renditionSpec() (photo.Spec, error) {
	s := photo.Spec{Widths: c.RenditionWidths, JPEGQuality: c.RenditionJPEGQuality, WebPQuality: c.RenditionWebPQuality}
	for _, v := range c.RenditionCrops {
		r, err := photo.ParseRatio(v)
		if err != nil {
			return photo.Spec{}, fmt.Errorf("config: rendition_crops: %w", err)
		}
		s.Crops = append(s.Crops, r)
	}
	if err := s.Validate(); err != nil {
		return photo.Spec{}, fmt.Errorf("config: %w", err)
	}
	return s, nil
}

func (c PhotosConfig) validatePhotos() error {
	if _, err := c.renditionSpec(); err != nil {
		return err
	}
	if c.RenditionWorkers < 1 || c.RenditionWorkers > 16 {
		return fmt.Errorf("config: rendition_workers must be a whole number between 1 and 16")
	}
	if c.ImageMemoryMB < 32 || c.ImageMemoryMB > 64<<10 {
		return fmt.Errorf("config: image_memory_mb must be a whole number between 32 and 65536")
	}
	if c.ImageWait <= 0 || c.ImageWait > 10*time.Minute {
		return fmt.Errorf("config: image_wait must be a duration between 1s and 10m")
	}
	return nil
}

// imageBudget is the memory budget of image decoding, in bytes.
func (c PhotosConfig) imageBudget() int64 { return int64(c.ImageMemoryMB) << 20 }

// spoolMaxAge is how old a file in the spool directory must be for a
// starting server to remove it: left by a server that died while reading
// an upload (an upload in progress is younger).
const spoolMaxAge = time.Hour

// cleanSpool removes the uploads that servers which died left in the
// spool directory, and says how many.
func (a *app) cleanSpool() {
	entries, err := os.ReadDir(a.spoolDir())
	if err != nil {
		return // none yet
	}
	removed := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !strings.HasPrefix(e.Name(), "upload-") || time.Since(info.ModTime()) < spoolMaxAge {
			continue
		}
		if os.Remove(filepath.Join(a.spoolDir(), e.Name())) == nil {
			removed++
		}
	}
	if removed > 0 {
		a.log.Info("removed uploads left in the spool directory", "files", removed)
	}
}
