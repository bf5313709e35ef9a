// Package mysqltest starts a real, throwaway MySQL-protocol server for
// tests: Debian's MariaDB (mariadb-install-db, then mariadbd) on a temporary
// data directory and a free loopback port, as a non-root user, stopped and
// removed when the test ends. No mock: the tests talk to the server RDS runs.
//
// When no server is installed the tests that need it are skipped with a
// message saying so, unless DRIFTGATE_REQUIRE_MYSQL is set (as .ci/run does
// after installing Debian's mariadb-server package), when they fail.
package mysqltest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/driftgate/driftgate/internal/serverproc"
	"github.com/go-sql-driver/mysql"
)

// Server is a running server with one database and a user that owns it.
type Server struct {
	Host, User, Password string
	Port                 int
	dir                  string
	cmd                  *exec.Cmd
	done                 chan error
}

// DSN is the go-sql-driver form of a database's address.
func (s *Server) DSN(database string) string {
	c := mysql.NewConfig()
	c.User, c.Passwd, c.Net, c.Addr, c.DBName = s.User, s.Password, "tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), database
	return c.FormatDSN()
}

func bins() (install, server string, err error) {
	for _, pair := range [][2]string{{"mariadb-install-db", "mariadbd"}, {"mysql_install_db", "mysqld"}} {
		i, err1 := exec.LookPath(pair[0])
		d, err2 := exec.LookPath(pair[1])
		if err2 != nil {
			d, err2 = exec.LookPath("/usr/sbin/" + pair[1])
		}
		if err1 == nil && err2 == nil {
			return i, d, nil
		}
	}
	return "", "", fmt.Errorf("mariadb-install-db and mariadbd not found (Debian: apt-get install mariadb-server)")
}

// Start starts a server for the test and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	install, server, err := bins()
	if err != nil {
		if os.Getenv("DRIFTGATE_REQUIRE_MYSQL") != "" {
			t.Fatalf("a MySQL server is required (DRIFTGATE_REQUIRE_MYSQL is set): %v", err)
		}
		t.Skipf("skipping: no MySQL server to start: %v", err)
	}
	s, err := start(install, server)
	if err != nil {
		t.Fatalf("starting MariaDB: %v", err)
	}
	t.Cleanup(s.stop)
	return s
}

func start(install, server string) (*Server, error) {
	dir, err := os.MkdirTemp("", "driftgate-mysql-")
	if err != nil {
		return nil, err
	}
	s := &Server{Host: "127.0.0.1", User: "driftgate", Password: serverproc.Secret(), dir: dir}
	cred, err := serverproc.RunAs("mysql")
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err == nil && cred != nil {
		err = os.Chown(dir, int(cred.Uid), int(cred.Gid))
	}
	if err != nil {
		s.remove()
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if out, err := serverproc.Command(cred, install, "--no-defaults", "--datadir="+data, "--auth-root-authentication-method=normal", "--skip-test-db").CombinedOutput(); err != nil {
		s.remove()
		return nil, fmt.Errorf("%s: %v\n%s", filepath.Base(install), err, out)
	}
	var last error
	for range 5 { // a port can be taken between choosing and binding it
		if s.Port, err = serverproc.FreePort(); err != nil {
			s.remove()
			return nil, err
		}
		s.cmd = serverproc.Command(cred, server, "--no-defaults", "--datadir="+data, "--port="+strconv.Itoa(s.Port), "--bind-address=127.0.0.1",
			"--socket="+s.socket(), "--pid-file="+filepath.Join(dir, "pid"), "--skip-name-resolve", "--log-error="+filepath.Join(dir, "err"),
			"--innodb-buffer-pool-size=16M", "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0")
		if err := s.cmd.Start(); err != nil {
			s.remove()
			return nil, err
		}
		s.done = make(chan error, 1)
		go func() { s.done <- s.cmd.Wait() }()
		if last = s.setUp(); last == nil {
			return s, nil
		}
		s.kill()
	}
	log, _ := os.ReadFile(filepath.Join(dir, "err"))
	s.remove()
	return nil, fmt.Errorf("%v\n%s", last, log)
}

func (s *Server) socket() string { return filepath.Join(s.dir, "sock") }

// setUp waits for the server, then creates the test user over the socket as
// root (who has no password and can connect only there).
func (s *Server) setUp() error {
	root := mysql.NewConfig()
	root.User, root.Net, root.Addr = "root", "unix", s.socket()
	db, err := sql.Open("mysql", root.FormatDSN())
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		if err = db.PingContext(ctx); err == nil {
			break
		}
		select {
		case exit := <-s.done:
			return fmt.Errorf("the server exited: %v", exit)
		case <-ctx.Done():
			return fmt.Errorf("the server does not answer: %w", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	for _, q := range []string{
		fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", s.User, s.Password),
		fmt.Sprintf("GRANT ALL ON *.* TO '%s'@'%%'", s.User),
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// CreateDatabase creates a database and returns its DSN.
func (s *Server) CreateDatabase(t testing.TB, name string) string {
	t.Helper()
	s.Exec(t, "", "CREATE DATABASE `"+name+"`")
	return s.DSN(name)
}

// Exec runs SQL statements (several, separated by semicolons) on a database
// as the test user.
func (s *Server) Exec(t testing.TB, database, statements string) {
	t.Helper()
	c, err := mysql.ParseDSN(s.DSN(database))
	if err != nil {
		t.Fatal(err)
	}
	c.MultiStatements = true
	db, err := sql.Open("mysql", c.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(statements); err != nil {
		t.Fatalf("%v\n%s", err, statements)
	}
}

func (s *Server) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	}
}

func (s *Server) stop() {
	s.kill()
	s.remove()
}

func (s *Server) remove() { os.RemoveAll(s.dir) }
