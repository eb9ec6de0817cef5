package view

import (
	"slices"
	"testing"
	"time"

	"mailkb/generator/model"
	"mailkb/generator/urls"
)

func date(t *testing.T, s string) model.Date {
	t.Helper()
	d, err := model.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestPeriodText: a period is told as precisely as the data knows it.
func TestPeriodText(t *testing.T) {
	src := func(d string) *model.Source { return &model.Source{Date: date(t, d)} }
	for _, tt := range []struct {
		name string
		e    model.Endpoint
		want string
	}{
		{"current, from a known day", model.Endpoint{Status: model.Current, Period: model.Period{From: date(t, "2013-09-16")}}, "Since 16 September 2013"},
		{"current, in force by", model.Endpoint{Status: model.Current, Period: model.Period{From: date(t, "2014-01"), FromBy: true}}, "In force by January 2014, and still current"},
		{"ended on a known day", model.Endpoint{Status: model.Retired, Period: model.Period{From: date(t, "2009-02"), Until: date(t, "2013")}}, "From February 2009 until 2013"},
		{"last seen, then gone", model.Endpoint{Status: model.Legacy, Sources: []*model.Source{src("2019-06")},
			Period: model.Period{Until: date(t, "2025-07-28"), UntilBy: true}}, "In force by June 2019, until some time after June 2019 (no longer listed on 28 July 2025)"},
		{"nothing dates it", model.Endpoint{Status: model.Retired}, "From an unknown date, until an unknown date"},
	} {
		if got := PeriodText(&tt.e); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestEvents: a server replaced on the day its successor starts is one
// change; an end says how it is known; a provider's former name is the
// one in force on the day.
func TestEvents(t *testing.T) {
	p := &model.Provider{ID: "acme", Name: "Acme Mail", FormerNames: []model.FormerName{{Name: "Acme Webmail", Period: model.Period{Until: date(t, "2012")}}}}
	old := &model.Endpoint{ID: "pop-old", Provider: p, Protocol: model.POP3, Host: "pop.acme.example", Port: 995, Security: model.TLS,
		Auth: []model.Auth{model.Password}, Status: model.Retired, Period: model.Period{From: date(t, "2009"), Until: date(t, "2014-03")}}
	next := &model.Endpoint{ID: "pop-new", Provider: p, Protocol: model.POP3, Host: "pop.acme.example", Port: 995, Security: model.TLS,
		Auth: []model.Auth{model.OAuth2}, Status: model.Current, Period: model.Period{From: date(t, "2014-03")}}
	old.ReplacedBy = next
	gone := &model.Endpoint{ID: "smtp-old", Provider: p, Protocol: model.SMTP, Host: "smtp.acme.example", Port: 25, Security: model.STARTTLS,
		Auth: []model.Auth{model.Password}, Status: model.Legacy, Period: model.Period{From: date(t, "2009"), Until: date(t, "2016"), UntilBy: true}}
	p.Endpoints = []*model.Endpoint{old, next, gone}
	var got []string
	for _, e := range Events(&model.KB{Providers: []*model.Provider{p}}) {
		got = append(got, e.Date.String()+" "+e.Name+": "+e.Title)
	}
	want := []string{
		"2009 Acme Webmail: New POP3 server pop.acme.example (port 995, SSL/TLS, sign-in: normal password)",
		"2009 Acme Webmail: New SMTP server smtp.acme.example (port 25, STARTTLS, sign-in: normal password)",
		"2014-03 Acme Mail: POP3 server pop.acme.example: sign-in changed from normal password to OAuth2",
		"2016 Acme Mail: SMTP server smtp.acme.example (port 25) no longer listed",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n%q\nwant:\n%q", got, want)
	}
}

// TestHosts: every published host once, in name order, with the errata
// that name it; a host made from the user's domain is no host.
func TestHosts(t *testing.T) {
	p := &model.Provider{ID: "acme", Name: "Acme"}
	next := &model.Endpoint{Provider: p, Protocol: model.IMAP, Host: "imap.acme.example", Status: model.Current}
	old := &model.Endpoint{Provider: p, Protocol: model.IMAP, Host: "mail.acme.example", Status: model.Retired, ReplacedBy: next}
	tmpl := &model.Endpoint{Provider: p, Protocol: model.SMTP, Host: "smtp.%EMAILDOMAIN%", Status: model.Current}
	p.Endpoints = []*model.Endpoint{next, old, tmpl}
	p.Errata = []model.Erratum{{Field: "host", Wrong: "imap.acme.exmaple", Right: "imap.acme.example", Endpoint: next}}
	hosts := Hosts(&model.KB{Providers: []*model.Provider{p}})
	var names []string
	for _, h := range hosts {
		names = append(names, h.Name)
	}
	if want := []string{"imap.acme.example", "imap.acme.exmaple", "mail.acme.example"}; !slices.Equal(names, want) {
		t.Fatalf("hosts %v, want %v", names, want)
	}
	if h := hosts[2]; h.Current() || !h.Published() || !slices.Equal(h.Replacements(), []*model.Endpoint{next}) {
		t.Errorf("the old host: current %v, published %v, replacements %v", h.Current(), h.Published(), h.Replacements())
	}
	if h := hosts[1]; h.Published() || len(h.Errata) != 1 {
		t.Errorf("the mistaken host: published %v, %d errata", h.Published(), len(h.Errata))
	}
}

// TestTablePreferred: the tag marks a first choice only among others of
// its protocol.
func TestTablePreferred(t *testing.T) {
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	a := &model.Endpoint{Protocol: model.SMTP, Port: 587, Preferred: true, Status: model.Current}
	b := &model.Endpoint{Protocol: model.SMTP, Port: 465, Status: model.Current}
	if tbl := NewTable([]*model.Endpoint{a}, day, day, 180, urls.New("https://kb.example/")); tbl.Preferred(a) {
		t.Error("the only SMTP server is tagged preferred")
	}
	if tbl := NewTable([]*model.Endpoint{a, b}, day, day, 180, urls.New("https://kb.example/")); !tbl.Preferred(a) || tbl.Preferred(b) {
		t.Error("the first choice of two is not the one tagged")
	}
}
