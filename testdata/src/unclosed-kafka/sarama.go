package unclosedkafka

import (
	"context"

	"github.com/IBM/sarama"
	shopify "github.com/Shopify/sarama"
)

func syncProducerPerCall(brokers []string, value []byte) error {
	p, err := sarama.NewSyncProducer(brokers, sarama.NewConfig()) // want "sarama producer from sarama\\.NewSyncProducer is not closed on every path"
	if err != nil {
		return err
	}
	_, _, err = p.SendMessage(&sarama.ProducerMessage{Topic: "events", Value: sarama.ByteEncoder(value)})
	return err
}

func shopifyConsumerLeak(brokers []string) ([]string, error) {
	c, err := shopify.NewConsumer(brokers, shopify.NewConfig()) // want "sarama consumer from sarama\\.NewConsumer is not closed on every path"
	if err != nil {
		return nil, err
	}
	return c.Topics()
}

func producerFromClientLeak(client sarama.Client) error {
	p, err := sarama.NewAsyncProducerFromClient(client) // want "sarama producer from sarama\\.NewAsyncProducerFromClient is not closed on every path"
	if err != nil {
		return err
	}
	p.Input() <- &sarama.ProducerMessage{Topic: "events"}
	return nil
}

func groupClosedOnlyOnSuccess(ctx context.Context, brokers []string, h sarama.ConsumerGroupHandler) error {
	g, err := sarama.NewConsumerGroup(brokers, "g", sarama.NewConfig()) // want "sarama consumer group from sarama\\.NewConsumerGroup is not closed on every path"
	if err != nil {
		return err
	}
	if err := g.Consume(ctx, []string{"events"}, h); err != nil {
		return err
	}
	return g.Close()
}

// Negative look-alikes.

func syncProducerClosed(brokers []string, value []byte) error {
	p, err := sarama.NewSyncProducer(brokers, sarama.NewConfig())
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	_, _, err = p.SendMessage(&sarama.ProducerMessage{Topic: "events", Value: sarama.ByteEncoder(value)})
	return err
}

type consumer struct {
	group sarama.ConsumerGroup
}

func newConsumer(brokers []string) (*consumer, error) {
	g, err := sarama.NewConsumerGroup(brokers, "g", sarama.NewConfig()) // want "sarama\\.NewConsumerGroup\\(…\\) is stored in consumer\\.group, but consumer has no Close or Stop method"
	if err != nil {
		return nil, err
	}
	return &consumer{group: g}, nil
}

func clientForCaller(brokers []string) (sarama.Client, error) {
	return sarama.NewClient(brokers, sarama.NewConfig())
}

func configIsNotAClient() *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Producer.Return.Successes = true
	return cfg
}
