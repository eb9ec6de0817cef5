package devserver

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// serveOn runs s.Serve on a loopback port until the test ends and returns
// the server's URL and the listener, which counts what Serve accepts.
func serveOn(t *testing.T, s *Server) (string, *countingListener) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	counted := &countingListener{Listener: ln}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, counted) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), counted
}

// countingListener records how many accepted connections were open at
// once.
type countingListener struct {
	net.Listener
	mu         sync.Mutex
	open, most int
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.open++
	l.most = max(l.most, l.open)
	l.mu.Unlock()
	return &countedConn{Conn: c, l: l}, nil
}

func (l *countingListener) mostOpen() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.most
}

type countedConn struct {
	net.Conn
	l    *countingListener
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		c.l.open--
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}

// TestIdleConnectionsCannotStarveTheServer opens ten times more
// connections than the server keeps — some that never send a request,
// some kept alive after one — beside open live-reload streams. The server
// never holds more than its cap; a new request is answered (the kept-alive
// connections are closed to make room: their idle timeout is far longer
// than the test); a rebuild works and reaches the streams, which stay open.
func TestIdleConnectionsCannotStarveTheServer(t *testing.T) {
	limits := Limits{Conns: 4, Streams: 2, Read: 200 * time.Millisecond, Idle: time.Hour}
	s, _ := newServer(t, smallKB(t), WithLimits(limits))
	url, counted := serveOn(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var streams []*bufio.Reader
	for range limits.Streams {
		events := openEvents(t, ctx, url)
		nextBuild(t, events)
		streams = append(streams, events)
	}

	addr := strings.TrimPrefix(url, "http://")
	for i := range 40 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if i%2 == 0 { // kept alive after its answer, which it never reads
			io.WriteString(c, "GET /css/site.css HTTP/1.1\r\nHost: x\r\n\r\n")
		}
	}

	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{}}
	resp, err := client.Get(url + providerPage)
	if err != nil {
		t.Fatalf("a new request behind 40 idle connections: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Acme Mail") {
		t.Errorf("a new request behind 40 idle connections: %s", resp.Status)
	}

	before := s.Version()
	if err := s.Build(); err != nil {
		t.Fatalf("rebuild with idle connections open: %v", err)
	}
	for i, events := range streams {
		if v := nextBuild(t, events); v == strconv.Itoa(before) {
			t.Errorf("stream %d: build event %q after the rebuild", i, v)
		}
	}
	if most := counted.mostOpen(); most > limits.Conns {
		t.Errorf("%d connections open at once, cap %d", most, limits.Conns)
	}
}

// TestTimeoutsCloseIdleConnections: a connection that sends no request,
// or none after its first, is closed once the read or idle timeout passes.
func TestTimeoutsCloseIdleConnections(t *testing.T) {
	s, _ := newServer(t, smallKB(t), WithLimits(Limits{Read: 100 * time.Millisecond, Idle: 100 * time.Millisecond}))
	url, _ := serveOn(t, s)
	for _, request := range []string{"", "GET /css/site.css HTTP/1.1\r\nHost: x\r\n\r\n"} {
		c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, request)
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		// The answer to the request, if any, then the end.
		if _, err := io.ReadAll(c); err != nil {
			t.Errorf("after %q: the server did not close the connection: %v", request, err)
		}
	}
}

// TestEventStreamOutlivesTimeouts keeps a live-reload stream open ten
// times longer than the server's timeouts; it still carries the next
// build.
func TestEventStreamOutlivesTimeouts(t *testing.T) {
	limits := Limits{Read: 100 * time.Millisecond, Write: 100 * time.Millisecond, Idle: 100 * time.Millisecond}
	s, _ := newServer(t, smallKB(t), WithLimits(limits))
	url, _ := serveOn(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := openEvents(t, ctx, url)
	first := nextBuild(t, events)
	time.Sleep(10 * limits.Write)
	if err := s.Build(); err != nil {
		t.Fatal(err)
	}
	if v := nextBuild(t, events); v == first {
		t.Errorf("build event %s after a rebuild, same as before", v)
	}
}

// TestEventStreamsAreCapped: a stream beyond the cap is refused with a
// reason; once a page goes, another may open one.
func TestEventStreamsAreCapped(t *testing.T) {
	s, _ := newServer(t, smallKB(t), WithLimits(Limits{Conns: 8, Streams: 2}))
	url, _ := serveOn(t, s)
	first, closeFirst := context.WithCancel(context.Background())
	defer closeFirst()
	nextBuild(t, openEvents(t, first, url))
	other, closeOther := context.WithCancel(context.Background())
	defer closeOther()
	nextBuild(t, openEvents(t, other, url))

	status, body := tryStream(t, url)
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "2 live-reload streams are open") {
		t.Errorf("a stream beyond the cap: %d %q", status, body)
	}

	closeFirst()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if status, _ := tryStream(t, url); status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("20s after a page went, a new stream is still refused")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tryStream asks for a live-reload stream and closes it at once; it
// returns the status and, when refused, the reason.
func tryStream(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url + eventsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return resp.StatusCode, "" // a stream: reading it would not end
	}
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestLimitsCheck(t *testing.T) {
	tests := []struct {
		limits Limits
		ok     bool
	}{
		{Limits{}, true},
		{Limits{Conns: 4, Streams: 2}, true},
		{Limits{Conns: 4, Streams: 4}, false},
		{Limits{Conns: 16}, false}, // the default 32 streams would take them all
		{Limits{Conns: -1}, false},
		{Limits{Write: -time.Second}, false},
	}
	for _, tt := range tests {
		s, err := New(t.TempDir(), WithLimits(tt.limits))
		if err == nil {
			s.Close()
		}
		if (err == nil) != tt.ok {
			t.Errorf("New with %+v: error %v, want ok=%v", tt.limits, err, tt.ok)
		}
	}
}

// TestSilentConnectionsMakeRoom: connections that never send a request
// hold no place for long once the server is full: with a read timeout of
// an hour, a new request is still answered.
func TestSilentConnectionsMakeRoom(t *testing.T) {
	limits := Limits{Conns: 4, Streams: 1, Read: time.Hour, Idle: time.Hour}
	s, _ := newServer(t, smallKB(t), WithLimits(limits))
	url, counted := serveOn(t, s)
	for range 20 {
		c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}}
	resp, err := client.Get(url + providerPage)
	if err != nil {
		t.Fatalf("a new request behind 20 silent connections: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a new request behind 20 silent connections: %s", resp.Status)
	}
	if most := counted.mostOpen(); most > limits.Conns {
		t.Errorf("%d connections open at once, cap %d", most, limits.Conns)
	}
}
