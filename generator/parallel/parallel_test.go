package parallel

import (
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, tt := range []struct{ n, workers int }{{0, 4}, {1, 4}, {100, 1}, {100, 3}, {5, 0}} {
		var calls [100]atomic.Int32
		For(tt.n, tt.workers, func(i int) { calls[i].Add(1) })
		for i := range calls {
			want := int32(0)
			if i < tt.n {
				want = 1
			}
			if got := calls[i].Load(); got != want {
				t.Errorf("For(%d, %d): fn(%d) called %d times, want %d", tt.n, tt.workers, i, got, want)
			}
		}
	}
}
