package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"mailkb/generator/model"
)

// The failure cases run against small fake servers on 127.0.0.1, each
// misbehaving in one way.

// fakeServer listens on a free loopback port and runs serve on every
// connection; it returns the port.
func fakeServer(t *testing.T, serve func(net.Conn)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				serve(c)
			})
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// overTLS wraps serve in implicit TLS with cert.
func overTLS(cert tls.Certificate, serve func(net.Conn)) func(net.Conn) {
	return func(c net.Conn) {
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}})
		if tc.Handshake() == nil {
			serve(tc)
		}
	}
}

// fakeIMAP greets, lists capabilities with STARTTLS (but refuses it) and
// logs out. It sends each command it gets to got, when not nil.
func fakeIMAP(got chan<- string) func(net.Conn) {
	return func(c net.Conn) {
		if got != nil {
			defer close(got)
		}
		io.WriteString(c, "* OK [CAPABILITY IMAP4rev1 STARTTLS] fake ready\r\n")
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			tag, command, _ := strings.Cut(strings.TrimSpace(line), " ")
			if got != nil {
				got <- command
			}
			switch command {
			case "CAPABILITY":
				fmt.Fprintf(c, "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n%s OK done\r\n", tag)
			case "LOGOUT":
				fmt.Fprintf(c, "* BYE bye\r\n%s OK done\r\n", tag)
				return
			default:
				fmt.Fprintf(c, "%s BAD not in this fake\r\n", tag)
			}
		}
	}
}

// silent accepts and never speaks.
func silent(c net.Conn) { io.Copy(io.Discard, c) }

func target(port int, p model.Protocol, s model.Security) Target {
	return Target{Protocol: p, Host: "127.0.0.1", Port: port, Security: s}
}

func wantFailure(t *testing.T, r Report, step Step, message string) {
	t.Helper()
	if r.Failure == nil || r.Failure.Step != step || !strings.Contains(r.Failure.Message, message) {
		t.Fatalf("failure %v, want step %q with %q", r.Failure, step, message)
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // now nothing listens there
	r := New(WithTimeout(5*time.Second)).Probe(context.Background(), target(port, model.IMAP, model.TLS))
	wantFailure(t, r, StepConnect, "connection refused: nothing listens on that port")
}

func TestPlaintextWhereTLSIsExpected(t *testing.T) {
	port := fakeServer(t, fakeIMAP(nil))
	r := New(WithTimeout(5*time.Second)).Probe(context.Background(), target(port, model.IMAP, model.TLS))
	wantFailure(t, r, StepTLS, `the server answered in plaintext ("* OK "…), not TLS`)
	if r.Security != model.STARTTLS {
		t.Errorf("security seen %q, want starttls (the second look found STARTTLS offered)", r.Security)
	}
}

func TestRefusedCommandStillEndsPolitely(t *testing.T) {
	got := make(chan string, 10)
	port := fakeServer(t, fakeIMAP(got))
	r := New(WithTimeout(5*time.Second)).Probe(context.Background(), target(port, model.IMAP, model.STARTTLS))
	wantFailure(t, r, StepSTARTTLS, `STARTTLS refused: "a2 BAD not in this fake"`)
	var commands []string
	for c := range got {
		commands = append(commands, c)
	}
	if want := []string{"CAPABILITY", "STARTTLS", "LOGOUT"}; !slices.Equal(commands, want) {
		t.Errorf("the probe said %q, want %q", commands, want)
	}
}

func TestCertificateFailures(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()
	tests := []struct {
		name      string
		names     []string
		notAfter  time.Time
		trustCA   bool
		want      string
		wantNames string
	}{
		{"for another host", []string{"other.example"}, now.Add(time.Hour), true,
			"the certificate is not valid for 127.0.0.1: it names other.example", "other.example"},
		{"expired", []string{"127.0.0.1"}, now.Add(-time.Hour), true, "the certificate expired on " + now.Add(-time.Hour).UTC().Format(time.DateOnly), "127.0.0.1"},
		{"private CA not given with --ca", []string{"127.0.0.1"}, now.Add(time.Hour), false,
			"for a private CA pass its certificate with --ca FILE", "127.0.0.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cert := ca.leaf(t, tc.names, now.Add(-48*time.Hour), tc.notAfter)
			port := fakeServer(t, overTLS(cert, fakeIMAP(nil)))
			opts := []Option{WithTimeout(5 * time.Second)}
			if tc.trustCA {
				opts = append(opts, WithRootCAs(ca.Pool()))
			}
			r := New(opts...).Probe(context.Background(), target(port, model.IMAP, model.TLS))
			wantFailure(t, r, StepTLS, tc.want)
			if r.TLS == nil || r.TLS.Verified || !slices.Contains(r.TLS.Names, tc.wantNames) {
				t.Fatalf("TLS info %+v: want the unverified certificate's names", r.TLS)
			}
			if got := r.TLS.NotAfter.Truncate(time.Second); !got.Equal(tc.notAfter.UTC().Truncate(time.Second)) {
				t.Errorf("expiry %s, want %s", got, tc.notAfter.UTC())
			}
			if r.Security != model.TLS || len(Compare(r, &model.Endpoint{Protocol: model.IMAP, Port: port, Security: model.TLS})) != 1 {
				t.Errorf("security %q, mismatches %v: want tls and one certificate mismatch", r.Security, Compare(r, &model.Endpoint{Security: model.TLS}))
			}
		})
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	const timeout = 150 * time.Millisecond
	port := fakeServer(t, silent)
	p := New(WithTimeout(timeout))
	for _, tc := range []struct {
		security model.Security
		step     Step
		want     string
	}{
		{model.TLS, StepTLS, "no TLS handshake within 150ms"},
		// No greeting, then no TLS handshake on the second look either.
		{model.STARTTLS, StepGreeting, "no greeting within 150ms"},
	} {
		start := time.Now()
		r := p.Probe(context.Background(), target(port, model.SMTP, tc.security))
		// Two silent steps (the second look included) and some slack for
		// a busy machine.
		if elapsed := time.Since(start); elapsed > 2*timeout+time.Second {
			t.Errorf("%s: took %s with a %s timeout", tc.security, elapsed, timeout)
		}
		wantFailure(t, r, tc.step, tc.want)
		if r.Security != "" {
			t.Errorf("%s: security seen %q from a silent server", tc.security, r.Security)
		}
	}
}

func TestServerClosesMidGreeting(t *testing.T) {
	ca := newTestCA(t)
	cert := ca.leaf(t, []string{"127.0.0.1"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	p := New(WithTimeout(5*time.Second), WithRootCAs(ca.Pool()))
	for _, tc := range []struct{ sent, want string }{
		{"* OK Dove", `the server closed the connection in the middle of the greeting, after "* OK Dove"`},
		{"", "the server closed the connection before the greeting"},
	} {
		closeAfter := func(c net.Conn) { io.WriteString(c, tc.sent) }
		port := fakeServer(t, closeAfter)
		wantFailure(t, p.Probe(context.Background(), target(port, model.IMAP, model.STARTTLS)), StepGreeting, tc.want)
		// Over TLS, a close without close_notify ends the stream the same way.
		port = fakeServer(t, overTLS(cert, func(c net.Conn) {
			closeAfter(c)
			c.(*tls.Conn).NetConn().Close()
		}))
		wantFailure(t, p.Probe(context.Background(), target(port, model.IMAP, model.TLS)), StepGreeting, tc.want)
	}
}

// fakeSubmission is an SMTP server that offers STARTTLS and answers it
// with starttlsReply; it sends every command it receives to got.
func fakeSubmission(cert tls.Certificate, starttlsReply string, got chan<- string) func(net.Conn) {
	return func(c net.Conn) {
		defer close(got)
		io.WriteString(c, "220 fake.example ESMTP\r\n")
		r := bufio.NewReader(c)
		ehlo := "250-fake.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n"
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			command := strings.TrimSpace(line)
			got <- command
			switch strings.Fields(command)[0] {
			case "EHLO":
				io.WriteString(c, ehlo)
			case "STARTTLS":
				io.WriteString(c, starttlsReply)
				tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}})
				if tc.Handshake() != nil {
					return
				}
				c, r = tc, bufio.NewReader(tc)
				ehlo = "250-fake.example\r\n250-AUTH PLAIN LOGIN XOAUTH2\r\n250 PIPELINING\r\n"
			case "QUIT":
				io.WriteString(c, "221 bye\r\n")
				return
			default:
				io.WriteString(c, "502 not in this fake\r\n")
			}
		}
	}
}

func TestSTARTTLSDialogueSendsNoCredentials(t *testing.T) {
	ca := newTestCA(t)
	cert := ca.leaf(t, []string{"127.0.0.1"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	got := make(chan string, 10)
	port := fakeServer(t, fakeSubmission(cert, "220 go ahead\r\n", got))
	r := New(WithTimeout(5*time.Second), WithRootCAs(ca.Pool())).Probe(context.Background(), target(port, model.SMTP, model.STARTTLS))
	if r.Failure != nil {
		t.Fatal(r.Failure)
	}
	var commands []string
	for c := range got {
		commands = append(commands, c)
	}
	if want := []string{"EHLO [127.0.0.1]", "STARTTLS", "EHLO [127.0.0.1]", "QUIT"}; !slices.Equal(commands, want) {
		t.Errorf("the probe said %q, want %q", commands, want)
	}
	if !slices.Equal(r.Auth, []string{"PLAIN", "LOGIN", "XOAUTH2"}) || !r.TLS.Verified || r.Security != model.STARTTLS {
		t.Errorf("report %+v", r)
	}
	e := &model.Endpoint{Protocol: model.SMTP, Port: port, Security: model.STARTTLS, Auth: []model.Auth{model.OAuth2, model.Password}}
	if m := Compare(r, e); len(m) != 0 {
		t.Errorf("mismatches %v, want none", m)
	}
}

func TestSTARTTLSInjectionIsRefused(t *testing.T) {
	ca := newTestCA(t)
	cert := ca.leaf(t, []string{"127.0.0.1"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	got := make(chan string, 10)
	// Plaintext after the 220 would be read as if it came through TLS.
	port := fakeServer(t, fakeSubmission(cert, "220 go ahead\r\n250 injected\r\n", got))
	r := New(WithTimeout(5*time.Second), WithRootCAs(ca.Pool())).Probe(context.Background(), target(port, model.SMTP, model.STARTTLS))
	wantFailure(t, r, StepSTARTTLS, "the server sent 14 bytes after agreeing to start TLS")
}

func TestSystemRootsPlus(t *testing.T) {
	dir := t.TempDir()
	if _, err := SystemRootsPlus(dir + "/missing.pem"); err == nil || !strings.Contains(err.Error(), "--ca") {
		t.Errorf("missing file: %v", err)
	}
	notPEM := dir + "/not.pem"
	writeFile(t, notPEM, []byte("hello"))
	if _, err := SystemRootsPlus(notPEM); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("not PEM: %v", err)
	}
}
