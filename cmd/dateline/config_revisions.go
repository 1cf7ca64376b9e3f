package main

import (
	"fmt"
	"time"

	"dateline/content/sqlite"
)

// Bounds of the revision settings.
const (
	maxAutosaveWindow = 24 * time.Hour
	maxRevisionsKeep  = 1_000_000
	maxKeepDays       = 100 * 366
)

// validateRevisions checks the revision settings, naming the key at fault.
func (c Config) validateRevisions() error {
	if c.RevisionsAutosaveWindow < 0 || c.RevisionsAutosaveWindow > maxAutosaveWindow {
		return fmt.Errorf("config: revisions_autosave_window must be a duration between 0s and %s, such as 10m", maxAutosaveWindow)
	}
	for _, k := range []struct {
		name   string
		v, max int
	}{
		{"revisions_keep", c.RevisionsKeep, maxRevisionsKeep},
		{"revisions_keep_days", c.RevisionsKeepDays, maxKeepDays},
	} {
		if k.v < 0 || k.v > k.max {
			return fmt.Errorf("config: %s must be a whole number between 0 and %d", k.name, k.max)
		}
	}
	return nil
}

// revisionPolicy returns the store's revision policy.
func (c Config) revisionPolicy() sqlite.RevisionPolicy {
	return sqlite.RevisionPolicy{
		AutosaveWindow: c.RevisionsAutosaveWindow,
		Keep:           c.RevisionsKeep,
		KeepFor:        time.Duration(c.RevisionsKeepDays) * 24 * time.Hour,
	}
}
