// Package ispdb has one job: import Thunderbird's ISP database (ISPDB), the
// config-v1.1.xml files of the autoconfig project, into mailkb's YAML. It
// parses the files, maps their servers onto mailkb's vocabulary, writes a
// provider file for a provider mailkb does not have and, for one it has,
// records what changed as history (a changed server ends the old endpoint's
// period and starts a new one) by editing the YAML bytes, so hand-written
// comments survive. Nothing is written that would leave the knowledge base
// failing to load or failing ./build.sh check.
package ispdb

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Config is one config-v1.1.xml document. Elements mailkb has no use for
// are ignored, so the format can grow without breaking the import.
type Config struct {
	XMLName   xml.Name        `xml:"clientConfig"`
	Version   string          `xml:"version,attr"`
	Providers []EmailProvider `xml:"emailProvider"`
	OAuth2    *OAuth2         `xml:"oAuth2"`
	// Enable is read here too: some files (googlemail.com.xml) put it
	// beside emailProvider instead of inside it.
	Enable  []Enable `xml:"enable"`
	WebMail *WebMail `xml:"webMail"`
}

// EmailProvider is a provider's domains and servers.
type EmailProvider struct {
	ID               string          `xml:"id,attr"`
	Domains          []string        `xml:"domain"`
	DisplayName      string          `xml:"displayName"`
	DisplayShortName string          `xml:"displayShortName"`
	Incoming         []Server        `xml:"incomingServer"`
	Outgoing         []Server        `xml:"outgoingServer"`
	Documentation    []Documentation `xml:"documentation"`
	Enable           []Enable        `xml:"enable"`
}

// Server is an incomingServer or outgoingServer element. Values are kept
// as written (trimmed): real files have typos, which the import reports
// per server instead of refusing the whole file.
type Server struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname"`
	Port           string   `xml:"port"`
	SocketType     string   `xml:"socketType"`
	Authentication []string `xml:"authentication"`
	Username       string   `xml:"username"`
	POP3           *POP3    `xml:"pop3"`
	// URL is where the web-service types (ews, owa, graph) are reached.
	URL string `xml:"url"`
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
	Lang string `xml:"lang,attr"`
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

// Parse reads one config-v1.1.xml document. An error says what is wrong
// and, for XML syntax, on which line; the caller adds the file name.
func Parse(data []byte) (*Config, error) {
	data = bytes.TrimPrefix(data, bom)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the file is empty")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	var c Config
	if err := d.Decode(&c); err != nil {
		var se *xml.SyntaxError
		var ue xml.UnmarshalError
		switch {
		case errors.As(err, &se) && se.Msg == "unexpected EOF":
			return nil, fmt.Errorf("line %d: the file ends inside an element (is it cut short?)", se.Line)
		case errors.As(err, &se):
			return nil, fmt.Errorf("line %d: %s", se.Line, se.Msg)
		case errors.Is(err, io.EOF):
			return nil, errors.New("no XML element in the file")
		case errors.As(err, &ue) && strings.Contains(string(ue), "expected element type"):
			return nil, fmt.Errorf("not a config-v1.1.xml file: %s (the document element must be <clientConfig>)", ue)
		}
		return nil, err
	}
	if len(c.Providers) == 0 {
		return nil, errors.New("no <emailProvider> element inside <clientConfig>")
	}
	c.clean()
	return &c, nil
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
