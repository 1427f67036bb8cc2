module example.com/goroutinenotstopped

go 1.21
