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
	commands["bench-corpus"] = command{"write a synthetic knowledge base of about N pages: bench-corpus N DIR [--templates DIR]; of about N pages with a source each, and a Hugo site of them: bench-corpus --distinct N DIR; or of one provider with N endpoints: bench-corpus --endpoints N DIR", benchCorpus}
}

const benchCorpusUsage = `usage: mailkb bench-corpus N DIR [--templates DIR]
       mailkb bench-corpus --distinct N DIR [--templates DIR]
       mailkb bench-corpus --endpoints N DIR [--templates DIR]`

func benchCorpus(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench-corpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	templates := fs.String("templates", "templates", "templates folder to copy into the corpus")
	endpoints := fs.Int("endpoints", 0, "write one provider with this many endpoints (and a few clients) instead of about N pages")
	distinct := fs.Int("distinct", 0, "write about this many pages, nearly all articles with a source each, and a Hugo site of the same articles under DIR/hugo")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"--endpoints", *endpoints}, {"--distinct", *distinct}} {
		if f.n < 0 {
			fmt.Fprintf(stderr, "mailkb bench-corpus: %s must be a positive number, got %d\n", f.name, f.n)
			return 2
		}
	}
	n, dir := max(*endpoints, *distinct), ""
	switch {
	case *endpoints > 0 && *distinct > 0:
		fmt.Fprintf(stderr, "mailkb bench-corpus: give --endpoints or --distinct, not both\n%s\n", benchCorpusUsage)
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
		fmt.Fprintln(stderr, benchCorpusUsage)
		return 2
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "mailkb bench-corpus: %s is not empty; give a new folder\n", dir)
		return 2
	}
	write := benchcorpus.Write
	wrote := fmt.Sprintf("%d providers and %d clients (about %d pages)", benchcorpus.Providers(n), benchcorpus.Clients, n)
	built := ""
	switch {
	case *endpoints > 0:
		write = benchcorpus.WriteEndpoints
		wrote = fmt.Sprintf("provider %s with %d endpoints and %d clients", benchcorpus.EndpointProvider, n, benchcorpus.EndpointClients)
	case *distinct > 0:
		write = benchcorpus.WriteDistinct
		wrote = fmt.Sprintf("%d articles and %d providers (about %d pages), and a Hugo site of them in %s", benchcorpus.Articles(n), benchcorpus.DistinctProviders, n, filepath.Join(dir, "hugo"))
		built = fmt.Sprintf("or with Hugo: hugo -s %s; or the floor: ./build.sh bench-floor %s %s\n", filepath.Join(dir, "hugo"), filepath.Clean(dir), filepath.Join(dir, "floor"))
	}
	if err := write(n, dir, *templates); err != nil {
		fmt.Fprintf(stderr, "mailkb bench-corpus: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s to %s\nbuild it: ./build.sh build --root %s\n%s", wrote, dir, filepath.Clean(dir), built)
	return 0
}
