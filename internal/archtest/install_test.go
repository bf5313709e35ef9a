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
	return releasesServer(t, []string{version}, version, tamper)
}

// releasesServer lists releases through the REST API (paged, 2 a page) and
// serves the download of one of them.
func releasesServer(t *testing.T, tags []string, version string, tamper bool) *httptest.Server {
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
	mux.HandleFunc("/api/repos/driftgate/driftgate/releases", func(w http.ResponseWriter, r *http.Request) {
		page := 1
		fmt.Sscan(r.URL.Query().Get("page"), &page)
		var items []string
		for i := (page - 1) * 2; i < len(tags) && i < page*2; i++ {
			items = append(items, fmt.Sprintf(`{"tag_name": %q, "draft": false, "prerelease": %v}`, tags[i], strings.Contains(tags[i], "-")))
		}
		fmt.Fprintf(w, "[%s]", strings.Join(items, ","))
	})
	mux.HandleFunc("/driftgate/driftgate/releases/download/"+version+"/"+archive, func(w http.ResponseWriter, r *http.Request) { w.Write(served) })
	mux.HandleFunc("/driftgate/driftgate/releases/download/"+version+"/checksums.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, checksums) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func runInstall(t *testing.T, srv *httptest.Server, ref string, env ...string) (string, string, error) {
	t.Helper()
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	tmp := t.TempDir()
	output := filepath.Join(tmp, "output")
	os.WriteFile(output, nil, 0o644)
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "install.sh"))
	cmd.Env = append(os.Environ(), "GITHUB_SERVER_URL="+srv.URL, "GITHUB_API_URL="+srv.URL+"/api", "DRIFTGATE_ACTION_REF="+ref, "DRIFTGATE_ACTION_PATH="+root,
		"RUNNER_TEMP="+tmp, "RUNNER_OS=Linux", "RUNNER_ARCH=X64", "GITHUB_OUTPUT="+output, "DRIFTGATE_VERSION=", "GH_TOKEN=")
	cmd.Env = append(cmd.Env, env...)
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

// @v1 and @v1.9 resolve to the newest release of their line, not to a build
// from source; pre-releases and other majors are passed over.
func TestInstallResolvesAMajorOrMinorTagToTheNewestRelease(t *testing.T) {
	tags := []string{"v1.2.3", "v1.10.0", "v2.0.0", "v1.9.9", "v1.11.0-rc.1", "v1.9.10"}
	for ref, want := range map[string]string{"v1": "v1.10.0", "v1.9": "v1.9.10", "v2": "v2.0.0"} {
		out, log, err := runInstall(t, releasesServer(t, tags, want, false), ref)
		if err != nil || !strings.HasPrefix(out, "bin=") || !strings.Contains(log, ref+" resolves to "+want) {
			t.Errorf("%s: want %s: err=%v\n%s", ref, want, err, log)
		}
	}
}

// github.action_ref can be empty in a composite action: the ref is then the
// last element of the action's path, as the runner checks it out.
func TestInstallFindsTheRefInTheActionPath(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	actions := filepath.Join(t.TempDir(), "_actions", "driftgate", "driftgate", "v1")
	os.MkdirAll(filepath.Dir(actions), 0o755)
	if err := os.Symlink(root, actions); err != nil {
		t.Fatal(err)
	}
	srv := releasesServer(t, []string{"v1.4.2"}, "v1.4.2", false)
	out, log, err := runInstall(t, srv, "", "DRIFTGATE_ACTION_PATH="+actions)
	if err != nil || !strings.HasPrefix(out, "bin=") || !strings.Contains(log, "v1 resolves to v1.4.2") {
		t.Errorf("err=%v\n%s", err, log)
	}
}

// Before any release of the line exists, the log says so plainly.
func TestInstallSaysWhenNoReleaseExists(t *testing.T) {
	srv := releasesServer(t, nil, "v9.9.9", false)
	out, log, err := runInstall(t, srv, "v1", "PATH=/usr/bin:/bin")
	if err == nil || out != "" || !strings.Contains(log, "no release of driftgate/driftgate matches 'v1' yet") ||
		!strings.Contains(log, "no Go toolchain on this runner") {
		t.Errorf("err=%v out=%q\n%s", err, out, log)
	}
}
