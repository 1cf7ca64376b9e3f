package content

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTheEventsAWriteEmits(t *testing.T) {
	asOf := time.Date(2026, 3, 1, 9, 30, 15, 987_000_000, time.FixedZone("", 3600))
	for _, tc := range []struct {
		name string
		got  Emit
		want string // type article_id slug payload, as JSON
	}{
		{"a first publication", StoryPublished("s1", "polls-close", true, nil),
			`["article.published","s1","polls-close",{"first":true}]`},
		{"a republication as of a past instant, to the second in UTC", StoryPublished("s1", "polls-close", false, &asOf),
			`["article.published","s1","polls-close",{"first":false,"published_as_of":"2026-03-01T08:30:15.000000Z"}]`},
		{"a save readers see", StoryUpdated("s1", "polls-close", 4, ""),
			`["article.updated","s1","polls-close",{"version":4}]`},
		{"a save that moved the slug names the old one", StoryUpdated("s1", "polls-closed", 5, "polls-close"),
			`["article.updated","s1","polls-closed",{"previous_slug":"polls-close","version":5}]`},
		{"a slug that did not move is no previous slug", StoryUpdated("s1", "polls-close", 5, "polls-close"),
			`["article.updated","s1","polls-close",{"version":5}]`},
		{"a withdrawal", StoryWithdrawn("s1", "polls-close"),
			`["article.unpublished","s1","polls-close",{}]`},
		{"a live story moved to the trash", StoryDeleted("s1", "polls-close", "u1"),
			`["article.unpublished","s1","polls-close",{"by":"u1","deleted":true}]`},
		{"an author's new bio", StoryAuthorChanged("s1", "polls-close", 3, ChangeAuthorProfile, "ann-lee"),
			`["article.updated","s1","polls-close",{"author":"ann-lee","author_change":"profile","version":3}]`},
		{"a photo's new focal point", StoryPhotoChanged("s1", "polls-close", 3, ChangePhotoFocus, "m1"),
			`["article.updated","s1","polls-close",{"media_id":"m1","photo_change":"focal_point","version":3}]`},
		{"a tag merged into another", StoryTagChanged("s1", "polls-close", 3, "merged", "vote", "votes"),
			`["article.updated","s1","polls-close",{"new_tag":"votes","tag":"vote","tag_change":"merged","version":3}]`},
		{"a tag removed", StoryTagChanged("s1", "polls-close", 3, "deleted", "vote", ""),
			`["article.updated","s1","polls-close",{"tag":"vote","tag_change":"deleted","version":3}]`},
		{"a tag renamed in place", TagRenamed(7, "votes", "votes"),
			`["tag.updated","","votes",{"id":7,"surrogate_keys":["tags","tag:votes"]}]`},
		{"a tag with a new slug purges the old pages too", TagRenamed(7, "votes", "vote"),
			`["tag.updated","","votes",{"id":7,"previous_slug":"vote","surrogate_keys":["tags","tag:votes","tag:vote"]}]`},
		{"a tag deleted", TagDeleted(7, "vote"),
			`["tag.deleted","","vote",{"id":7,"surrogate_keys":["tags","tag:vote"]}]`},
		{"an author's profile", AuthorUpdated("u1", "ann-lee"),
			`["author.updated","","ann-lee",{"id":"u1","surrogate_keys":["authors","author:ann-lee"]}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal([]any{tc.got.Type, tc.got.ArticleID, tc.got.Slug, tc.got.Payload})
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("got  %s\nwant %s", b, tc.want)
			}
		})
	}
	deleted, updated := TagMerged(7, "vote", 9, "votes")
	for _, pair := range [][2]any{
		{deleted, `["tag.deleted","","vote",{"id":7,"merged_into":"votes","surrogate_keys":["tags","tag:vote"]}]`},
		{updated, `["tag.updated","","votes",{"id":9,"merged_from":"vote","surrogate_keys":["tags","tag:votes"]}]`},
	} {
		e := pair[0].(Emit)
		b, _ := json.Marshal([]any{e.Type, e.ArticleID, e.Slug, e.Payload})
		if string(b) != pair[1] {
			t.Errorf("merge: got %s, want %s", b, pair[1])
		}
	}
}
