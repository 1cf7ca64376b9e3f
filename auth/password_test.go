package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashing(t *testing.T) {
	h, err := DefaultArgon2.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry the argon2id parameters", h)
	}
	p, err := ParseArgon2(h)
	if err != nil || p != DefaultArgon2 {
		t.Errorf("parsed %+v %v, want %+v", p, err, DefaultArgon2)
	}
	if !VerifyPassword(h, "correct horse battery") {
		t.Error("the right password does not verify")
	}
	if VerifyPassword(h, "correct horse batterY") {
		t.Error("a wrong password verifies")
	}
	h2, _ := DefaultArgon2.HashPassword("correct horse battery")
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	cheap := Argon2Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h3, _ := cheap.HashPassword("correct horse battery")
	if !VerifyPassword(h3, "correct horse battery") {
		t.Error("a hash made with other parameters does not verify")
	}
}

func TestPasswordLimits(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		ok   bool
	}{
		{"11 characters are too few", strings.Repeat("a", 11), false},
		{"12 characters are enough", strings.Repeat("a", 12), true},
		{"12 non-ASCII characters count as 12", strings.Repeat("ж", 12), true},
		{"128 characters are allowed", strings.Repeat("a", 128), true},
		{"129 characters are too many", strings.Repeat("a", 129), false},
		{"invalid UTF-8 is refused", strings.Repeat("a", 12) + "\xff", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.pw)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckPassword = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "12 to 128") && !strings.Contains(err.Error(), "UTF-8") {
				t.Errorf("error %q does not state the limits", err)
			}
		})
	}
}

func TestMalformedHashesMatchNothing(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=19$m=0,t=1,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5"} {
		if VerifyPassword(h, "anything at all") {
			t.Errorf("hash %q matched", h)
		}
	}
	if _, err := ParseArgon2(dummyHash); err != nil {
		t.Errorf("the dummy hash does not parse, so unknown accounts would answer faster: %v", err)
	}
	if VerifyNobody("anything at all") {
		t.Error("VerifyNobody matched")
	}
}

func TestGeneratedPasswordsPassTheLimits(t *testing.T) {
	a, _ := GeneratePassword()
	b, _ := GeneratePassword()
	if a == b || CheckPassword(a) != nil {
		t.Errorf("generated %q %q", a, b)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := DefaultArgon2.HashPassword("correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}
