package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

// who says which stories a role may act on.
type who int

const (
	none          who = iota
	ownDrafts         // own stories in draft only
	ownDraftsLive     // own stories in draft, and own live (published, scheduled) ones through their working copy
	ownOnly           // own stories in any status
	anyone            // every story
)

// matrixRule is one admin action: how to call it, in which statuses it is
// legal, and which stories each role may do it to. This table is written
// from DESIGN.md §3 and the issue, independently of permissions.go.
type matrixRule struct {
	action string
	legal  []content.Status // nil: every status
	roles  map[auth.Role]who
	ok     int // status of a permitted, legal call
}

var (
	draft       = content.StatusDraft
	inReview    = content.StatusInReview
	scheduled   = content.StatusScheduled
	published   = content.StatusPublished
	unpublished = content.StatusUnpublished
)

func matrixRules() []matrixRule {
	editAll := map[auth.Role]who{auth.RoleContributor: ownDraftsLive, auth.RoleAuthor: ownOnly, auth.RoleEditor: anyone, auth.RoleAdmin: anyone}
	own := map[auth.Role]who{auth.RoleContributor: ownOnly, auth.RoleAuthor: ownOnly, auth.RoleEditor: anyone, auth.RoleAdmin: anyone}
	publishing := map[auth.Role]who{auth.RoleContributor: none, auth.RoleAuthor: ownOnly, auth.RoleEditor: anyone, auth.RoleAdmin: anyone}
	editorsOnly := map[auth.Role]who{auth.RoleContributor: none, auth.RoleAuthor: none, auth.RoleEditor: anyone, auth.RoleAdmin: anyone}
	return []matrixRule{
		{"view", nil, map[auth.Role]who{auth.RoleContributor: anyone, auth.RoleAuthor: anyone, auth.RoleEditor: anyone, auth.RoleAdmin: anyone}, 200},
		{"edit", nil, editAll, 200},
		{"restore", nil, editAll, 200},
		{"lock", nil, editAll, 200},
		{"delete", nil, editorsOnly, 204},
		{"takeover", nil, editorsOnly, 200},
		{"submit", []content.Status{draft}, map[auth.Role]who{auth.RoleContributor: ownOnly, auth.RoleAuthor: ownOnly, auth.RoleEditor: anyone, auth.RoleAdmin: anyone}, 200},
		{"approve", []content.Status{inReview}, publishing, 200},
		{"reject", []content.Status{inReview}, publishing, 200},
		{"schedule", []content.Status{draft, inReview, scheduled, unpublished}, publishing, 200},
		{"publish", []content.Status{draft, inReview, scheduled, unpublished}, publishing, 200},
		{"unschedule", []content.Status{scheduled}, publishing, 200},
		{"withdraw", []content.Status{published}, publishing, 200},
		{"republish", []content.Status{unpublished}, publishing, 200},
		// The stories of the matrix have no working copy: Update and
		// Discard are conflicts wherever they are allowed.
		{"update", []content.Status{}, publishing, 200},
		{"discard", []content.Status{}, own, 200},
	}
}

// expect returns the HTTP status the rule predicts.
func (r matrixRule) expect(role auth.Role, own bool, st content.Status) int {
	allowed := false
	switch r.roles[role] {
	case anyone:
		allowed = true
	case ownOnly:
		allowed = own
	case ownDrafts:
		allowed = own && st == draft
	case ownDraftsLive:
		allowed = own && (st == draft || st == published || st == scheduled)
	}
	switch {
	case !allowed:
		return http.StatusForbidden
	case r.legal != nil && !slices.Contains(r.legal, st):
		return http.StatusConflict
	}
	return r.ok
}

// call performs the rule's request on story a as user u.
func (r matrixRule) call(t *testing.T, e *env, u auth.User, a article) int {
	t.Helper()
	p := "/articles/" + a.ID
	switch r.action {
	case "view":
		return e.do(t, u, "GET", p, nil).Code
	case "edit":
		ed := storyEdit("Edited " + a.Headline)
		ed.Slug = a.Slug
		return e.do(t, u, "PUT", p, save(a.Version, ed)).Code
	case "restore":
		return e.do(t, u, "POST", p+"/revisions/1/restore", nil).Code
	case "lock":
		return e.do(t, u, "POST", p+"/lock", nil).Code
	case "takeover":
		return e.do(t, u, "POST", p+"/lock/takeover", nil).Code
	case "delete":
		return e.do(t, u, "DELETE", p, nil).Code
	case "update", "discard":
		return e.do(t, u, "POST", p+"/"+r.action, map[string]int{"version": a.Version}).Code
	case "schedule":
		at := time.Now().Add(48 * time.Hour).Format(time.RFC3339)
		return e.do(t, u, "POST", p+"/schedule", map[string]string{"publish_at": at}).Code
	default:
		return e.do(t, u, "POST", p+"/"+r.action, nil).Code
	}
}

// TestPermissionMatrix runs every role × every story action × own and
// someone else's story × every status against the router and compares the
// answer with the table above.
func TestPermissionMatrix(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rules := matrixRules()
	roles := []auth.Role{auth.RoleContributor, auth.RoleAuthor, auth.RoleEditor, auth.RoleAdmin}

	// One fresh story per case, bulk-loaded with its status and owner.
	type key struct {
		role   auth.Role
		action string
		own    bool
		status content.Status
	}
	stories := map[key]article{}
	future := time.Now().Add(24 * time.Hour).UTC()
	past := time.Now().Add(-24 * time.Hour).UTC()
	for _, role := range roles {
		for _, own := range []bool{true, false} {
			owner := e.other
			if own {
				owner = e.role[role]
			}
			var items []content.Import
			var keys []key
			for _, r := range rules {
				for _, st := range content.Statuses {
					it := content.Import{Edit: storyEdit(fmt.Sprintf("%s %s %v %s", role, r.action, own, st)), Status: st}
					switch st {
					case scheduled:
						it.PublishAt = &future
					case published, unpublished:
						it.PublishedAt = &past
					}
					items = append(items, it)
					keys = append(keys, key{role, r.action, own, st})
				}
			}
			ids, err := e.db.Import(ctx, items, owner.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i, id := range ids {
				a, err := e.db.Article(ctx, content.ArticleFilter{ID: &id})
				if err != nil {
					t.Fatal(err)
				}
				stories[keys[i]] = article{ID: a.ID, Slug: a.Slug, Headline: a.Headline, Version: a.Version, Status: a.Status}
			}
		}
	}

	for _, role := range roles {
		for _, r := range rules {
			for _, own := range []bool{true, false} {
				for _, st := range content.Statuses {
					want := r.expect(role, own, st)
					whose := "someone else's"
					if own {
						whose = "their own"
					}
					verdict := "may"
					if want >= 400 {
						verdict = fmt.Sprintf("gets %d trying to", want)
					}
					a := "a"
					if role == auth.RoleAuthor || role == auth.RoleEditor || role == auth.RoleAdmin {
						a = "an"
					}
					name := fmt.Sprintf("%s %s %s %s %s %s story", a, role, verdict, r.action, whose, content.StatusLabel(st))
					t.Run(name, func(t *testing.T) {
						got := r.call(t, e, e.role[role], stories[key{role, r.action, own, st}])
						if got != want {
							t.Errorf("status = %d, want %d", got, want)
						}
					})
				}
			}
		}
	}
}
