package abandonedsend

import (
	"errors"
	"log"
	"testing"
	"time"
)

// t.Fatal ends the test's goroutine, not the process: a sender still
// waiting on an unbuffered channel stays blocked for the rest of the run.

func slowAnswer() int {
	time.Sleep(time.Millisecond)
	return 42
}

func setUp() error { return errors.New("no database") }

// TestAnswerTimeout gives up on a timeout with t.Fatal.
func TestAnswerTimeout(t *testing.T) {
	answers := make(chan int)
	go func() {
		answers <- slowAnswer() // want "goroutine blocks forever sending on answers: the select returns on another case and nobody receives"
	}()
	select {
	case v := <-answers:
		if v != 42 {
			t.Errorf("got %d", v)
		}
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}

// TestAnswerTimeoutBuffered has room for the late answer.
func TestAnswerTimeoutBuffered(t *testing.T) {
	answers := make(chan int, 1)
	go func() {
		answers <- slowAnswer()
	}()
	select {
	case v := <-answers:
		if v != 42 {
			t.Errorf("got %d", v)
		}
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}

// TestAnswerTimeoutExits ends the whole process on a timeout: nothing is left.
func TestAnswerTimeoutExits(t *testing.T) {
	answers := make(chan int)
	go func() {
		answers <- slowAnswer()
	}()
	select {
	case v := <-answers:
		if v != 42 {
			t.Errorf("got %d", v)
		}
	case <-time.After(time.Second):
		log.Fatal("timeout")
	}
}

// TestAnswerSetUp stops on a failed set-up before it takes the answer.
func TestAnswerSetUp(t *testing.T) {
	answers := make(chan int)
	go func() {
		answers <- slowAnswer() // want "goroutine blocks forever sending on answers: the function's goroutine ends before the receive"
	}()
	if err := setUp(); err != nil {
		t.Fatal(err)
	}
	if v := <-answers; v != 42 {
		t.Errorf("got %d", v)
	}
}

// TestAnswerSetUpFirst stops before it starts the goroutine.
func TestAnswerSetUpFirst(t *testing.T) {
	if err := setUp(); err != nil {
		t.Fatal(err)
	}
	answers := make(chan int)
	go func() {
		answers <- slowAnswer()
	}()
	if v := <-answers; v != 42 {
		t.Fatalf("got %d", v)
	}
}
