package orders

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// StatusEvent tells a customer that an order moved to a new status.
type StatusEvent struct {
	OrderID string
	Status  string
	At      time.Time
}

// StatusNotifier delivers order status changes to customers (e-mail, push).
type StatusNotifier struct {
	Deliver func(ctx context.Context, ev StatusEvent) error
	Logger  *slog.Logger
}

// HandleStatusUpdate handles POST /orders/{id}/status?set=packed,shipped.
// Each request starts its own delivery goroutine so that slow deliveries do
// not hold up the response.
func (n *StatusNotifier) HandleStatusUpdate(w http.ResponseWriter, r *http.Request) {
	orderID := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/orders/"), "/status")
	if orderID == "" {
		http.NotFound(w, r)
		return
	}

	events := make(chan StatusEvent, 8)
	go func() {
		for ev := range events {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := n.Deliver(ctx, ev); err != nil {
				n.Logger.Warn("status notification failed", "order", ev.OrderID, "status", ev.Status, "err", err)
			}
			cancel()
		}
	}()

	for _, status := range strings.Split(r.URL.Query().Get("set"), ",") {
		status = strings.TrimSpace(status)
		if status == "" {
			continue
		}
		events <- StatusEvent{OrderID: orderID, Status: status, At: time.Now()}
	}
	w.WriteHeader(http.StatusAccepted)
}
