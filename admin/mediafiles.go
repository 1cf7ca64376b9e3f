package admin

import "dateline/content/mediafile"

// The media directory, as the upload and delete handlers use it (see
// package mediafile).
type (
	MediaFiles = mediafile.Files
	MediaFile  = mediafile.File
	MediaDir   = mediafile.Dir
)
