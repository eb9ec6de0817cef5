package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"mailkb/generator/ispdb"
)

const importUsage = "import ispdb <file-or-folder>… | import ispdb --history <clone of the autoconfig repository> [entry…]; both take [--root DIR] [--today YYYY-MM-DD] [--dry-run]"

func init() {
	commands["import"] = command{"write providers from Thunderbird's ISP database: " + importUsage, importCmd}
}

// importCmd exits 0 when every file was handled, even if some were
// skipped or malformed (the summary says which and why): a database of
// hundreds of files always has a few odd ones. It exits 1 when the
// knowledge base does not load or a write fails, and 2 on a usage error.
func importCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "knowledge base folder (holds data/)")
	todayFlag := fs.String("today", "", "the day to record as from/until, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)")
	dryRun := fs.Bool("dry-run", false, "report what would be written, write nothing")
	history := fs.String("history", "", "a git clone of thunderbird/autoconfig: import every entry's history, each commit a dated record")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) < 1 || pos[0] != "ispdb" || (*history == "" && len(pos) < 2) {
		fmt.Fprintln(stderr, "usage: mailkb "+importUsage)
		return 2
	}
	day, err := today(*todayFlag)
	if err != nil {
		fmt.Fprintf(stderr, "mailkb import: %v\n", err)
		return 2
	}
	opts := ispdb.Options{Root: *root, Today: day, DryRun: *dryRun, Progress: stderr, Waiting: waitingFor("import", stderr)}
	var rep *ispdb.Report
	if *history != "" {
		rep, err = ispdb.ImportHistory(context.Background(), *history, pos[1:], opts)
	} else {
		files, ferr := ispdb.Files(pos[1:])
		if ferr != nil {
			fmt.Fprintf(stderr, "mailkb import: %v\n", ferr)
			return 2
		}
		rep, err = ispdb.Import(context.Background(), files, opts)
	}
	if rep != nil {
		rep.Write(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mailkb import: %v\n", err)
		return 1
	}
	return 0
}
