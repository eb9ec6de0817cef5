package inputfs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

// project makes a project folder beside an "outside" folder holding a
// secret, and returns both.
func project(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root, outside = filepath.Join(base, "project"), filepath.Join(base, "outside")
	for _, d := range []string{root, outside, filepath.Join(root, "data", "sub")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(outside, "secret.txt"), "secret")
	write(t, filepath.Join(root, "data", "a.yaml"), "id: a\n")
	write(t, filepath.Join(root, "data", "sub", "b.yaml"), "id: b\n")
	return root, outside
}

func write(t *testing.T, p, body string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

// TestReadFileRules checks each kind of file the rules keep out, and the
// links they let through, by the exact message a user sees.
func TestReadFileRules(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("FIFOs, devices and symbolic links are Unix cases")
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, root, outside string)
		read  string
		want  string // the error, or "" for the bytes "id: a\n"
	}{
		{"regular file", func(*testing.T, string, string) {}, "data/a.yaml", ""},
		{"link inside the project", func(t *testing.T, root, _ string) {
			symlink(t, "a.yaml", filepath.Join(root, "data", "l.yaml"))
		}, "data/l.yaml", ""},
		{"link to a folder inside", func(t *testing.T, root, _ string) {
			symlink(t, ".", filepath.Join(root, "data", "here"))
		}, "data/here/a.yaml", ""},
		{"link out of the project", func(t *testing.T, root, outside string) {
			symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(root, "data", "x.yaml"))
		}, "data/x.yaml", "open data/x.yaml: it is a link to OUTSIDE/secret.txt, outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it"},
		{"relative link out", func(t *testing.T, root, _ string) {
			symlink(t, "../../outside/secret.txt", filepath.Join(root, "data", "x.yaml"))
		}, "data/x.yaml", "open data/x.yaml: it is a link to ../../outside/secret.txt, outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it"},
		{"folder link out", func(t *testing.T, root, outside string) {
			symlink(t, outside, filepath.Join(root, "data", "out"))
		}, "data/out/secret.txt", "open data/out/secret.txt: data/out is a link to OUTSIDE, outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it"},
		{"link to /dev/zero", func(t *testing.T, root, _ string) {
			symlink(t, "/dev/zero", filepath.Join(root, "data", "z.yaml"))
		}, "data/z.yaml", "open data/z.yaml: it is a link to /dev/zero, outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it"},
		{"dangling link", func(t *testing.T, root, _ string) {
			symlink(t, "gone.yaml", filepath.Join(root, "data", "d.yaml"))
		}, "data/d.yaml", "open data/d.yaml: it is a link to gone.yaml, which does not exist; remove the link or restore what it points to"},
		{"link loop", func(t *testing.T, root, _ string) {
			symlink(t, "l2.yaml", filepath.Join(root, "data", "l1.yaml"))
			symlink(t, "l1.yaml", filepath.Join(root, "data", "l2.yaml"))
		}, "data/l1.yaml", "open data/l1.yaml: it is a link that leads back to itself (to l2.yaml); remove the link"},
		{"FIFO", func(t *testing.T, root, _ string) {
			if err := syscall.Mkfifo(filepath.Join(root, "data", "f.yaml"), 0o644); err != nil {
				t.Skipf("no FIFOs here: %v", err)
			}
		}, "data/f.yaml", "open data/f.yaml: it is a named pipe (FIFO), not a regular file; mailkb reads only regular files — remove it or put a file in its place"},
		{"FIFO through a link", func(t *testing.T, root, _ string) {
			if err := syscall.Mkfifo(filepath.Join(root, "data", "f"), 0o644); err != nil {
				t.Skipf("no FIFOs here: %v", err)
			}
			symlink(t, "f", filepath.Join(root, "data", "f.yaml"))
		}, "data/f.yaml", "open data/f.yaml: it is a named pipe (FIFO), not a regular file; mailkb reads only regular files — remove it or put a file in its place"},
		{"too large", func(t *testing.T, root, _ string) {
			// A sparse file: its size is what counts, not the disk it takes.
			if err := os.Truncate(filepath.Join(root, "data", "a.yaml"), MaxFileSize+1<<20); err != nil {
				t.Fatal(err)
			}
		}, "data/a.yaml", "open data/a.yaml: it is 33.0 MiB, more than the 32 MiB an input file may hold; split it into smaller files or remove it"},
		{"a folder", func(*testing.T, string, string) {}, "data/sub", "read data/sub: it is a folder, not a file"},
		{"outside by name", func(*testing.T, string, string) {}, "../outside/secret.txt", "open ../outside/secret.txt: invalid argument"},
		{"missing", func(*testing.T, string, string) {}, "data/none.yaml", "open data/none.yaml: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, outside := project(t)
			tt.setup(t, root, outside)
			fsys, err := Open(root)
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			data, err := fsys.ReadFile(tt.read)
			want := strings.ReplaceAll(tt.want, "OUTSIDE", outside)
			switch {
			case want == "" && err != nil:
				t.Fatalf("ReadFile: %v", err)
			case want == "" && string(data) != "id: a\n":
				t.Fatalf("ReadFile = %q", data)
			case want != "" && (err == nil || err.Error() != want):
				t.Fatalf("ReadFile error:\n%v\nwant:\n%s", err, want)
			}
			// The same rules hold for every way in: fs.ReadFile through
			// Open, and Stat for the links.
			if want != "" && !strings.HasPrefix(want, "read ") {
				if _, err := fs.ReadFile(struct{ fs.FS }{fsys}, tt.read); err == nil {
					t.Errorf("fs.ReadFile through Open reads what ReadFile refuses")
				}
			}
		})
	}
}

// TestReadDir checks that listings leave out scratch and hidden files, list
// good links as what they lead to and keep bad ones as links that say
// what is wrong, and that a walk ends on a link back to its own folder.
func TestReadDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links are a Unix case here")
	}
	root, outside := project(t)
	data := filepath.Join(root, "data")
	for _, name := range []string{".hidden.yaml", "x.yaml~", "#x.yaml#", ".x.yaml.swp", "4913"} {
		write(t, filepath.Join(data, name), "scratch")
	}
	symlink(t, "user@host.1234", filepath.Join(data, ".#x.yaml")) // Emacs's lock: a dangling link
	symlink(t, "a.yaml", filepath.Join(data, "good.yaml"))
	symlink(t, "sub", filepath.Join(data, "folder"))
	symlink(t, "..", filepath.Join(data, "sub", "up"))
	symlink(t, filepath.Join(outside, "secret.txt"), filepath.Join(data, "out.yaml"))
	fsys, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	var walked []string
	err = fs.WalkDir(fsys, "data", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		entry := p
		switch {
		case d.IsDir():
			entry += "/"
		case d.Type()&fs.ModeSymlink != 0:
			_, err := d.Info()
			entry += " ! " + err.Error()
		}
		walked = append(walked, entry)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"data/",
		"data/a.yaml",
		"data/folder/",
		"data/folder/b.yaml",
		"data/folder/up ! open data/folder/up: it is a link to .., a folder that holds the link, so reading it would never end; remove the link",
		"data/good.yaml",
		"data/out.yaml ! stat data/out.yaml: it is a link to " + outside + "/secret.txt, outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it",
		"data/sub/",
		"data/sub/b.yaml",
		"data/sub/up ! open data/sub/up: it is a link to .., a folder that holds the link, so reading it would never end; remove the link",
	}
	if strings.Join(walked, "\n") != strings.Join(want, "\n") {
		t.Errorf("walk:\n%s\nwant:\n%s", strings.Join(walked, "\n"), strings.Join(want, "\n"))
	}
}

// TestRefusalIsNotAbsence: a file the rules keep out is not reported as
// missing, so that a caller for whom a missing file is fine (an optional
// data/site.yaml) still reports it.
func TestRefusalIsNotAbsence(t *testing.T) {
	root, _ := project(t)
	fsys, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if _, err := fsys.ReadFile("data/none.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
	if err := os.Truncate(filepath.Join(root, "data", "a.yaml"), MaxFileSize+1); err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.ReadFile("data/a.yaml"); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an over-size file: %v", err)
	}
	if runtime.GOOS != "windows" {
		symlink(t, "gone.yaml", filepath.Join(root, "data", "d.yaml"))
		if _, err := fsys.ReadFile("data/d.yaml"); err == nil || errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a link to nothing: %v", err)
		}
	}
}

// TestFSContract runs the standard library's checks of an fs.FS.
func TestFSContract(t *testing.T) {
	root, _ := project(t)
	fsys, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if err := fstest.TestFS(fsys, "data/a.yaml", "data/sub/b.yaml"); err != nil {
		t.Error(err)
	}
}

func TestSkip(t *testing.T) {
	for name, want := range map[string]bool{
		".git": true, ".#x.yaml": true, "x.yaml~": true, "#x.yaml#": true, ".x.yaml.swp": true, "4913": true,
		"x.tmp": true, "x.yaml": false, "_index.md": false, "a#b.md": false,
	} {
		if Skip(name) != want {
			t.Errorf("Skip(%q) = %v", name, !want)
		}
	}
}
