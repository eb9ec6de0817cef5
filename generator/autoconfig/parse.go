// Package autoconfig is Thunderbird's autoconfig format, config-v1.1.xml,
// as the ISP database publishes it and autoconfig.thunderbird.net/v1.1/
// serves it: its document types, which both read and write it (the order
// of their fields is the order written); reading a file leniently (the
// charsets files declare, a bare & in a URL); and the mapping between its
// values and mailkb's vocabulary, both ways (values.go).
package autoconfig

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Config is one config-v1.1.xml document. Elements mailkb has no use for
// are ignored when reading, so the format can grow without breaking the
// import; only those mailkb has data for are written.
type Config struct {
	XMLName   xml.Name        `xml:"clientConfig"`
	Version   string          `xml:"version,attr"`
	Providers []EmailProvider `xml:"emailProvider"`
	OAuth2    *OAuth2         `xml:"oAuth2"`
	// Enable is read here too: some files (googlemail.com.xml) put it
	// beside emailProvider instead of inside it.
	Enable  []Enable `xml:"enable"`
	WebMail *WebMail `xml:"webMail"`
	// Repairs says which character references Parse had to read
	// leniently (a bare & in a URL, &amP; for &amp;), one per line.
	Repairs []string `xml:"-"`
}

// EmailProvider is a provider's domains and servers.
type EmailProvider struct {
	ID               string          `xml:"id,attr"`
	Domains          []string        `xml:"domain"`
	DisplayName      string          `xml:"displayName"`
	DisplayShortName string          `xml:"displayShortName"`
	Incoming         []Server        `xml:"incomingServer"`
	Outgoing         []Server        `xml:"outgoingServer"`
	Enable           []Enable        `xml:"enable"`
	Documentation    []Documentation `xml:"documentation"`
	// UserInputs are values Thunderbird asks the user for (a university
	// login name), named by a key like %USERNAME% that servers use.
	UserInputs []UserInput `xml:"userinput"`
}

// UserInput is a value Thunderbird asks the user for.
type UserInput struct {
	Key   string `xml:"key,attr"`
	Label string `xml:"label,attr"`
	Text  string `xml:",chardata"`
}

// Server is an incomingServer or outgoingServer element. A server
// reached by name and port has hostname, port and socketType (an exchange
// server also its owaURL and ewsURL); a web service (ews, owa, graph) has
// its url instead. Values are kept as written (trimmed): real files have
// typos, which the import reports per server instead of refusing the
// whole file.
type Server struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname,omitempty"`
	Port           string   `xml:"port,omitempty"`
	SocketType     string   `xml:"socketType,omitempty"`
	Authentication []string `xml:"authentication"`
	Username       string   `xml:"username,omitempty"`
	POP3           *POP3    `xml:"pop3"`
	// URL is where the web-service types (ews, owa, graph) are reached;
	// OWAURL and EWSURL are an exchange server's web services.
	URL    string `xml:"url,omitempty"`
	OWAURL string `xml:"owaURL,omitempty"`
	EWSURL string `xml:"ewsURL,omitempty"`
	// Comment is the text of the XML comments inside the element: the
	// database explains an odd value there ("Yes, they have SSL … on port
	// 587. Spec violation.").
	Comment string `xml:",comment"`
	// Line is where the element starts in the file, for messages.
	Line int `xml:"-"`
}

// POP3 holds the POP3-only options.
type POP3 struct {
	LeaveMessagesOnServer string `xml:"leaveMessagesOnServer"`
}

// Documentation links to the provider's help.
type Documentation struct {
	URL   string `xml:"url,attr"`
	Descr []Text `xml:"descr"`
}

// Enable says that access must be switched on before a client connects.
type Enable struct {
	VisitURL     string `xml:"visiturl,attr"`
	Instructions []Text `xml:"instruction"`
}

// Text is a text in one language (lang is empty for the default, English).
type Text struct {
	Lang string `xml:"lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

// OAuth2 is how a client obtains OAuth2 tokens for the provider.
type OAuth2 struct {
	Issuer   string `xml:"issuer"`
	Scope    string `xml:"scope"`
	AuthURL  string `xml:"authURL"`
	TokenURL string `xml:"tokenURL"`
}

// WebMail is the provider's webmail sign-in page.
type WebMail struct {
	LoginPage struct {
		URL string `xml:"url,attr"`
	} `xml:"loginPage"`
}

// UnmarshalXML records the line where the server element starts.
func (s *Server) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	line, _ := d.InputPos()
	type plain Server // without this method, to decode the fields
	if err := d.DecodeElement((*plain)(s), &start); err != nil {
		return err
	}
	s.Line = line
	return nil
}

var bom = []byte("\xEF\xBB\xBF")

// LooksLikeXML reports whether head, the start of a file, starts with a <
// after a byte order mark and white space, as a document of the format
// does whatever its file is named.
func LooksLikeXML(head []byte) bool {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	return len(head) > 0 && head[0] == '<'
}

// Parse reads one config-v1.1.xml document. An error says what is wrong
// and, for XML syntax, on which line; the caller adds the file name.
//
// One kind of error is repaired rather than refused, because the database
// has it in files whose servers are intact: an & that starts no reference
// (a bare & in a URL, &amP; for &amp;). Such a document is read again with
// each one written as the text it stands for, and Config.Repairs says
// where. Any other syntax error (a tag left open, a
// misspelt end tag) could change which value belongs to which server, so
// it is refused.
func Parse(data []byte) (*Config, error) {
	data = bytes.TrimPrefix(data, bom)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the file is empty")
	}
	c, err := decode(data)
	var se *xml.SyntaxError
	if errors.As(err, &se) && strings.Contains(se.Msg, "entity") {
		if fixed, repairs := repairReferences(data); len(repairs) > 0 {
			if c2, err2 := decode(fixed); err2 == nil {
				c2.Repairs = repairs
				return c2, nil
			}
		}
	}
	if err != nil {
		return nil, describe(err)
	}
	return c, nil
}

// decode reads the document; its errors are the decoder's own.
func decode(data []byte) (*Config, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	var c Config
	if err := d.Decode(&c); err != nil {
		return nil, err
	}
	if len(c.Providers) == 0 {
		return nil, errors.New("no <emailProvider> element inside <clientConfig>")
	}
	c.clean()
	return &c, nil
}

// describe says what a decoding error means, and on which line.
func describe(err error) error {
	var se *xml.SyntaxError
	var ue xml.UnmarshalError
	switch {
	case errors.As(err, &se) && se.Msg == "unexpected EOF":
		return fmt.Errorf("line %d: the file ends inside an element (is it cut short?)", se.Line)
	case errors.As(err, &se):
		return fmt.Errorf("line %d: %s", se.Line, se.Msg)
	case errors.Is(err, io.EOF):
		return errors.New("no XML element in the file")
	case errors.As(err, &ue) && strings.Contains(string(ue), "expected element type"):
		return fmt.Errorf("not a config-v1.1.xml file: %s (the document element must be <clientConfig>)", ue)
	}
	return err
}

// clean trims every value and folds runs of white space in display texts,
// which the files indent and wrap freely.
func (c *Config) clean() {
	for i := range c.Providers {
		p := &c.Providers[i]
		p.ID = strings.TrimSpace(p.ID)
		for j := range p.Domains {
			p.Domains[j] = strings.TrimSpace(p.Domains[j])
		}
		p.DisplayName, p.DisplayShortName = fold(p.DisplayName), fold(p.DisplayShortName)
		for _, ss := range [][]Server{p.Incoming, p.Outgoing} {
			for j := range ss {
				ss[j].clean()
			}
		}
		for j := range p.Documentation {
			p.Documentation[j].URL = strings.TrimSpace(p.Documentation[j].URL)
			cleanTexts(p.Documentation[j].Descr)
		}
		cleanEnable(p.Enable)
		for j := range p.UserInputs {
			u := &p.UserInputs[j]
			u.Key, u.Label, u.Text = strings.TrimSpace(u.Key), fold(u.Label), fold(u.Text)
		}
	}
	cleanEnable(c.Enable)
	if c.OAuth2 != nil {
		o := c.OAuth2
		o.Issuer, o.Scope, o.AuthURL, o.TokenURL = strings.TrimSpace(o.Issuer), fold(o.Scope), strings.TrimSpace(o.AuthURL), strings.TrimSpace(o.TokenURL)
	}
	if c.WebMail != nil {
		c.WebMail.LoginPage.URL = strings.TrimSpace(c.WebMail.LoginPage.URL)
	}
}

func (s *Server) clean() {
	s.Type, s.Hostname, s.Port = strings.TrimSpace(s.Type), strings.TrimSpace(s.Hostname), strings.TrimSpace(s.Port)
	s.SocketType, s.Username, s.URL = strings.TrimSpace(s.SocketType), strings.TrimSpace(s.Username), strings.TrimSpace(s.URL)
	s.OWAURL, s.EWSURL, s.Comment = strings.TrimSpace(s.OWAURL), strings.TrimSpace(s.EWSURL), fold(s.Comment)
	for i := range s.Authentication {
		s.Authentication[i] = strings.TrimSpace(s.Authentication[i])
	}
	if s.POP3 != nil {
		s.POP3.LeaveMessagesOnServer = strings.TrimSpace(s.POP3.LeaveMessagesOnServer)
	}
}

func cleanEnable(es []Enable) {
	for i := range es {
		es[i].VisitURL = strings.TrimSpace(es[i].VisitURL)
		cleanTexts(es[i].Instructions)
	}
}

func cleanTexts(ts []Text) {
	for i := range ts {
		ts[i].Lang, ts[i].Text = strings.TrimSpace(ts[i].Lang), fold(ts[i].Text)
	}
}

// fold trims s and turns every run of white space into one space.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// English returns the English text of ts (no lang, or lang en), else the
// first one, else "".
func English(ts []Text) string {
	for _, t := range ts {
		if t.Text != "" && (t.Lang == "" || strings.EqualFold(t.Lang, "en") || strings.HasPrefix(strings.ToLower(t.Lang), "en-")) {
			return t.Text
		}
	}
	for _, t := range ts {
		if t.Text != "" {
			return t.Text
		}
	}
	return ""
}

// charsetReader decodes the encodings besides UTF-8 that XML files
// declare in practice. ISO-8859-1 maps each byte to the code point of the
// same number; ASCII is a subset of UTF-8.
func charsetReader(charset string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "us-ascii", "ascii", "utf8":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		data, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(data))
		for _, b := range data {
			out = utf8.AppendRune(out, rune(b))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("encoding %q is not supported; convert the file to UTF-8", charset)
}

// predefined are the entities XML defines without a DTD.
var predefined = map[string]bool{"lt": true, "gt": true, "amp": true, "apos": true, "quot": true}

// repairReferences rewrites the & that do not start a reference: a
// predefined entity in the wrong case (&amP;) becomes the right one, and a
// bare & (as in a URL's query, ?a=1&b=2) becomes &amp;, so that the text
// reads as written. A well-formed reference to an entity the file does not
// define (&nbsp;) is left alone and stays an error. Comments, CDATA
// sections and processing instructions are copied as they are. It returns
// the repaired document and a line per repair.
func repairReferences(data []byte) ([]byte, []string) {
	var out bytes.Buffer
	var repairs []string
	line := 1
	for i := 0; i < len(data); {
		if data[i] == '<' {
			for _, sec := range [][2]string{{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}} {
				if bytes.HasPrefix(data[i:], []byte(sec[0])) {
					end := bytes.Index(data[i+len(sec[0]):], []byte(sec[1]))
					n := len(data) - i
					if end >= 0 {
						n = len(sec[0]) + end + len(sec[1])
					}
					line += bytes.Count(data[i:i+n], []byte("\n"))
					out.Write(data[i : i+n])
					i += n
					goto next
				}
			}
		}
		switch c := data[i]; {
		case c == '\n':
			line++
		case c == '&':
			ref := reference.Find(data[i:])
			name := ""
			if ref != nil {
				name = string(ref[1 : len(ref)-1])
			}
			switch {
			case ref != nil && (name[0] == '#' || predefined[name]):
				out.Write(ref)
				i += len(ref)
				goto next
			case ref != nil && predefined[strings.ToLower(name)]:
				out.WriteString("&" + strings.ToLower(name) + ";")
				repairs = append(repairs, fmt.Sprintf("line %d: %s read as &%s;", line, ref, strings.ToLower(name)))
				i += len(ref)
				goto next
			case ref != nil:
				// An undefined entity (&nbsp;) stands for a character the
				// file does not define; it stays an error.
				out.Write(ref)
				i += len(ref)
				goto next
			default:
				repairs = append(repairs, fmt.Sprintf("line %d: a bare & (not written &amp;) read as the character &", line))
			}
			out.WriteString("&amp;")
			i++
			goto next
		}
		out.WriteByte(data[i])
		i++
	next:
	}
	return out.Bytes(), repairs
}

// reference is a character or entity reference at the start of a text.
var reference = regexp.MustCompile(`^&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:][-A-Za-z0-9._:]*);`)
