package stuckgoroutine

// Archive hands its items to drain (declared in archive_worker.go) and never
// closes the queue.
func (a *archiver) Archive(items []string) {
	queue := make(chan string)
	go a.drain(queue)
	for _, it := range items {
		queue <- it
	}
}

// ArchiveClosed closes the queue after the last item: it adds no report to
// drain's range.
func (a *archiver) ArchiveClosed(items []string) {
	queue := make(chan string)
	go a.drain(queue)
	for _, it := range items {
		queue <- it
	}
	close(queue)
}
