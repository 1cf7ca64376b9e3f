package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"dateline/content"
)

// Preview grants change nothing readers of the public API see: their
// writes append no outbox event, so they do not move the content
// generation.

const previewGrantColumns = `id, article_id, version, created_by, created_at, expires_at, revoked_at, revoked_by`

// previewGrantFilter selects grants; nil fields match every grant.
type previewGrantFilter struct {
	ID        *string
	ArticleID *string
}

// previewGrants returns the grants matching f, newest first, without their
// documents.
func previewGrants(ctx context.Context, q querier, f previewGrantFilter) ([]content.PreviewGrant, error) {
	var p params
	var cond []string
	if f.ID != nil {
		cond = append(cond, "id = "+p.add(*f.ID))
	}
	if f.ArticleID != nil {
		cond = append(cond, "article_id = "+p.add(*f.ArticleID))
	}
	query := "SELECT " + previewGrantColumns + " FROM preview_grants"
	if len(cond) > 0 {
		query += " WHERE " + strings.Join(cond, " AND ")
	}
	rows, err := q.Query(ctx, query+" ORDER BY created_at DESC, id DESC", p...)
	if err != nil {
		return nil, fmt.Errorf("query preview grants: %w", mapErr(err))
	}
	defer rows.Close()
	out := []content.PreviewGrant{}
	for rows.Next() {
		var g content.PreviewGrant
		var createdBy, revokedBy *string
		if err := rows.Scan(&g.ID, &g.ArticleID, &g.Version, &createdBy, &g.CreatedAt, &g.ExpiresAt, &g.RevokedAt, &revokedBy); err != nil {
			return nil, fmt.Errorf("scan preview grant: %w", err)
		}
		if createdBy != nil {
			g.CreatedBy = *createdBy
		}
		if revokedBy != nil {
			g.RevokedBy = *revokedBy
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query preview grants: %w", mapErr(err))
	}
	return out, nil
}

func previewGrant(ctx context.Context, q querier, id string) (content.PreviewGrant, error) {
	gs, err := previewGrants(ctx, q, previewGrantFilter{ID: &id})
	if err != nil {
		return content.PreviewGrant{}, err
	}
	if len(gs) == 0 {
		return content.PreviewGrant{}, content.Errorf(content.ENOTFOUND, "no such preview link")
	}
	return gs[0], nil
}

// CreatePreviewGrant stores a grant for revision g.Version of story
// g.ArticleID, made by g.CreatedBy and valid until g.ExpiresAt, with
// document, the revision as the delivery API shows it (kept byte for
// byte), and returns it with its id, creation time and Code: the short
// random code of the link's address, returned only here (the store keeps
// its hash; PreviewByCode finds the grant by it). Grants that have
// expired, of every story, are deleted on the way. An expiry not in the
// future or a version below 1 fails with EINVALID naming the field, an
// empty document with EINVALID on "document"; a missing or deleted story
// with ENOTFOUND.
func (db *DB) CreatePreviewGrant(ctx context.Context, g content.PreviewGrant, document []byte) (content.PreviewGrant, error) {
	now := db.now()
	var p content.Problems
	if !g.ExpiresAt.After(now) {
		p.Add("expires_at", "must be in the future")
	}
	if g.Version < 1 {
		p.Add("version", "must be a revision of the story")
	}
	if len(document) == 0 {
		p.Add("document", "is required: the rendered revision")
	}
	if err := p.Err(); err != nil {
		return content.PreviewGrant{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return content.PreviewGrant{}, fmt.Errorf("preview grant id: %w", err)
	}
	code, err := newPreviewCode()
	if err != nil {
		return content.PreviewGrant{}, err
	}
	g.ID, g.CreatedAt, g.ExpiresAt = id.String(), now, g.ExpiresAt.UTC().Truncate(time.Microsecond)
	g.RevokedAt, g.RevokedBy, g.Code = nil, "", code
	err = db.withTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM preview_grants WHERE expires_at <= $1", now); err != nil {
			return fmt.Errorf("delete expired preview grants: %w", mapErr(err))
		}
		tag, err := tx.Exec(ctx, `INSERT INTO preview_grants (`+previewGrantColumns+`, document, code_hash)
			SELECT $1, id, $2, NULLIF($3, ''), $4, $5, NULL, NULL, $6, $7 FROM articles WHERE id = $8 AND deleted_at IS NULL`,
			g.ID, g.Version, g.CreatedBy, now, g.ExpiresAt, document, previewCodeHash(code), g.ArticleID)
		if err != nil {
			return fmt.Errorf("insert preview grant: %w", mapErr(err))
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("article %s: %w", g.ArticleID, content.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return content.PreviewGrant{}, err
	}
	return g, nil
}

// PreviewGrants returns the grants of story articleID that have not been
// deleted (expired ones go when the next link is made), newest first,
// revoked and expired ones included.
func (db *DB) PreviewGrants(ctx context.Context, articleID string) ([]content.PreviewGrant, error) {
	return previewGrants(ctx, db.pool, previewGrantFilter{ArticleID: &articleID})
}

// StandingPreview returns grant id with its stored document while the
// grant stands: not revoked and not expired at the store's clock
// (content.PreviewGrant.State). A missing, revoked or expired grant fails
// with EUNAUTHORIZED whose message is auth.InvalidTokenMessage, whatever
// the reason.
func (db *DB) StandingPreview(ctx context.Context, id string) (content.PreviewGrant, []byte, error) {
	g, err := previewGrant(ctx, db.pool, id)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return content.PreviewGrant{}, nil, invalidToken()
	}
	if err != nil {
		return content.PreviewGrant{}, nil, err
	}
	if g.State(db.now()) != content.PreviewActive {
		return content.PreviewGrant{}, nil, invalidToken()
	}
	var doc []byte
	err = db.pool.QueryRow(ctx, "SELECT document FROM preview_grants WHERE id = $1 AND revoked_at IS NULL", id).Scan(&doc)
	if noRows(err) { // revoked in between
		return content.PreviewGrant{}, nil, invalidToken()
	}
	if err != nil {
		return content.PreviewGrant{}, nil, fmt.Errorf("read preview document %s: %w", id, mapErr(err))
	}
	return g, doc, nil
}

// PreviewByCode is StandingPreview for the grant whose link has the short
// code code (CreatePreviewGrant's Code): an unknown, revoked or expired
// code fails with EUNAUTHORIZED, whatever the reason.
func (db *DB) PreviewByCode(ctx context.Context, code string) (content.PreviewGrant, []byte, error) {
	if len(code) != previewCodeLen {
		return content.PreviewGrant{}, nil, invalidToken()
	}
	var id string
	err := db.pool.QueryRow(ctx, "SELECT id FROM preview_grants WHERE code_hash = $1", previewCodeHash(code)).Scan(&id)
	if noRows(err) {
		return content.PreviewGrant{}, nil, invalidToken()
	}
	if err != nil {
		return content.PreviewGrant{}, nil, fmt.Errorf("find preview code: %w", mapErr(err))
	}
	return db.StandingPreview(ctx, id)
}

// previewCodeLen is the length of a preview code: 16 random bytes (128
// bits) in unpadded base64url.
const previewCodeLen = 22

// newPreviewCode returns a new random preview code.
func newPreviewCode() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("preview code: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// previewCodeHash is what the store keeps of a preview code.
func previewCodeHash(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// RevokePreviewGrant revokes grant id of story articleID on behalf of by (a
// user id) and returns it; revoking a revoked grant changes nothing. A
// grant that does not exist or belongs to another story fails with
// ENOTFOUND.
func (db *DB) RevokePreviewGrant(ctx context.Context, articleID, id, by string) (content.PreviewGrant, error) {
	_, err := db.pool.Exec(ctx, `UPDATE preview_grants SET revoked_at = $1, revoked_by = $2
		WHERE id = $3 AND article_id = $4 AND revoked_at IS NULL`, db.now(), by, id, articleID)
	if err != nil {
		return content.PreviewGrant{}, fmt.Errorf("revoke preview grant %s: %w", id, mapErr(err))
	}
	g, err := previewGrant(ctx, db.pool, id)
	if err == nil && g.ArticleID != articleID {
		err = content.Errorf(content.ENOTFOUND, "no such preview link")
	}
	return g, err
}

// RevokePreviewGrants revokes every grant of story articleID that is not
// revoked yet, on behalf of by, and returns how many it revoked.
func (db *DB) RevokePreviewGrants(ctx context.Context, articleID, by string) (int, error) {
	tag, err := db.pool.Exec(ctx, `UPDATE preview_grants SET revoked_at = $1, revoked_by = $2
		WHERE article_id = $3 AND revoked_at IS NULL`, db.now(), by, articleID)
	if err != nil {
		return 0, fmt.Errorf("revoke preview grants of %s: %w", articleID, mapErr(err))
	}
	return int(tag.RowsAffected()), nil
}

// revokePreviewGrants revokes, at now, every preview link of article id
// not revoked yet, naming by (a user id or the event) as the revoker.
func revokePreviewGrants(ctx context.Context, tx *wtx, articleID, by string, now time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE preview_grants SET revoked_at = $1, revoked_by = $2
		WHERE article_id = $3 AND revoked_at IS NULL`, now, by, articleID); err != nil {
		return fmt.Errorf("revoke preview grants of %s: %w", articleID, mapErr(err))
	}
	return nil
}
