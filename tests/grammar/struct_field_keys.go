// Go 1.27: a struct literal key may be a promoted field.
package p

type Habitat struct{ Burrow string }

type Gopher struct {
	Name string
	Habitat
}

var g = Gopher{Name: "Gopher", Burrow: "Burrow #42"}
