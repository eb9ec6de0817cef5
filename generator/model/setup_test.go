package model

import (
	"slices"
	"testing"
	"time"
)

// TestWaysInByProtocol: a way that answers IMAP only is no way to read
// mail by POP3, and a way with no protocols answers every guide.
func TestWaysInByProtocol(t *testing.T) {
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &Provider{ID: "acme"}
	for _, proto := range []Protocol{IMAP, POP3, SMTP} {
		p.Endpoints = append(p.Endpoints, &Endpoint{Protocol: proto, Status: Current, Auth: []Auth{OAuth2}, Period: Period{From: DateOf(day.AddDate(-1, 0, 0))}})
	}
	c := &Client{Setup: []Setup{
		{ID: "button", Kind: ByButton, Providers: []*Provider{p}, SignIn: []Auth{OAuth2}, Protocols: []Protocol{IMAP}},
		{ID: "manual", Kind: ByHand, SignIn: []Auth{Password}},
	}}
	for _, tt := range []struct {
		proto Protocol
		want  []string // way ids, and whether each works
	}{
		{IMAP, []string{"button works", "manual fails"}},
		{POP3, []string{"manual fails"}},
	} {
		var got []string
		for _, w := range c.WaysIn(p, tt.proto, day, day) {
			state := " fails"
			if w.Works() {
				state = " works"
			}
			got = append(got, w.Setup.ID+state)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: ways %v, want %v", tt.proto, got, tt.want)
		}
	}
}
