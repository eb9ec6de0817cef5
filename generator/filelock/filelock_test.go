package filelock

import (
	"context"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"
)

func TestSecondAcquireWaitsForRelease(t *testing.T) {
	dir := t.TempDir()
	first, err := Acquire(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var waited atomic.Bool
	got := make(chan *Lock)
	go func() {
		l, err := Acquire(context.Background(), dir, func() { waited.Store(true) })
		if err != nil {
			t.Error(err)
		}
		got <- l
	}()
	select {
	case <-got:
		t.Fatal("a second Acquire got the lock while the first held it")
	case <-time.After(200 * time.Millisecond):
	}
	if !waited.Load() {
		t.Error("the waiting Acquire did not say it was waiting")
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	select {
	case l := <-got:
		l.Release()
	case <-time.After(5 * time.Second):
		t.Fatal("the second Acquire never got the lock after Release")
	}
}

func TestAcquireGivesUpWithContext(t *testing.T) {
	dir := t.TempDir()
	first, err := Acquire(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := Acquire(ctx, dir, nil); err == nil {
		t.Fatal("Acquire succeeded while the lock was held")
	}
}

func TestMissingDirectory(t *testing.T) {
	if _, err := Acquire(context.Background(), t.TempDir()+"/nope", nil); err == nil {
		t.Fatal("locked a folder that does not exist")
	}
}

// A lock held by a process that is killed is free again: flock ends with
// the holder.
func TestLockEndsWithItsProcess(t *testing.T) {
	if os.Getenv("FILELOCK_HOLD") != "" {
		if _, err := Acquire(context.Background(), os.Getenv("FILELOCK_HOLD"), nil); err != nil {
			os.Exit(2)
		}
		os.Stdout.WriteString("held\n")
		time.Sleep(time.Minute)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=TestLockEndsWithItsProcess")
	cmd.Env = append(os.Environ(), "FILELOCK_HOLD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	if _, err := Acquire(ctx, dir, nil); err == nil {
		t.Error("got the lock while the child held it")
	}
	cancel()
	cmd.Process.Kill()
	cmd.Wait()
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l, err := Acquire(ctx, dir, nil)
	if err != nil {
		t.Fatalf("lock not free after its holder was killed: %v", err)
	}
	l.Release()
}
