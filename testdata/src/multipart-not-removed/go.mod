module example.com/multipartnotremoved

go 1.21
