module example.com/cgounfreed

go 1.21
