package orders

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// InvoiceClient fetches rendered invoices from the billing service.
type InvoiceClient struct {
	HTTP    *http.Client
	BaseURL string
	Dir     string
}

// Fetch downloads the PDF invoice of an order into the invoice directory.
func (c *InvoiceClient) Fetch(ctx context.Context, orderID string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/invoices/"+orderID, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("invoice %s: status %d", orderID, resp.StatusCode)
	}
	path := filepath.Join(c.Dir, orderID+".pdf")
	f, err := os.Create(path)
	if err != nil {
		resp.Body.Close()
		return "", err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body)
	resp.Body.Close()
	return path, err
}

// Open returns a stored invoice for the download handler to stream.
func (c *InvoiceClient) Open(orderID string) (io.Reader, error) {
	f, err := os.Open(filepath.Join(c.Dir, orderID+".pdf"))
	if err != nil {
		return nil, err
	}
	return f, nil
}

// UploadAttachment stores a file attached to an order, with a deadline of its own.
func (c *InvoiceClient) UploadAttachment(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	r = r.WithContext(ctx)
	file, header, err := r.FormFile("attachment")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer file.Close()
	dst, err := os.Create(filepath.Join(c.Dir, filepath.Base(header.Filename)))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer dst.Close()
	if _, err := io.Copy(dst, file); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}
