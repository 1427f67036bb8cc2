module example.com/timetick123

go 1.23
