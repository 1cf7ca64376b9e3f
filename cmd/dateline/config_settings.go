package main

import (
	"fmt"
	"strconv"
	"strings"

	"dateline/admin"
	"dateline/content"
)

// TrashConfig says how long deleted stories stay in the Trash. It is
// embedded in Config, so its key sits at the top level of config.yaml.
type TrashConfig struct {
	// TrashDays is how many days a deleted story stays in the Trash
	// before the background purge removes it for good; 0 keeps deleted
	// stories until an editor purges them.
	TrashDays int `yaml:"trash_days"`
}

func defaultTrashConfig() TrashConfig { return TrashConfig{TrashDays: content.DefaultTrashDays} }

// trashEnvKeys maps TrashConfig's environment variables to its fields.
var trashEnvKeys = []struct {
	name string
	set  func(*Config, string)
}{
	{"DATELINE_TRASH_DAYS", func(c *Config, v string) { c.TrashDays = envInt(v) }},
}

func (c Config) validateTrash() error {
	if err := content.CheckTrashDays(c.TrashDays); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// configSources records where each config key's value came from, by key:
// "config file PATH", "environment NAME" or "flag --NAME"; a key not in
// it has its default. loadConfig fills it in precedence order, so the
// last source noted is the one in effect.
type configSources map[string]string

// note records that key's value came from source.
func (c *Config) note(key, source string) {
	if c.sources == nil {
		c.sources = configSources{}
	}
	c.sources[key] = source
}

// noteEnv records the config key of environment variable name (DATELINE_
// and the key in capitals; a _FILE variable names the key it fills).
func (c *Config) noteEnv(name string) {
	key := strings.ToLower(strings.TrimPrefix(name, "DATELINE_"))
	key = strings.TrimSuffix(key, "_file")
	if key == "database_url" {
		key = "database"
	}
	c.note(key, "environment "+name)
}

// source says where key's value came from, in words.
func (c Config) source(key string) string {
	if s, ok := c.sources[key]; ok {
		return s
	}
	if key == "base_url" && c.baseURLFromAddr {
		return "default: follows the listen address (addr)"
	}
	return "default"
}

// settings returns the lines of the admin app's Settings page: the
// newsroom's settings as this process runs with them, and their sources.
// No secret is among them.
func (c Config) settings() []admin.Setting {
	line := func(key, label, value, hint string) admin.Setting {
		return admin.Setting{Key: key, Label: label, Value: value, Source: c.source(key),
			Env: "DATELINE_" + strings.ToUpper(key), Hint: hint}
	}
	trash := strconv.Itoa(c.TrashDays) + " days"
	if c.TrashDays == 0 {
		trash = "0 (never purged automatically)"
	}
	preview := admin.Setting{Key: "preview", Label: "Preview URL", Value: strings.TrimSuffix(c.BaseURL, "/") + "/preview/{code}",
		Source: c.source("base_url"), Hint: "Where a preview link opens: this server's preview page.", Change: "follows base_url"}
	if c.PreviewURL != "" {
		preview = line("preview_url", "Preview URL", c.PreviewURL, "Where a preview link opens: the newsroom's own preview page, given the preview token.")
		preview.Key = "preview"
	}
	return []admin.Setting{
		line("site_name", "Site name", c.SiteName, "The publication's name, in feeds and this app."),
		line("base_url", "Base URL", c.BaseURL, "This server's public address, for links in feeds, media and preview links."),
		line("article_url", "Story page URL", c.ArticleURL, "A story's page on the newsroom's site, with {slug}; unset, links go to the delivery API."),
		line("time_zone", "Time zone", c.TimeZone, "The newsroom's zone: every time in this app, and the default dateline zone."),
		line("language", "Language", c.Language, "The content's language (BCP 47), for feeds and news sitemaps."),
		line("trash_days", "Trash", trash, "How long deleted stories wait in the Trash before they are purged."),
		preview,
		line("preview_ttl", "Preview links last", c.PreviewTTL.String(), "How long a preview link works."),
		line("webhooks_allow_private", "Webhooks to private addresses", strconv.FormatBool(c.WebhooksAllowPrivate), "Local development only: lets webhooks target private and loopback addresses."),
	}
}
