module example.com/modfacts

go 1.19
