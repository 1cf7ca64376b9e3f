package content

import "time"

// PreviewGrant is the server-side record of a preview link: the link's
// token names it, and the link works only while the grant is active. A
// grant shows one revision (ArticleID, Version) of one story to anyone who
// holds the link, until it expires or is revoked.
type PreviewGrant struct {
	ID        string
	ArticleID string
	Version   int
	CreatedBy string // user id; empty once that user is gone
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
	// RevokedBy is who or what revoked the grant: a user id, or
	// PreviewRevokedByWithdrawal or PreviewRevokedByDeletion.
	RevokedBy string
	// Code is the short random code of the link's address (/preview/<code>),
	// set only in the answer of the store's CreatePreviewGrant: stores keep
	// a hash of it, never the code.
	Code string
}

// Who revokes a story's preview grants when it is withdrawn or deleted.
const (
	PreviewRevokedByWithdrawal = "withdrawal"
	PreviewRevokedByDeletion   = "deletion"
)

// Preview grant states, as PreviewGrant.State reports them.
const (
	PreviewActive  = "active"
	PreviewExpired = "expired"
	PreviewRevoked = "revoked"
)

// State returns whether g is active, expired or revoked at now; only an
// active grant lets its link show the story.
func (g PreviewGrant) State(now time.Time) string {
	switch {
	case g.RevokedAt != nil:
		return PreviewRevoked
	case !now.Before(g.ExpiresAt):
		return PreviewExpired
	}
	return PreviewActive
}
