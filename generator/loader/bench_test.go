package loader

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// manyEndpoints writes a provider with n endpoints: servers of each
// protocol on several hosts, each server in up to periods consecutive
// monthly periods, every retired period replaced by the next one. Many
// endpoints of one protocol and many periods of one server are what made
// the pairwise checks quadratic.
func manyEndpoints(n, periods int) string {
	var b strings.Builder
	b.WriteString("id: acme\nname: Acme Mail\nsummary: Many endpoints.\ndomains: [acme.example]\ndomain_sources: [s1]\nendpoints:\n")
	protos := []struct {
		name string
		port int
		sec  string
	}{{"imap", 993, "tls"}, {"pop3", 995, "tls"}, {"smtp", 587, "starttls"}}
	for i := 0; i < n; i++ {
		server, k := i/periods, i%periods
		p := protos[server%len(protos)]
		month := 1900*12 + k // consecutive months from January 1900
		fmt.Fprintf(&b, "  - id: e%d\n    protocol: %s\n    host: h%d.acme.example\n    port: %d\n    security: %s\n    auth: [password]\n    username: email-address\n    from: %04d-%02d\n",
			i, p.name, server, p.port, p.sec, month/12, month%12+1)
		if k < periods-1 && i < n-1 {
			fmt.Fprintf(&b, "    until: %04d-%02d\n    status: retired\n    replaced_by: e%d\n", (month+1)/12, (month+1)%12+1, i+1)
		} else if server == 0 {
			b.WriteString("    preferred: true\n")
		}
		b.WriteString("    sources: [s1]\n")
	}
	return b.String()
}

// BenchmarkLoadEndpoints loads one provider of 1,000 and 10,000 endpoints,
// as one server in that many periods and as servers of 50 periods each:
// the time per load should grow about tenfold, not a hundredfold.
func BenchmarkLoadEndpoints(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		for _, shape := range []struct {
			name    string
			periods int
		}{{"one-server", n}, {"servers-of-50", 50}} {
			fsys := fstest.MapFS{
				"data/sources.yaml":        {Data: []byte(validSources)},
				"data/providers/acme.yaml": {Data: []byte(manyEndpoints(n, shape.periods))},
			}
			b.Run(fmt.Sprintf("%s/%d", shape.name, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := LoadFS(fsys, "", WithToday(today)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
