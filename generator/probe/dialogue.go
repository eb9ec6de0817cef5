package probe

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"mailkb/generator/model"
)

// dialogue is what a probe says in one protocol. None of it signs in:
// the probe only asks what the server offers and says goodbye.
type dialogue struct {
	greet        func(*session) (string, error)
	capabilities func(*session) ([]string, error)
	// startTLSWord is the capability that advertises the upgrade.
	startTLSWord string
	startTLS     func(*session) error
	// auth reads the sign-in methods from a capability listing.
	auth func(caps []string) (mechanisms []string, passwordCommand bool)
	// quit ends the session politely; its errors do not matter.
	quit func(*session)
}

var dialogues = map[model.Protocol]dialogue{
	model.IMAP: {imapGreet, imapCapabilities, "STARTTLS", imapStartTLS, imapAuth, imapLogout},
	model.POP3: {pop3Greet, pop3Capabilities, "STLS", pop3StartTLS, pop3Auth, pop3Quit},
	model.SMTP: {smtpGreet, smtpCapabilities, "STARTTLS", smtpStartTLS, smtpAuth, smtpQuit},
}

// hasWord reports whether a capability listing has an entry whose first
// word is word (case does not matter).
func hasWord(caps []string, word string) bool {
	return slices.ContainsFunc(caps, func(c string) bool {
		f := strings.Fields(c)
		return len(f) > 0 && strings.EqualFold(f[0], word)
	})
}

// ---- IMAP (RFC 9051, RFC 3501) ----

func imapGreet(s *session) (string, error) {
	s.step()
	line, err := s.readLine("greeting")
	if err != nil {
		return "", err
	}
	switch {
	case hasPrefixFold(line, "* OK"), hasPrefixFold(line, "* PREAUTH"):
		return line, nil
	case hasPrefixFold(line, "* BYE"):
		return line, fmt.Errorf("the server refused the session: %q", line)
	}
	return line, fmt.Errorf("not an IMAP greeting: %q (an IMAP server starts with \"* OK\"); is this the right protocol and port?", line)
}

// imapCommand sends a tagged command and collects the untagged lines up to
// its tagged reply, which must be OK.
func imapCommand(s *session, command string) ([]string, error) {
	s.tags++
	tag := "a" + strconv.Itoa(s.tags)
	if err := s.send(tag + " " + command); err != nil {
		return nil, err
	}
	var untagged []string
	for range maxReplyLines {
		line, err := s.readLine("reply to " + command)
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(line, tag+" ") {
			untagged = append(untagged, line)
			continue
		}
		if status := strings.TrimPrefix(line, tag+" "); !hasPrefixFold(status, "OK") {
			return untagged, fmt.Errorf("%s refused: %q", command, line)
		}
		return untagged, nil
	}
	return nil, fmt.Errorf("no end to the reply to %s after %d lines", command, maxReplyLines)
}

func imapCapabilities(s *session) ([]string, error) {
	untagged, err := imapCommand(s, "CAPABILITY")
	if err != nil {
		return nil, err
	}
	return parseIMAPCapability(untagged), nil
}

// parseIMAPCapability collects the atoms of the untagged CAPABILITY lines.
func parseIMAPCapability(untagged []string) []string {
	var caps []string
	for _, line := range untagged {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "*" && strings.EqualFold(f[1], "CAPABILITY") {
			caps = append(caps, f[2:]...)
		}
	}
	return caps
}

func imapStartTLS(s *session) error {
	_, err := imapCommand(s, "STARTTLS")
	return err
}

// imapAuth reads AUTH=<mechanism> atoms; the LOGIN command is available
// unless the server says LOGINDISABLED.
func imapAuth(caps []string) ([]string, bool) {
	var mechs []string
	for _, c := range caps {
		if len(c) > 5 && strings.EqualFold(c[:5], "AUTH=") {
			mechs = appendNew(mechs, strings.ToUpper(c[5:]))
		}
	}
	return mechs, !hasWord(caps, "LOGINDISABLED")
}

func imapLogout(s *session) { imapCommand(s, "LOGOUT") }

// ---- POP3 (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS) ----

func pop3Greet(s *session) (string, error) {
	s.step()
	line, err := s.readLine("greeting")
	if err != nil {
		return "", err
	}
	switch {
	case hasPrefixFold(line, "+OK"):
		return line, nil
	case hasPrefixFold(line, "-ERR"):
		return line, fmt.Errorf("the server refused the session: %q", line)
	}
	return line, fmt.Errorf("not a POP3 greeting: %q (a POP3 server starts with \"+OK\"); is this the right protocol and port?", line)
}

// pop3Command sends a command whose reply is one status line.
func pop3Command(s *session, command string) (string, error) {
	if err := s.send(command); err != nil {
		return "", err
	}
	line, err := s.readLine("reply to " + command)
	if err == nil && !hasPrefixFold(line, "+OK") {
		err = fmt.Errorf("%s refused: %q", command, line)
	}
	return line, err
}

// pop3Capabilities asks CAPA. A server too old to know CAPA answers -ERR,
// which is an empty listing rather than a failure.
func pop3Capabilities(s *session) ([]string, error) {
	if err := s.send("CAPA"); err != nil {
		return nil, err
	}
	status, err := s.readLine("reply to CAPA")
	if err != nil {
		return nil, err
	}
	if hasPrefixFold(status, "-ERR") {
		return nil, nil
	}
	if !hasPrefixFold(status, "+OK") {
		return nil, fmt.Errorf("CAPA: unexpected reply %q", status)
	}
	var lines []string
	for range maxReplyLines {
		line, err := s.readLine("CAPA list")
		if err != nil {
			return nil, err
		}
		lines = append(lines, line)
		if line == "." {
			return parsePOP3Capa(lines), nil
		}
	}
	return nil, fmt.Errorf("no end to the CAPA list after %d lines", maxReplyLines)
}

// parsePOP3Capa reads a multi-line CAPA body up to its "." terminator,
// undoing dot-stuffing.
func parsePOP3Capa(lines []string) []string {
	var caps []string
	for _, line := range lines {
		if line == "." {
			break
		}
		caps = append(caps, strings.TrimPrefix(line, "."))
	}
	return caps
}

func pop3StartTLS(s *session) error {
	_, err := pop3Command(s, "STLS")
	return err
}

// pop3Auth reads "SASL <mechanisms>"; USER means the USER/PASS commands.
func pop3Auth(caps []string) ([]string, bool) {
	var mechs []string
	for _, c := range caps {
		if f := strings.Fields(c); len(f) > 0 && strings.EqualFold(f[0], "SASL") {
			for _, m := range f[1:] {
				mechs = appendNew(mechs, strings.ToUpper(m))
			}
		}
	}
	return mechs, hasWord(caps, "USER")
}

func pop3Quit(s *session) { pop3Command(s, "QUIT") }

// ---- SMTP submission (RFC 5321, RFC 3207 STARTTLS, RFC 4954 AUTH) ----

// smtpReply reads a possibly multi-line reply ("250-…" lines then
// "250 …") and returns its code and the text of each line.
func smtpReply(s *session, waiting string) (int, []string, error) {
	var texts []string
	code := 0
	for range maxReplyLines {
		line, err := s.readLine(waiting)
		if err != nil {
			return 0, nil, err
		}
		c, last, text, err := parseSMTPLine(line)
		if err != nil {
			return 0, nil, fmt.Errorf("%s: %w", waiting, err)
		}
		if code != 0 && c != code {
			return 0, nil, fmt.Errorf("%s: the reply changes its code from %d to %d in %q", waiting, code, c, line)
		}
		code = c
		texts = append(texts, text)
		if last {
			return code, texts, nil
		}
	}
	return 0, nil, fmt.Errorf("no end to the %s after %d lines", waiting, maxReplyLines)
}

// parseSMTPLine splits a reply line into its code, whether it is the last
// line ("250 " rather than "250-") and its text.
func parseSMTPLine(line string) (code int, last bool, text string, err error) {
	if len(line) < 3 {
		return 0, false, "", fmt.Errorf("not an SMTP reply: %q", line)
	}
	code, convErr := strconv.Atoi(line[:3])
	if convErr != nil || code < 200 || code > 599 {
		return 0, false, "", fmt.Errorf("not an SMTP reply: %q (an SMTP reply starts with a three-digit code)", line)
	}
	switch {
	case len(line) == 3:
		return code, true, "", nil
	case line[3] == ' ':
		return code, true, line[4:], nil
	case line[3] == '-':
		return code, false, line[4:], nil
	}
	return 0, false, "", fmt.Errorf("not an SMTP reply: %q (the code must be followed by a space or a dash)", line)
}

func smtpGreet(s *session) (string, error) {
	s.step()
	code, texts, err := smtpReply(s, "greeting")
	if err != nil {
		return "", err
	}
	greeting := fmt.Sprintf("%d %s", code, strings.Join(texts, " / "))
	if code != 220 {
		return greeting, fmt.Errorf("the server refused the session: %q", greeting)
	}
	return greeting, nil
}

// smtpCapabilities says EHLO and returns the extension keywords (the
// reply's lines after the first, which only names the server).
func smtpCapabilities(s *session) ([]string, error) {
	command := "EHLO " + ehloName(s.conn.LocalAddr())
	if err := s.send(command); err != nil {
		return nil, err
	}
	code, texts, err := smtpReply(s, "reply to EHLO")
	if err != nil {
		return nil, err
	}
	if code != 250 {
		return nil, fmt.Errorf("EHLO refused: %d %s", code, strings.Join(texts, " / "))
	}
	return texts[1:], nil
}

// ehloName is the address literal of our end of the connection: the
// probe has no host name of its own to announce.
func ehloName(local net.Addr) string {
	tcp, ok := local.(*net.TCPAddr)
	switch {
	case !ok:
		return "[127.0.0.1]"
	case tcp.IP.To4() != nil:
		return "[" + tcp.IP.String() + "]"
	}
	return "[IPv6:" + tcp.IP.String() + "]"
}

func smtpStartTLS(s *session) error {
	if err := s.send("STARTTLS"); err != nil {
		return err
	}
	code, texts, err := smtpReply(s, "reply to STARTTLS")
	if err == nil && code != 220 {
		err = fmt.Errorf("STARTTLS refused: %d %s", code, strings.Join(texts, " / "))
	}
	return err
}

// smtpAuth reads the AUTH keyword (and the "AUTH=" form that old
// Microsoft servers sent). SMTP has no login command besides AUTH.
func smtpAuth(caps []string) ([]string, bool) {
	var mechs []string
	for _, c := range caps {
		f := strings.Fields(c)
		if len(f) == 0 {
			continue
		}
		switch {
		case strings.EqualFold(f[0], "AUTH"):
			f = f[1:]
		case len(f[0]) > 5 && strings.EqualFold(f[0][:5], "AUTH="):
			f[0] = f[0][5:]
		default:
			continue
		}
		for _, m := range f {
			mechs = appendNew(mechs, strings.ToUpper(m))
		}
	}
	return mechs, false
}

func smtpQuit(s *session) {
	if s.send("QUIT") == nil {
		smtpReply(s, "reply to QUIT")
	}
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
