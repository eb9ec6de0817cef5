package autoconfig

import (
	"slices"
	"strings"
	"testing"

	"mailkb/generator/model"
)

// TestValuesBothWays checks that every value the export writes reads back
// as the model value it was written from, in any case, and what the
// import reads that the export never writes.
func TestValuesBothWays(t *testing.T) {
	for _, s := range []model.Security{model.TLS, model.STARTTLS, model.NoTLS} {
		name := SocketType(s)
		for _, spelt := range []string{name, strings.ToUpper(name), strings.ToLower(name)} {
			if got, ok := SecurityOf(spelt); !ok || got != s {
				t.Errorf("SecurityOf(%q) = %q, %v; want %q (written for it)", spelt, got, ok, s)
			}
		}
	}
	for _, a := range model.Auths {
		names := Authentication([]model.Auth{a})
		if len(names) != 1 {
			t.Fatalf("Authentication(%s) = %q, want one name", a, names)
		}
		want := a
		if a == model.AppPassword {
			want = model.Password // typed and sent as a password
		}
		for _, spelt := range []string{names[0], strings.ToUpper(names[0]), strings.ToLower(names[0])} {
			if got, ok := AuthOf(spelt); !ok || got != want {
				t.Errorf("AuthOf(%q) = %q, %v; want %q", spelt, got, ok, want)
			}
		}
	}
	for _, u := range []model.Username{model.EmailAddress, model.LocalPart, "%EMAILLOCALPART%.%EMAILDOMAIN%", "%EMAILLOCALPART%@%EMAILDOMAIN%"} {
		if got, ok := UsernameOf(UsernamePlaceholder(u)); !ok || got != u {
			t.Errorf("UsernameOf(%q) = %q, %v; want %q", UsernamePlaceholder(u), got, ok, u)
		}
	}
	if got := UsernamePlaceholder(model.OtherName); got != "" {
		t.Errorf("UsernamePlaceholder(other) = %q; the format cannot express it", got)
	}

	reads := []struct {
		value string
		read  func(string) (string, bool)
		want  string // "" when the format does not have the value
	}{
		{"plain", authOf, string(model.Password)}, // the ISP database's old names
		{"Secure", authOf, string(model.EncryptedPassword)},
		{"magic-link", authOf, ""},
		{"", authOf, ""},
		{"TLS", securityOf, ""},
		{"", securityOf, ""},
		{"%EMAILADDRESS", usernameOf, "%EMAILADDRESS"}, // kept as written, as Thunderbird takes it
		{"customer-number", usernameOf, ""},
		{"%USERNAME%", usernameOf, ""},
		{"", usernameOf, ""},
	}
	for _, tt := range reads {
		got, ok := tt.read(tt.value)
		if ok != (tt.want != "") || (ok && got != tt.want) {
			t.Errorf("reading %q gave %q, %v; want %q", tt.value, got, ok, tt.want)
		}
	}
	if u, _ := UsernameOf("customer-number"); u != model.OtherName {
		t.Errorf("a literal user name is %q, want other", u)
	}
	if got := Authentication([]model.Auth{model.Password, model.AppPassword, model.OAuth2}); !slices.Equal(got, []string{"password-cleartext", "OAuth2"}) {
		t.Errorf("password and app password are written %q, want one password-cleartext before OAuth2", got)
	}
}

func authOf(s string) (string, bool)     { a, ok := AuthOf(s); return string(a), ok }
func securityOf(s string) (string, bool) { v, ok := SecurityOf(s); return string(v), ok }
func usernameOf(s string) (string, bool) { u, ok := UsernameOf(s); return string(u), ok }
