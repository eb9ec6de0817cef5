package devserver

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Limits bound what clients may hold open, so that a flood of idle
// connections cannot take the file descriptors a build needs, nor the
// server's attention.
type Limits struct {
	Conns   int           // open connections, event streams included (default 256)
	Streams int           // open live-reload event streams; fewer than Conns (default 32)
	Read    time.Duration // to read a request's header and body (default 10s)
	Write   time.Duration // to write a response, or one message of an event stream (default 30s)
	Idle    time.Duration // a kept-alive connection may wait for its next request (default 1m)
}

func (l Limits) withDefaults() Limits {
	return Limits{
		Conns:   cmp.Or(l.Conns, 256),
		Streams: cmp.Or(l.Streams, 32),
		Read:    cmp.Or(l.Read, 10*time.Second),
		Write:   cmp.Or(l.Write, 30*time.Second),
		Idle:    cmp.Or(l.Idle, time.Minute),
	}
}

func (l Limits) check() error {
	if l.Conns < 1 || l.Streams < 1 || l.Read < 0 || l.Write < 0 || l.Idle < 0 {
		return fmt.Errorf("devserver: limits must be positive: %+v", l)
	}
	if l.Streams >= l.Conns {
		return fmt.Errorf("devserver: %d event streams may not take all %d connections: pages would find none left; set Streams below Conns", l.Streams, l.Conns)
	}
	return nil
}

// Serve answers HTTP on ln with Handler until ctx is done, then shuts
// down, giving requests in flight two seconds; open event streams end
// with ctx. It keeps to the Server's Limits: at most Conns connections are
// open; more wait in the listener's queue, costing the process no file
// descriptor, until a kept-alive one is closed to make room, a request
// ends or a timeout passes.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: s.limits.Read,
		ReadTimeout:       s.limits.Read,
		WriteTimeout:      s.limits.Write,
		IdleTimeout:       s.limits.Idle,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	limited := newLimitListener(ln, s.limits.Conns)
	hs.ConnState = limited.connState
	shutDown := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(shutDown)
		grace, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if hs.Shutdown(grace) != nil {
			hs.Close()
		}
	})
	err := hs.Serve(limited)
	if !stop() {
		<-shutDown
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// events streams build versions to a page's EventSource. A stream
// outlives the server's write timeout: each message gets a write deadline
// of its own. A page that goes away ends its stream (the server reads the
// connection's end); a client that stays connected but never reads keeps
// its stream until its buffers are full and a message times out, which is
// why at most Streams are open at once.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	c := make(chan int, 1)
	s.mu.Lock()
	if len(s.clients) >= s.limits.Streams {
		s.mu.Unlock()
		// EventSource does not retry after an error status: the page
		// stays as it is, without live reload.
		http.Error(w, fmt.Sprintf("%d live-reload streams are open, the most this server keeps: close some pages and reload this one", s.limits.Streams), http.StatusServiceUnavailable)
		return
	}
	s.clients = append(s.clients, c)
	v := s.version
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		for i, x := range s.clients {
			if x == c {
				s.clients = append(s.clients[:i], s.clients[i+1:]...)
				break
			}
		}
		s.mu.Unlock()
	}()

	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	send := func(msg string) bool {
		// An error here means a writer without deadlines: no server
		// deadline to move either.
		rc.SetWriteDeadline(time.Now().Add(s.limits.Write))
		if _, err := fmt.Fprint(w, msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	build := func(v int) string { return fmt.Sprintf("event: build\ndata: %d\n\n", v) }
	if !send("retry: 1000\n" + build(v)) {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case v := <-c:
			if !send(build(v)) {
				return
			}
		}
	}
}
