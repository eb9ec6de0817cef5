package export

import "mailkb/generator/model"

// The paths docs/api.md promises, spelled out here rather than taken from
// package urls, so that a change there that moves a published file fails
// these tests.

func ProviderJSONPath(id string) string { return "api/v1/providers/" + id + ".json" }
func CSVPath(id string) string          { return "providers/" + id + "/settings.csv" }
func AutoconfigPath(domain string) string {
	return "autoconfig/v1.1/" + domain
}
func AutodiscoverPath(domain string) string { return "autodiscover/" + domain + ".xml" }
func MobileconfigPath(id string, proto model.Protocol) string {
	return "mobileconfig/" + id + "-" + string(proto) + ".mobileconfig"
}
