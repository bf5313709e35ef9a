package archtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// releaseServer serves a release the way GitHub's download URLs do.
func releaseServer(t *testing.T, version string, tamper bool) *httptest.Server {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	bin := []byte("#!/bin/sh\necho driftgate-from-release\n")
	tw.WriteHeader(&tar.Header{Name: "driftgate", Mode: 0o755, Size: int64(len(bin))})
	tw.Write(bin)
	tw.Close()
	gz.Close()
	archive := fmt.Sprintf("driftgate_%s_linux_amd64.tar.gz", strings.TrimPrefix(version, "v"))
	sum := sha256.Sum256(buf.Bytes())
	checksums := fmt.Sprintf("%s  %s\n%s  driftgate_%s_darwin_arm64.tar.gz\n", hex.EncodeToString(sum[:]), archive, strings.Repeat("0", 64), version)
	served := buf.Bytes()
	if tamper {
		served = append(bytes.Clone(served), 0)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/driftgate/driftgate/releases/download/"+version+"/"+archive, func(w http.ResponseWriter, r *http.Request) { w.Write(served) })
	mux.HandleFunc("/driftgate/driftgate/releases/download/"+version+"/checksums.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, checksums) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func runInstall(t *testing.T, srv *httptest.Server, ref string) (string, string, error) {
	t.Helper()
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	tmp := t.TempDir()
	output := filepath.Join(tmp, "output")
	os.WriteFile(output, nil, 0o644)
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "install.sh"))
	cmd.Env = append(os.Environ(), "GITHUB_SERVER_URL="+srv.URL, "DRIFTGATE_ACTION_REF="+ref, "DRIFTGATE_ACTION_PATH="+root,
		"RUNNER_TEMP="+tmp, "RUNNER_OS=Linux", "RUNNER_ARCH=X64", "GITHUB_OUTPUT="+output, "DRIFTGATE_VERSION=", "GH_TOKEN=")
	log, err := cmd.CombinedOutput()
	out, _ := os.ReadFile(output)
	return string(out), string(log), err
}

// The action installs the release binary only when it matches the release's checksum.
func TestInstallVerifiesTheReleaseChecksum(t *testing.T) {
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Fatal("sha256sum is needed (coreutils)")
	}
	out, log, err := runInstall(t, releaseServer(t, "v1.2.3", false), "v1.2.3")
	if err != nil || !strings.HasPrefix(out, "bin=") {
		t.Fatalf("install failed: %v\n%s", err, log)
	}
	bin := strings.TrimSpace(strings.TrimPrefix(out, "bin="))
	if got, err := exec.Command(bin).Output(); err != nil || strings.TrimSpace(string(got)) != "driftgate-from-release" {
		t.Errorf("installed binary: %q %v", got, err)
	}

	out, log, err = runInstall(t, releaseServer(t, "v1.2.3", true), "v1.2.3")
	if err == nil || out != "" || !strings.Contains(log, "does not match the release's checksums.txt") {
		t.Errorf("a tampered archive must be refused: err=%v out=%q\n%s", err, out, log)
	}
}
