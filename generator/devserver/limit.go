package devserver

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limitListener keeps at most max connections open, and a place free for
// the next comer: when every place is taken it closes the connection kept
// alive longest without a request, as a client must expect of a kept-alive
// connection, or else the oldest one that has sent nothing at all for
// longer than silentGrace (a browser sends its request at once; on
// loopback a connection silent for a second is not about to). A crowd of
// idle or silent connections then cannot keep a newcomer queuing until
// their timeouts. Connections in a request, event streams among them, are
// never closed; while they hold every place, Accept waits for one to end
// or fall idle.
type limitListener struct {
	net.Listener
	places chan struct{} // a token for every open connection
	idled  chan struct{} // a connection fell idle
	closed chan struct{}
	once   sync.Once

	mu     sync.Mutex                 // guards idle, silent and every limitedConn's closed
	idle   map[*limitedConn]time.Time // since when, for kept-alive connections between requests
	silent map[*limitedConn]time.Time // since when, for connections that have sent no request yet
}

// silentGrace is how long a new connection may stay silent before it may
// be closed to make room.
const silentGrace = time.Second

func newLimitListener(ln net.Listener, max int) *limitListener {
	return &limitListener{Listener: ln, places: make(chan struct{}, max), idled: make(chan struct{}, 1),
		closed: make(chan struct{}), idle: map[*limitedConn]time.Time{}, silent: map[*limitedConn]time.Time{}}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		var retry <-chan time.Time
		if len(l.places) == cap(l.places) {
			l.makeRoom()
			// A silent connection may pass its grace while Accept waits.
			retry = time.After(silentGrace / 4)
		}
		select {
		case <-retry:
		case l.places <- struct{}{}:
			c, err := l.Listener.Accept()
			if err != nil {
				<-l.places
				return nil, err
			}
			return &limitedConn{Conn: c, l: l}, nil
		case <-l.idled:
		case <-l.closed:
			return nil, net.ErrClosed
		}
	}
}

func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// makeRoom closes the connection kept alive longest, or else the oldest
// one silent past its grace, if there is one.
func (l *limitListener) makeRoom() {
	l.mu.Lock()
	victim := oldest(l.idle, time.Time{})
	if victim == nil {
		victim = oldest(l.silent, time.Now().Add(-silentGrace))
	}
	l.mu.Unlock()
	if victim != nil {
		victim.Close()
	}
}

// oldest is the connection of conns waiting since longest, and before
// notAfter unless that is zero.
func oldest(conns map[*limitedConn]time.Time, notAfter time.Time) *limitedConn {
	var found *limitedConn
	var since time.Time
	for c, t := range conns {
		if (notAfter.IsZero() || t.Before(notAfter)) && (found == nil || t.Before(since)) {
			found, since = c, t
		}
	}
	return found
}

// connState is the http.Server's ConnState hook: it tells the listener
// which connections are kept alive between requests.
func (l *limitListener) connState(c net.Conn, state http.ConnState) {
	lc, ok := c.(*limitedConn)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch state {
	case http.StateNew:
		if !lc.closed {
			l.silent[lc] = time.Now()
		}
	case http.StateIdle:
		delete(l.silent, lc)
		if !lc.closed { // closed to make room while the server finished with it
			l.idle[lc] = time.Now()
			select {
			case l.idled <- struct{}{}:
			default: // Accept has yet to see the last news
			}
		}
	default:
		delete(l.idle, lc)
		delete(l.silent, lc)
	}
}

// limitedConn gives its place back when it is closed, by the server or by
// the listener making room.
type limitedConn struct {
	net.Conn
	l *limitListener

	once   sync.Once
	closed bool
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		c.closed = true
		delete(c.l.idle, c)
		delete(c.l.silent, c)
		c.l.mu.Unlock()
		<-c.l.places
	})
	return err
}
