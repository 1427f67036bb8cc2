module example.com/ticker123

go 1.23
