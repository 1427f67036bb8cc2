package abandonedsend

import "errors"

var errNoPart = errors.New("no part id")

// QuotePart starts pricePart (declared in parts_worker.go) and returns on an
// empty id before it takes the price.
func QuotePart(id string, stock map[string]int) (int, error) {
	prices := make(chan int)
	go pricePart(id, prices)
	if stock[id] == 0 {
		return 0, errNoPart
	}
	return <-prices, nil
}

// QuotePartChecked checks the stock before it starts pricePart: it adds no
// report to pricePart's send.
func QuotePartChecked(id string, stock map[string]int) (int, error) {
	if stock[id] == 0 {
		return 0, errNoPart
	}
	prices := make(chan int)
	go pricePart(id, prices)
	return <-prices, nil
}
