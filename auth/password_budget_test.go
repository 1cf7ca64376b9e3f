package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// cheap are parameters that keep these tests fast: 1 MiB, one pass.
var cheap = Argon2Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestPasswordsHashAndVerifyWithinTheBudget(t *testing.T) {
	p := NewPasswords(cheap, 4, time.Second)
	ctx := context.Background()
	hash, err := p.Hash(ctx, "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, hash, pw string
		want           bool
	}{
		{"the right password matches", hash, "a long enough password", true},
		{"a wrong password does not", hash, "a long enough passwort", false},
		{"a malformed hash matches nothing", "$argon2id$nonsense", "a long enough password", false},
		{"an empty hash matches nothing", "", "a long enough password", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Verify(ctx, tt.hash, tt.pw)
			if err != nil || got != tt.want {
				t.Errorf("Verify = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	if _, err := p.Hash(ctx, "short"); err == nil || errors.Is(err, ErrHashingBusy) {
		t.Errorf("a too short password: %v, want the length error", err)
	}
}

func TestMemoryBudgetNeverHoldsMoreThanItsSize(t *testing.T) {
	b := newMemoryBudget(4 * 1024)
	var held, peak atomic.Int64
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := b.acquire(context.Background(), 1024)
			if err != nil {
				t.Error(err)
				return
			}
			n := held.Add(1024)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			held.Add(-1024)
			release()
		}()
	}
	wg.Wait()
	if got := peak.Load(); got > 4*1024 {
		t.Errorf("%d KiB held at once, budget 4096", got)
	}
	if b.free != b.size {
		t.Errorf("%d KiB free after every release, want %d", b.free, b.size)
	}
}

func TestAHashThatCannotStartInTimeIsBusy(t *testing.T) {
	p := NewPasswords(cheap, 1, 50*time.Millisecond)
	ctx := context.Background()
	hold, err := p.budget.acquire(ctx, 1024) // the whole budget
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := cheap.HashPassword("a long enough password")
	t.Run("a check waits at most Wait and then fails with ErrHashingBusy", func(t *testing.T) {
		start := time.Now()
		_, err := p.Verify(ctx, hash, "a long enough password")
		if !errors.Is(err, ErrHashingBusy) {
			t.Fatalf("Verify: %v, want ErrHashingBusy", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("waited %s", d)
		}
	})
	t.Run("a cancelled request stops waiting", func(t *testing.T) {
		p.Wait = time.Hour
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := p.VerifyNobody(cctx, "whatever password"); !errors.Is(err, ErrHashingBusy) || !errors.Is(err, context.Canceled) {
			t.Fatalf("VerifyNobody: %v", err)
		}
	})
	hold()
	t.Run("once the memory is free a check runs", func(t *testing.T) {
		if ok, err := p.Verify(ctx, hash, "a long enough password"); err != nil || !ok {
			t.Errorf("Verify = %v, %v", ok, err)
		}
	})
	if p.budget.free != p.budget.size || p.budget.waiters.Len() != 0 {
		t.Errorf("budget left with %d free, %d waiters", p.budget.free, p.budget.waiters.Len())
	}
}

func TestAGiveUpAtTheHeadOfTheQueueLetsTheNextOneIn(t *testing.T) {
	b := newMemoryBudget(4)
	hold, _ := b.acquire(context.Background(), 3) // 1 KiB left
	big, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := b.acquire(big, 4); done <- err }()
	for b.queued() == 0 {
		time.Sleep(time.Millisecond)
	}
	small := make(chan struct{})
	go func() {
		release, err := b.acquire(context.Background(), 1)
		if err == nil {
			release()
		}
		close(small)
	}()
	for b.queued() < 2 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("big acquire: %v", err)
	}
	select {
	case <-small:
	case <-time.After(5 * time.Second):
		t.Fatal("the small request behind a cancelled one was never served")
	}
	hold()
}
