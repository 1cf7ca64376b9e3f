package photo

import (
	"context"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"

	"dateline/content"
)

// Budget bounds the memory that image decoding and encoding take at once:
// every decode holds its Info.Cost (or a worker's estimate) of the budget
// until it is done. Waiters are admitted in order, so a large image is not
// starved by small ones. It is safe for concurrent use.
type Budget struct {
	sem     *semaphore.Weighted
	size    int64
	inUse   atomic.Int64
	waiting atomic.Int64 // Acquire calls waiting now
}

// NewBudget returns a budget of bytes.
func NewBudget(bytes int64) *Budget {
	return &Budget{sem: semaphore.NewWeighted(bytes), size: bytes}
}

// Size is the whole budget in bytes.
func (b *Budget) Size() int64 { return b.size }

// InUse is how many bytes are held now.
func (b *Budget) InUse() int64 { return b.inUse.Load() }

// MsgBusy tells people that images are being processed up to the memory
// budget, so theirs has to wait.
const MsgBusy = "the server is processing other images; try again in a moment"

// Acquire holds cost bytes of the budget (at least one) and returns the
// function that gives them back; call it exactly once. It waits while the
// budget is full, until ctx ends: then it fails with EUNAVAILABLE (MsgBusy).
// A cost larger than the whole budget can never be admitted and fails at
// once with an error from Invalid.
func (b *Budget) Acquire(ctx context.Context, cost int64) (release func(), err error) {
	cost = max(cost, 1)
	if cost > b.size {
		return nil, Invalid("needs about %d MB of memory to process, and this server processes images of up to %d MB; upload a smaller image",
			(cost+999_999)/1_000_000, b.size/1_000_000)
	}
	b.waiting.Add(1)
	err = b.sem.Acquire(ctx, cost)
	b.waiting.Add(-1)
	if err != nil {
		return nil, content.Errorf(content.EUNAVAILABLE, MsgBusy)
	}
	return b.held(cost), nil
}

// backgroundPoll is how often AcquireBackground looks for room.
const backgroundPoll = 50 * time.Millisecond

// AcquireBackground is Acquire for work nobody waits for (renditions): it
// yields to every Acquire, taking room only while no Acquire is waiting,
// so that uploads are not queued behind it. A cost larger than the whole
// budget takes the whole budget. It fails with ctx's error when ctx ends.
func (b *Budget) AcquireBackground(ctx context.Context, cost int64) (release func(), err error) {
	cost = min(max(cost, 1), b.size)
	t := time.NewTicker(backgroundPoll)
	defer t.Stop()
	for {
		if b.waiting.Load() == 0 && b.sem.TryAcquire(cost) {
			return b.held(cost), nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// held records cost as held and returns the function that gives it back
// once.
func (b *Budget) held(cost int64) func() {
	b.inUse.Add(cost)
	var done atomic.Bool
	return func() {
		if done.CompareAndSwap(false, true) {
			b.inUse.Add(-cost)
			b.sem.Release(cost)
		}
	}
}
