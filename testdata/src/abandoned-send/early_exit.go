package abandonedsend

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"
)

// Shape 2: a return between the go statement and the receive leaves the
// goroutine with nobody to take its value.

var (
	errTooLarge  = errors.New("upload too large")
	errEmpty     = errors.New("empty text")
	errEmptyItem = errors.New("empty item")
)

type profile struct {
	Name string
}

type dashboard struct {
	Profile profile
	Orders  []string
}

type dashboardService struct {
	profiles map[string]profile
	orders   map[string][]string
}

func (d *dashboardService) loadProfile(user string) profile {
	time.Sleep(20 * time.Millisecond)
	return d.profiles[user]
}

func (d *dashboardService) loadOrders(ctx context.Context, user string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o, ok := d.orders[user]
	if !ok {
		return nil, fmt.Errorf("no orders for %q", user)
	}
	return o, nil
}

// Dashboard loads the profile in the background, but an error loading the
// orders returns before the profile is received.
func (d *dashboardService) Dashboard(ctx context.Context, user string) (dashboard, error) {
	profc := make(chan profile)
	go func() {
		profc <- d.loadProfile(user) // want "goroutine blocks forever sending on profc: a return before the receive"
	}()
	orders, err := d.loadOrders(ctx, user)
	if err != nil {
		return dashboard{}, err
	}
	return dashboard{Profile: <-profc, Orders: orders}, nil
}

// DashboardJoined receives the profile before it looks at the error.
func (d *dashboardService) DashboardJoined(ctx context.Context, user string) (dashboard, error) {
	profc := make(chan profile)
	go func() {
		profc <- d.loadProfile(user)
	}()
	orders, err := d.loadOrders(ctx, user)
	p := <-profc
	if err != nil {
		return dashboard{}, err
	}
	return dashboard{Profile: p, Orders: orders}, nil
}

// DashboardDrained receives on the error path as well.
func (d *dashboardService) DashboardDrained(ctx context.Context, user string) (dashboard, error) {
	profc := make(chan profile)
	go func() {
		profc <- d.loadProfile(user)
	}()
	orders, err := d.loadOrders(ctx, user)
	if err != nil {
		<-profc
		return dashboard{}, err
	}
	return dashboard{Profile: <-profc, Orders: orders}, nil
}

// DashboardBuffered gives the one profile somewhere to go.
func (d *dashboardService) DashboardBuffered(ctx context.Context, user string) (dashboard, error) {
	profc := make(chan profile, 1)
	go func() {
		profc <- d.loadProfile(user)
	}()
	orders, err := d.loadOrders(ctx, user)
	if err != nil {
		return dashboard{}, err
	}
	return dashboard{Profile: <-profc, Orders: orders}, nil
}

type uploader struct {
	maxSize int
	blobs   map[string][]byte
}

func (u *uploader) store(name string, data []byte) error {
	if name == "" {
		return errors.New("missing name")
	}
	u.blobs[name] = data
	return nil
}

func (u *uploader) audit(name string) error {
	time.Sleep(5 * time.Millisecond)
	if strings.Contains(name, "..") {
		return fmt.Errorf("suspicious name %q", name)
	}
	return nil
}

// Upload hashes in the background; both early returns abandon the hasher,
// which is reported once, at its send.
func (u *uploader) Upload(name string, data []byte) (string, error) {
	sums := make(chan string)
	go func() {
		h := sha256.Sum256(data)
		sums <- hex.EncodeToString(h[:]) // want "goroutine blocks forever sending on sums: a return before the receive"
	}()
	if len(data) > u.maxSize {
		return "", errTooLarge
	}
	if err := u.store(name, data); err != nil {
		return "", fmt.Errorf("store %s: %w", name, err)
	}
	return <-sums, nil
}

// UploadChecked validates before it starts the hasher, and takes the hash
// before the store error can return.
func (u *uploader) UploadChecked(name string, data []byte) (string, error) {
	if len(data) > u.maxSize {
		return "", errTooLarge
	}
	sums := make(chan string)
	go func() {
		h := sha256.Sum256(data)
		sums <- hex.EncodeToString(h[:])
	}()
	sum := <-sums
	if err := u.store(name, data); err != nil {
		return "", err
	}
	return sum, nil
}

// UploadAudited waits for the audit in a deferred function, so every return
// receives.
func (u *uploader) UploadAudited(name string, data []byte) error {
	audited := make(chan error)
	go func() {
		audited <- u.audit(name)
	}()
	defer func() {
		if err := <-audited; err != nil {
			log.Printf("audit %s: %v", name, err)
		}
	}()
	if len(data) > u.maxSize {
		return errTooLarge
	}
	return u.store(name, data)
}

type summary struct {
	Words int
	Lines int
}

// countLines is started as a goroutine and reports the line count on counts.
func countLines(text string, counts chan<- int) {
	counts <- strings.Count(text, "\n") + 1 // want "goroutine blocks forever sending on counts: a return before the receive"
}

// summarize returns early on empty text and abandons countLines.
func summarize(text string) (summary, error) {
	lines := make(chan int)
	go countLines(text, lines)
	words := strings.Fields(text)
	if len(words) == 0 {
		return summary{}, errEmpty
	}
	return summary{Words: len(words), Lines: <-lines}, nil
}

// summarizeChecked returns before it starts countLines, never after: it adds
// no report to countLines' send.
func summarizeChecked(text string) (summary, error) {
	words := strings.Fields(text)
	if len(words) == 0 {
		return summary{}, errEmpty
	}
	lines := make(chan int)
	go countLines(text, lines)
	return summary{Words: len(words), Lines: <-lines}, nil
}

type batchSink struct {
	pending []string
	flush   func(ctx context.Context) error
}

// Submit flushes the previous batch while it validates the next one; an
// empty item returns from inside the loop before the flush result is taken.
func (b *batchSink) Submit(ctx context.Context, items []string) error {
	flushed := make(chan error)
	go func() {
		flushed <- b.flush(ctx) // want "goroutine blocks forever sending on flushed: a return before the receive"
	}()
	next := make([]string, 0, len(items))
	for _, it := range items {
		if it == "" {
			return errEmptyItem
		}
		next = append(next, it)
	}
	if err := <-flushed; err != nil {
		return err
	}
	b.pending = next
	return nil
}

// SubmitValidated validates the whole batch before the flush starts.
func (b *batchSink) SubmitValidated(ctx context.Context, items []string) error {
	for _, it := range items {
		if it == "" {
			return errEmptyItem
		}
	}
	flushed := make(chan error)
	go func() {
		flushed <- b.flush(ctx)
	}()
	if err := <-flushed; err != nil {
		return err
	}
	b.pending = append([]string(nil), items...)
	return nil
}
