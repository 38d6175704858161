package suggest

import "testing"

func TestClosest(t *testing.T) {
	cmds := []string{"check", "audit", "domain", "plan", "serve", "build", "demo", "version", "completion", "help"}
	for _, c := range []struct{ word, want string }{
		{"chek", "check"},      // a letter missing
		{"chekc", "check"},     // two swapped
		{"CHECK", "check"},     // case
		{"comp", "completion"}, // a prefix of one
		{"d", ""},              // a prefix of three: no guess
		{"serv", "serve"},
		{"plna", "plan"},
		{"xyz", ""},        // nothing near
		{"checkaudit", ""}, // too far
		{"", ""},
	} {
		if got := Closest(c.word, cmds); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"abc", "abc", 0}, {"abc", "acb", 1}, {"kitten", "sitting", 3}, {"lync", "lnyc", 1}, {"ä", "a", 1}} {
		if got := distance(c.a, c.b); got != c.d {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
		if got := distance(c.b, c.a); got != c.d {
			t.Errorf("distance(%q, %q) = %d, want %d", c.b, c.a, got, c.d)
		}
	}
}
