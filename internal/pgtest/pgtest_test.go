package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestStart(t *testing.T) {
	s := Start(t)
	dsn := s.CreateDatabase(t, "probe")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT 6 * 7").Scan(&n); err != nil || n != 42 {
		t.Fatalf("SELECT 6 * 7 = %d, %v", n, err)
	}
	// A wrong password is refused: the server checks passwords.
	bad := *s
	bad.Password = "wrong"
	if c, err := pgx.Connect(ctx, bad.DSN("probe")); err == nil {
		c.Close(ctx)
		t.Fatal("a wrong password was accepted")
	}
}
