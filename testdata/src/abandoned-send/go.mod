module example.com/abandonedsend

go 1.21
