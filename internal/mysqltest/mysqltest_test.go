package mysqltest

import (
	"database/sql"
	"testing"

	_ "github.com/go-sql-driver/mysql"
)

func TestAServerStartsAndAnswers(t *testing.T) {
	s := Start(t)
	dsn := s.CreateDatabase(t, "rules")
	s.Exec(t, "rules", "CREATE TABLE t (n INT); INSERT INTO t VALUES (41), (1)")
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sum int
	if err := db.QueryRow("SELECT SUM(n) FROM t").Scan(&sum); err != nil || sum != 42 {
		t.Fatalf("%d %v", sum, err)
	}
}
