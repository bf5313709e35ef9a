// Package pgtest starts a real, throwaway PostgreSQL server for tests:
// initdb and pg_ctl on a temporary data directory and a free loopback port,
// as a non-root user (PostgreSQL refuses to run as root), stopped and removed
// when the test ends. No mock: the tests talk to the server the users run.
//
// When PostgreSQL is not installed the tests that need it are skipped with a
// message saying so, unless DRIFTGATE_REQUIRE_POSTGRES is set (as .ci/run
// does after installing Debian's postgresql package), when they fail.
package pgtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/driftgate/driftgate/internal/serverproc"
	"github.com/jackc/pgx/v5"
)

// Server is a running PostgreSQL server.
type Server struct {
	Host     string
	Port     int
	User     string
	Password string
	dir      string
}

// DSN is the URL of one of the server's databases.
func (s *Server) DSN(database string) string {
	return fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", s.User, s.Password, s.Host, s.Port, database)
}

// binDir finds initdb and pg_ctl: on PATH, else in Debian's versioned directory.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("initdb and pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)")
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// Start starts a server for the test and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := binDir()
	if err != nil {
		if os.Getenv("DRIFTGATE_REQUIRE_POSTGRES") != "" {
			t.Fatalf("PostgreSQL is required (DRIFTGATE_REQUIRE_POSTGRES is set): %v", err)
		}
		t.Skipf("skipping: no PostgreSQL server to start: %v", err)
	}
	s, err := start(bin)
	if err != nil {
		t.Fatalf("starting PostgreSQL: %v", err)
	}
	t.Cleanup(s.stop)
	return s
}

// Launch starts a server outside a test (the sandbox command's demo
// database); the caller stops it with Stop.
func Launch() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	return start(bin)
}

// Stop stops the server and removes its data directory.
func (s *Server) Stop() { s.stop() }

func start(bin string) (*Server, error) {
	dir, err := os.MkdirTemp("", "driftgate-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{Host: "127.0.0.1", User: "driftgate", Password: serverproc.Secret(), dir: dir}
	cred, err := serverproc.RunAs("postgres")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(s.Password+"\n"), 0o644); err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := serverproc.Command(cred, filepath.Join(bin, "initdb"), "-D", data, "-U", s.User, "--pwfile", pwfile,
		"--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C", "--no-sync").CombinedOutput(); err != nil {
		s.remove()
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	// A port can be taken between choosing it and the server binding it:
	// try a few.
	var last error
	for range 5 {
		s.Port, err = serverproc.FreePort()
		if err != nil {
			return nil, err
		}
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", s.Port, dir)
		out, err := serverproc.Command(cred, filepath.Join(bin, "pg_ctl"), "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput()
		if err == nil {
			if err := s.wait(); err != nil {
				s.stop()
				return nil, err
			}
			return s, nil
		}
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		last = fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	s.remove()
	return nil, last
}

// wait connects once, so a test starts with a server that answers.
func (s *Server) wait() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, s.DSN("postgres"))
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the server does not answer: %w", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *Server) stop() {
	bin, err := binDir()
	if err == nil {
		cred, _ := serverproc.RunAs("postgres")
		_ = serverproc.Command(cred, filepath.Join(bin, "pg_ctl"), "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop").Run()
	}
	s.remove()
}

func (s *Server) remove() { os.RemoveAll(s.dir) }

// CreateDatabase creates a database and returns its DSN.
func (s *Server) CreateDatabase(t testing.TB, name string) string {
	t.Helper()
	s.Exec(t, "postgres", "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return s.DSN(name)
}

// Exec runs SQL statements on a database as the server's superuser.
func (s *Server) Exec(t testing.TB, database, sql string) {
	t.Helper()
	if err := s.Run(database, sql); err != nil {
		t.Fatal(err)
	}
}

// Run runs SQL statements on a database as the server's superuser; Exec
// is the same for a test.
func (s *Server) Run(database, sql string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.DSN(database))
	if err != nil {
		return fmt.Errorf("connecting to %s: %v", database, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%v\n%s", err, sql)
	}
	return nil
}
