package model

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func date(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestWindow(t *testing.T) {
	src := &Source{Date: date("2020-05")}
	tests := []struct {
		name       string
		e          Endpoint
		start, end string
		ok         bool
	}{
		{"known period", Endpoint{Period: Period{From: date("2009-02"), Until: date("2013")}, Status: Retired}, "2009-02-01", "2013-01-01", true},
		{"current is open", Endpoint{Period: Period{From: date("2015")}, Status: Current}, "2015-01-01", "9999-01-01", true},
		{"unknown end: last verification", Endpoint{Period: Period{From: date("2009-02")}, Status: Legacy,
			Verified: []Verification{{Date: date("2009-02-11")}, {Date: date("2012-03-09")}}}, "2009-02-01", "2012-03-10", true},
		{"unknown start: first evidence", Endpoint{Status: Current, Sources: []*Source{src}}, "2020-05-01", "9999-01-01", true},
		{"nothing dates it", Endpoint{Status: Retired}, "", "", false},
		{"current and undated: from the day asked", Endpoint{Status: Current}, "2026-11-25", "9999-01-01", true},
		{"retired and undated stays unplaced", Endpoint{Status: Retired}, "", "", false},
	}
	today := day("2026-11-25")
	for _, tt := range tests {
		s, e, ok := tt.e.Window(today)
		if ok != tt.ok || (ok && (!s.Equal(day(tt.start)) || !e.Equal(day(tt.end)))) {
			t.Errorf("%s: Window(%s) = %v, %v, %v; want %s, %s, %v", tt.name, today.Format(time.DateOnly), s, e, ok, tt.start, tt.end, tt.ok)
		}
	}
}

func TestLatestInForce(t *testing.T) {
	p := &Provider{Endpoints: []*Endpoint{
		{Protocol: POP3, Period: Period{From: date("2009-02")}, Status: Retired, Verified: []Verification{{Date: date("2012-03-22")}}},
		{Protocol: SMTP, Period: Period{From: date("2009-02")}, Status: Legacy, Verified: []Verification{{Date: date("2012-03-09")}}},
		{Protocol: IMAP, Period: Period{From: date("2024-09-16")}, Status: Current},
		{Protocol: SMTP, Period: Period{From: date("2024-09-16")}, Status: Current},
	}}
	tests := []struct {
		protos      []Protocol
		from, until string
		want        string
		ok          bool
	}{
		// POP3 lasts longer than SMTP's evidence: the guide takes the last day both stood.
		{[]Protocol{POP3, SMTP}, "1996-01-01", "2014-04-01", "2012-03-09", true},
		{[]Protocol{POP3}, "1996-01-01", "2014-04-01", "2012-03-22", true},
		{[]Protocol{IMAP, SMTP}, "2003-01-01", "2026-11-26", "2026-11-25", true},
		{[]Protocol{IMAP, SMTP}, "1996-01-01", "2014-04-01", "", false},
		{[]Protocol{POP3, SMTP}, "2013-01-01", "2020-01-01", "", false},
	}
	for _, tt := range tests {
		got, ok := p.LatestInForce(tt.protos, day(tt.from), day(tt.until), day("2026-11-25"))
		if ok != tt.ok || (ok && !got.Equal(day(tt.want))) {
			t.Errorf("LatestInForce(%v, %s, %s) = %v, %v; want %s, %v", tt.protos, tt.from, tt.until, got, ok, tt.want, tt.ok)
		}
	}
}
