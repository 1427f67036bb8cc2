module example.com/closerasreader

go 1.21
