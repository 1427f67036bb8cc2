// Go 1.27: methods may declare their own type parameters.
package p

type intType interface{ ~int | ~int32 | ~int64 }

type Rand struct{}

func (r *Rand) N[Int intType](n Int) Int { return n }

type List[T any] struct{ items []T }

func (l List[T]) Map[U any](f func(T) U) List[U] {
	var out List[U]
	for _, v := range l.items {
		out.items = append(out.items, f(v))
	}
	return out
}

func use(r *Rand, l List[int]) {
	_ = r.N[int64](5)
	_ = r.N(int32(3))
	_ = l.Map(func(i int) string { return "" })
}
