package abandonedsend

import (
	"errors"
	"fmt"
	"strings"
)

// Shape 4: one goroutine sends twice on a path and the function takes one
// value.

type rendered struct {
	html string
	err  error
}

type templater struct {
	templates map[string]string
}

func (t *templater) execute(name string) (string, error) {
	body, ok := t.templates[name]
	if !ok {
		return "<p>missing template</p>", errors.New("no template " + name)
	}
	return strings.TrimSpace(body), nil
}

// Render sends the page and then, on failure, the error as a second value.
func (t *templater) Render(name string) (string, error) {
	msgs := make(chan rendered)
	go func() {
		html, err := t.execute(name)
		msgs <- rendered{html: html}
		if err != nil {
			msgs <- rendered{err: err} // want "goroutine blocks forever on its second send on msgs: only one value is received"
		}
	}()
	m := <-msgs
	return m.html, m.err
}

// RenderOnce sends exactly one value on every path.
func (t *templater) RenderOnce(name string) (string, error) {
	msgs := make(chan rendered)
	go func() {
		html, err := t.execute(name)
		if err != nil {
			msgs <- rendered{err: err}
			return
		}
		msgs <- rendered{html: html}
	}()
	m := <-msgs
	return m.html, m.err
}

// RenderBuffered keeps the double send, with room for the value nobody takes.
func (t *templater) RenderBuffered(name string) (string, error) {
	msgs := make(chan rendered, 1)
	go func() {
		html, err := t.execute(name)
		msgs <- rendered{html: html}
		if err != nil {
			msgs <- rendered{err: err}
		}
	}()
	m := <-msgs
	return m.html, m.err
}

type engine interface {
	Prepare() error
	Run() error
}

// launch reports whether the engine started; the Run result that follows
// has no receiver.
func launch(e engine) error {
	errc := make(chan error)
	go func() {
		if err := e.Prepare(); err != nil {
			errc <- err
			return
		}
		errc <- nil
		errc <- e.Run() // want "goroutine blocks forever on its second send on errc: only one value is received"
	}()
	return <-errc
}

// launchBuffered has room for the Run result.
func launchBuffered(e engine) error {
	errc := make(chan error, 1)
	go func() {
		if err := e.Prepare(); err != nil {
			errc <- err
			return
		}
		errc <- nil
		errc <- e.Run()
	}()
	return <-errc
}

// launchAndWait takes the readiness and then the run result. A path of the
// function receives twice, as many times as the goroutine can send.
func launchAndWait(e engine) error {
	errc := make(chan error)
	go func() {
		if err := e.Prepare(); err != nil {
			errc <- err
			return
		}
		errc <- nil
		errc <- e.Run()
	}()
	if err := <-errc; err != nil {
		return err
	}
	return <-errc
}

type settings struct {
	pairs map[string]string
	err   error
}

// parseSettings is started as a goroutine; it sends the pairs and then the
// parse error, always two values.
func parseSettings(text string, res chan<- settings) {
	pairs := make(map[string]string)
	var bad []string
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			bad = append(bad, line)
			continue
		}
		pairs[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	res <- settings{pairs: pairs}
	var err error
	if len(bad) > 0 {
		err = fmt.Errorf("%d malformed lines", len(bad))
	}
	res <- settings{err: err} // want "goroutine blocks forever on its second send on res: only one value is received"
}

// loadSettings takes the pairs and ignores the error that follows.
func loadSettings(text string) map[string]string {
	res := make(chan settings)
	go parseSettings(text, res)
	return (<-res).pairs
}

// loadSettingsChecked takes both values: it adds no report to parseSettings.
func loadSettingsChecked(text string) (map[string]string, error) {
	res := make(chan settings)
	go parseSettings(text, res)
	first := <-res
	second := <-res
	return first.pairs, second.err
}
