package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"mailkb/generator/benchcorpus"
)

func init() {
	commands["bench-corpus"] = command{"write a synthetic knowledge base of about N pages: bench-corpus N DIR [--templates DIR]", benchCorpus}
}

func benchCorpus(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench-corpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	templates := fs.String("templates", "templates", "templates folder to copy into the corpus")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 2 {
		fmt.Fprintln(stderr, "usage: mailkb bench-corpus N DIR [--templates DIR]")
		return 2
	}
	n, err := strconv.Atoi(pos[0])
	if err != nil || n < 1 {
		fmt.Fprintf(stderr, "mailkb bench-corpus: N must be a positive number of pages, got %q\n", pos[0])
		return 2
	}
	dir := pos[1]
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "mailkb bench-corpus: %s is not empty; give a new folder\n", dir)
		return 2
	}
	if err := benchcorpus.Write(n, dir, *templates); err != nil {
		fmt.Fprintf(stderr, "mailkb bench-corpus: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %d providers and %d clients (about %d pages) to %s\nbuild it: ./build.sh build --root %s\n",
		benchcorpus.Providers(n), benchcorpus.Clients, n, dir, filepath.Clean(dir))
	return 0
}
