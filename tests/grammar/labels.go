// A label may label another label at the end of a block.
package p

func lab() {
_:
_:
}

func lab2() {
L1:
L2:
	for {
		break L2
	}
	goto L1
}
