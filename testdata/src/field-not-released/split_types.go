package fieldnotreleased

// Types declared here, built and released in other files.

import (
	"context"
	"time"
)

type Cache[K comparable, V any] struct {
	items  map[K]V
	ticker *time.Ticker
	stop   chan struct{}
}

type Watcher struct {
	cancel context.CancelFunc
	ticker *time.Ticker
}

type base struct {
	ticker *time.Ticker
}

type Server struct {
	base
	sweeper *time.Ticker
}

type Batcher struct {
	ticker *time.Ticker
	flush  chan struct{}
}
