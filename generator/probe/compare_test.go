package probe

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"mailkb/generator/model"
)

func TestCompare(t *testing.T) {
	imaps := &model.Endpoint{Protocol: model.IMAP, Host: "imap.example.com", Port: 993, Security: model.TLS,
		Auth: []model.Auth{model.OAuth2, model.Password}}
	submission := &model.Endpoint{Protocol: model.SMTP, Host: "smtp.example.com", Port: 587, Security: model.STARTTLS,
		Auth: []model.Auth{model.OAuth2}}
	pop3 := &model.Endpoint{Protocol: model.POP3, Host: "pop.example.com", Port: 110, Security: model.STARTTLS,
		Auth: []model.Auth{model.AppPassword}}
	verified := &TLSInfo{Version: "TLS 1.3", Verified: true, NotAfter: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}

	tests := []struct {
		name     string
		endpoint *model.Endpoint
		report   Report
		want     []Kind
		contains string // in the first mismatch's text
	}{
		{"imaps matches", imaps, Report{Security: model.TLS, TLS: verified, Auth: []string{"PLAIN", "XOAUTH2"}}, nil, ""},
		{"oauth2 through OAUTHBEARER, password through the LOGIN command", imaps,
			Report{Security: model.TLS, TLS: verified, Auth: []string{"OAUTHBEARER"}, PasswordCommand: true}, nil, ""},
		{"nothing listens", imaps, Report{Failure: fail(StepConnect, errors.New("connection refused"))},
			[]Kind{KindUnreachable}, "expected IMAP on imap.example.com:993, but connection refused"},
		{"plaintext where TLS is expected", imaps,
			Report{Security: model.STARTTLS, Failure: fail(StepTLS, describedError{errPlaintextReply, "plaintext"})},
			[]Kind{KindSecurity}, "expected tls (implicit TLS), but the server speaks plaintext and offers STARTTLS"},
		{"implicit TLS where STARTTLS is expected", submission,
			Report{Security: model.TLS, Failure: fail(StepGreeting, describedError{errSilent, "no greeting within 1s"})},
			[]Kind{KindSecurity}, "the server speaks implicit TLS"},
		{"no STARTTLS offered", submission, Report{Security: model.NoTLS, Auth: []string{"XOAUTH2"}},
			[]Kind{KindSecurity}, "does not offer STARTTLS"},
		{"certificate for another host", imaps,
			Report{Security: model.TLS, TLS: &TLSInfo{VerifyError: "the certificate is not valid for imap.example.com"},
				Failure: fail(StepTLS, errors.New("the certificate is not valid for imap.example.com"))},
			[]Kind{KindCertificate}, "certificate: the certificate is not valid"},
		{"silent on both tries", submission, Report{Failure: fail(StepGreeting, describedError{errSilent, "no greeting within 1s"})},
			[]Kind{KindDialogue}, "dialogue: greeting: no greeting within 1s"},
		{"oauth2 missing", submission, Report{Security: model.STARTTLS, TLS: verified, Auth: []string{"PLAIN", "LOGIN"}},
			[]Kind{KindAuth}, "expected oauth2, but the server offers no XOAUTH2 or OAUTHBEARER (its SASL mechanisms: PLAIN LOGIN)"},
		{"password missing in IMAP", imaps,
			Report{Target: TargetOf(imaps), Security: model.TLS, TLS: verified, Auth: []string{"XOAUTH2"}},
			[]Kind{KindAuth}, "offers no PLAIN or LOGIN and says LOGINDISABLED"},
		{"app password through POP3 USER", pop3, Report{Security: model.STARTTLS, TLS: verified, PasswordCommand: true}, nil, ""},
		{"app password missing in POP3", pop3, Report{Target: TargetOf(pop3), Security: model.STARTTLS, TLS: verified},
			[]Kind{KindAuth}, "offers no PLAIN or LOGIN nor USER (its SASL mechanisms: none)"},
		{"wrong security and missing auth", submission, Report{Security: model.NoTLS},
			[]Kind{KindSecurity, KindAuth}, "security:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Compare(tc.report, tc.endpoint)
			var kinds []Kind
			for _, m := range got {
				kinds = append(kinds, m.Kind)
			}
			if !slices.Equal(kinds, tc.want) {
				t.Fatalf("kinds %v, want %v: %v", kinds, tc.want, got)
			}
			if tc.contains != "" && !strings.Contains(got[0].String(), tc.contains) {
				t.Errorf("%q does not contain %q", got[0], tc.contains)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	r := Report{Target: Target{Protocol: model.IMAP, Host: "imap.example.com", Port: 143, Security: model.STARTTLS},
		Security: model.STARTTLS, TLS: &TLSInfo{Version: "TLS 1.3", Verified: true, NotAfter: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)},
		Auth: []string{"PLAIN", "XOAUTH2"}, PasswordCommand: true}
	want := "mailkb probe of imap.example.com:143 saw STARTTLS, TLS 1.3 with a certificate valid until 2027-03-01, AUTH PLAIN XOAUTH2 and the LOGIN command."
	if got := Summary(r); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}
