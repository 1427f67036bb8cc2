package fieldnotreleased

// A writer per handler, and the handler has no Close: every handler built
// per tenant keeps its writer's goroutines and buffers.

import (
	"context"
	"net/http"

	kafka "github.com/segmentio/kafka-go"
)

type EventHandler struct {
	writer *kafka.Writer
	topic  string
}

func NewEventHandler(brokers []string, topic string) *EventHandler {
	h := &EventHandler{topic: topic}
	h.writer = kafka.NewWriter(kafka.WriterConfig{Brokers: brokers, Topic: topic}) // want `kafka.NewWriter\(…\) is stored in EventHandler.writer, but EventHandler has no Close or Stop method and nothing in the package closes it`
	return h
}

func (h *EventHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = h.writer.WriteMessages(r.Context(), kafka.Message{Value: []byte(r.URL.Path)})
	w.WriteHeader(http.StatusAccepted)
}

// The same handler with a Close that its owner calls.
type AuditHandler struct {
	writer *kafka.Writer
}

func NewAuditHandler(brokers []string) *AuditHandler {
	return &AuditHandler{writer: &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: "audit"}}
}

func (h *AuditHandler) Publish(ctx context.Context, v []byte) error {
	return h.writer.WriteMessages(ctx, kafka.Message{Value: v})
}

func (h *AuditHandler) Close() error {
	return h.writer.Close()
}

// A literal writer in a struct with no Close.
type Mirror struct {
	out *kafka.Writer
}

func NewMirror(addr string) *Mirror {
	return &Mirror{out: &kafka.Writer{Addr: kafka.TCP(addr)}} // want `&kafka.Writer\{…\} is stored in Mirror.out, but Mirror has no Close or Stop method`
}

// The writer handed to the caller by a getter: whoever takes it closes it.
type Factory struct {
	w *kafka.Writer
}

func NewFactory(addr string) *Factory {
	return &Factory{w: kafka.NewWriter(kafka.WriterConfig{Brokers: []string{addr}})}
}

func (f *Factory) Writer() *kafka.Writer { return f.w }
