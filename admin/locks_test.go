package admin_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

func TestEditLocks(t *testing.T) {
	e := newEnv(t)
	au, ed, co := e.role[auth.RoleAuthor], e.role[auth.RoleEditor], e.role[auth.RoleContributor]
	a := e.create(t, au, storyEdit("Locked story"))
	path := "/articles/" + a.ID

	w := e.do(t, au, "POST", path+"/lock", nil)
	if w.Code != 200 {
		t.Fatalf("acquire: %d %s", w.Code, w.Body.String())
	}

	t.Run("others see who is editing", func(t *testing.T) {
		got := decode[article](t, e.do(t, co, "GET", path, nil))
		if got.Lock == nil || got.Lock.UserID != au.ID || got.Lock.UserName != "Arto Author" || got.Lock.AcquiredAt.IsZero() || got.Lock.HeartbeatAt.IsZero() {
			t.Errorf("lock = %+v, want Arto Author with times", got.Lock)
		}
	})
	t.Run("someone else's save is refused with 409 naming the editor", func(t *testing.T) {
		p := wantProblem(t, e.do(t, ed, "PUT", path, save(1, storyEdit("Sneaky"))), http.StatusConflict, "")
		if p.Lock == nil || p.Lock.UserID != au.ID || !strings.Contains(p.Detail, "Arto Author is editing") {
			t.Errorf("problem = %+v, want the lock and who holds it", p)
		}
	})
	t.Run("the holder saves", func(t *testing.T) {
		if w := e.do(t, au, "PUT", path, save(1, storyEdit("Locked story, edited"))); w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
	})
	t.Run("someone else cannot acquire a live lock", func(t *testing.T) {
		p := wantProblem(t, e.do(t, ed, "POST", path+"/lock", nil), http.StatusConflict, "")
		if p.Lock == nil || p.Lock.UserName != "Arto Author" {
			t.Errorf("lock = %+v", p.Lock)
		}
	})
	t.Run("a heartbeat keeps the lock past the first two minutes", func(t *testing.T) {
		e.advance(90 * time.Second)
		if w := e.do(t, au, "POST", path+"/lock/heartbeat", nil); w.Code != 200 {
			t.Fatalf("heartbeat: %d %s", w.Code, w.Body.String())
		}
		e.advance(90 * time.Second)
		wantProblem(t, e.do(t, ed, "POST", path+"/lock", nil), http.StatusConflict, "")
	})
	t.Run("an editor takes over and the old holder learns it", func(t *testing.T) {
		w := e.do(t, ed, "POST", path+"/lock/takeover", nil)
		if w.Code != 200 {
			t.Fatalf("takeover: %d %s", w.Code, w.Body.String())
		}
		if l := decode[struct{ Lock *content.EditLock }](t, w).Lock; l == nil || l.UserID != ed.ID {
			t.Errorf("lock after takeover = %+v", l)
		}
		p := wantProblem(t, e.do(t, au, "POST", path+"/lock/heartbeat", nil), http.StatusConflict, "")
		if p.Lock == nil || p.Lock.UserID != ed.ID {
			t.Errorf("heartbeat of the old holder: %+v", p)
		}
		wantProblem(t, e.do(t, au, "PUT", path, save(2, storyEdit("Lost edit"))), http.StatusConflict, "")
		wantProblem(t, e.do(t, au, "DELETE", path+"/lock", nil), http.StatusConflict, "")
	})
	t.Run("a lock expires two minutes after the last heartbeat", func(t *testing.T) {
		e.advance(content.LockTTL + time.Second)
		got := decode[struct{ Lock *content.EditLock }](t, e.do(t, co, "GET", path+"/lock", nil))
		if got.Lock != nil {
			t.Errorf("expired lock still shown: %+v", got.Lock)
		}
		if w := e.do(t, au, "PUT", path, save(2, storyEdit("After expiry"))); w.Code != 200 {
			t.Fatalf("save after expiry: %d %s", w.Code, w.Body.String())
		}
	})
	t.Run("the holder releases", func(t *testing.T) {
		if w := e.do(t, au, "POST", path+"/lock", nil); w.Code != 200 {
			t.Fatalf("acquire: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(t, au, "DELETE", path+"/lock", nil); w.Code != http.StatusNoContent {
			t.Fatalf("release: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(t, ed, "POST", path+"/lock", nil); w.Code != 200 {
			t.Fatalf("acquire after release: %d %s", w.Code, w.Body.String())
		}
	})
}
