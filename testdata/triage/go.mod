module example.com/leakysvc

go 1.19
