package share

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// Plan is the plan page's form as a link carries it: the text of each field
// as typed (lists separated by commas) and the chosen client profiles.
// Field names and JSON tags are those of templates.PlanForm, so that one
// converts to the other.
type Plan struct {
	Domains     string   `json:"domains"`
	Pool        string   `json:"pool"`
	PoolIP      string   `json:"poolIP,omitempty"`
	Director    string   `json:"director,omitempty"`
	DirectorIP  string   `json:"directorIP,omitempty"`
	Edge        string   `json:"edge,omitempty"`
	EdgeIP      string   `json:"edgeIP,omitempty"`
	WebInternal string   `json:"webInternal,omitempty"`
	WebExternal string   `json:"webExternal,omitempty"`
	Profiles    []string `json:"profiles,omitempty"`
	Strict      bool     `json:"strict"`
	AllowTCP    bool     `json:"allowTCP"`
}

// planParams are the query parameters of a plan link, in order.
var planParams = []struct {
	key string
	get func(*Plan) *string
}{
	{"domains", func(p *Plan) *string { return &p.Domains }},
	{"pool", func(p *Plan) *string { return &p.Pool }},
	{"poolip", func(p *Plan) *string { return &p.PoolIP }},
	{"director", func(p *Plan) *string { return &p.Director }},
	{"directorip", func(p *Plan) *string { return &p.DirectorIP }},
	{"edge", func(p *Plan) *string { return &p.Edge }},
	{"edgeip", func(p *Plan) *string { return &p.EdgeIP }},
	{"webint", func(p *Plan) *string { return &p.WebInternal }},
	{"webext", func(p *Plan) *string { return &p.WebExternal }},
}

// Query returns p as the plan page's query string:
// "?domains=…&pool=…[&poolip=…&director=…&directorip=…&edge=…&edgeip=…&webint=…&webext=…]&profiles=a,b&strict=0&tcp=1".
// Empty fields are left out; profiles are left out when they are all of
// them.
func (p Plan) Query() string {
	var b strings.Builder
	for _, f := range planParams {
		v := strings.TrimSpace(*f.get(&p))
		if v == "" && f.key != "domains" && f.key != "pool" {
			continue
		}
		if b.Len() == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(f.key + "=" + url.QueryEscape(v))
	}
	if len(p.Profiles) > 0 && len(p.Profiles) < len(engine.Profiles()) {
		b.WriteString("&profiles=" + url.QueryEscape(strings.Join(p.Profiles, ",")))
	}
	b.WriteString("&strict=" + bit(p.Strict) + "&tcp=" + bit(p.AllowTCP))
	return b.String()
}

// ParsePlan reads a plan link's query string. ok is false when it has no
// "domains" (an ordinary visit). The names themselves are checked later,
// by plan.Normalize, so that its errors name the field.
func ParsePlan(raw string) (p Plan, ok bool, err error) {
	raw = strings.TrimPrefix(raw, "?")
	if len(raw) > 8*MaxField {
		return Plan{}, false, fmt.Errorf("the link's query is %d bytes long; a plan link is at most %d", len(raw), 8*MaxField)
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return Plan{}, false, fmt.Errorf("the link's query string is malformed: %v", err)
	}
	if !q.Has("domains") {
		return Plan{}, false, nil
	}
	for k, vs := range q {
		if len(vs) > 1 {
			return Plan{}, false, fmt.Errorf("the link gives %q %d times", k, len(vs))
		}
		if len(vs[0]) > MaxField {
			return Plan{}, false, fmt.Errorf("the link's %q is longer than %d bytes", k, MaxField)
		}
	}
	p = Plan{AllowTCP: true}
	for _, f := range planParams {
		*f.get(&p) = q.Get(f.key)
	}
	if s := q.Get("profiles"); s != "" {
		for _, name := range strings.Split(s, ",") {
			prof, err := engine.LookupProfile(strings.TrimSpace(name))
			if err != nil {
				return Plan{}, false, fmt.Errorf("the link's \"profiles\" names an %v", err)
			}
			p.Profiles = append(p.Profiles, prof.Name)
		}
	} else {
		for _, prof := range engine.Profiles() {
			p.Profiles = append(p.Profiles, prof.Name)
		}
	}
	for _, f := range []struct {
		key string
		dst *bool
	}{{"strict", &p.Strict}, {"tcp", &p.AllowTCP}} {
		switch v := q.Get(f.key); v {
		case "":
		case "1", "true", "on":
			*f.dst = true
		case "0", "false", "off":
			*f.dst = false
		default:
			return Plan{}, false, fmt.Errorf("the link's %q is %q; want 1 or 0", f.key, v)
		}
	}
	return p, true, nil
}
