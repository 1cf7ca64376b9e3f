// Package mediafile is the media directory: where uploaded originals and
// their renditions are stored, durably, under generated names, and from
// where the server serves them at /media/. It knows nothing of HTTP or of
// image formats.
package mediafile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// Files is the media directory as uploads, renditions and deletions use
// it; names are file names inside the directory. Dir is the one on disk;
// tests put failing or recording ones in its place.
type Files interface {
	// CreateTemp creates a new, empty, hidden file in the directory, to
	// be renamed once complete; its mode lets the server serve it.
	CreateTemp() (File, error)
	// Rename renames the file oldName to newName, replacing newName.
	Rename(oldName, newName string) error
	// SyncDir makes the directory's entries (new and renamed names)
	// durable: after it returns they survive a power loss.
	SyncDir() error
	// Remove removes the file name.
	Remove(name string) error
	// Open opens the file name for reading.
	Open(name string) (io.ReadCloser, error)
}

// File is a file being written into the media directory.
type File interface {
	io.Writer
	// Name is the file's name in the directory.
	Name() string
	// Sync makes what was written durable.
	Sync() error
	Close() error
}

// Dir is a media directory on disk, created when the first upload needs
// it.
type Dir string

// TempPrefix starts the name of an upload's file while it is written,
// before it is renamed to its final name: such a file is no part of the
// library yet (a backup leaves it out).
const TempPrefix = ".upload-"

// CreateTemp implements Files.
func (d Dir) CreateTemp() (File, error) {
	if err := os.MkdirAll(string(d), 0o750); err != nil {
		return nil, fmt.Errorf("media directory: %w", err)
	}
	f, err := os.CreateTemp(string(d), TempPrefix+"*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return osFile{f}, nil
}

// Rename implements Files.
func (d Dir) Rename(oldName, newName string) error {
	return os.Rename(d.path(oldName), d.path(newName))
}

// SyncDir implements Files with fsync of the directory. Windows has
// no such call (a rename there is made durable by the file system), so it
// does nothing there.
func (d Dir) SyncDir() error {
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

// Remove implements Files.
func (d Dir) Remove(name string) error { return os.Remove(d.path(name)) }

// Open implements Files.
func (d Dir) Open(name string) (io.ReadCloser, error) { return os.Open(d.path(name)) }

func (d Dir) path(name string) string { return filepath.Join(string(d), filepath.Base(name)) }

type osFile struct{ *os.File }

func (f osFile) Name() string { return filepath.Base(f.File.Name()) }

// Write stores what write writes in files under name, durably, before it
// returns: write fills a temporary file, which is synced, renamed to name,
// and then the directory is synced. So /media/ never serves half a file,
// and a database row committed after it returns never points to a missing
// or empty file, even after a power loss. On error nothing stays behind.
func Write(files Files, name string, write func(w io.Writer) error) (err error) {
	f, err := files.CreateTemp()
	if err != nil {
		return fmt.Errorf("store media file %s: %w", name, err)
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
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("store media file %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("store media file %s: sync: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store media file %s: %w", name, err)
	}
	if err := files.Rename(tmp, name); err != nil {
		return fmt.Errorf("store media file %s: %w", name, err)
	}
	renamed = true
	if err := files.SyncDir(); err != nil {
		return fmt.Errorf("store media file %s: sync media directory: %w", name, err)
	}
	return nil
}

// WriteBytes is Write of data.
func WriteBytes(files Files, name string, data []byte) error {
	return Write(files, name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
