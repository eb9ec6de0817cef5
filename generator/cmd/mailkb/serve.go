package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"mailkb/generator/devserver"
)

func init() {
	commands["serve"] = command{"serve the site while you edit it: serve [--port 1313] [--addr 127.0.0.1] [--root DIR] [--public]", serve}
}

func serve(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "knowledge base folder (holds data/, content/, templates/)")
	addr := fs.String("addr", "127.0.0.1", "address to listen on; only loopback unless --public")
	port := fs.Int("port", 1313, "port to listen on (0 picks a free one)")
	public := fs.Bool("public", false, "allow an --addr other machines can reach")
	today := fs.String("today", "", "build as if on this day (YYYY-MM-DD)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := devserver.CheckAddr(*addr, *public); err != nil {
		fmt.Fprintf(stderr, "mailkb serve: %v\n", err)
		return 2
	}
	now, err := buildDay(*today)
	if err != nil {
		fmt.Fprintf(stderr, "mailkb serve: %v\n", err)
		return 2
	}
	srv, err := devserver.New(*root, devserver.WithToday(now), devserver.WithLog(stderr))
	if err != nil {
		fmt.Fprintf(stderr, "mailkb serve: %v\n", err)
		return 1
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", net.JoinHostPort(*addr, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(stderr, "mailkb serve: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Watch before the first build, so that no edit falls between the two.
	if stopped, err := srv.Watch(ctx); err != nil {
		fmt.Fprintf(stderr, "mailkb serve: not watching for changes: %v\n", err)
	} else {
		defer func() { stop(); <-stopped }() // a build in progress ends before the folder goes
	}
	srv.Build() // a failed first build is served as its error page until fixed
	fmt.Fprintf(stdout, "serving %s on http://%s/ — watching data/, content/ and templates/; Ctrl+C stops\n", *root, ln.Addr())
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "mailkb serve: %v\n", err)
		return 1
	}
	return 0
}
