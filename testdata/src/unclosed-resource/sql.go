package unclosedresource

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"
)

type User struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

func namesRowsLeak(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users") // want "rows from \\(\\*sql\\.DB\\)\\.QueryContext are not closed on every path"
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

func txQueryLeak(tx *sql.Tx, id int64) (bool, error) {
	rows, err := tx.Query("SELECT 1 FROM users WHERE id = $1", id) // want "rows from \\(\\*sql\\.Tx\\)\\.Query are not closed on every path"
	if err != nil {
		return false, err
	}
	return rows.Next(), nil
}

func stmtLeak(ctx context.Context, db *sql.DB, names []string) error {
	stmt, err := db.PrepareContext(ctx, "INSERT INTO users(name) VALUES ($1)") // want "statement from \\(\\*sql\\.DB\\)\\.PrepareContext is not closed on every path"
	if err != nil {
		return err
	}
	for _, n := range names {
		if _, err := stmt.ExecContext(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

func openLocallyNeverClosed(dsn string) error {
	db, err := sql.Open("postgres", dsn) // want "database handle from sql\\.Open is not closed on every path"
	if err != nil {
		return err
	}
	return db.Ping()
}

func sqlxRowsLeak(db *sqlx.DB) (int, error) {
	rows, err := db.Queryx("SELECT id, name FROM users") // want "rows from \\(\\*sqlx\\.DB\\)\\.Queryx are not closed on every path"
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		var u User
		if err := rows.StructScan(&u); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Negative look-alikes.

func namesDeferred(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

func rowsClosedByHelper(db *sql.DB) ([]string, error) {
	rows, err := db.Query("SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	return scanNames(rows)
}

func scanNames(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

func openForCallerDB(dsn string) (*sql.DB, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func queryRowNeedsNoClose(db *sql.DB, id int64) (string, error) {
	var name string
	err := db.QueryRow("SELECT name FROM users WHERE id = $1", id).Scan(&name)
	return name, err
}

func sqlxSelectNeedsNoClose(db *sqlx.DB) ([]User, error) {
	var users []User
	err := db.Select(&users, "SELECT id, name FROM users")
	return users, err
}

func stmtDeferred(ctx context.Context, db *sqlx.DB) error {
	stmt, err := db.PreparexContext(ctx, "DELETE FROM users WHERE id = $1")
	if err != nil {
		return err
	}
	defer stmt.Close()
	_, err = stmt.ExecContext(ctx, 1)
	return err
}
