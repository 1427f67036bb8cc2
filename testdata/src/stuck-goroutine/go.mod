module example.com/stuckgoroutine

go 1.21
