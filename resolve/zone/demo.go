package zone

import "github.com/sipdisco/sipdisco/demo"

// Demo returns a Set holding every embedded demo zone (demo), each
// under its scenario's domain ("healthy.example"), with the failures their
// ";! servfail" directives ask for. Each call parses afresh, so the caller
// may Add to or Fail on the result.
func Demo() (*Set, error) {
	s := new(Set)
	for _, sc := range demo.Scenarios() {
		if err := s.Add(sc.Domain, sc.Zone, sc.Name+".example.zone"); err != nil {
			return nil, err
		}
	}
	return s, nil
}
