package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"dateline/auth"
)

// signingKeyFile is where a generated signing key is kept, in the data
// directory.
const signingKeyFile = "signing.key"

// signingKeys returns the keys that sign and verify tokens, the current one
// first: signing_key (DATELINE_SIGNING_KEY) if set, else the contents of
// signing_key_file (DATELINE_SIGNING_KEY_FILE), else <data_dir>/signing.key,
// which is generated on first start (32 random bytes, mode 0600) and reused
// after. old_signing_keys follow: they still verify tokens they signed, so a
// key can be rotated without logging everyone out. Keys are never logged.
func signingKeys(cfg Config) ([]auth.Key, error) {
	secret := strings.TrimSpace(cfg.SigningKey)
	switch {
	case secret != "":
	case cfg.SigningKeyFile != "":
		b, err := os.ReadFile(cfg.SigningKeyFile)
		if err != nil {
			return nil, fmt.Errorf("signing_key_file: %w", err)
		}
		secret = strings.TrimSpace(string(b))
	default:
		var err error
		if secret, err = dataDirKey(filepath.Join(cfg.DataDir, signingKeyFile)); err != nil {
			return nil, err
		}
	}
	cur, err := auth.NewKey([]byte(secret))
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	keys := []auth.Key{cur}
	for i, s := range cfg.OldSigningKeys {
		k, err := auth.NewKey([]byte(strings.TrimSpace(s)))
		if err != nil {
			return nil, fmt.Errorf("old_signing_keys[%d]: %w", i, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// dataDirKey reads the key file at path, creating it with a new random key
// if it does not exist.
func dataDirKey(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("signing key: %w", err)
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	secret := base64.RawURLEncoding.EncodeToString(raw)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process was quicker
		return dataDirKey(path)
	}
	if err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("write signing key: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write signing key: %w", err)
	}
	return secret, nil
}

// validateAccounts checks the signing, proxy, password hashing and
// preview link settings.
func (c Config) validateAccounts() error {
	if err := c.validatePasswordHashing(); err != nil {
		return err
	}
	if err := c.validatePreviewTTL(); err != nil {
		return err
	}
	if k := strings.TrimSpace(c.SigningKey); k != "" && len(k) < auth.MinKeyLength {
		return fmt.Errorf("config: signing_key must have at least %d characters", auth.MinKeyLength)
	}
	if strings.TrimSpace(c.SigningKey) == "" && c.SigningKeyFile != "" {
		// Read now, so that "dateline config" and every command fail on a
		// missing or short key file, not only serve.
		b, err := os.ReadFile(c.SigningKeyFile)
		if err != nil {
			return fmt.Errorf("config: signing_key_file: %w", err)
		}
		if len(strings.TrimSpace(string(b))) < auth.MinKeyLength {
			return fmt.Errorf("config: signing_key_file %s must hold a key of at least %d characters", c.SigningKeyFile, auth.MinKeyLength)
		}
	}
	for i, k := range c.OldSigningKeys {
		if len(strings.TrimSpace(k)) < auth.MinKeyLength {
			return fmt.Errorf("config: old_signing_keys[%d] must have at least %d characters", i, auth.MinKeyLength)
		}
	}
	for _, p := range c.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err == nil {
			continue
		}
		if _, err := netip.ParseAddr(p); err != nil {
			return fmt.Errorf("config: trusted_proxies entry %q is not an IP address or CIDR range", p)
		}
	}
	return nil
}

// splitList splits a comma-separated environment value.
func splitList(v string) []string {
	var out []string
	for s := range strings.SplitSeq(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
