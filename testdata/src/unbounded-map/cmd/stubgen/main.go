// Command stubgen writes one stub per directory named on its command line
// and exits.
package main

import (
	"fmt"
	"os"

	"example.com/unboundedmap/tools/gen"
)

func main() {
	for _, dir := range os.Args[1:] {
		fmt.Print(gen.Stub(dir))
	}
}
