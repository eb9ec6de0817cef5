package ispdb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mailkb/generator/kbtest"
)

// manyDomains is an ISPDB file of one provider with n domains.
func manyDomains(n int) string {
	domains := make([]string, n)
	for i := range domains {
		domains[i] = fmt.Sprintf("d%d.bulk.example", i)
	}
	return ispdbFile("bulk.example", domains...)
}

// ispdbFile is an ISPDB file of provider id with its domains, an IMAP
// server imap.<id> and an SMTP server smtp.<id>.
func ispdbFile(id string, domains ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\"?>\n<clientConfig version=\"1.1\">\n  <emailProvider id=%q>\n", id)
	for _, d := range domains {
		fmt.Fprintf(&b, "    <domain>%s</domain>\n", d)
	}
	fmt.Fprintf(&b, `    <displayName>Mail of %[1]s</displayName>
    <incomingServer type="imap">
      <hostname>imap.%[1]s</hostname><port>993</port><socketType>SSL</socketType>
      <username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.%[1]s</hostname><port>465</port><socketType>SSL</socketType>
      <username>%%EMAILADDRESS%%</username><authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
`, id)
	return b.String()
}

// BenchmarkManyDomains imports one file with n domains, first into a
// knowledge base without the provider ("new"), then into one that has it
// already ("again"), as dry runs, so that every round does the same work.
// The import is near-linear in n: ten times the domains take about ten
// times as long (a little more: sorting and maps), not a hundred times.
func BenchmarkManyDomains(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		file := filepath.Join(b.TempDir(), "bulk.example.xml")
		if err := os.WriteFile(file, []byte(manyDomains(n)), 0o644); err != nil {
			b.Fatal(err)
		}
		root := kbtest.Write(b, map[string]string{"data/sources.yaml": "sources: []\n"})
		b.Run(fmt.Sprintf("new/domains=%d", n), func(b *testing.B) {
			for b.Loop() {
				benchImport(b, file, root, Created)
			}
		})
		if _, err := Import(context.Background(), []string{file}, Options{Root: root, Today: today}); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("again/domains=%d", n), func(b *testing.B) {
			for b.Loop() {
				benchImport(b, file, root, Unchanged)
			}
		})
	}
}

func benchImport(b *testing.B, file, root string, want Outcome) {
	rep, err := Import(context.Background(), []string{file}, Options{Root: root, Today: today, DryRun: true})
	if err != nil || rep.Count(want) != 1 {
		b.Fatalf("import: %v\n%s", err, summary(rep))
	}
}
