package multipartnotremoved

// net/http removes the multipart temp files of the request it passed to the
// handler. A request replaced by WithContext or Clone is another value: its
// MultipartForm is never removed unless the handler does it.

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

const maxMemory = 32 << 20

func uploadWithTimeout(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	r = r.WithContext(ctx)
	if err := r.ParseMultipartForm(maxMemory); err != nil { // want "multipart form of a replaced request is never removed"
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_, _ = io.WriteString(w, r.FormValue("name"))
}

func uploadClone(w http.ResponseWriter, r *http.Request) {
	req := r.Clone(context.Background())
	f, _, err := req.FormFile("upload") // want "multipart form of a replaced request is never removed"
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer f.Close()
	_, _ = io.Copy(io.Discard, f)
}

func ginUpload(c *gin.Context) {
	if err := c.Request.ParseMultipartForm(maxMemory); err != nil { // want "multipart form of a framework's request may never be removed"
		c.AbortWithStatus(http.StatusBadRequest)
		return
	}
	c.String(http.StatusOK, c.Request.PostFormValue("name"))
}

func readFormLeak(mr *multipart.Reader) (int, error) {
	form, err := mr.ReadForm(maxMemory) // want "form from \\(\\*multipart\\.Reader\\)\\.ReadForm is not removed on every path"
	if err != nil {
		return 0, err
	}
	return len(form.File), nil
}

func readFormDiscarded(mr *multipart.Reader) error {
	_, err := mr.ReadForm(maxMemory) // want "form from \\(\\*multipart\\.Reader\\)\\.ReadForm is discarded"
	return err
}

// Negative look-alikes.

func plainUpload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(maxMemory); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_, _ = io.WriteString(w, r.FormValue("name"))
}

func replacedAndRemoved(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(context.Background())
	if err := r.ParseMultipartForm(maxMemory); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer r.MultipartForm.RemoveAll()
	_, _ = io.WriteString(w, r.FormValue("name"))
}

func ginUploadRemoved(c *gin.Context) {
	if err := c.Request.ParseMultipartForm(maxMemory); err != nil {
		c.AbortWithStatus(http.StatusBadRequest)
		return
	}
	defer c.Request.MultipartForm.RemoveAll()
	c.String(http.StatusOK, c.Request.PostFormValue("name"))
}

func readFormRemoved(mr *multipart.Reader) (int, error) {
	form, err := mr.ReadForm(maxMemory)
	if err != nil {
		return 0, err
	}
	defer form.RemoveAll()
	return len(form.File), nil
}

func readFormForCaller(mr *multipart.Reader) (*multipart.Form, error) {
	return mr.ReadForm(maxMemory)
}

func middlewarePassesOn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func urlEncodedFormValue(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(context.Background())
	_ = r.ParseForm()
	_, _ = io.WriteString(w, r.Form.Get("name"))
}
