// Method expressions on struct and interface type literals.
package p

type I int

func (I) M() {}

type S struct{}

func (S) m1(string) {}

func me() {
	_ = struct{ I }.M
	f := interface{ m1(string) }.m1
	f(S{}, "b")
	interface{ m1(string) }.m1(S{}, "c")
}
