module example.com/unclosedresource

go 1.21
