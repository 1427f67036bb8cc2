// Package gen writes stubs for the packages of a module.
package gen

import (
	"fmt"

	"example.com/unboundedmap/tools/modpath"
	"example.com/unboundedmap/tools/render"
)

// Stub returns the stub of the package in dir.
func Stub(dir string) string {
	return fmt.Sprintf("// module %s\n%s", modpath.Of(dir), render.Header(dir))
}
