package unboundedmap

// Caches keyed by types, as reflect and encoding/* keep them: a sync.Map's
// key type lives in its doc comment, and what the program's types bound is
// bounded. Beside them, the look-alikes keyed by names that are not.

import (
	"os/user"
	"reflect"
	"strconv"
	"sync"
)

type rtype struct{ size uintptr }

type ptrType struct{ elem *rtype }

var ptrCache sync.Map // map[*rtype]*ptrType

func (t *rtype) ptrTo() *ptrType {
	if p, ok := ptrCache.Load(t); ok {
		return p.(*ptrType)
	}
	p, _ := ptrCache.LoadOrStore(t, &ptrType{elem: t})
	return p.(*ptrType)
}

// The key is a struct of types and their qualifiers.
type kindKey struct {
	kind  reflect.Kind
	t1    *rtype
	t2    *rtype
	extra uintptr
}

var derived sync.Map // map[kindKey]*rtype

func sliceOf(t *rtype) *rtype {
	key := kindKey{reflect.Slice, t, nil, 0}
	if s, ok := derived.Load(key); ok {
		return s.(*rtype)
	}
	s := &rtype{size: 24}
	derived.Store(key, s)
	return s
}

// Keyed by a hash of types, holding the types themselves.
var hashed struct {
	sync.Mutex

	// m is a map[uint32][]*rtype keyed by the hash of the signature.
	m sync.Map
}

func funcOf(hash uint32, t *rtype) {
	hashed.Lock()
	defer hashed.Unlock()
	var ts []*rtype
	if v, ok := hashed.m.Load(hash); ok {
		ts = v.([]*rtype)
	}
	hashed.m.Store(hash, append(ts, t))
}

// User and group names by id, as archive/tar looks them up: bounded by the
// system's accounts.
var userNames, groupNames sync.Map // map[int]string

type header struct {
	Uid, Gid     int
	Uname, Gname string
}

func fillNames(h *header) {
	if u, ok := userNames.Load(h.Uid); ok {
		h.Uname = u.(string)
	} else if u, err := user.LookupId(strconv.Itoa(h.Uid)); err == nil {
		h.Uname = u.Username
		userNames.Store(h.Uid, h.Uname)
	}
	if g, ok := groupNames.Load(h.Gid); ok {
		h.Gname = g.(string)
	} else if g, err := user.LookupGroupId(strconv.Itoa(h.Gid)); err == nil {
		h.Gname = g.Name
		groupNames.Store(h.Gid, h.Gname)
	}
}

// Documented as keyed by names: a name per caller, forever.
var byName sync.Map // want "package-level sync.Map byName only grows"

func rememberType(name string, t *rtype) {
	byName.Store(name, t)
}

// A struct key with a name in it is as unbounded as the name.
type namedKey struct {
	t    *rtype
	name string
}

// map[namedKey]int
var byTypeAndName sync.Map // want "package-level sync.Map byTypeAndName only grows"

func count(t *rtype, name string) {
	byTypeAndName.Store(namedKey{t, name}, 1)
}
