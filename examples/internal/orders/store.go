package orders

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// ErrNotFound is returned when no order has the requested ID.
var ErrNotFound = errors.New("order not found")

// Item is one line of an order.
type Item struct {
	SKU        string `json:"sku"`
	Quantity   int    `json:"quantity"`
	PriceCents int64  `json:"price_cents"`
}

// Order is a customer's order.
type Order struct {
	ID         string    `json:"id"`
	Customer   string    `json:"customer"`
	Items      []Item    `json:"items"`
	TotalCents int64     `json:"total_cents"`
	CreatedAt  time.Time `json:"created_at"`
}

// Store keeps orders in memory. It is safe for concurrent use.
type Store struct {
	mu     sync.RWMutex
	orders map[string]Order
	now    func() time.Time
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{
		orders: make(map[string]Order),
		now:    time.Now,
	}
}

// Create stores a new order for customer and returns it with its ID.
func (s *Store) Create(ctx context.Context, customer string, items []Item) (Order, error) {
	if err := ctx.Err(); err != nil {
		return Order{}, err
	}
	id, err := newID()
	if err != nil {
		return Order{}, fmt.Errorf("create order: %w", err)
	}
	order := Order{
		ID:        id,
		Customer:  customer,
		Items:     append([]Item(nil), items...),
		CreatedAt: s.now().UTC(),
	}
	for _, it := range items {
		order.TotalCents += int64(it.Quantity) * it.PriceCents
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[id] = order
	return order, nil
}

// Get returns the order with the given ID.
func (s *Store) Get(ctx context.Context, id string) (Order, error) {
	if err := ctx.Err(); err != nil {
		return Order{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	order, ok := s.orders[id]
	if !ok {
		return Order{}, ErrNotFound
	}
	return order, nil
}

// List returns every order, oldest first.
func (s *Store) List(ctx context.Context) ([]Order, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	list := make([]Order, 0, len(s.orders))
	for _, order := range s.orders {
		list = append(list, order)
	}
	s.mu.RUnlock()

	sort.Slice(list, func(i, j int) bool {
		if list[i].CreatedAt.Equal(list[j].CreatedAt) {
			return list[i].ID < list[j].ID
		}
		return list[i].CreatedAt.Before(list[j].CreatedAt)
	})
	return list, nil
}

// Delete removes the order with the given ID.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.orders[id]; !ok {
		return ErrNotFound
	}
	delete(s.orders, id)
	return nil
}

func newID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}
