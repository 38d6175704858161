package engine

// MarshalText writes u as String does; the zero URI is "".
func (u URI) MarshalText() ([]byte, error) {
	if u.IsZero() {
		return nil, nil
	}
	return []byte(u.String()), nil
}

// UnmarshalText reads a sign-in address as ParseURI does; "" is the zero
// URI.
func (u *URI) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*u = URI{}
		return nil
	}
	v, err := ParseURI(string(b))
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// IsZero reports whether u is the zero URI: no address at all.
func (u URI) IsZero() bool {
	return u.Domain == "" && u.User == "" && u.Scheme == "" && len(u.Params) == 0
}
