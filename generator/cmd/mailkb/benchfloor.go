package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"time"

	"mailkb/generator/benchfloor"
)

func init() {
	commands["bench-floor"] = command{"render the articles of a bench-corpus --distinct corpus with markdown and highlighting only, the floor for build timings: bench-floor DIR OUT [--workers N]", benchFloor}
}

func benchFloor(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench-floor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "articles rendered at once")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 2 {
		fmt.Fprintln(stderr, "usage: mailkb bench-floor DIR OUT [--workers N]")
		return 2
	}
	start := time.Now()
	pages, err := benchfloor.Render(pos[0], pos[1], *workers)
	if err != nil {
		fmt.Fprintf(stderr, "mailkb bench-floor: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "rendered %d pages into %s in %s\n", pages, pos[1], time.Since(start).Round(time.Millisecond))
	return 0
}
