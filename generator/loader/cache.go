package loader

import (
	"crypto/sha256"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Cache keeps the parsed YAML of each file by the digest of its bytes, so
// that a loader run again (the dev server, after one edit) parses only
// the files that changed. It is safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	files map[string]cached
}

type cached struct {
	digest [sha256.Size]byte
	root   *yaml.Node
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{files: map[string]cached{}} }

// WithCache makes Load reuse and fill c.
func WithCache(c *Cache) Option { return func(l *loader) { l.cache = c } }

// Digest returns the digest of the bytes last loaded from path (a slash
// path inside the knowledge base, like data/providers/x.yaml).
func (c *Cache) Digest(path string) ([sha256.Size]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.files[path]
	return f.digest, ok
}

// lookup returns the parsed root for path if its bytes are unchanged.
func (c *Cache) lookup(path string, digest [sha256.Size]byte) *yaml.Node {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.files[path]; ok && f.digest == digest {
		return f.root
	}
	return nil
}

func (c *Cache) store(path string, digest [sha256.Size]byte, root *yaml.Node) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files[path] = cached{digest, root}
}
