module example.com/unboundedmap

go 1.21
