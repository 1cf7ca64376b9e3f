package content

import (
	"fmt"
	"time"
)

// StaleVersion is a save refused because it names an older version than
// the story's current one. It says who saved the newer version, so that
// whoever was refused knows whom to ask (or that it was their own other tab
// or window), and it unwraps to an *Error of code ECONFLICT.
type StaleVersion struct {
	Edited  int // the version the refused save was based on
	Current int // the story's version now
	// SavedBy is the user id of whoever saved the current version and
	// SavedByName their name; both are empty when that is not known.
	SavedBy, SavedByName string
	SavedAt              time.Time // when the current version was saved; zero when not known
	// Editor is the user id of the refused save.
	Editor string
}

// ByYou reports whether the newer version was saved by the same user as
// the refused save: in another tab, window or device.
func (e *StaleVersion) ByYou() bool { return e.SavedBy != "" && e.SavedBy == e.Editor }

func (e *StaleVersion) Error() string { return e.Unwrap().Error() }

// Unwrap returns the conflict, in words:
// "Ann Lee saved version 3 at 2026-12-03 09:53:10 UTC while you were editing version 2".
func (e *StaleVersion) Unwrap() error {
	who := "someone else"
	switch {
	case e.ByYou():
		who = "you, in another tab or window,"
	case e.SavedByName != "":
		who = e.SavedByName
	}
	when := ""
	if !e.SavedAt.IsZero() {
		when = " at " + e.SavedAt.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("%s saved version %d%s while you were editing version %d",
		who, e.Current, when, e.Edited)}
}
