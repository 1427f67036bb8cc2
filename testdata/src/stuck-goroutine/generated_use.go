package stuckgoroutine

// StartPump hands its values to pump, declared in a generated file whose
// bodies are not read: pump may stop when it likes, so the sends are not
// reported as blocking.
func StartPump(vals []int) {
	in := make(chan int)
	go pump(in)
	for _, v := range vals {
		in <- v
	}
}
