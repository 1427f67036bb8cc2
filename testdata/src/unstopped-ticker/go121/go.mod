module example.com/ticker121

go 1.21
