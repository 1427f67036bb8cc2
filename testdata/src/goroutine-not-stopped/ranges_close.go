package goroutinenotstopped

func (j *Journal) Close() { close(j.entries) }
