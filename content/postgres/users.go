package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"dateline/auth"
	"dateline/content"
)

// userFilter selects users; nil fields match everyone.
type userFilter struct {
	ID    *string
	Email *string // case-insensitive
}

const userColumns = `id, email, name, slug, bio, role, password_hash, token_version, active, created_at, updated_at`

// users returns the users matching f, oldest first.
func users(ctx context.Context, q querier, f userFilter) ([]auth.User, error) {
	var cond []string
	var args []any
	if f.ID != nil {
		args = append(args, *f.ID)
		cond = append(cond, fmt.Sprintf("id = $%d", len(args)))
	}
	if f.Email != nil {
		args = append(args, strings.TrimSpace(*f.Email))
		cond = append(cond, fmt.Sprintf("lower(email) = lower($%d)", len(args)))
	}
	query := "SELECT " + userColumns + " FROM users"
	if len(cond) > 0 {
		query += " WHERE " + strings.Join(cond, " AND ")
	}
	rows, err := q.Query(ctx, query+" ORDER BY created_at, id", args...)
	if err != nil {
		return nil, fmt.Errorf("query users: %w", mapErr(err))
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		var u auth.User
		var role string
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.Slug, &u.Bio, &role, &u.PasswordHash,
			&u.TokenVersion, &u.Active, &u.CreatedAt, &u.UpdatedAt); err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		u.Role = auth.Role(role)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query users: %w", mapErr(err))
	}
	return out, nil
}

// noUser is a missing user: an error that is content.ErrNotFound (code
// ENOTFOUND) and auth.ErrNoUser at once, and says so once.
type noUser struct{}

func (noUser) Error() string { return "no such user" }

func (noUser) Unwrap() []error {
	return []error{content.Errorf(content.ENOTFOUND, "no such user"), auth.ErrNoUser}
}

// user returns the one user matching f, or an error wrapping both
// content.ErrNotFound and auth.ErrNoUser.
func user(ctx context.Context, q querier, f userFilter) (auth.User, error) {
	us, err := users(ctx, q, f)
	if err != nil {
		return auth.User{}, err
	}
	if len(us) == 0 {
		return auth.User{}, noUser{}
	}
	return us[0], nil
}

// Users returns every user, oldest first.
func (db *DB) Users(ctx context.Context) ([]auth.User, error) {
	us, err := users(ctx, db.pool, userFilter{})
	if us == nil && err == nil {
		us = []auth.User{}
	}
	return us, err
}

// UserByID returns the user with id; a missing one is an error wrapping
// content.ErrNotFound and auth.ErrNoUser.
func (db *DB) UserByID(ctx context.Context, id string) (auth.User, error) {
	return user(ctx, db.pool, userFilter{ID: &id})
}

// UserByEmail returns the user with email (case-insensitive); a missing one
// is an error wrapping content.ErrNotFound and auth.ErrNoUser.
func (db *DB) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	return user(ctx, db.pool, userFilter{Email: &email})
}

// CountUsers returns how many users exist, active or not.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", mapErr(err))
	}
	return n, nil
}

// CreateUser stores a new user from u's email, name, bio, role and password
// hash (active, token version 1) and returns it with its id and a unique
// author slug derived from the name. Invalid fields fail with EINVALID
// naming them; a taken email fails with ECONFLICT, also when another
// instance takes it at the same moment.
func (db *DB) CreateUser(ctx context.Context, u auth.User) (auth.User, error) {
	var out auth.User
	err := db.withTx(ctx, func(tx *wtx) error {
		var err error
		out, err = db.insertUser(ctx, tx, u)
		return err
	})
	return out, err
}

// emailTaken is the conflict of an email another account has.
func emailTaken() error {
	return &content.Error{Code: content.ECONFLICT, Message: "an account with this email exists",
		Fields: []content.FieldError{{Field: "email", Message: "is already in use"}}}
}

func (db *DB) insertUser(ctx context.Context, tx *wtx, u auth.User) (auth.User, error) {
	u.Email = strings.TrimSpace(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	u.Bio = strings.TrimSpace(u.Bio)
	if err := auth.CheckNewUser(u); err != nil {
		return auth.User{}, err
	}
	var taken bool
	if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1))", u.Email).Scan(&taken); err != nil {
		return auth.User{}, fmt.Errorf("check email: %w", mapErr(err))
	}
	if taken {
		return auth.User{}, emailTaken()
	}
	uid, err := uuid.NewV7()
	if err != nil {
		return auth.User{}, fmt.Errorf("user id: %w", err)
	}
	u.ID = uid.String()
	if u.Slug, err = userSlug(ctx, tx, u.Name, u.ID); err != nil {
		return auth.User{}, err
	}
	now := db.now()
	u.Active, u.TokenVersion, u.CreatedAt, u.UpdatedAt = true, 1, now, now
	// ON CONFLICT DO NOTHING: a user another transaction inserted since
	// the checks above is a conflict, not a failed transaction.
	tag, err := tx.Exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT DO NOTHING`,
		u.ID, u.Email, u.Name, u.Slug, u.Bio, string(u.Role), u.PasswordHash, u.TokenVersion, u.Active, now, now)
	if err != nil {
		return auth.User{}, fmt.Errorf("insert user: %w", mapErr(err))
	}
	if tag.RowsAffected() == 0 {
		return auth.User{}, emailTaken()
	}
	return u, nil
}

// userSlug derives a unique author slug from name, falling back to the id.
func userSlug(ctx context.Context, tx *wtx, name, id string) (string, error) {
	base := content.Slugify(name)
	if base == "" {
		base = content.Slugify(id)
	}
	var qerr error
	slug := content.UniqueSlug(base, func(s string) bool {
		var taken bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE slug = $1)", s).Scan(&taken); err != nil {
			qerr = err
			return false
		}
		return taken
	})
	if qerr != nil {
		return "", fmt.Errorf("pick user slug: %w", mapErr(qerr))
	}
	return slug, nil
}

// UpdateUser applies upd to the user with id and returns the new state. A
// new name or bio of an author of published stories writes an
// article.updated event for each of them and an author.updated event.
// A change of role, active or password hash bumps the token version and
// deletes the user's refresh tokens; deactivation, and a new password hash
// unless upd.KeepAPIKeys, also revoke the user's API keys (auth.UserUpdate
// states the rule). A change that would leave no active admin fails with
// ECONFLICT; a missing user with ENOTFOUND; upd.Check's error is returned
// as is. The user's row is locked for the change, so concurrent updates
// apply one after the other.
func (db *DB) UpdateUser(ctx context.Context, id string, upd auth.UserUpdate) (auth.User, error) {
	err := db.withTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, "SELECT 1 FROM users WHERE id = $1 FOR UPDATE", id); err != nil {
			return fmt.Errorf("lock user %s: %w", id, mapErr(err))
		}
		cur, err := user(ctx, tx, userFilter{ID: &id})
		if err != nil {
			return err
		}
		if upd.Check != nil {
			if err := upd.Check(cur); err != nil {
				return err
			}
		}
		next := cur
		revoke, revokeKeys := false, false
		if upd.Name != nil {
			next.Name = strings.TrimSpace(*upd.Name)
		}
		if upd.Bio != nil {
			next.Bio = strings.TrimSpace(*upd.Bio)
		}
		var p content.Problems
		auth.CheckProfile(&p, next.Name, next.Bio)
		if upd.Role != nil {
			if !upd.Role.Valid() {
				p.Add("role", "must be one of contributor, author, editor, admin")
			}
			revoke = revoke || *upd.Role != cur.Role
			next.Role = *upd.Role
		}
		if upd.Active != nil {
			revoke = revoke || *upd.Active != cur.Active
			revokeKeys = cur.Active && !*upd.Active
			next.Active = *upd.Active
		}
		if upd.PasswordHash != nil {
			revoke = true
			revokeKeys = revokeKeys || !upd.KeepAPIKeys
			next.PasswordHash = *upd.PasswordHash
		}
		if err := p.Err(); err != nil {
			return err
		}
		if revoke {
			next.TokenVersion++
		}
		now := db.now()
		_, err = tx.Exec(ctx, `UPDATE users SET name = $1, bio = $2, role = $3, active = $4, password_hash = $5,
			token_version = $6, updated_at = $7 WHERE id = $8`,
			next.Name, next.Bio, string(next.Role), next.Active, next.PasswordHash, next.TokenVersion, now, id)
		if err != nil {
			return fmt.Errorf("update user %s: %w", id, mapErr(err))
		}
		if revoke {
			if err := deleteRefreshTokens(ctx, tx, id); err != nil {
				return err
			}
		}
		if revokeKeys {
			if err := revokeAPIKeysOf(ctx, tx, id, now); err != nil {
				return err
			}
		}
		if next.Name != cur.Name || next.Bio != cur.Bio {
			// Bylines show both: the author's published stories and
			// their author page change.
			if err := authorEvents(ctx, tx, id, cur.Slug, stamp(now)); err != nil {
				return err
			}
			shown, err := storyIDs(ctx, tx, "SELECT article_id FROM article_authors WHERE user_id = $1", id)
			if err != nil {
				return err
			}
			if err := db.refreshPublic(ctx, tx, shown); err != nil {
				return err
			}
		}
		if cur.Role == auth.RoleAdmin && cur.Active && (next.Role != auth.RoleAdmin || !next.Active) {
			return requireAdmin(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return auth.User{}, err
	}
	return user(ctx, db.pool, userFilter{ID: &id})
}

// authorEvents writes, for a new profile of the user with id (author slug
// slug), an article.updated event for each of their published stories
// and an author.updated event.
func authorEvents(ctx context.Context, tx *wtx, userID, slug string, at time.Time) error {
	rows, err := tx.Query(ctx, `SELECT a.id, a.slug, a.version FROM article_authors aa JOIN articles a ON a.id = aa.article_id
		WHERE aa.user_id = $1 AND `+public("a")+` ORDER BY a.id`, userID)
	if err != nil {
		return fmt.Errorf("published stories of author %s: %w", userID, mapErr(err))
	}
	type story struct {
		id, slug string
		version  int
	}
	var stories []story
	for rows.Next() {
		var s story
		if err := rows.Scan(&s.id, &s.slug, &s.version); err != nil {
			rows.Close()
			return fmt.Errorf("published stories of author %s: %w", userID, err)
		}
		stories = append(stories, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("published stories of author %s: %w", userID, mapErr(err))
	}
	if len(stories) == 0 {
		return nil
	}
	for _, s := range stories {
		if err := tx.emit(ctx, content.StoryAuthorChanged(s.id, s.slug, s.version, content.ChangeAuthorProfile, slug), at); err != nil {
			return err
		}
	}
	return tx.emit(ctx, content.AuthorUpdated(userID, slug), at)
}

// LogOutEverywhere ends every credential of the user with id, so that none
// works after it returns: access tokens by a new token version, refresh
// tokens by deletion and API keys by revocation. A missing user fails with
// an error wrapping ENOTFOUND and auth.ErrNoUser.
func (db *DB) LogOutEverywhere(ctx context.Context, id string) error {
	return db.withTx(ctx, func(tx *wtx) error {
		if err := endSessions(ctx, tx, id); err != nil {
			return err
		}
		return revokeAPIKeysOf(ctx, tx, id, db.now())
	})
}

// endSessions bumps the token version of the user with id, which ends
// their access tokens, and deletes their refresh tokens.
func endSessions(ctx context.Context, tx *wtx, id string) error {
	tag, err := tx.Exec(ctx, "UPDATE users SET token_version = token_version + 1 WHERE id = $1", id)
	if err != nil {
		return fmt.Errorf("bump token version of %s: %w", id, mapErr(err))
	}
	if tag.RowsAffected() == 0 {
		return noUser{}
	}
	return deleteRefreshTokens(ctx, tx, id)
}

// requireAdmin fails with ECONFLICT when no active admin is left: the
// newsroom would be locked out of user management. It locks the active
// admins' rows, so two instances demoting the last two admins at once
// cannot both succeed.
func requireAdmin(ctx context.Context, tx *wtx) error {
	rows, err := tx.Query(ctx, "SELECT id FROM users WHERE role = 'admin' AND active FOR UPDATE")
	if err != nil {
		return fmt.Errorf("count admins: %w", mapErr(err))
	}
	admins := 0
	for rows.Next() {
		admins++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count admins: %w", mapErr(err))
	}
	if admins == 0 {
		return content.Errorf(content.ECONFLICT, "this would leave no active admin; make another user admin first")
	}
	return nil
}
