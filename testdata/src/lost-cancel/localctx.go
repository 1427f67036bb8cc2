package lostcancel

import "context"

// WithCancel is this package's own helper. It shares its name with
// context.WithCancel, but calls to it are not calls to the context package,
// so discarding its second result is not a lost-cancel finding.
func WithCancel(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, cancel
}

// scopes has a method named like the context constructors.
type scopes struct {
	base context.Context
}

// WithCancel returns the base context and a no-op release function.
func (s *scopes) WithCancel(parent context.Context) (context.Context, func()) {
	if s.base != nil {
		return s.base, func() {}
	}
	return parent, func() {}
}

// WithTimeout mirrors context.WithTimeout's name with a different signature.
func (s *scopes) WithTimeout(parent context.Context, seconds int) (context.Context, func()) {
	if seconds <= 0 {
		return parent, func() {}
	}
	return s.WithCancel(parent)
}
