package probe

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"mailkb/generator/model"
	"mailkb/generator/testenv"
)

// Real servers: Dovecot started on loopback by the test, with a throwaway
// CA and its configuration in a temp folder.

// dovecotAddress is where the test's Dovecot listens. Dovecot treats a
// client whose address equals its own as secure and then offers
// passwords before STARTTLS; on 127.0.0.2 the probe connects from
// 127.0.0.1, so Dovecot behaves as for a remote client (LOGINDISABLED
// until STARTTLS).
const dovecotAddress = "127.0.0.2"

// dovecot is a running test server.
type dovecot struct {
	ports  map[string]int // by listener: imap, imaps, pop3, pop3s, submission
	roots  *x509.CertPool // trusts the throwaway CA
	caFile string
	log    string // Dovecot's log file
}

const dovecotConf = `# Written by mailkb's probe tests; everything lives in {{dir}}.
base_dir = {{dir}}/run
state_dir = {{dir}}/state
instance_name = mailkb-probe-test
protocols = imap pop3 submission
listen = {{address}}
log_path = {{dir}}/dovecot.log
ssl = yes
ssl_cert = <{{dir}}/cert.pem
ssl_key = <{{dir}}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login xoauth2 oauthbearer
default_login_user = dovenull
default_internal_user = dovecot
hostname = localhost
# Submission only starts with a relay; nothing is ever sent through it.
submission_relay_host = 127.0.0.1
submission_relay_port = 9
# Nobody can sign in: the probe never tries, and the user list is empty.
passdb {
  driver = passwd-file
  args = {{dir}}/users
}
userdb {
  driver = passwd-file
  args = {{dir}}/users
}
service imap-login {
  chroot =
  inet_listener imap {
    port = {{imap}}
  }
  inet_listener imaps {
    port = {{imaps}}
    ssl = yes
  }
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    port = {{pop3}}
  }
  inet_listener pop3s {
    port = {{pop3s}}
    ssl = yes
  }
}
service submission-login {
  chroot =
  inet_listener submission {
    port = {{submission}}
  }
}
`

// startDovecot starts Dovecot on free ports of dovecotAddress and stops it
// when the test ends. It skips the test where Dovecot cannot run.
func startDovecot(t *testing.T) *dovecot {
	t.Helper()
	binary, err := exec.LookPath("dovecot")
	if err != nil {
		binary = "/usr/sbin/dovecot" // not on a non-root PATH
	}
	if _, err := os.Stat(binary); err != nil {
		testenv.Missing(t, "dovecot", "dovecot is not installed; install the Debian packages dovecot-imapd dovecot-pop3d dovecot-submissiond (.ci/run does) to probe real servers")
	}
	if os.Geteuid() != 0 {
		testenv.Missing(t, "dovecot", "Dovecot's login processes switch to the dovenull user, so the real-server tests need root")
	}
	for _, name := range []string{"dovenull", "dovecot"} {
		if _, err := user.Lookup(name); err != nil {
			testenv.Missing(t, "dovecot", "no %s user (the dovecot-core package creates it): %v", name, err)
		}
	}
	dir := t.TempDir()
	// Dovecot's auth process runs as the dovecot user and must reach the
	// user list: let others through (not list) the test's temp folder and
	// the folder t.TempDir made it in.
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	ca := newTestCA(t)
	certPEM, keyPEM := ca.leafPEM(t, []string{"localhost", "mail.loopback.test", "127.0.0.1", dovecotAddress},
		time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	d := &dovecot{ports: map[string]int{}, roots: ca.Pool(), caFile: filepath.Join(dir, "ca.pem"), log: filepath.Join(dir, "dovecot.log")}
	writeFile(t, d.caFile, ca.PEM)
	writeFile(t, filepath.Join(dir, "cert.pem"), certPEM)
	writeFile(t, filepath.Join(dir, "key.pem"), keyPEM)
	writeFile(t, filepath.Join(dir, "users"), nil)

	replacements := []string{"{{dir}}", dir, "{{address}}", dovecotAddress}
	for _, name := range []string{"imap", "imaps", "pop3", "pop3s", "submission"} {
		d.ports[name] = freePort(t)
		replacements = append(replacements, "{{"+name+"}}", fmt.Sprint(d.ports[name]))
	}
	conf := filepath.Join(dir, "dovecot.conf")
	writeFile(t, conf, []byte(strings.NewReplacer(replacements...).Replace(dovecotConf)))

	cmd := exec.Command(binary, "-F", "-c", conf)
	out, err := os.Create(filepath.Join(dir, "dovecot.out"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so cleanup can end its children too
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	d.waitUntilListening(t, exited, dir)
	return d
}

// waitUntilListening returns once every port accepts connections and
// the IMAP port greets, which it does only when the auth process is ready.
func (d *dovecot) waitUntilListening(t *testing.T, exited <-chan error, dir string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for name, port := range d.ports {
		for !d.ready(name, port) {
			select {
			case err := <-exited:
				t.Fatalf("dovecot exited (%v) before listening:\n%s", err, dovecotOutput(dir))
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("dovecot's %s port %d is not ready after 10s:\n%s", name, port, dovecotOutput(dir))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func (d *dovecot) ready(name string, port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort(dovecotAddress, fmt.Sprint(port)), time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	if name != "imap" {
		return true
	}
	c.SetDeadline(time.Now().Add(time.Second))
	greeting := make([]byte, 4)
	_, err = io.ReadFull(c, greeting)
	return err == nil && string(greeting) == "* OK"
}

func dovecotOutput(dir string) string {
	var b strings.Builder
	for _, f := range []string{"dovecot.out", "dovecot.log"} {
		data, _ := os.ReadFile(filepath.Join(dir, f))
		fmt.Fprintf(&b, "--- %s\n%s", f, data)
	}
	return b.String()
}

// freePort returns a port of dovecotAddress that nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(dovecotAddress, "0"))
	if err != nil {
		testenv.Missing(t, "dovecot", "cannot listen on %s (loopback beyond 127.0.0.1 is Linux's): %v", dovecotAddress, err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// endpoint is the data's view of one of the test server's listeners.
func (d *dovecot) endpoint(p model.Protocol, listener string, s model.Security, auth ...model.Auth) *model.Endpoint {
	return &model.Endpoint{Protocol: p, Host: dovecotAddress, Port: d.ports[listener], Security: s, Auth: auth}
}

func TestDovecot(t *testing.T) {
	d := startDovecot(t)
	// Generous: a probe of Dovecot takes milliseconds, but the machine
	// may be busy.
	prober := New(WithTimeout(5*time.Second), WithRootCAs(d.roots))
	both := []model.Auth{model.OAuth2, model.Password}

	matching := []struct {
		name          string
		endpoint      *model.Endpoint
		before, after []string // capabilities that must be listed
		absentAfter   string   // a capability that must be gone after STARTTLS
	}{
		{"imaps", d.endpoint(model.IMAP, "imaps", model.TLS, both...), []string{"IMAP4rev1", "AUTH=PLAIN", "AUTH=XOAUTH2"}, nil, ""},
		{"imap STARTTLS", d.endpoint(model.IMAP, "imap", model.STARTTLS, both...),
			[]string{"STARTTLS", "LOGINDISABLED"}, []string{"AUTH=PLAIN", "AUTH=OAUTHBEARER"}, "LOGINDISABLED"},
		{"pop3s", d.endpoint(model.POP3, "pop3s", model.TLS, model.AppPassword), []string{"USER", "SASL PLAIN LOGIN XOAUTH2 OAUTHBEARER"}, nil, ""},
		{"pop3 STLS", d.endpoint(model.POP3, "pop3", model.STARTTLS, both...), []string{"STLS"}, []string{"USER"}, "STLS"},
		{"submission STARTTLS", d.endpoint(model.SMTP, "submission", model.STARTTLS, both...),
			[]string{"STARTTLS"}, []string{"AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER"}, "STARTTLS"},
	}
	for _, tc := range matching {
		t.Run(tc.name, func(t *testing.T) {
			r := prober.Probe(context.Background(), TargetOf(tc.endpoint))
			if r.Failure != nil {
				t.Fatalf("%v\n%s", r.Failure, dovecotOutput(filepath.Dir(d.log)))
			}
			if !r.TLS.Verified || !strings.HasPrefix(r.TLS.Version, "TLS 1.") || r.TLS.NotAfter.Before(time.Now()) {
				t.Errorf("TLS %+v", r.TLS)
			}
			for _, c := range tc.before {
				if !slices.Contains(r.Capabilities, c) {
					t.Errorf("capabilities %q lack %q", r.Capabilities, c)
				}
			}
			for _, c := range tc.after {
				if !slices.Contains(r.AfterSTARTTLS, c) {
					t.Errorf("capabilities after STARTTLS %q lack %q", r.AfterSTARTTLS, c)
				}
			}
			if tc.absentAfter != "" && slices.Contains(r.AfterSTARTTLS, tc.absentAfter) {
				t.Errorf("capabilities after STARTTLS %q still have %q", r.AfterSTARTTLS, tc.absentAfter)
			}
			if m := Compare(r, tc.endpoint); len(m) != 0 {
				t.Errorf("mismatches %v, want none", m)
			}
		})
	}

	wrong := []struct {
		name     string
		endpoint *model.Endpoint
		prober   *Prober
		want     []Kind
		contains string
	}{
		{"tls on the STARTTLS port", d.endpoint(model.IMAP, "imap", model.TLS, both...), prober,
			[]Kind{KindSecurity}, "the server speaks plaintext and offers STARTTLS"},
		{"tls on the submission port", d.endpoint(model.SMTP, "submission", model.TLS, both...), prober,
			[]Kind{KindSecurity}, "speaks plaintext and offers STARTTLS"},
		{"STARTTLS on the pop3s port", d.endpoint(model.POP3, "pop3s", model.STARTTLS, both...), New(WithTimeout(time.Second), WithRootCAs(d.roots)),
			[]Kind{KindSecurity}, "the server speaks implicit TLS"},
		{"plaintext sign-in", d.endpoint(model.IMAP, "imap", model.NoTLS, model.Password), prober,
			[]Kind{KindSecurity, KindAuth}, "offers STARTTLS"},
		{"the wrong port", &model.Endpoint{Protocol: model.IMAP, Host: dovecotAddress, Port: freePort(t), Security: model.TLS}, prober,
			[]Kind{KindUnreachable}, "connection refused"},
		{"without the private CA", d.endpoint(model.IMAP, "imaps", model.TLS), New(WithTimeout(5 * time.Second)),
			[]Kind{KindCertificate}, "--ca FILE"},
	}
	for _, tc := range wrong {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.prober.Probe(context.Background(), TargetOf(tc.endpoint))
			m := Compare(r, tc.endpoint)
			var kinds []Kind
			for _, x := range m {
				kinds = append(kinds, x.Kind)
			}
			if !slices.Equal(kinds, tc.want) || !strings.Contains(m[0].String(), tc.contains) {
				t.Fatalf("mismatches %v, want kinds %v, the first with %q", m, tc.want, tc.contains)
			}
		})
	}

	// Dovecot logs "Aborted login by logging out" for a client that ends
	// with LOGOUT or QUIT, and only "Disconnected" for one that hangs up.
	t.Run("ends politely", func(t *testing.T) {
		for _, service := range []string{"imap-login", "pop3-login", "submission-login"} {
			if !logEventually(d.log, service+": Info: Disconnected: Aborted login by logging out") {
				t.Errorf("%s did not log a polite logout:\n%s", service, dovecotOutput(filepath.Dir(d.log)))
			}
		}
	})
}

// logEventually waits briefly for Dovecot to write a line to its log.
func logEventually(log, text string) bool {
	for range 50 {
		data, err := os.ReadFile(log)
		if err == nil && strings.Contains(string(data), text) {
			return true
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}
