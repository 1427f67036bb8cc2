module example.com/fieldnotreleased

go 1.21
