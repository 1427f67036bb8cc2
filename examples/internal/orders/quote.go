package orders

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// QuoteSource is one supplier that can price a SKU.
type QuoteSource interface {
	Name() string
	Price(ctx context.Context, sku string) (cents int64, err error)
}

// SupplierQuote is one supplier's answer to a price request.
type SupplierQuote struct {
	Supplier string `json:"supplier"`
	Cents    int64  `json:"cents"`
	Err      string `json:"error,omitempty"`
}

// QuoteHandler asks every supplier for a price and answers with the cheapest
// quote that arrived before the deadline.
type QuoteHandler struct {
	Sources []QuoteSource
	Timeout time.Duration
	Logger  *slog.Logger
}

// ServeHTTP handles GET /quotes?sku=....
func (h *QuoteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sku := r.URL.Query().Get("sku")
	if sku == "" {
		http.Error(w, "missing sku", http.StatusBadRequest)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), h.Timeout)
	defer cancel()

	quotes := make(chan SupplierQuote)
	for _, src := range h.Sources {
		go func(src QuoteSource) {
			q := SupplierQuote{Supplier: src.Name()}
			cents, err := src.Price(ctx, sku)
			if err != nil {
				q.Err = err.Error()
			} else {
				q.Cents = cents
			}
			quotes <- q
		}(src)
	}

	var best *SupplierQuote
	for range h.Sources {
		select {
		case q := <-quotes:
			if q.Err != "" {
				h.Logger.Warn("supplier quote failed", "supplier", q.Supplier, "sku", sku, "err", q.Err)
				continue
			}
			if best == nil || q.Cents < best.Cents {
				best = &q
			}
		case <-ctx.Done():
			// Answer with what has arrived so far.
			writeBestQuote(w, best)
			return
		}
	}
	writeBestQuote(w, best)
}

func writeBestQuote(w http.ResponseWriter, best *SupplierQuote) {
	if best == nil {
		http.Error(w, "no supplier quoted in time", http.StatusGatewayTimeout)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(best)
}
