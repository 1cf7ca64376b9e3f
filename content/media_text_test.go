package content

import "testing"

func TestWithMediaTextChangesOnlyThePhotosOfTheImage(t *testing.T) {
	m := Media{ID: "m1", URL: "/media/pier.png", Caption: "New caption", Credit: "© New"}
	e := Edit{Photos: []Photo{
		{MediaID: "m1", URL: "/media/pier.png", Caption: "Old caption", Credit: "© Old"},
		{MediaID: "m2", URL: "/media/other.png", Caption: "Other", Credit: "© Other"},
		{URL: "/media/pier.png", Caption: "By URL", Credit: "© Old"},
		{URL: "https://example.org/pier.png", Caption: "External", Credit: "© Old"},
	}}
	tests := []struct {
		name     string
		which    MediaText
		changed  bool
		captions []string
		credits  []string
	}{
		{"the credit only", MediaText{Credit: true}, true,
			[]string{"Old caption", "Other", "By URL", "External"}, []string{"© New", "© Other", "© New", "© Old"}},
		{"the caption only", MediaText{Caption: true}, true,
			[]string{"New caption", "Other", "New caption", "External"}, []string{"© Old", "© Other", "© Old", "© Old"}},
		{"nothing asked, nothing changed", MediaText{}, false,
			[]string{"Old caption", "Other", "By URL", "External"}, []string{"© Old", "© Other", "© Old", "© Old"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := WithMediaText(e, m, tt.which)
			if changed != tt.changed {
				t.Errorf("changed = %v", changed)
			}
			for i, p := range got.Photos {
				if p.Caption != tt.captions[i] || p.Credit != tt.credits[i] {
					t.Errorf("photo %d: %q %q, want %q %q", i+1, p.Caption, p.Credit, tt.captions[i], tt.credits[i])
				}
			}
			if e.Photos[0].Credit != "© Old" || e.Photos[0].Caption != "Old caption" {
				t.Error("the edit given was modified")
			}
		})
	}
	t.Run("photos that say so already are unchanged", func(t *testing.T) {
		done, _ := WithMediaText(e, m, MediaText{Caption: true, Credit: true})
		if _, changed := WithMediaText(done, m, MediaText{Caption: true, Credit: true}); changed {
			t.Error("a second copy changed something")
		}
	})
}
