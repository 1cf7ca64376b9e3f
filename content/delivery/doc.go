// Package delivery is Dateline's public, read-only API under /api/v1: the
// published stories, tags and authors a frontend pulls as JSON. Only
// published content ever leaves it, whatever the query says.
//
// # Caching
//
// This is the one description of every cache on the public read path;
// all of them live in this package, and the store keeps none. They share
// one invalidation: the content generation (Store.Generation), which is
// the outbox position (the last committed event id). It grows after every
// committed write readers can see (the store decides which those are),
// once the commit is done, so a read that sees the new generation also
// sees the write; and after another process's write on the same database
// once the store has found it (it looks every 250 ms). Nothing is
// invalidated by hand, and nothing is served for a generation other than
// the one it was built for.
//
// HTTP. Every 200 read, JSON, feed or sitemap, carries a strong ETag (a
// hash of the exact body), and a request whose If-None-Match names it is
// answered 304 without a body. HEAD gets the headers of GET. Cache-Control
// is public with max-age and stale-while-revalidate from Caching.
// Surrogate-Key gives a CDN purge keys: a story page names its story, slug
// and tags; every list names "articles" and its filters (tag, author,
// search), and so do feeds ("feeds") and sitemaps ("sitemaps"). On any
// change of a story, purge "article:<id>" and "articles": lists are
// short-lived and cheap, and keeping their headers short (no key per story
// shown) keeps every read cheap for clients. Reads send CORS "*" (exposing
// ETag to scripts) and no Vary: the representation never depends on
// request headers (no compression, no negotiation). Preflight answers
// OPTIONS for every path under the API.
//
// The layers a read meets, in order:
//
//  1. The response cache (cache.go, respcache.go) holds the 200 bodies,
//     with their headers, of the routes wrapped in api.cached. Key: the
//     path and the raw query with its parameters sorted; an entry is
//     served only for the generation it was built in, and the first answer
//     kept under a newer generation empties its shard. Bound: Caching.MaxBytes
//     (cache_memory_mb), in shards with a read-locked, allocation-free hit
//     path; a new answer gets in only if its key was asked for more often
//     than what it would evict (TinyLFU admission, size-aware CLOCK
//     eviction), so a working set larger than the cache costs no more than
//     no cache. What it buys (load benchmark, 10,000 stories, CPU time of
//     the server per request, with the cache and without, one run): warm
//     list by tag 68 against 167 µs, warm story 64 against 224 µs, 304
//     revalidation 40 against 184 µs (74%, 72% and 69% of the baseline
//     against 37%, 30% and 19%); one story over 1,000 rotating, a working
//     set five times the cache, 199 against 243 µs and p99 38 against
//     46 ms. Warm reads and 304 cannot come near 90% of the baseline
//     without it.
//  2. The tag redirect table (tagMoves, tags.go) holds the store's whole
//     table of old tag slugs, read once per generation, so that a list by
//     tag that misses the response cache does not query it. Key: the
//     generation; it is read again after any change. What it buys: a
//     look-up costs 0.2 µs against 6 µs for the store's query
//     (BenchmarkTagRedirectTable), about 3% of a list page off the
//     response cache.
//  3. The item cache (itemcache.go: Options.ItemCacheBytes, config
//     item_cache_mb) holds stored list items in a ring outside the Go heap,
//     and beside it the tag lists (taglists.go: Options.NoTagLists, config
//     tag_lists) hold each tag's published stories, newest first, so a list
//     or search page that misses the response cache neither walks the tag
//     index nor reads pages scattered over the database file: the store
//     answers the page's keys (ListKeys, SearchHits) and the items the
//     cache lacks (ListItems). Key: story id, under RenderKey; tag slug.
//     Invalidation: before a read uses it, the cache is brought to the
//     store's generation by reading the outbox events after its own
//     (Store.Events): it drops the items of the stories that article
//     events name and every tag list; an event of a tag or an author (or
//     of a type it does not know), more than syncEvents of them, fewer than
//     the generation says or an error reading them drop everything. A read
//     keeps what it read from the store only if the cache is still at the
//     generation the read noted, so an item read before a commit is either
//     refused or dropped when the cache reaches that commit's generation.
//     What they buy, response cache off (BenchmarkColdListByTag, 10,000
//     stories of one tag, every page of twenty in turn, CPU time per
//     request, five runs): 55–90 µs with both, 125–210 µs with the ring
//     alone, 275–365 µs with neither, the same as when they lived in the
//     store; in the load benchmark (3,000 cold pages) a list page by tag
//     cost 216 µs with both, 422 µs with the ring
//     alone, 673 µs with neither (29%, 16% and 11% of the baseline: the
//     cold list bar of 40% needs both); an uncached search 2.6 ms against
//     3.1 ms without the ring. They cost about 17 MB of resident memory (82
//     against 65 MB).
//  4. Stored public JSON, in the store (not a cache: the production read
//     path): each published story's JSON and list item, rendered in the
//     transaction of the write that changes them, under RenderKey.
//
// The numbers are from runs on a shared two-core machine (load average
// 3 to 17), so compare them with each other, not with the bars; the load
// benchmark (cmd/loadbench -variants, layers response-cache, item-cache
// and tag-lists) measures each layer on and off side by side in one run.
package delivery
