package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sync"

	"mailkb/generator/loader"
	"mailkb/generator/model"
	"mailkb/generator/verify"
)

func init() {
	commands["verify"] = command{"record a check: verify <provider> <endpoint-id|protocol|host:port> --method manual|probe|published --by NAME [--date YYYY-MM-DD] [--note TEXT]", verifyCmd}
	commands["stale"] = command{"list current values by age of their last check: stale [--days N]", staleCmd}
}

func verifyCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "knowledge base folder")
	date := fs.String("date", "", "day of the check, YYYY-MM-DD (default: today)")
	method := fs.String("method", "", "how it was checked: manual, probe or published")
	by := fs.String("by", "", "who checked it")
	note := fs.String("note", "", "what was seen (optional)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 2 {
		fmt.Fprintln(stderr, "usage: mailkb verify <provider> <endpoint-id|protocol|host:port> --method manual|probe|published --by NAME [--date YYYY-MM-DD] [--note TEXT]")
		return 2
	}
	day, err := today("")
	if err != nil {
		fmt.Fprintf(stderr, "mailkb verify: %v\n", err)
		return 2
	}
	ev := verify.Event{Date: model.DateOf(day), Method: model.Method(*method), By: *by, Note: *note}
	if *date != "" {
		if ev.Date, err = model.ParseDate(*date); err != nil {
			fmt.Fprintf(stderr, "mailkb verify: --date: %v\n", err)
			return 2
		}
	}
	switch ev.Method {
	case model.Manual, model.Probe, model.Published:
	default:
		fmt.Fprintf(stderr, "mailkb verify: --method must be manual, probe or published (got %q)\n", *method)
		return 2
	}
	for _, f := range []struct {
		name, value string
		lines       bool
	}{{"--by", *by, false}, {"--note", *note, true}} {
		if err := verify.PlainText(f.value, f.lines); err != nil {
			fmt.Fprintf(stderr, "mailkb verify: %s: %v\n", f.name, err)
			return 2
		}
	}
	rec, err := verify.Record(context.Background(), *root, pos[0], pos[1], ev,
		verify.Options{Today: day, Waiting: waitingFor("verify", stderr)})
	if err != nil {
		fmt.Fprintf(stderr, "mailkb verify: %v\n", err)
		return 1
	}
	e := rec.Endpoint
	fmt.Fprintf(stdout, "recorded: %s %s (%s %s:%d) verified %s (%s) by %s\n  in %s:%d\n",
		e.Provider.ID, e.ID, e.Protocol, e.Host, e.Port, ev.Date, ev.Method, ev.By, rec.File, rec.Line)
	return 0
}

func staleCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "knowledge base folder")
	days := fs.Int("days", -1, "list values last checked at least this many days ago (default: stale_after_days from data/site.yaml)")
	all := fs.Bool("all", false, "list every current value, however recent")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	now, err := today("")
	if err != nil {
		fmt.Fprintf(stderr, "mailkb stale: %v\n", err)
		return 2
	}
	kb, err := loader.Load(*root, loader.WithToday(now))
	if err != nil {
		fmt.Fprintf(stderr, "%v\nmailkb stale: fix these errors first\n", err)
		return 1
	}
	min := *days
	if min < 0 {
		min = kb.Site.StaleAfterDays
	}
	if *all {
		min = 0
	}
	due := verify.Stale(kb, now, min)
	if len(due) == 0 {
		fmt.Fprintf(stdout, "every current value was checked in the last %d days\n", min)
		return 0
	}
	fmt.Fprintf(stdout, "%d current values last checked %d or more days ago, oldest first:\n\n", len(due), min)
	for _, d := range due {
		e := d.Endpoint
		age := "never verified"
		if d.Last != nil {
			age = fmt.Sprintf("%d days ago (%s, %s by %s)", d.AgeDays, d.Last.Date, d.Last.Method, d.Last.By)
		}
		fmt.Fprintf(stdout, "%-14s %-32s %s %s:%d — %s\n  ./build.sh verify %s %s --method manual --by \"Your Name\"\n",
			e.Provider.ID, e.ID, e.Protocol, e.Host, e.Port, age, e.Provider.ID, e.ID)
	}
	return 0
}

// parseInterleaved parses flags that may come before, between or after
// positional arguments, as maintainers type them.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// waitingFor is what a command that writes data/ says, once, when another
// mailkb command holds the lock and it waits.
func waitingFor(command string, stderr io.Writer) func() {
	return sync.OnceFunc(func() {
		fmt.Fprintf(stderr, "mailkb %s: waiting for another mailkb command writing data/ to finish\n", command)
	})
}
