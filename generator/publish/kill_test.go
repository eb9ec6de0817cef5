//go:build linux

package publish

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The child process of the fault tests: it publishes generations a and b
// into the folder in $MAILKB_PUBLISH_CHILD, one after the other, for ever.
func TestMain(m *testing.M) {
	if out := os.Getenv("MAILKB_PUBLISH_CHILD"); out != "" {
		target, err := Open(out, Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		w := bufio.NewWriter(os.Stdout)
		for i := 0; ; i++ {
			if _, err := target.Publish(generationFiles(i % 2)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
			fmt.Fprintln(w, "published", i)
			w.Flush()
		}
	}
	os.Exit(m.Run())
}

// generationFiles is site a (0) or b (1): many pages whose content says
// which site they belong to, files only one of them has, and a name that
// is a file in one and a folder in the other.
func generationFiles(which int) map[string][]byte {
	tag := []string{"a", "b"}[which]
	files := map[string][]byte{}
	for i := range 200 {
		files[fmt.Sprintf("p/%d/index.html", i)] = []byte(fmt.Sprintf("<p>%s %d</p>%0400d", tag, i, which))
	}
	files["only-"+tag+"/index.html"] = []byte(tag)
	if which == 0 {
		files["switch"] = []byte("a file")
	} else {
		files["switch/index.html"] = []byte("a folder")
	}
	return files
}

// stop sends SIGSTOP and waits until every thread of the process has
// stopped: the signal is delivered asynchronously, and a reader that
// starts before it takes effect could straddle a publish.
func stop(t *testing.T, p *os.Process) {
	t.Helper()
	p.Signal(syscall.SIGSTOP)
	tasks := fmt.Sprintf("/proc/%d/task", p.Pid)
	for range 2000 {
		entries, err := os.ReadDir(tasks)
		if err != nil {
			t.Fatalf("cannot see the child's threads: %v", err)
		}
		all := true
		for _, e := range entries {
			stat, err := os.ReadFile(filepath.Join(tasks, e.Name(), "stat"))
			// The state follows the command name in parentheses.
			if i := bytes.LastIndexByte(stat, ')'); err == nil && i+2 < len(stat) && stat[i+2] != 'T' && stat[i+2] != 't' {
				all = false
			}
		}
		if all {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the child did not stop")
}

// oneGeneration fails unless dir holds exactly site a or site b.
func oneGeneration(t *testing.T, dir, when string) {
	t.Helper()
	errA := holds(t, dir, generationFiles(0))
	errB := holds(t, dir, generationFiles(1))
	if errA != nil && errB != nil {
		t.Fatalf("%s: the output holds neither whole site:\n  not a: %.300v\n  not b: %.300v", when, errA, errB)
	}
}

// TestStoppedAtAnyInstant freezes a publishing process (SIGSTOP) at
// random instants and checks that the output folder is then a whole site;
// then kills it (SIGKILL) at random instants, checks the same, and checks
// that the next publish clears the leftovers and succeeds.
func TestStoppedAtAnyInstant(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes; skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Publish(out, generationFiles(0), Options{}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const kills = 8
	for k := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "MAILKB_PUBLISH_CHILD="+out)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(stdout)
		// Wait until it has published at least once, so it is mid-cycle.
		if !lines.Scan() {
			cmd.Wait()
			t.Fatalf("the child published nothing")
		}
		go func() {
			for lines.Scan() {
			}
		}()
		for range 3 {
			time.Sleep(time.Duration(rng.IntN(40_000)) * time.Microsecond)
			stop(t, cmd.Process)
			oneGeneration(t, out, "stopped")
			cmd.Process.Signal(syscall.SIGCONT)
		}
		time.Sleep(time.Duration(rng.IntN(40_000)) * time.Microsecond)
		cmd.Process.Kill()
		cmd.Wait()
		oneGeneration(t, out, "killed "+strconv.Itoa(k))
	}
	// The next run takes over: it publishes, and only whole sites remain.
	if _, err := Publish(out, generationFiles(1), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := holds(t, out, generationFiles(1)); err != nil {
		t.Fatal(err)
	}
	spare := filepath.Join(filepath.Dir(out), ".public.mailkb", "spare")
	if err := holds(t, spare, generationFiles(0)); err != nil {
		if err2 := holds(t, spare, generationFiles(1)); err2 != nil {
			t.Errorf("the spare is not a whole site after recovery: %v", err)
		}
	}
}

// TestConcurrentPublishers runs two processes publishing into one folder
// at once: the lock makes them take turns, so the folder is always one
// whole site.
func TestConcurrentPublishers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes; skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Publish(out, generationFiles(0), Options{}); err != nil {
		t.Fatal(err)
	}
	var cmds []*exec.Cmd
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "MAILKB_PUBLISH_CHILD="+out)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 10 {
		time.Sleep(time.Duration(rng.IntN(50_000)) * time.Microsecond)
		for _, c := range cmds {
			stop(t, c.Process)
		}
		oneGeneration(t, out, "both stopped")
		for _, c := range cmds {
			c.Process.Signal(syscall.SIGCONT)
		}
	}
	for _, c := range cmds {
		c.Process.Kill()
		c.Wait()
	}
	oneGeneration(t, out, "both killed")
}

// TestFirstPublishesAtOnce starts several publishers into a folder that
// has never been published, at the same moment: each must find mailkb's
// working folder whole (made by itself or by another), never half made.
func TestFirstPublishesAtOnce(t *testing.T) {
	for round := range 8 {
		out := filepath.Join(t.TempDir(), "public")
		errs := make(chan error, 4)
		var start sync.WaitGroup
		start.Add(1)
		for i := range cap(errs) {
			go func() {
				start.Wait()
				_, err := Publish(out, generationFiles(i%2), Options{})
				errs <- err
			}()
		}
		start.Done()
		for range cap(errs) {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.mailkb.new-*"))
		if len(leftovers) > 0 {
			t.Fatalf("round %d: left %v behind", round, leftovers)
		}
	}
}
