package probe

import (
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

// pipeSession is a session whose server side writes text and closes.
func pipeSession(t *testing.T, text string) *session {
	t.Helper()
	client, server := net.Pipe()
	t.Cleanup(func() { client.Close() })
	go func() {
		server.Write([]byte(text))
		server.Close()
	}()
	s := newSession(client, time.Second)
	s.step()
	return s
}

func TestSMTPReply(t *testing.T) {
	tests := []struct {
		name, text string
		code       int
		texts      []string
		err        string
	}{
		{"one line", "220 mx.example ESMTP ready\r\n", 220, []string{"mx.example ESMTP ready"}, ""},
		{"bare code", "250\r\n", 250, []string{""}, ""},
		{"EHLO multi-line",
			"250-smtp.example Hello [192.0.2.1]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-STARTTLS\r\n250-AUTH LOGIN XOAUTH2\r\n250 8BITMIME\r\n",
			250, []string{"smtp.example Hello [192.0.2.1]", "SIZE 157286400", "PIPELINING", "STARTTLS", "AUTH LOGIN XOAUTH2", "8BITMIME"}, ""},
		{"bare LF line ends", "250-a\n250 b\n", 250, []string{"a", "b"}, ""},
		{"code changes mid-reply", "250-a\r\n251 b\r\n", 0, nil, "changes its code from 250 to 251"},
		{"not SMTP", "* OK IMAP ready\r\n", 0, nil, "not an SMTP reply"},
		{"bad separator", "250+x\r\n", 0, nil, "followed by a space or a dash"},
		{"closed mid-reply", "250-a\r\n250-b", 0, nil, `in the middle of the test reply, after "250-b"`},
		{"closed before the reply", "", 0, nil, "closed the connection before the test reply"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, texts, err := smtpReply(pipeSession(t, tc.text), "test reply")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || code != tc.code || !slices.Equal(texts, tc.texts) {
				t.Fatalf("got %d %q %v, want %d %q", code, texts, err, tc.code, tc.texts)
			}
		})
	}
}

func TestParseIMAPCapability(t *testing.T) {
	untagged := []string{
		"* CAPABILITY IMAP4rev1 SASL-IR LITERAL+ STARTTLS LOGINDISABLED",
		"* OK [ALERT] unrelated",
		"* capability ID IDLE",
	}
	got := parseIMAPCapability(untagged)
	want := []string{"IMAP4rev1", "SASL-IR", "LITERAL+", "STARTTLS", "LOGINDISABLED", "ID", "IDLE"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestParsePOP3Capa(t *testing.T) {
	lines := []string{"TOP", "USER", "SASL PLAIN XOAUTH2", "..odd", "STLS", ".", "after the end"}
	got := parsePOP3Capa(lines)
	want := []string{"TOP", "USER", "SASL PLAIN XOAUTH2", ".odd", "STLS"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestAuthFromCapabilities(t *testing.T) {
	tests := []struct {
		name            string
		auth            func([]string) ([]string, bool)
		caps            []string
		mechs           []string
		passwordCommand bool
	}{
		{"imap after STARTTLS", imapAuth, []string{"IMAP4rev1", "AUTH=PLAIN", "auth=xoauth2", "AUTH=PLAIN"}, []string{"PLAIN", "XOAUTH2"}, true},
		{"imap LOGINDISABLED", imapAuth, []string{"IMAP4rev1", "STARTTLS", "LOGINDISABLED"}, nil, false},
		{"pop3 SASL and USER", pop3Auth, []string{"TOP", "USER", "SASL PLAIN LOGIN OAUTHBEARER"}, []string{"PLAIN", "LOGIN", "OAUTHBEARER"}, true},
		{"pop3 empty SASL before STLS", pop3Auth, []string{"STLS", "SASL"}, nil, false},
		{"smtp AUTH and old AUTH=", smtpAuth, []string{"SIZE 1000", "AUTH LOGIN XOAUTH2", "AUTH=LOGIN"}, []string{"LOGIN", "XOAUTH2"}, false},
		{"smtp without AUTH", smtpAuth, []string{"STARTTLS", "PIPELINING"}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mechs, pc := tc.auth(tc.caps)
			if !slices.Equal(mechs, tc.mechs) || pc != tc.passwordCommand {
				t.Fatalf("got %q %v, want %q %v", mechs, pc, tc.mechs, tc.passwordCommand)
			}
		})
	}
}

func TestHasWord(t *testing.T) {
	caps := []string{"SIZE 1000", "starttls", "AUTH PLAIN"}
	for word, want := range map[string]bool{"STARTTLS": true, "SIZE": true, "AUTH": true, "PLAIN": false, "STLS": false} {
		if got := hasWord(caps, word); got != want {
			t.Errorf("hasWord(%q) = %v, want %v", word, got, want)
		}
	}
}

func TestEHLOName(t *testing.T) {
	tests := map[string]string{"192.0.2.7": "[192.0.2.7]", "2001:db8::1": "[IPv6:2001:db8::1]"}
	for ip, want := range tests {
		if got := ehloName(&net.TCPAddr{IP: net.ParseIP(ip), Port: 5000}); got != want {
			t.Errorf("ehloName(%s) = %q, want %q", ip, got, want)
		}
	}
}
