package admin

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// MediaFiles is the directory uploads are stored in, as the upload and
// delete handlers use it; names are file names inside the directory.
// MediaDir is the one on disk; tests put failing or recording ones in its
// place.
type MediaFiles interface {
	// CreateTemp creates a new, empty, hidden file in the directory, to
	// be renamed once complete; its mode lets the server serve it.
	CreateTemp() (MediaFile, error)
	// Rename renames the file oldName to newName, replacing newName.
	Rename(oldName, newName string) error
	// SyncDir makes the directory's entries (new and renamed names)
	// durable: after it returns they survive a power loss.
	SyncDir() error
	// Remove removes the file name.
	Remove(name string) error
}

// MediaFile is a file being written into the media directory.
type MediaFile interface {
	io.Writer
	// Name is the file's name in the directory.
	Name() string
	// Sync makes what was written durable.
	Sync() error
	Close() error
}

// MediaDir is a media directory on disk, created when the first upload
// needs it.
type MediaDir string

// CreateTemp implements MediaFiles.
func (d MediaDir) CreateTemp() (MediaFile, error) {
	if err := os.MkdirAll(string(d), 0o750); err != nil {
		return nil, fmt.Errorf("media directory: %w", err)
	}
	f, err := os.CreateTemp(string(d), ".upload-*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return osMediaFile{f}, nil
}

// Rename implements MediaFiles.
func (d MediaDir) Rename(oldName, newName string) error {
	return os.Rename(d.path(oldName), d.path(newName))
}

// SyncDir implements MediaFiles with fsync of the directory. Windows has
// no such call (a rename there is made durable by the file system), so it
// does nothing there.
func (d MediaDir) SyncDir() error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(string(d))
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Remove implements MediaFiles.
func (d MediaDir) Remove(name string) error { return os.Remove(d.path(name)) }

func (d MediaDir) path(name string) string { return filepath.Join(string(d), name) }

type osMediaFile struct{ *os.File }

func (f osMediaFile) Name() string { return filepath.Base(f.File.Name()) }

// writeMediaFile stores data in files under name, durably, before it
// returns: it writes a temporary file, syncs it, renames it to name and
// syncs the directory. So /media/ never serves half a file, and a database
// row committed after it returns never points to a missing or empty file,
// even after a power loss. On error nothing stays behind.
func writeMediaFile(files MediaFiles, name string, data []byte) (err error) {
	f, err := files.CreateTemp()
	if err != nil {
		return fmt.Errorf("store upload: %w", err)
	}
	tmp := f.Name()
	renamed := false
	defer func() {
		switch {
		case err == nil:
		case renamed:
			files.Remove(name)
		default:
			files.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("store upload: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("store upload: sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store upload: %w", err)
	}
	if err := files.Rename(tmp, name); err != nil {
		return fmt.Errorf("store upload: %w", err)
	}
	renamed = true
	if err := files.SyncDir(); err != nil {
		return fmt.Errorf("store upload: sync media directory: %w", err)
	}
	return nil
}
