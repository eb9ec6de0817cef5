package loader

import (
	"mailkb/generator/model"
	"mailkb/generator/strictyaml"
)

var setupKinds = []string{string(model.ByButton), string(model.ByAddress), string(model.ByHand)}

// setups reads a client's `setup:` list: the ways it adds an account.
func (l *loader) setups(d *strictyaml.Decoder, o *strictyaml.Object, c *model.Client) {
	items := o.List("setup", false)
	l.duplicateIDs(d, "setup", items)
	c.Setup = make([]model.Setup, len(items))
	for i, item := range items {
		so := d.Object(item, "setup", "id", "kind", "label", "where", "providers", "protocols", "sign_in", "from", "until", "note", "sources")
		s := &c.Setup[i]
		kind := model.SetupKind(so.Enum("kind", true, setupKinds...))
		// A button or an address lookup is started by a labelled step; by
		// hand, the path says where.
		*s = model.Setup{ID: so.ID("id", strictyaml.MaxID), Kind: kind,
			Label: so.Str("label", kind != model.ByHand), Where: so.Str("where", true),
			SignIn: auths(so.Enums("sign_in", true, model.AuthNames()...)), Period: l.period(d, so),
			Note: so.Str("note", false), Pos: d.Pos(item)}
		for _, proto := range so.Enums("protocols", false, model.ProtocolNames()...) {
			s.Protocols = append(s.Protocols, model.Protocol(proto))
		}
		l.cite(d, so.Strs("sources", true), &s.Sources)
		for _, r := range so.Strs("providers", false) {
			if badRef(d, r.Node, "provider", r.ID, strictyaml.MaxNameID) {
				continue
			}
			// Client files are shared between knowledge bases; a way for a
			// provider this one does not have serves nothing here, and
			// ./build.sh check warns, in case the id is a slip.
			l.links = append(l.links, func() {
				if p := l.kb.Provider(r.ID); p != nil {
					s.Providers = append(s.Providers, p)
				} else {
					s.Unknown = append(s.Unknown, model.Ref{ID: r.ID, Pos: d.Pos(r.Node)})
				}
			})
		}
	}
}
