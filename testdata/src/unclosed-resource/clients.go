package unclosedresource

import (
	"context"
	"io"
	"net"
	"time"

	"cloud.google.com/go/storage"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minio/minio-go/v7"
	"github.com/redis/go-redis/v9"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

func pgxRowsLeak(ctx context.Context, conn *pgx.Conn) (int, error) {
	rows, err := conn.Query(ctx, "SELECT id FROM jobs") // want "rows from \\(\\*pgx\\.Conn\\)\\.Query are not closed on every path"
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func pgxAcquireLeak(ctx context.Context, pool *pgxpool.Pool) error {
	c, err := pool.Acquire(ctx) // want "connection from \\(\\*pgxpool\\.Pool\\)\\.Acquire is not released on every path"
	if err != nil {
		return err
	}
	_, err = c.Exec(ctx, "SELECT 1")
	return err
}

func dialLeak(addr string, msg []byte) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second) // want "connection from net\\.DialTimeout is not closed on every path"
	if err != nil {
		return err
	}
	_, err = conn.Write(msg)
	return err
}

func minioObjectLeak(ctx context.Context, mc *minio.Client, key string) (int64, error) {
	obj, err := mc.GetObject(ctx, "bucket", key, minio.GetObjectOptions{}) // want "object from \\(\\*minio\\.Client\\)\\.GetObject is not closed on every path"
	if err != nil {
		return 0, err
	}
	return io.Copy(io.Discard, obj)
}

func s3BodyLeak(ctx context.Context, client *s3.Client, key string) ([]byte, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String(key)}) // want "object body from \\(\\*s3\\.Client\\)\\.GetObject is not closed on every path"
	if err != nil {
		return nil, err
	}
	return io.ReadAll(out.Body)
}

func gcsReaderLeak(ctx context.Context, obj *storage.ObjectHandle) ([]byte, error) {
	r, err := obj.NewReader(ctx) // want "object reader from \\(\\*storage\\.ObjectHandle\\)\\.NewReader is not closed on every path"
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func grpcDialLeak(ctx context.Context, target string) error {
	conn, err := grpc.DialContext(ctx, target, grpc.WithTransportCredentials(insecure.NewCredentials())) // want "connection from grpc\\.DialContext is not closed on every path"
	if err != nil {
		return err
	}
	return ping(ctx, conn.Target())
}

func redisPerCallLeak(ctx context.Context, addr, key string) (string, error) {
	rdb := redis.NewClient(&redis.Options{Addr: addr}) // want "client from redis\\.NewClient is not closed on every path"
	return rdb.Get(ctx, key).Result()
}

// Negative look-alikes.

func pgxRowsDeferred(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	rows, err := pool.Query(ctx, "SELECT id FROM jobs")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func pgxAcquireReleased(ctx context.Context, pool *pgxpool.Pool) error {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	_, err = c.Exec(ctx, "SELECT 1")
	return err
}

func listenForCaller(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return ln, nil
}

type server struct {
	ln net.Listener
}

func (s *server) start(addr string) error {
	ln, err := net.Listen("tcp", addr) // want "net\\.Listen\\(…\\) is stored in server\\.ln, but server has no Close or Stop method"
	if err != nil {
		return err
	}
	s.ln = ln
	return nil
}

func minioObjectDeferred(ctx context.Context, mc *minio.Client, key string, w io.Writer) error {
	obj, err := mc.GetObject(ctx, "bucket", key, minio.GetObjectOptions{})
	if err != nil {
		return err
	}
	defer obj.Close()
	_, err = io.Copy(w, obj)
	return err
}

func s3BodyDeferred(ctx context.Context, client *s3.Client, key string) ([]byte, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

func gcsWriterClosed(ctx context.Context, obj *storage.ObjectHandle, data []byte) error {
	w := obj.NewWriter(ctx)
	if _, err := w.Write(data); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

func grpcConnForCaller(target string) (*grpc.ClientConn, error) {
	return grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
}

type cache struct {
	rdb *redis.Client
}

func newCache(addr string) *cache {
	return &cache{rdb: redis.NewClient(&redis.Options{Addr: addr})} // want "redis\\.NewClient\\(…\\) is stored in cache\\.rdb, but cache has no Close or Stop method"
}

func ping(context.Context, string) error { return nil }
