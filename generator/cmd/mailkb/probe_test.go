package main

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
)

// The probe itself is tested in generator/probe against fake and real
// servers; these tests cover the command line: usage errors and exit codes.

func TestProbeUsageErrors(t *testing.T) {
	const bundled = "../../.."
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"nothing to probe", []string{"probe"}, "name a provider (and optionally a protocol), or a server with --host"},
		{"unknown provider", []string{"probe", "nope", "--root", bundled}, `no provider "nope"; choose one of: microsoft-365, outlook-com`},
		{"unknown protocol", []string{"probe", "outlook-com", "httpmail", "--root", bundled}, `outlook-com has no current "httpmail" endpoint; choose one of: imap, pop3, smtp`},
		{"record without by", []string{"probe", "outlook-com", "--record", "--root", bundled}, "--record needs --by NAME"},
		{"host with a provider", []string{"probe", "outlook-com", "--host", "mail.example.com"}, "give no provider and no --record"},
		{"host without protocol", []string{"probe", "--host", "mail.example.com", "--port", "993", "--security", "tls"}, `--protocol "": choose one of: imap, pop3, smtp`},
		{"host with bad security", []string{"probe", "--host", "mail.example.com", "--port", "993", "--protocol", "imap", "--security", "ssl"}, `--security "ssl": choose one of: tls, starttls, none`},
		{"host without port", []string{"probe", "--host", "mail.example.com", "--protocol", "imap", "--security", "tls"}, "--port 0: give the server's port"},
		{"zero timeout", []string{"probe", "outlook-com", "--timeout", "0s"}, "--timeout must be positive"},
		{"missing CA file", []string{"probe", "outlook-com", "--ca", "/nonexistent/ca.pem"}, "--ca: open /nonexistent/ca.pem"},
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
