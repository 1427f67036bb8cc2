package orders

import (
	"context"
	"log/slog"
	"time"
)

// WatchOrders logs the number of orders until ctx is done. It runs once per admin
// session, and every session leaves its time.Tick ticker running.
func (s *Store) WatchOrders(ctx context.Context, logger *slog.Logger) {
	tick := time.Tick(30 * time.Second)
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			orders, err := s.List(ctx)
			logger.Info("orders", "count", len(orders), "err", err)
		}
	}
}

// ForwardEvents forwards status events and gives up after a minute of
// silence; every forwarded event leaves a one-minute timer pending.
func ForwardEvents(in <-chan StatusEvent, out chan<- StatusEvent) {
	for {
		select {
		case ev := <-in:
			out <- ev
		case <-time.After(time.Minute):
			return
		}
	}
}

// SyncStock pushes stock levels once a minute until ctx is done. It runs per
// warehouse connection, and every connection that ends leaves its ticker running.
func (s *Store) SyncStock(ctx context.Context, push func(context.Context) error) error {
	t := time.NewTicker(time.Minute)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := push(ctx); err != nil {
				return err
			}
		}
	}
}
