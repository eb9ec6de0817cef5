package export

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"

	"mailkb/generator/model"
)

// CSVHeader is the first row of every settings.csv. Columns are only
// ever added at the end, so that a reader by position keeps working.
var CSVHeader = []string{"protocol", "host", "port", "security", "auth", "username", "last_verified", "verified_method", "url"}

// settingsCSV writes p's quick-reference table (its current endpoints in
// the site table's order: IMAP, POP3, SMTP, HTTPMail, then the other ways
// in, each preferred first) as RFC 4180 CSV: a header row, CRLF line ends.
// Values are the JSON API's; auth lists its methods in order of
// preference, separated by spaces; a value never verified has empty
// last_verified and verified_method; url is the address of a protocol
// reached at one (EWS, Graph …), empty for the others.
func settingsCSV(p *model.Provider) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(CSVHeader); err != nil {
		return nil, err
	}
	for _, e := range p.CurrentEndpoints() {
		last, method := "", ""
		if v := e.LastVerified(); v != nil {
			last, method = v.Date.String(), string(v.Method)
		}
		row := []string{string(e.Protocol), e.Host, strconv.Itoa(e.Port), string(e.Security),
			strings.Join(auths(e.Auth), " "), string(e.Username), last, method, e.URL}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
