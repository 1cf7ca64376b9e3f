package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"dateline/auth"
	"dateline/content"
)

// demoUsers are the demo newsroom's staff, one per role.
var demoUsers = []struct {
	email, name, bio string
	role             auth.Role
}{
	{"admin@harbour.example", "Ada Quayle", "Runs the Gazette's systems.", auth.RoleAdmin},
	{"editor@harbour.example", "Edith Marsh", "Night editor of The Harbour Gazette.", auth.RoleEditor},
	{"author@harbour.example", "Marta Quell", "Reports on the port, the ferries and the fish market.", auth.RoleAuthor},
	{"contributor@harbour.example", "Colm Tidewell", "Freelance photographer and occasional writer.", auth.RoleContributor},
}

// seedDemoUsers creates one demo user per role with a generated password,
// names the author and the editor as authors of demo stories, and prints
// the emails and passwords once. If the demo users exist already it does
// nothing.
func (a *app) seedDemoUsers(ctx context.Context, stdout io.Writer) error {
	if _, err := a.db.UserByEmail(ctx, demoUsers[0].email); err == nil {
		fmt.Fprintln(stdout, "Demo users exist already; their passwords were shown when they were created.")
		return nil
	} else if !errors.Is(err, auth.ErrNoUser) {
		return err
	}
	ids := map[auth.Role]string{}
	fmt.Fprintln(stdout, "Demo users (passwords are shown only now):")
	for _, d := range demoUsers {
		pw, err := auth.GeneratePassword()
		if err != nil {
			return err
		}
		hash, err := auth.DefaultArgon2.HashPassword(pw)
		if err != nil {
			return err
		}
		u, err := a.db.CreateUser(ctx, auth.User{Email: d.email, Name: d.name, Bio: d.bio, Role: d.role, PasswordHash: hash})
		if err != nil {
			return fmt.Errorf("demo user %s: %w", d.email, err)
		}
		ids[d.role] = u.ID
		fmt.Fprintf(stdout, "  %-12s %-28s %s\n", d.role, d.email, pw)
	}
	return a.bylineDemoStories(ctx, ids)
}

// bylineDemoStories names demo users as authors of the demo stories: the
// author on two of every three, the editor on the rest, the contributor on
// drafts. Stories with authors already are left alone.
func (a *app) bylineDemoStories(ctx context.Context, ids map[auth.Role]string) error {
	arts, err := a.db.Articles(ctx, content.ArticleFilter{Sort: content.SortUpdated, Limit: content.MaxLimit, Full: true})
	if err != nil {
		return fmt.Errorf("demo bylines: %w", err)
	}
	for i, art := range arts {
		if len(art.AuthorIDs) > 0 {
			continue
		}
		who := ids[auth.RoleAuthor]
		switch {
		case art.Status == content.StatusDraft:
			who = ids[auth.RoleContributor]
		case i%3 == 2:
			who = ids[auth.RoleEditor]
		}
		e := art.Edit
		e.AuthorIDs = []string{who} // demo stories are live: the byline goes out at once
		if _, err := a.db.UpdateArticle(ctx, art.ID, content.Save{Version: art.Version, Edit: e, Update: true}); err != nil {
			return fmt.Errorf("demo byline of %q: %w", art.Headline, err)
		}
	}
	return nil
}
