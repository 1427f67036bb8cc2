module example.com/lostcancel

go 1.21
