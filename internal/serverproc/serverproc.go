// Package serverproc holds what the test database helpers (pgtest,
// mysqltest) share to run a throwaway server: the non-root user it runs as,
// its commands with messages in English, a free loopback port, a password.
package serverproc

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// RunAs is the user a server runs as: database servers refuse root, so as
// root the first of users that exists (else "nobody"); nil when not root.
func RunAs(users ...string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range append(users, "nobody") {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, fmt.Errorf("running as root and none of %s exists to run the server as", strings.Join(append(users, "nobody"), ", "))
}

// Command runs a server program as cred (when set), in the temporary
// directory, with its messages in English whatever the machine's locale.
func Command(cred *syscall.Credential, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = os.TempDir()
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(e string) bool { return strings.HasPrefix(e, "LC_") || strings.HasPrefix(e, "LANG") }), "LC_ALL=C")
	return cmd
}

// FreePort is a loopback port nothing listens on now (something may by the
// time the server binds it: callers retry).
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Secret is a fresh password.
func Secret() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "pw" + hex.EncodeToString(b)
}
