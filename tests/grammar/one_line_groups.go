// Declaration groups on one line need no terminator before the closing parenthesis.
package p

import ("fmt")

const ( F = 1 )

var ( v int )

type ( A = bool
	B = int )

func h() { fmt.Println(F, v, A(true), B(1)) }
