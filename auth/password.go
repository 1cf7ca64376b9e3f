package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password length limits, in characters (Unicode code points). The upper
// limit bounds the work one login can cause.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
)

// Argon2Params are the argon2id cost parameters. They are stored with every
// hash, so raising them later still verifies old hashes.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultArgon2 follows the OWASP password storage recommendation for
// argon2id: 19 MiB of memory, two passes, one thread; 16-byte salt, 32-byte
// key. One hash takes about 20 ms on one core.
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// CheckPassword returns nil if pw is an acceptable new password, or an error
// whose message states the limits.
func CheckPassword(pw string) error {
	if !utf8.ValidString(pw) {
		return errors.New("must be valid UTF-8 text")
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength || n > MaxPasswordLength {
		return fmt.Errorf("must be %d to %d characters long (it has %d)", MinPasswordLength, MaxPasswordLength, n)
	}
	return nil
}

// HashPassword checks pw with CheckPassword and returns its argon2id hash in
// the PHC string format: $argon2id$v=19$m=…,t=…,p=…$salt$key (unpadded
// base64).
func (p Argon2Params) HashPassword(pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches hash, in time independent of
// where they differ. An empty or malformed hash (an account without a
// password) matches nothing; a password over the length limit is refused
// without hashing.
func VerifyPassword(hash, pw string) bool {
	p, salt, key, err := parseHash(hash)
	if err != nil || utf8.RuneCountInString(pw) > MaxPasswordLength {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummyHash is verified against for unknown accounts, so that a login for
// an account that does not exist costs what a wrong password costs.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$ZGF0ZWxpbmUtZHVtbXktc2FsdA$9pQKx2iWq3v0n0ZkQ8m2m1m9b5s4q0Y7dX3mW8cC1hA"

// VerifyNobody spends the time VerifyPassword spends on a real account with
// the default parameters and returns false.
func VerifyNobody(pw string) bool {
	VerifyPassword(dummyHash, pw)
	return false
}

// ParseArgon2 returns the parameters a stored hash was made with.
func ParseArgon2(hash string) (Argon2Params, error) {
	p, _, _, err := parseHash(hash)
	return p, err
}

func parseHash(hash string) (Argon2Params, []byte, []byte, error) {
	var p Argon2Params
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("not an argon2id hash")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errors.New("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("argon2 parameters: %w", err)
	}
	if p.Memory == 0 || p.Memory > 1<<20 || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return p, nil, nil, errors.New("argon2 parameters out of range")
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("argon2 salt: %w", err)
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, errors.New("argon2 key malformed")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// passwordAlphabet avoids characters that are easy to confuse (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random password of 20 characters from a
// 56-character alphabet (about 116 bits).
func GeneratePassword() (string, error) {
	b := make([]byte, 20)
	for i := range b {
		c, err := randIndex(len(passwordAlphabet))
		if err != nil {
			return "", err
		}
		b[i] = passwordAlphabet[c]
	}
	return string(b), nil
}

// randIndex returns a uniform random number in [0, n), n ≤ 256.
func randIndex(n int) (int, error) {
	limit := 256 - 256%n
	var one [1]byte
	for {
		if _, err := rand.Read(one[:]); err != nil {
			return 0, fmt.Errorf("random password: %w", err)
		}
		if int(one[0]) < limit {
			return int(one[0]) % n, nil
		}
	}
}
