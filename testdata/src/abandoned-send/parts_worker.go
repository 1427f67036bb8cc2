package abandonedsend

// pricePart is started from parts.go, another file of the package, and sends
// the part's price on out. The report belongs here, at the send.
func pricePart(id string, out chan<- int) {
	out <- len(id) * 100 // want "goroutine blocks forever sending on out: a return before the receive"
}
