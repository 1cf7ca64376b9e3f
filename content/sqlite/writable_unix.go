//go:build unix

package sqlite

import "syscall"

// dirWritable reports whether this process may create files in dir.
func dirWritable(dir string) bool {
	const wOK = 2 // W_OK
	return syscall.Access(dir, wOK) == nil
}
