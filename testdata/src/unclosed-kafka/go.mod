module example.com/unclosedkafka

go 1.21
