package main

import (
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"

	"mailkb/generator/kbtest"
	"mailkb/generator/loader"
	"mailkb/generator/model"
)

// The probe itself is tested in generator/probe against fake and real
// servers; these tests cover the command line: usage errors and exit codes.

func TestProbeUsageErrors(t *testing.T) {
	const bundled = "../../.."
	kb, err := loader.Load(bundled, loader.WithToday(kbtest.Day(t, bundled)))
	if err != nil {
		t.Fatal(err)
	}
	// A provider with servers to probe, and the protocols it offers.
	var p *model.Provider
	var protocols []string
	for _, q := range kb.Providers {
		protocols = nil
		for _, e := range q.CurrentEndpoints() {
			if proto := string(e.Protocol); (e.Protocol == model.IMAP || e.Protocol == model.POP3 || e.Protocol == model.SMTP) && !slices.Contains(protocols, proto) {
				protocols = append(protocols, proto)
			}
		}
		if len(protocols) > 0 {
			p = q
			break
		}
	}
	if p == nil {
		t.Fatal("no bundled provider has a current IMAP, POP3 or SMTP server")
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"nothing to probe", []string{"probe"}, "name a provider (and optionally a protocol), or a server with --host"},
		{"unknown provider", []string{"probe", "nope", "--root", bundled}, `no provider "nope"; choose one of: ` + strings.Join(kb.ProviderIDs(), ", ")},
		{"unknown protocol", []string{"probe", p.ID, "httpmail", "--root", bundled}, p.ID + ` has no current "httpmail" endpoint; choose one of: ` + strings.Join(protocols, ", ")},
		{"record without by", []string{"probe", p.ID, "--record", "--root", bundled}, "--record needs --by NAME"},
		{"host with a provider", []string{"probe", p.ID, "--host", "mail.example.com"}, "give no provider and no --record"},
		{"host without protocol", []string{"probe", "--host", "mail.example.com", "--port", "993", "--security", "tls"}, `--protocol "": choose one of: imap, pop3, smtp`},
		{"host with bad security", []string{"probe", "--host", "mail.example.com", "--port", "993", "--protocol", "imap", "--security", "ssl"}, `--security "ssl": choose one of: tls, starttls, none`},
		{"host without port", []string{"probe", "--host", "mail.example.com", "--protocol", "imap", "--security", "tls"}, "--port 0: give the server's port"},
		{"zero timeout", []string{"probe", p.ID, "--timeout", "0s"}, "--timeout must be positive"},
		{"missing CA file", []string{"probe", p.ID, "--ca", "/nonexistent/ca.pem"}, "--ca: open /nonexistent/ca.pem"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := mailkb(t, tc.args...)
			if code != 2 || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "usage: mailkb probe") {
				t.Fatalf("exit %d, want 2 with %q and the usage\nstdout: %s\nstderr: %s", code, tc.want, out, errs)
			}
		})
	}
}

func TestProbeHostUnreachableJSON(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	code, out, errs := mailkb(t, "probe", "--host", "127.0.0.1", "--port", fmt.Sprint(port),
		"--protocol", "smtp", "--security", "starttls", "--timeout", "5s", "--json")
	var doc struct {
		OK     bool `json:"ok"`
		Checks []struct {
			Mismatches []struct{ Kind, Seen string }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("exit %d, not JSON: %v\n%s%s", code, err, out, errs)
	}
	if code != 1 || doc.OK || len(doc.Checks) != 1 || len(doc.Checks[0].Mismatches) != 1 ||
		doc.Checks[0].Mismatches[0].Kind != "unreachable" || !strings.Contains(doc.Checks[0].Mismatches[0].Seen, "connection refused") {
		t.Fatalf("exit %d, want 1 and one unreachable mismatch:\n%s%s", code, out, errs)
	}
}
