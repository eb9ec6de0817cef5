package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/probe"
	"mailkb/generator/verify"
)

const probeSyntax = "probe <provider> [protocol] [--record --by NAME] | probe --host H --port P --protocol imap|pop3|smtp --security tls|starttls|none; both take [--ca FILE] [--timeout 10s] [--json]"

func init() {
	commands["probe"] = command{"check the live servers: " + probeSyntax, probeCmd}
}

func probeCmd(args []string, stdout, stderr io.Writer) int {
	// Greetings, capabilities and certificate names come from the server.
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "knowledge base folder")
	timeout := fs.Duration("timeout", probe.DefaultTimeout, "limit for each network step (dial, TLS handshake, each reply)")
	ca := fs.String("ca", "", "PEM file of a CA to trust besides the system's (for private CAs)")
	asJSON := fs.Bool("json", false, "print a JSON report")
	record := fs.Bool("record", false, "record each endpoint that matches as verified today (method probe)")
	by := fs.String("by", "", "who ran the probe, for --record")
	host := fs.String("host", "", "probe this server instead of a provider's endpoints")
	port := fs.Int("port", 0, "port, with --host")
	protocol := fs.String("protocol", "", "imap, pop3 or smtp, with --host")
	security := fs.String("security", "", "tls, starttls or none, with --host")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	usageError := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "mailkb probe: "+format+"\nusage: mailkb %s\n", append(a, probeSyntax)...)
		return 2
	}
	if *timeout <= 0 {
		return usageError("--timeout must be positive, such as 10s")
	}
	opts := []probe.Option{probe.WithTimeout(*timeout)}
	if *ca != "" {
		roots, err := probe.SystemRootsPlus(*ca)
		if err != nil {
			return usageError("%v", err)
		}
		opts = append(opts, probe.WithRootCAs(roots))
	}
	prober := probe.New(opts...)
	ctx := context.Background()

	var checks []probe.Check
	var recordErr error
	if *host != "" {
		if len(pos) > 0 || *record {
			return usageError("--host probes one server without data; give no provider and no --record")
		}
		t := probe.Target{Protocol: model.Protocol(*protocol), Host: *host, Port: *port, Security: model.Security(*security)}
		if err := checkTarget(t); err != nil {
			return usageError("%v", err)
		}
		checks = []probe.Check{prober.CheckTarget(ctx, t)}
	} else {
		if len(pos) < 1 || len(pos) > 2 {
			return usageError("name a provider (and optionally a protocol), or a server with --host")
		}
		if *record && *by == "" {
			return usageError("--record needs --by NAME: who ran the probe")
		}
		if *record {
			if err := verify.PlainText(*by, false); err != nil {
				return usageError("--by: %v", err)
			}
		}
		day, err := today("")
		if err != nil {
			return usageError("%v", err)
		}
		kb, err := loader.Load(*root, loader.WithToday(day))
		if err != nil {
			fmt.Fprintf(stderr, "%v\nmailkb probe: fix these errors first\n", err)
			return 1
		}
		protocol := ""
		if len(pos) == 2 {
			protocol = pos[1]
		}
		endpoints, err := probe.Endpoints(kb, pos[0], protocol)
		var choice *probe.ChoiceError
		if errors.As(err, &choice) {
			return usageError("%v", err)
		} else if err != nil {
			fmt.Fprintf(stderr, "mailkb probe: %v\n", err)
			return 1
		}
		checks = prober.CheckEndpoints(ctx, endpoints)
		if *record {
			recordErr = probe.RecordMatches(ctx, *root, checks, *by, day, waitingFor("probe", stderr))
		}
	}
	if *asJSON {
		if err := probe.WriteJSON(stdout, checks); err != nil {
			fmt.Fprintf(stderr, "mailkb probe: %v\n", err)
			return 1
		}
	} else {
		probe.WriteText(stdout, checks)
	}
	if recordErr != nil {
		fmt.Fprintf(stderr, "mailkb probe: %v\n", recordErr)
		return 1
	}
	if !probe.AllOK(checks) {
		return 1
	}
	return 0
}

// checkTarget refuses a --host probe with a missing or unknown value.
func checkTarget(t probe.Target) error {
	switch t.Protocol {
	case model.IMAP, model.POP3, model.SMTP:
	default:
		return fmt.Errorf("--protocol %q: choose one of: imap, pop3, smtp", t.Protocol)
	}
	switch t.Security {
	case model.TLS, model.STARTTLS, model.NoTLS:
	default:
		return fmt.Errorf("--security %q: choose one of: tls, starttls, none", t.Security)
	}
	if t.Port < 1 || t.Port > 65535 {
		return fmt.Errorf("--port %d: give the server's port, 1-65535", t.Port)
	}
	return nil
}
