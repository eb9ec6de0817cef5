// Package inputfs reads the files a knowledge base is made of — data/,
// content/ and templates/ — safely: only regular files of bounded size,
// never through a link that leads out of the project, and never an
// editor's scratch file or a hidden one.
//
// A FIFO must not hang a build, /dev/zero must not exhaust memory, and a
// link to /etc/passwd must not be published: the project folder is opened
// as an os.Root, which refuses any path or link that leaves it, every file
// is opened without blocking and checked to be regular before it is read,
// and no file is read past MaxFileSize.
package inputfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"
)

// MaxFileSize bounds every input file: the largest provider file of the
// benchmark corpora is a few MiB, so 32 MiB is room to grow, and a limit
// nothing reasonable reaches.
const MaxFileSize = 32 << 20

// Skip reports whether a file or folder name (not a path) is no part of
// the knowledge base: hidden files (.git, .DS_Store), editors' lock and
// backup files (.#x.yaml, x.yaml~, #x.yaml#, .x.yaml.swp, vim's 4913
// probe) and temp files.
func Skip(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#")) ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") ||
		strings.HasSuffix(name, ".tmp") || name == "4913"
}

// FS is a project folder opened for reading under the rules above. It
// implements fs.FS, fs.ReadFileFS, fs.ReadDirFS and fs.StatFS; names are
// slash paths inside the folder. It is safe for concurrent use.
type FS struct {
	root *os.Root
	dir  string
}

// Open opens the project folder dir.
func Open(dir string) (*FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &FS{root: root, dir: dir}, nil
}

// Dir is the folder as it was given to Open, for naming files in
// messages.
func (f *FS) Dir() string { return f.dir }

// Close releases the folder; files already opened stay readable.
func (f *FS) Close() error { return f.root.Close() }

// refused is the error for a file the rules keep out: reason says why and
// what to do, in words fit for a user.
type refused struct{ reason string }

func (e *refused) Error() string { return e.reason }

func refuse(op, name, format string, args ...any) error {
	return &fs.PathError{Op: op, Path: name, Err: &refused{fmt.Sprintf(format, args...)}}
}

// Open opens name for reading: a regular file no larger than MaxFileSize,
// or a folder.
func (f *FS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	// Non-blocking, so that opening a FIFO returns at once; the mode
	// check below then refuses it.
	file, err := f.root.OpenFile(name, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return nil, f.explain("open", name, err)
	}
	info, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	switch {
	case info.IsDir():
		return &dir{File: file, fsys: f, name: name}, nil
	case !info.Mode().IsRegular():
		file.Close()
		return nil, refuse("open", name, "it is %s, not a regular file; mailkb reads only regular files — remove it or put a file in its place", kindOf(info.Mode()))
	case info.Size() > MaxFileSize:
		file.Close()
		return nil, tooLarge("open", name, info.Size())
	}
	return &regular{File: file, name: name, left: MaxFileSize}, nil
}

// tooLarge refuses a file of size bytes (negative: not known, the file
// grew while it was read).
func tooLarge(op, name string, size int64) error {
	is := "it grew"
	if size >= 0 {
		is = fmt.Sprintf("it is %.1f MiB,", float64(size)/(1<<20))
	}
	return refuse(op, name, "%s more than the %d MiB an input file may hold; split it into smaller files or remove it", is, MaxFileSize>>20)
}

// kindOf names a file mode that is not a regular file or a folder.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file (" + m.Type().String() + ")"
}

// explain turns an error of the root into one that says which link is at
// fault and what to do, when a link is: the root reports a link out of the
// project only as "path escapes from parent".
func (f *FS) explain(op, name string, err error) error {
	// The first link on the way to name that the root cannot follow is
	// the one at fault.
	parts := strings.Split(name, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		info, lerr := f.root.Lstat(p)
		if lerr != nil {
			break
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		_, serr := f.root.Stat(p)
		if serr == nil {
			continue
		}
		target, _ := f.root.Readlink(p)
		link := "it"
		if p != name {
			link = p
		}
		switch {
		case errors.Is(serr, fs.ErrNotExist):
			return refuse(op, name, "%s is a link to %s, which does not exist; remove the link or restore what it points to", link, target)
		case errors.Is(serr, syscall.ELOOP):
			return refuse(op, name, "%s is a link that leads back to itself (to %s); remove the link", link, target)
		default:
			return refuse(op, name, "%s is a link to %s, outside the project; mailkb reads only files inside the project folder — copy the file in instead of linking to it", link, target)
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

// ReadFile reads a whole file under the rules of Open.
func (f *FS) ReadFile(name string) ([]byte, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	r, ok := file.(*regular)
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("it is a folder, not a file")}
	}
	return io.ReadAll(r)
}

// Stat describes name, following links inside the project.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	info, err := f.root.Stat(name)
	if err != nil {
		return nil, f.explain("stat", name, err)
	}
	return info, nil
}

// ReadDir lists a folder in name order, leaving out the names Skip
// matches. A link is listed as what it leads to when it stays inside the
// project and, for a link to a folder, does not lead back to a folder that
// holds it (walking that would never end); any other link is listed as a
// link whose Info returns what is wrong with it, so that a walk neither
// follows it nor passes over it in silence.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	file, err := f.root.Open(name)
	if err != nil {
		return nil, f.explain("readdir", name, err)
	}
	defer file.Close()
	all, err := file.ReadDir(-1)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	out := make([]fs.DirEntry, 0, len(all))
	for _, e := range all {
		if Skip(e.Name()) {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			if info, err := f.followable(path.Join(name, e.Name())); err == nil {
				e = fs.FileInfoToDirEntry(info)
			} else {
				e = badLink{e.Name(), err}
			}
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// followable describes what the link at p leads to, or says why a walk
// must not follow it.
func (f *FS) followable(p string) (fs.FileInfo, error) {
	info, err := f.Stat(p)
	if err != nil || !info.IsDir() {
		return info, err
	}
	for dir := path.Dir(p); ; dir = path.Dir(dir) {
		if above, err := f.root.Stat(dir); err == nil && os.SameFile(above, info) {
			target, _ := f.root.Readlink(p)
			return nil, refuse("open", p, "it is a link to %s, a folder that holds the link, so reading it would never end; remove the link", target)
		}
		if dir == "." {
			return info, nil
		}
	}
}

// badLink is a listed link that must not be followed.
type badLink struct {
	name string
	err  error
}

func (l badLink) Name() string               { return l.name }
func (l badLink) IsDir() bool                { return false }
func (l badLink) Type() fs.FileMode          { return fs.ModeSymlink }
func (l badLink) Info() (fs.FileInfo, error) { return nil, l.err }

// regular is an open regular file that refuses to be read past
// MaxFileSize, should it grow after it was opened.
type regular struct {
	*os.File
	name string
	left int64
}

func (r *regular) Read(p []byte) (int, error) {
	if r.left <= 0 {
		// One byte more than the limit tells a file that grew from one
		// that ends exactly at it.
		var one [1]byte
		if n, _ := r.File.Read(one[:]); n > 0 {
			return 0, tooLarge("read", r.name, -1)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.File.Read(p)
	r.left -= int64(n)
	return n, err
}

// dir is an open folder whose listing follows the rules of FS.ReadDir.
type dir struct {
	*os.File
	fsys    *FS
	name    string
	entries []fs.DirEntry
	read    bool
}

func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	if !d.read {
		entries, err := d.fsys.ReadDir(d.name)
		if err != nil {
			return nil, err
		}
		d.entries, d.read = entries, true
	}
	if n <= 0 {
		out := d.entries
		d.entries = nil
		return out, nil
	}
	if len(d.entries) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(d.entries))
	out := d.entries[:n]
	d.entries = d.entries[n:]
	return out, nil
}
