package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"mailkb/generator/site"
)

func init() {
	commands["build"] = command{"build the site: build [--root DIR] [--out DIR] [--today YYYY-MM-DD]", build}
}

func build(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "knowledge base folder (holds data/, content/, templates/)")
	out := fs.String("out", "", "output folder (default: ROOT/public)")
	today := fs.String("today", "", "build as if on this day (YYYY-MM-DD); default: today, or SOURCE_DATE_EPOCH")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	now, err := buildDay(*today)
	if err != nil {
		fmt.Fprintf(stderr, "mailkb build: %v\n", err)
		return 2
	}
	if *out == "" {
		*out = filepath.Join(*root, "public")
	}
	start := time.Now()
	res, err := site.Build(site.Options{Root: *root, Out: *out, Now: now, Waiting: func(out string) {
		fmt.Fprintf(stderr, "mailkb build: another mailkb is publishing to %s; waiting for it to finish…\n", out)
	}})
	if err != nil {
		fmt.Fprintf(stderr, "%v\nmailkb build: failed; %s was left as it was\n", err, *out)
		return 1
	}
	for _, note := range res.Notes {
		fmt.Fprintf(stderr, "mailkb build: %s\n", note)
	}
	fmt.Fprintf(stdout, "built %d pages (%d files) into %s in %s\n", res.Pages, res.Files, *out, time.Since(start).Round(time.Millisecond))
	if res.Warnings > 0 {
		fmt.Fprintf(stdout, "%d warnings: run ./build.sh check to list them\n", res.Warnings)
	}
	return 0
}
