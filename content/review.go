package content

import (
	"strings"
	"time"
)

// MaxReasonLength bounds the reason given when a story is sent back from
// review, in characters.
const MaxReasonLength = 1000

// ReviewNote is the reason an editor gave when sending a story back from
// review (the reject step), which its author reads in the story list.
type ReviewNote struct {
	ArticleID string    `json:"article_id"`
	Action    Action    `json:"action"` // the step that gave it: ActReject
	Text      string    `json:"text"`
	By        string    `json:"by"`      // the user's id
	ByName    string    `json:"by_name"` // their name; "" when unknown
	At        time.Time `json:"at"`
}

// checkReason validates the reason of step act: only sending a story back
// (ActReject) takes one; it is plain text, trimmed, at most
// MaxReasonLength characters, with line breaks allowed. It returns the
// trimmed reason and adds problems naming "reason".
func checkReason(p *Problems, act Action, reason string) string {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return ""
	}
	if act != ActReject {
		p.Add("reason", "is given only when sending a story back from review")
		return ""
	}
	checkText(p, "reason", reason, true)
	if n := len([]rune(reason)); n > MaxReasonLength {
		p.Add("reason", "must be at most %d characters (it has %d)", MaxReasonLength, n)
	}
	return reason
}
