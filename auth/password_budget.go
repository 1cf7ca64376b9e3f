package auth

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
	"unicode/utf8"
)

// ErrHashingBusy is wrapped by the error of a password hash or check that
// could not start within its wait because the memory budget was in use:
// HTTP layers answer 503 with Retry-After.
var ErrHashingBusy = errors.New("password hashing is at capacity")

// Password hashing limits.
const (
	// HashQueueWait is how long a hash or check waits for its share of the
	// memory budget before it gives up with ErrHashingBusy.
	HashQueueWait = 2 * time.Second
	// DefaultHashMemoryMiB is the default memory budget of concurrent
	// hashing: two hashes with DefaultArgon2 (19 MiB each) at once. A hash
	// keeps a core busy for tens of milliseconds, so more at once adds
	// memory rather than logins per second on a small server; a queue of
	// HashQueueWait absorbs a newsroom's morning.
	DefaultHashMemoryMiB = 2 * 19
)

// Passwords hashes and verifies passwords with argon2id within a memory
// budget: each hash or check holds the memory its parameters use (m KiB)
// until it is done and that memory has been collected, and one that does
// not fit waits, first come first served, up to Wait or until its context
// ends, and then fails with ErrHashingBusy without hashing. So however many
// logins arrive at once, argon2id's memory, in use or garbage, stays within
// the budget. It is safe for concurrent use.
//
// Collecting before giving the share back is what makes the bound hold:
// every hash allocates its m KiB afresh, and left to its pacing the garbage
// collector lets the heap grow to twice what was live at its last cycle,
// hashes in flight included, so four concurrent 19 MiB hashes would let
// the heap reach about 170 MiB. A collection costs a few milliseconds (the
// argon2 blocks hold no pointers to scan) beside the tens a hash takes.
type Passwords struct {
	Params Argon2Params  // for new hashes
	Wait   time.Duration // how long to queue for the budget
	budget *memoryBudget
}

// NewPasswords returns Passwords that make new hashes with p and run at
// most budgetMiB MiB of argon2id memory at once, waiting up to wait for it.
// A budget smaller than one hash of p lets one hash run at a time.
func NewPasswords(p Argon2Params, budgetMiB int, wait time.Duration) *Passwords {
	return &Passwords{Params: p, Wait: wait, budget: newMemoryBudget(int64(max(budgetMiB, 1)) * 1024)}
}

// Hash checks pw with CheckPassword and hashes it with p.Params within the
// budget. A password that breaks the limits fails without waiting.
func (p *Passwords) Hash(ctx context.Context, pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	release, err := p.acquire(ctx, p.Params.Memory)
	if err != nil {
		return "", err
	}
	defer release()
	return p.Params.HashPassword(pw)
}

// Verify reports whether pw matches hash, as VerifyPassword does, within
// the budget. A malformed hash or a password over the length limit is false
// at once, without waiting; the error is ErrHashingBusy's only.
func (p *Passwords) Verify(ctx context.Context, hash, pw string) (bool, error) {
	params, err := ParseArgon2(hash)
	if err != nil || utf8.RuneCountInString(pw) > MaxPasswordLength {
		return false, nil
	}
	release, err := p.acquire(ctx, params.Memory)
	if err != nil {
		return false, err
	}
	defer release()
	return VerifyPassword(hash, pw), nil
}

// VerifyNobody costs what Verify costs for an account with the default
// parameters (VerifyNobody), within the budget, and matches nothing.
func (p *Passwords) VerifyNobody(ctx context.Context, pw string) error {
	_, err := p.Verify(ctx, dummyHash, pw)
	return err
}

func (p *Passwords) acquire(ctx context.Context, kib uint32) (func(), error) {
	ctx, cancel := context.WithTimeout(ctx, p.Wait)
	defer cancel()
	release, err := p.budget.acquire(ctx, int64(kib))
	if err != nil {
		return nil, fmt.Errorf("%w (waited %s): %w", ErrHashingBusy, p.Wait, err)
	}
	return func() {
		runtime.GC() // the hash's memory is garbage now: free it for the next one
		release()
	}, nil
}

// memoryBudget is a weighted semaphore over KiB of memory: waiters are
// served in arrival order, so a large request is not starved by small ones.
type memoryBudget struct {
	mu      sync.Mutex
	size    int64
	free    int64
	waiters list.List // of *budgetWaiter
}

type budgetWaiter struct {
	n     int64
	ready chan struct{} // closed once the memory is the waiter's
}

func newMemoryBudget(kib int64) *memoryBudget {
	return &memoryBudget{size: kib, free: kib}
}

// acquire takes n KiB (at most the whole budget), waiting until they are
// free or ctx ends; it returns the function that gives them back.
func (b *memoryBudget) acquire(ctx context.Context, n int64) (func(), error) {
	n = min(max(n, 1), b.size)
	release := func() { b.release(n) }
	b.mu.Lock()
	if b.free >= n && b.waiters.Len() == 0 {
		b.free -= n
		b.mu.Unlock()
		return release, nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	elem := b.waiters.PushBack(w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return release, nil
	case <-ctx.Done():
		b.mu.Lock()
		select {
		case <-w.ready: // granted just as the wait ended: give it back
			b.mu.Unlock()
			b.release(n)
		default:
			front := b.waiters.Front() == elem
			b.waiters.Remove(elem)
			if front {
				b.grant() // those behind may fit now
			}
			b.mu.Unlock()
		}
		return nil, ctx.Err()
	}
}

func (b *memoryBudget) release(n int64) {
	b.mu.Lock()
	b.free += n
	b.grant()
	b.mu.Unlock()
}

// grant hands free memory to waiters in order while the first one fits.
// The caller holds mu.
func (b *memoryBudget) grant() {
	for e := b.waiters.Front(); e != nil; e = b.waiters.Front() {
		w := e.Value.(*budgetWaiter)
		if b.free < w.n {
			return
		}
		b.free -= w.n
		b.waiters.Remove(e)
		close(w.ready)
	}
}

// queued returns how many acquires are waiting.
func (b *memoryBudget) queued() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.waiters.Len()
}
