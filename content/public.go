package content

import "time"

// PublicJSON is the public JSON of one published story as the delivery API
// answers it, made at write time so that reads can serve it as it is.
type PublicJSON struct {
	Summary []byte // the story as a list item, without a trailing newline
	Full    []byte // the whole story: the exact body of its response
	Keys    string // the whole story's Surrogate-Key header value
}

// Blob is stored public JSON of one published story, as a read returns it.
type Blob struct {
	ID          string
	PublishedAt time.Time // set by list reads, for the next cursor
	JSON        []byte    // PublicJSON.Summary in lists, PublicJSON.Full by slug
	Keys        string    // PublicJSON.Keys; set by reads by slug
	Match       *Match    // set by searches: the hit's rank and snippet
}
