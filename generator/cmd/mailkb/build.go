package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"mailkb/generator/model"
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
	res, err := site.Build(site.Options{Root: *root, Out: *out, Now: now})
	if err != nil {
		fmt.Fprintf(stderr, "%v\nmailkb build: failed; %s was left as it was\n", err, *out)
		return 1
	}
	fmt.Fprintf(stdout, "built %d pages (%d files) into %s in %s\n", res.Pages, res.Files, *out, time.Since(start).Round(time.Millisecond))
	if res.Warnings > 0 {
		fmt.Fprintf(stdout, "%d warnings: run ./build.sh check to list them\n", res.Warnings)
	}
	return 0
}

// today is buildDay with the clock filled in, for commands that act once.
func today(flagValue string) (time.Time, error) {
	t, err := buildDay(flagValue)
	if err == nil && t.IsZero() {
		t = time.Now()
	}
	return t, err
}

// buildDay picks the command's "today": the flag, else SOURCE_DATE_EPOCH
// (the reproducible-builds convention), else the clock (zero time).
func buildDay(flagValue string) (time.Time, error) {
	if flagValue != "" {
		d, err := model.ParseDate(flagValue)
		if err != nil || d.Precision != model.Day {
			return time.Time{}, fmt.Errorf("--today %q: write a full date, YYYY-MM-DD", flagValue)
		}
		return d.Start(), nil
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		var sec int64
		if _, err := fmt.Sscan(s, &sec); err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds", s)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	return time.Time{}, nil
}
