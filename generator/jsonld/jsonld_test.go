package jsonld

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestHowToSteps: the steps are the top-level items of the ordered lists,
// a nested list belongs to its step, and a guide with none gets one step.
func TestHowToSteps(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{"<p>Intro</p><ol><li>Open <b>Settings</b>.</li><li>Add:\n<ol>\n<li>name</li>\n</ol>\n</li></ol><ul><li>not a step</li></ul><ol><li>Save.</li></ol>",
			`[{"@type":"HowToStep","position":1,"text":"Open Settings."},{"@type":"HowToStep","position":2,"text":"Add: name"},{"@type":"HowToStep","position":3,"text":"Save."}]`},
		{"<p>No list.</p>", `[{"@type":"HowToStep","position":1,"text":"Enter the server names, ports and encryption from the settings table in Mailer."}]`},
	} {
		got, err := json.Marshal(HowTo("T", "D", "https://kb.example/g/", "en", "Mailer", tt.body).(ld)["step"])
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.body, got, tt.want)
		}
	}
}

// TestCannotCloseTheScript: the JSON of an answer holding markup has no
// "<" that could end the script element it is put in.
func TestCannotCloseTheScript(t *testing.T) {
	b, err := json.Marshal(FAQPage([]Question{{Question: "</script><b>?", AnswerHTML: "<p>Yes &lt;/script&gt;</p>"}}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "<") {
		t.Errorf("JSON-LD holds a <: %s", b)
	}
}
