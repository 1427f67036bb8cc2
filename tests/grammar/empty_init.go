// An if or switch may have an empty init statement.
package p

func k(x int) {
	if ; x > 0 {
	}
	switch ; {
	case x > 1:
	}
	switch ; x {
	}
}
