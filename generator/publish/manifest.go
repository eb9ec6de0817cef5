package publish

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
)

// ManifestName is the file in the output folder that lists what mailkb
// published there. It is how mailkb knows which files are its own: it
// removes or replaces nothing that is not listed.
const ManifestName = ".mailkb-manifest"

const manifestHeader = "mailkb-manifest 1"

// sum identifies a file's bytes.
type sum [16]byte

func sumOf(data []byte) sum {
	full := sha256.Sum256(data)
	var s sum
	copy(s[:], full[:])
	return s
}

// entry is one published file: its digest and size, and for a Repeated
// Target its bytes.
type entry struct {
	sum  sum
	size int
	data []byte
}

// generation is one complete site as it lies in a folder.
type generation struct {
	token string // names this generation; a manifest on disk with another token is another generation
	files map[string]entry
}

func newToken() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// encode writes the manifest: a header, the generation's token, then one
// line per file, sorted.
func (g *generation) encode() []byte {
	names := make([]string, 0, len(g.files))
	for n := range g.files {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.Grow(64 + len(names)*80)
	fmt.Fprintf(&b, "%s\ntoken %s\n", manifestHeader, g.token)
	for _, n := range names {
		e := g.files[n]
		b.WriteString(hex.EncodeToString(e.sum[:]))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(e.size))
		b.WriteByte(' ')
		b.WriteString(n)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// errNoManifest says a folder has no manifest: mailkb did not make it, or
// it was being changed when mailkb stopped.
var errNoManifest = fmt.Errorf("no %s", ManifestName)

// readToken reads only a manifest's token, to tell whether the generation
// this process remembers is still the one on disk.
func readToken(path string) (string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", errNoManifest
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	r := bufio.NewReader(io.LimitReader(f, 256))
	header, _ := r.ReadString('\n')
	token, _ := r.ReadString('\n')
	if strings.TrimSuffix(header, "\n") != manifestHeader || !strings.HasPrefix(token, "token ") {
		return "", fmt.Errorf("%s is not a mailkb manifest", path)
	}
	return strings.TrimSpace(strings.TrimPrefix(token, "token ")), nil
}

// readManifest reads the manifest at path.
func readManifest(path string) (*generation, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoManifest
	}
	if err != nil {
		return nil, err
	}
	bad := func(line int, why string) error {
		return fmt.Errorf("%s:%d: %s; it is not a manifest mailkb wrote", path, line, why)
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) < 2 || lines[0] != manifestHeader {
		return nil, bad(1, "the first line is not "+manifestHeader)
	}
	token, ok := strings.CutPrefix(lines[1], "token ")
	if !ok || token == "" {
		return nil, bad(2, "no token line")
	}
	g := &generation{token: token, files: make(map[string]entry, len(lines))}
	for i, line := range lines[2:] {
		if line == "" {
			continue
		}
		hexSum, rest, ok1 := strings.Cut(line, " ")
		size, name, ok2 := strings.Cut(rest, " ")
		var e entry
		n, err := hex.Decode(e.sum[:], []byte(hexSum))
		e.size, _ = strconv.Atoi(size)
		if !ok1 || !ok2 || err != nil || n != len(e.sum) || checkName(name) != nil {
			return nil, bad(i+3, "a malformed line")
		}
		g.files[name] = e
	}
	return g, nil
}
