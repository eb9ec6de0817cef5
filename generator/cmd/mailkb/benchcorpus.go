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
	commands["bench-corpus"] = command{"write a synthetic knowledge base of about N pages: bench-corpus N DIR [--templates DIR], or of one provider with N endpoints: bench-corpus --endpoints N DIR", benchCorpus}
}

func benchCorpus(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench-corpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	templates := fs.String("templates", "templates", "templates folder to copy into the corpus")
	endpoints := fs.Int("endpoints", 0, "write one provider with this many endpoints (and a few clients) instead of about N pages")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	n, dir := *endpoints, ""
	switch {
	case n < 0:
		fmt.Fprintf(stderr, "mailkb bench-corpus: --endpoints must be a positive number, got %d\n", n)
		return 2
	case n > 0 && len(pos) == 1:
		dir = pos[0]
	case n == 0 && len(pos) == 2:
		if n, err = strconv.Atoi(pos[0]); err != nil || n < 1 {
			fmt.Fprintf(stderr, "mailkb bench-corpus: N must be a positive number of pages, got %q\n", pos[0])
			return 2
		}
		dir = pos[1]
	default:
		fmt.Fprintln(stderr, "usage: mailkb bench-corpus N DIR [--templates DIR]\n       mailkb bench-corpus --endpoints N DIR [--templates DIR]")
		return 2
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "mailkb bench-corpus: %s is not empty; give a new folder\n", dir)
		return 2
	}
	write := benchcorpus.Write
	wrote := fmt.Sprintf("%d providers and %d clients (about %d pages)", benchcorpus.Providers(n), benchcorpus.Clients, n)
	if *endpoints > 0 {
		write = benchcorpus.WriteEndpoints
		wrote = fmt.Sprintf("provider %s with %d endpoints and %d clients", benchcorpus.EndpointProvider, n, benchcorpus.EndpointClients)
	}
	if err := write(n, dir, *templates); err != nil {
		fmt.Fprintf(stderr, "mailkb bench-corpus: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s to %s\nbuild it: ./build.sh build --root %s\n", wrote, dir, filepath.Clean(dir))
	return 0
}
