package export

import (
	"bytes"
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"mailkb/generator/model"
)

// Apple configuration profiles (.mobileconfig): an unsigned XML property
// list holding one com.apple.mail.managed payload, which sets up a mail
// account on iOS, iPadOS and macOS. The device asks for the email address,
// user name and password when the profile is installed.

// profileMethods are the sign-in methods a profile can set, by the value
// of its MailServerAuthentication keys. A server that needs no sign-in
// (or only the client's address, or a fetch before sending) is set to
// none.
var profileMethods = map[model.Auth]string{
	model.Password: "EmailAuthPassword", model.AppPassword: "EmailAuthPassword",
	model.EncryptedPassword: "EmailAuthCRAMMD5", model.NTLM: "EmailAuthNTLM",
	model.NoAuth: "EmailAuthNone", model.ClientIP: "EmailAuthNone", model.SMTPAfterPOP: "EmailAuthNone",
}

// profileAuth is the profile's sign-in for e: the first of its methods, in
// order of preference, that a profile can set, or "" if none can.
func profileAuth(e *model.Endpoint) string {
	for _, a := range e.Auth {
		if m := profileMethods[a]; m != "" {
			return m
		}
	}
	return ""
}

// mobileconfig writes the profile for the servers profileServers picks.
func (x *exporter) mobileconfig(p *model.Provider, proto model.Protocol) ([]byte, error) {
	in, out, ok := profileServers(p, proto)
	if !ok {
		return nil, fmt.Errorf("no %s and SMTP servers a profile can describe", proto.Label())
	}
	accountType := "EmailTypeIMAP"
	if proto == model.POP3 {
		accountType = "EmailTypePOP"
	}
	ident := x.reverseDNS() + ".mobileconfig." + p.ID + "." + string(proto)
	fileURL := x.url(x.u.Mobileconfig(p, proto))
	label := p.Name + " (" + proto.Label() + ")"
	desc := x.profileDescription(p, in, out)
	mail := plistDict{
		"EmailAccountDescription":                label,
		"EmailAccountType":                       accountType,
		"IncomingMailServerAuthentication":       profileAuth(in),
		"IncomingMailServerHostName":             in.Host,
		"IncomingMailServerPortNumber":           in.Port,
		"IncomingMailServerUseSSL":               in.Security != model.NoTLS,
		"OutgoingMailServerAuthentication":       profileAuth(out),
		"OutgoingMailServerHostName":             out.Host,
		"OutgoingMailServerPortNumber":           out.Port,
		"OutgoingMailServerUseSSL":               out.Security != model.NoTLS,
		"OutgoingPasswordSameAsIncomingPassword": true,
		"PayloadDescription":                     desc,
		"PayloadDisplayName":                     label,
		"PayloadIdentifier":                      ident + ".mail",
		"PayloadType":                            "com.apple.mail.managed",
		"PayloadUUID":                            uuidFor(fileURL + "#mail"),
		"PayloadVersion":                         1,
	}
	profile := plistDict{
		"PayloadContent":           []any{mail},
		"PayloadDescription":       desc,
		"PayloadDisplayName":       p.Name + " mail (" + proto.Label() + ")",
		"PayloadIdentifier":        ident,
		"PayloadOrganization":      x.kb.Site.Title,
		"PayloadRemovalDisallowed": false,
		"PayloadType":              "Configuration",
		"PayloadUUID":              uuidFor(fileURL),
		"PayloadVersion":           1,
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	buf.WriteString(`<plist version="1.0">` + "\n")
	if err := writePlist(&buf, profile, 0); err != nil {
		return nil, err
	}
	buf.WriteString("</plist>\n")
	return buf.Bytes(), nil
}

// profileDescription says what the profile sets up, what the user types
// for each server's user name, and what a profile cannot say: OAuth2
// sign-in, a user name that is not the address.
func (x *exporter) profileDescription(p *model.Provider, in, out *model.Endpoint) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Sets up %s mail: incoming %s %s port %d (%s), outgoing SMTP %s port %d (%s).",
		p.Name, in.Protocol.Label(), in.Host, in.Port, in.Security.Label(), out.Host, out.Port, out.Security.Label())
	// Each server has its own user name in a profile: say each one, once
	// when they are the same.
	switch inName, outName := usernameHint(in), usernameHint(out); {
	case inName == outName && inName != "":
		fmt.Fprintf(&b, " When asked for the user name (incoming and outgoing), enter %s.", inName)
	default:
		for _, s := range []struct{ which, name string }{{"incoming", inName}, {"outgoing (SMTP)", outName}} {
			if s.name == "" {
				fmt.Fprintf(&b, " The %s server needs no sign-in.", s.which)
			} else {
				fmt.Fprintf(&b, " When asked for the %s user name, enter %s.", s.which, s.name)
			}
		}
	}
	var oauthToo []string
	for _, e := range []*model.Endpoint{in, out} {
		if hasAuth(e.Auth, model.OAuth2) && profileAuth(e) != profileMethods[model.NoAuth] {
			oauthToo = append(oauthToo, e.Protocol.Label())
		}
	}
	if len(oauthToo) > 0 {
		fmt.Fprintf(&b, " %s also accepts OAuth2 on %s, which a configuration profile cannot express; the profile uses password sign-in.",
			p.Name, servers(oauthToo))
	}
	b.WriteString(" Settings and their sources: " + x.page(p))
	return b.String()
}

// usernameHint says what to enter as e's user name, or "" when e needs no
// sign-in.
func usernameHint(e *model.Endpoint) string {
	switch u := e.Username; {
	case profileAuth(e) == profileMethods[model.NoAuth]:
		return ""
	case u == model.EmailAddress:
		return "your full email address"
	case u == model.LocalPart:
		return "the part of your address before the @"
	case u.IsTemplate():
		d := e.ExampleDomain()
		return fmt.Sprintf("a name made from your address as %s (for %s@%s, %s)", u, model.ExampleLocalPart, d, model.FillPlaceholders(string(u), model.ExampleLocalPart, d))
	}
	return "the user name the settings page below gives"
}

// servers names servers by protocol: "the IMAP server", "the IMAP and
// SMTP servers".
func servers(protos []string) string {
	if len(protos) == 1 {
		return "the " + protos[0] + " server"
	}
	return "the " + strings.Join(protos, " and ") + " servers"
}

// plistDict is a property-list dictionary; its keys are written sorted.
type plistDict map[string]any

// writePlist writes v as property-list XML, indented with tabs.
func writePlist(buf *bytes.Buffer, v any, depth int) error {
	indent := strings.Repeat("\t", depth)
	switch v := v.(type) {
	case plistDict:
		buf.WriteString(indent + "<dict>\n")
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			buf.WriteString(indent + "\t<key>")
			xml.EscapeText(buf, []byte(k))
			buf.WriteString("</key>\n")
			if err := writePlist(buf, v[k], depth+1); err != nil {
				return err
			}
		}
		buf.WriteString(indent + "</dict>\n")
	case []any:
		buf.WriteString(indent + "<array>\n")
		for _, item := range v {
			if err := writePlist(buf, item, depth+1); err != nil {
				return err
			}
		}
		buf.WriteString(indent + "</array>\n")
	case string:
		buf.WriteString(indent + "<string>")
		xml.EscapeText(buf, []byte(v))
		buf.WriteString("</string>\n")
	case int:
		buf.WriteString(indent + "<integer>" + strconv.Itoa(v) + "</integer>\n")
	case bool:
		if v {
			buf.WriteString(indent + "<true/>\n")
		} else {
			buf.WriteString(indent + "<false/>\n")
		}
	default:
		return fmt.Errorf("plist: cannot write a %T", v)
	}
	return nil
}

// namespaceURL is RFC 9562's name space for URLs.
var namespaceURL = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// uuidFor is the name-based (version 5, SHA-1) UUID of a URL: a profile's
// PayloadUUIDs depend only on where it is published (the site, provider
// and protocol), never on the build, like its PayloadIdentifier.
func uuidFor(name string) string {
	h := sha1.New()
	h.Write(namespaceURL[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]))
}
