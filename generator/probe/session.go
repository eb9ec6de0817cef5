package probe

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
)

// Limits that keep a misbehaving server from holding the probe or its
// memory: replies are read line by line within a deadline.
const (
	maxLineBytes  = 16 << 10
	maxReplyLines = 500
)

// Kinds of failure that detectSecurity looks for.
var (
	errPlaintextReply = errors.New("plaintext reply to a TLS handshake")
	errSilent         = errors.New("no reply")
)

// describedError is a failure of a known kind with a message for people.
type describedError struct {
	kind error
	msg  string
}

func (e describedError) Error() string { return e.msg }
func (e describedError) Unwrap() error { return e.kind }

// session is one connection: line-oriented reads with a deadline per
// reply, and the switch to TLS.
type session struct {
	conn    net.Conn
	r       *bufio.Reader
	timeout time.Duration
	tags    int // IMAP commands sent, for their tags
	// broken is set once the connection can no longer carry a polite
	// goodbye: a read or write failed, or a TLS handshake did not finish.
	broken bool
}

func newSession(conn net.Conn, timeout time.Duration) *session {
	return &session{conn: conn, r: bufio.NewReaderSize(conn, maxLineBytes), timeout: timeout}
}

// step starts a new network step: the next reply must arrive within the
// timeout.
func (s *session) step() { s.conn.SetDeadline(time.Now().Add(s.timeout)) }

// send writes one command line and starts the step that awaits its reply.
func (s *session) send(line string) error {
	s.step()
	if _, err := io.WriteString(s.conn, line+"\r\n"); err != nil {
		s.broken = true
		return fmt.Errorf("sending %q: %w", line, err)
	}
	return nil
}

// readLine reads one CRLF- (or LF-) terminated line within the current
// step's deadline, without its line end. waiting says what the reply is,
// for the error message.
func (s *session) readLine(waiting string) (string, error) {
	line, err := s.r.ReadSlice('\n')
	if err == nil {
		return strings.TrimRight(string(line), "\r\n"), nil
	}
	s.broken = true
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", fmt.Errorf("%s: a line longer than %d bytes; this is not a mail server's reply", waiting, maxLineBytes)
	case isTimeout(err) && len(line) == 0:
		return "", describedError{errSilent, fmt.Sprintf("no %s within %s", waiting, s.timeout)}
	case isTimeout(err):
		return "", fmt.Errorf("%s stopped after %q, with no line end within %s", waiting, line, s.timeout)
	case isClosed(err) && len(line) == 0:
		return "", fmt.Errorf("the server closed the connection before the %s", waiting)
	case isClosed(err):
		return "", fmt.Errorf("the server closed the connection in the middle of the %s, after %q", waiting, line)
	case errors.Is(err, syscall.ECONNRESET):
		return "", fmt.Errorf("the server reset the connection while sending the %s", waiting)
	}
	return "", fmt.Errorf("reading the %s: %w", waiting, err)
}

// upgradeable refuses to start TLS when the server has already sent bytes
// past its STARTTLS reply: they would be plaintext mixed into the secure
// channel (the STARTTLS command-injection flaw).
func (s *session) upgradeable() error {
	if n := s.r.Buffered(); n > 0 {
		return fmt.Errorf("the server sent %d bytes after agreeing to start TLS; a correct server waits for the handshake", n)
	}
	return nil
}

// replaceConn continues the session over conn (the TLS connection).
func (s *session) replaceConn(conn net.Conn) {
	s.conn = conn
	s.r = bufio.NewReaderSize(conn, maxLineBytes)
	s.broken = false
}

// isClosed is true of the end of a connection: a plain EOF, or one that
// cuts a TLS record short.
func isClosed(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func describeDialError(err error, timeout time.Duration) error {
	var dns *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return errors.New("connection refused: nothing listens on that port; check the port number")
	case errors.As(err, &dns):
		return fmt.Errorf("cannot resolve %s: %v; check the host name", dns.Name, dns.Err)
	case isTimeout(err):
		return fmt.Errorf("no answer within %s: the host is down, or a firewall drops the port", timeout)
	}
	return err
}

func describeHandshakeError(err error, timeout time.Duration) error {
	var rec tls.RecordHeaderError
	switch {
	case errors.As(err, &rec):
		return describedError{errPlaintextReply, fmt.Sprintf(
			"the server answered in plaintext (%q…), not TLS: this port does not speak implicit TLS", rec.RecordHeader[:])}
	case isTimeout(err):
		return describedError{errSilent, fmt.Sprintf("no TLS handshake within %s", timeout)}
	case errors.Is(err, io.EOF):
		return errors.New("the server closed the connection during the TLS handshake")
	}
	return fmt.Errorf("TLS handshake failed: %w", err)
}

// describeVerifyError says why the certificate info describes was
// refused, and what to do.
func describeVerifyError(err error, host string, info TLSInfo) string {
	var name x509.HostnameError
	var invalid x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	switch {
	case errors.As(err, &name):
		return fmt.Sprintf("the certificate is not valid for %s: it names %s", host, namesList(info.Names))
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && time.Now().After(info.NotAfter):
		return fmt.Sprintf("the certificate expired on %s", info.NotAfter.Format(time.DateOnly))
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return fmt.Sprintf("the certificate is not valid yet: %v", err)
	case errors.As(err, &unknown):
		return fmt.Sprintf("the certificate is signed by an authority this machine does not trust (%v); for a private CA pass its certificate with --ca FILE", err)
	}
	return fmt.Sprintf("the certificate was refused: %v", err)
}
