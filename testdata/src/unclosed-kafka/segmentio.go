package unclosedkafka

// A Kafka client holds connections, buffers and background goroutines until
// it is closed. One created per request and never closed is a leak per request.

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/segmentio/kafka-go"
)

type Event struct {
	ID string `json:"id"`
}

type Publisher struct {
	writer *kafka.Writer
}

func publishPerRequest(w http.ResponseWriter, r *http.Request) {
	writer := kafka.NewWriter(kafka.WriterConfig{ // want "kafka-go writer from kafka\\.NewWriter is not closed on every path"
		Brokers: []string{"kafka:9092"},
		Topic:   "events",
	})
	var ev Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	payload, _ := json.Marshal(ev)
	if err := writer.WriteMessages(r.Context(), kafka.Message{Value: payload}); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

func literalWriterPerCall(ctx context.Context, payload []byte) error {
	w := &kafka.Writer{ // want "kafka-go writer from kafka\\.Writer\\{…\\} is not closed on every path"
		Addr:  kafka.TCP("kafka:9092"),
		Topic: "events",
	}
	return w.WriteMessages(ctx, kafka.Message{Value: payload})
}

func readerNeverClosed(ctx context.Context) (kafka.Message, error) {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{"kafka:9092"}, Topic: "events", GroupID: "g"}) // want "kafka-go reader from kafka\\.NewReader is not closed on every path"
	return r.ReadMessage(ctx)
}

func dialLeaderLeak(ctx context.Context, topic string) (int64, error) {
	conn, err := kafka.DialLeader(ctx, "tcp", "kafka:9092", topic, 0) // want "kafka-go connection from kafka\\.DialLeader is not closed on every path"
	if err != nil {
		return 0, err
	}
	return conn.ReadLastOffset()
}

// Negative look-alikes.

func publishPerRequestClosed(w http.ResponseWriter, r *http.Request) {
	writer := kafka.NewWriter(kafka.WriterConfig{
		Brokers: []string{"kafka:9092"},
		Topic:   "events",
	})
	defer writer.Close()
	var ev Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	payload, _ := json.Marshal(ev)
	if err := writer.WriteMessages(r.Context(), kafka.Message{Value: payload}); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

func NewPublisher(brokers []string) *Publisher {
	return &Publisher{writer: &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: "events"}}
}

func newPublisherField(brokers []string) *Publisher {
	p := &Publisher{}
	p.writer = kafka.NewWriter(kafka.WriterConfig{Brokers: brokers, Topic: "events"})
	return p
}

func (p *Publisher) Close() error { return p.writer.Close() }

func readerForCaller(brokers []string) *kafka.Reader {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: "events"})
	return r
}

func messageLiteralIsNotAClient(ctx context.Context, w *kafka.Writer) error {
	msg := kafka.Message{Value: []byte("x")}
	return w.WriteMessages(ctx, msg)
}
