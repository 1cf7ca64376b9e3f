//go:build !unix

package sqlite

// dirWritable reports whether this process may create files in dir; where
// that cannot be asked, it answers true, so that openReadOnly never reads a
// database as immutable.
func dirWritable(string) bool { return true }
