// Package orders implements the orders HTTP API.
package orders

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

const (
	readTimeout  = time.Second
	writeTimeout = 2 * time.Second
	maxBodyBytes = 1 << 20
)

// Handler serves the orders API.
type Handler struct {
	store  *Store
	logger *slog.Logger
}

// NewHandler returns a handler backed by store.
func NewHandler(store *Store, logger *slog.Logger) *Handler {
	return &Handler{store: store, logger: logger}
}

// Routes returns the API's routes.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/orders", h.collection)
	mux.HandleFunc("/orders/", h.item)
	mux.HandleFunc("/healthz", h.health)
	return mux
}

func (h *Handler) collection(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		h.list(w, r)
	case http.MethodPost:
		h.create(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (h *Handler) item(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/orders/")
	if id == "" || strings.Contains(id, "/") {
		http.NotFound(w, r)
		return
	}
	switch r.Method {
	case http.MethodGet:
		h.get(w, r, id)
	case http.MethodDelete:
		h.delete(w, r, id)
	default:
		w.Header().Set("Allow", "GET, DELETE")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readTimeout)
	defer cancel()

	list, err := h.store.List(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request, id string) {
	ctx, cancel := context.WithTimeout(r.Context(), readTimeout)
	defer cancel()

	order, err := h.store.Get(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, order)
}

type createOrderRequest struct {
	Customer string `json:"customer"`
	Items    []Item `json:"items"`
}

func (req createOrderRequest) validate() error {
	if strings.TrimSpace(req.Customer) == "" {
		return errors.New("customer is required")
	}
	if len(req.Items) == 0 {
		return errors.New("an order needs at least one item")
	}
	for _, it := range req.Items {
		if it.SKU == "" || it.Quantity <= 0 || it.PriceCents < 0 {
			return errors.New("every item needs a sku, a positive quantity and a price")
		}
	}
	return nil
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	var req createOrderRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes)).Decode(&req); err != nil {
		http.Error(w, "invalid JSON body", http.StatusBadRequest)
		return
	}
	if err := req.validate(); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	order, err := h.store.Create(ctx, req.Customer, req.Items)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cancel()

	h.logger.Info("order created", "id", order.ID, "customer", order.Customer, "total_cents", order.TotalCents)
	w.Header().Set("Location", "/orders/"+order.ID)
	writeJSON(w, http.StatusCreated, order)
}

func (h *Handler) delete(w http.ResponseWriter, r *http.Request, id string) {
	ctx, cancel := context.WithTimeout(r.Context(), writeTimeout)
	defer cancel()

	if err := h.store.Delete(ctx, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// fail maps a store error to an HTTP status.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		http.Error(w, "order not found", http.StatusNotFound)
	case errors.Is(err, context.DeadlineExceeded):
		http.Error(w, "timed out", http.StatusGatewayTimeout)
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads the answer.
	default:
		h.logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
