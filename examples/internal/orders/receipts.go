package orders

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// receipts caches rendered receipts by order ID. Nothing ever evicts them.
var (
	receiptsMu sync.Mutex
	receipts   = make(map[string][]byte)
)

// Receipt renders an order's receipt once and serves it from the cache afterwards.
func Receipt(o Order) ([]byte, error) {
	receiptsMu.Lock()
	defer receiptsMu.Unlock()
	if b, ok := receipts[o.ID]; ok {
		return b, nil
	}
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render receipt %s: %w", o.ID, err)
	}
	receipts[o.ID] = b
	return b, nil
}

// ExportReceipts writes one receipt file per order into dir.
func ExportReceipts(dir string, orders []Order) error {
	for _, o := range orders {
		f, err := os.Create(filepath.Join(dir, o.ID+".json"))
		if err != nil {
			return err
		}
		defer f.Close()
		b, err := Receipt(o)
		if err != nil {
			return err
		}
		if _, err := f.Write(b); err != nil {
			return err
		}
	}
	return nil
}
