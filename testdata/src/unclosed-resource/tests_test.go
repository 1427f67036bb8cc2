package unclosedresource

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHandlerLeaksBody(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	resp, err := http.Get(srv.URL) // want "response from http\\.Get is not closed on every path"
	require.NoError(t, err)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestHandlerClosesInRequire(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer func() { require.NoError(t, resp.Body.Close()) }()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestRecorderResult(t *testing.T) {
	rec := httptest.NewRecorder()
	http.NotFound(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	resp := rec.Result()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}
