// Package parallel runs a function over the indexes 0…n-1 on several
// goroutines: the one worker pool that rendering, parsing and writing
// files share.
package parallel

import (
	"runtime"
	"sync"
)

// For calls fn(i) for every i in 0…n-1 on the given number of goroutines
// (at least one), and returns when all calls have.
func For(n, workers int, fn func(i int)) {
	workers = max(1, min(workers, n))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Cores is how many goroutines keep every core busy with work that
// computes.
func Cores() int { return runtime.GOMAXPROCS(0) }
