package unclosedkafka

import (
	"context"
	"net/http"

	"github.com/confluentinc/confluent-kafka-go/v2/kafka"
	"github.com/twmb/franz-go/pkg/kgo"
)

func confluentProducerPerRequest(w http.ResponseWriter, r *http.Request) {
	p, err := kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": "kafka:9092"}) // want "confluent-kafka-go client from kafka\\.NewProducer is not closed on every path"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	topic := "events"
	_ = p.Produce(&kafka.Message{TopicPartition: kafka.TopicPartition{Topic: &topic}}, nil)
}

func franzClientLeak(ctx context.Context, seeds []string) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...)) // want "franz-go client from kgo\\.NewClient is not closed on every path"
	if err != nil {
		return err
	}
	return cl.Ping(ctx)
}

// Negative look-alikes.

func confluentConsumerClosed(topics []string) error {
	c, err := kafka.NewConsumer(&kafka.ConfigMap{"group.id": "g"})
	if err != nil {
		return err
	}
	defer c.Close()
	return c.SubscribeTopics(topics, nil)
}

func franzClientClosed(ctx context.Context, seeds []string) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		return err
	}
	defer cl.Close()
	return cl.Ping(ctx)
}

type service struct {
	kafka *kgo.Client
}

func (s *service) connect(seeds []string) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...)) // want "kgo\\.NewClient\\(…\\) is stored in service\\.kafka, but service has no Close or Stop method"
	if err != nil {
		return err
	}
	s.kafka = cl
	return nil
}
