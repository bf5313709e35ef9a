package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// fakeGitHub serves the REST and GraphQL calls the action makes, as GitHub
// answers them: issue comments paged with Link headers, 403 for a
// read-only token.
type fakeGitHub struct {
	mu        sync.Mutex
	comments  []map[string]any
	nextID    int64
	readOnly  bool
	hidden    []string
	requests  []string
	pageSize  int
	srv       *httptest.Server
	authSeen  string
	extraOpen int // unrelated comments already on the pull request
	// files are the pull request's changed files with their patches;
	// reviews and reviewComments what was posted on them.
	files          []map[string]any
	reviews        []map[string]any
	reviewComments []map[string]any
	// issues are the repository's issues (one page: the publish tests page).
	issues []map[string]any
}

func newFakeGitHub(t *testing.T) *fakeGitHub {
	f := &fakeGitHub{nextID: 100, pageSize: 2}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/acme/alerting/issues/42/comments", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		start := min((page-1)*f.pageSize, len(f.comments))
		end := min(start+f.pageSize, len(f.comments))
		if end < len(f.comments) {
			w.Header().Set("Link", fmt.Sprintf(`<%s/repos/acme/alerting/issues/42/comments?page=%d&per_page=100>; rel="next"`, f.srv.URL, page+1))
		}
		json.NewEncoder(w).Encode(f.comments[start:end])
	})
	mux.HandleFunc("POST /repos/acme/alerting/issues/42/comments", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		if f.readOnly {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"Resource not accessible by integration"}`)
			return
		}
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		f.nextID++
		c := map[string]any{"id": f.nextID, "node_id": fmt.Sprintf("IC_%d", f.nextID), "body": in["body"],
			"user": map[string]any{"login": "github-actions[bot]"}, "html_url": fmt.Sprintf("https://github.com/acme/alerting/pull/42#issuecomment-%d", f.nextID)}
		f.comments = append(f.comments, c)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(c)
	})
	mux.HandleFunc("PATCH /repos/acme/alerting/issues/comments/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		for _, c := range f.comments {
			if fmt.Sprint(c["id"]) == r.PathValue("id") {
				c["body"] = in["body"]
				json.NewEncoder(w).Encode(c)
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
	})
	mux.HandleFunc("GET /repos/acme/alerting/pulls/42/files", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		json.NewEncoder(w).Encode(f.files)
	})
	mux.HandleFunc("GET /repos/acme/alerting/pulls/42/comments", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		json.NewEncoder(w).Encode(f.reviewComments)
	})
	mux.HandleFunc("POST /repos/acme/alerting/pulls/42/reviews", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		f.reviews = append(f.reviews, in)
		comments, _ := in["comments"].([]any)
		for _, c := range comments {
			c := c.(map[string]any)
			f.nextID++
			f.reviewComments = append(f.reviewComments, map[string]any{"id": f.nextID, "body": c["body"], "path": c["path"], "line": c["line"],
				"user": map[string]any{"login": "github-actions[bot]"}})
		}
		json.NewEncoder(w).Encode(map[string]any{"id": len(f.reviews)})
	})
	mux.HandleFunc("PATCH /repos/acme/alerting/pulls/comments/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		for _, c := range f.reviewComments {
			if fmt.Sprint(c["id"]) == r.PathValue("id") {
				c["body"] = in["body"]
				json.NewEncoder(w).Encode(c)
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
	})
	mux.HandleFunc("GET /repos/acme/alerting/issues", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		open := []map[string]any{}
		for _, is := range f.issues {
			if is["state"] == r.URL.Query().Get("state") {
				open = append(open, is)
			}
		}
		json.NewEncoder(w).Encode(open)
	})
	mux.HandleFunc("POST /repos/acme/alerting/issues", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		var labels []any // GitHub answers with label objects
		for _, l := range in["labels"].([]any) {
			labels = append(labels, map[string]any{"name": l})
		}
		is := map[string]any{"number": len(f.issues) + 1, "title": in["title"], "body": in["body"], "state": "open", "labels": labels,
			"user": map[string]any{"login": "github-actions[bot]"}}
		f.issues = append(f.issues, is)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(is)
	})
	mux.HandleFunc("PATCH /repos/acme/alerting/issues/{n}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		n, _ := strconv.Atoi(r.PathValue("n"))
		for k, v := range in {
			f.issues[n-1][k] = v
		}
		json.NewEncoder(w).Encode(f.issues[n-1])
	})
	mux.HandleFunc("POST /graphql", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.record(r)
		var in struct{ Variables map[string]string }
		json.NewDecoder(r.Body).Decode(&in)
		f.hidden = append(f.hidden, in.Variables["id"])
		fmt.Fprint(w, `{"data":{"minimizeComment":{"minimizedComment":{"isMinimized":true}}}}`)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	// Someone else's comments come first, so driftgate's must be found by marker and author.
	f.comments = append(f.comments,
		map[string]any{"id": 1, "body": "LGTM", "user": map[string]any{"login": "octocat"}},
		map[string]any{"id": 2, "body": "<!-- driftgate:sticky category=driftgate --> quoted by a human", "user": map[string]any{"login": "octocat"}},
		map[string]any{"id": 3, "body": "ci passed", "user": map[string]any{"login": "other-bot[bot]"}})
	return f
}

func (f *fakeGitHub) record(r *http.Request) {
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	f.authSeen = r.Header.Get("Authorization")
}

// runnerEnv is what the Actions runner gives a step: the event file, the
// output and summary files, inputs as INPUT_*, and the API URLs.
type runnerEnv struct {
	vars            map[string]string
	output, summary string
}

func newRunnerEnv(t *testing.T, api string, fork bool, inputs map[string]string) *runnerEnv {
	dir := t.TempDir()
	headRepo := "acme/alerting"
	if fork {
		headRepo = "mallory/alerting"
	}
	event := map[string]any{"action": "synchronize", "number": 42,
		"pull_request": map[string]any{"number": 42, "title": "Lower the fast page threshold",
			"head": map[string]any{"ref": "lower-threshold", "sha": "0123abc", "repo": map[string]any{"full_name": headRepo, "fork": fork}},
			"base": map[string]any{"ref": "main", "repo": map[string]any{"full_name": "acme/alerting"}}},
		"repository": map[string]any{"full_name": "acme/alerting"}}
	eventFile := filepath.Join(dir, "event.json")
	data, _ := json.Marshal(event)
	os.WriteFile(eventFile, data, 0o644)
	e := &runnerEnv{output: filepath.Join(dir, "output"), summary: filepath.Join(dir, "summary")}
	os.WriteFile(e.output, nil, 0o644)
	os.WriteFile(e.summary, nil, 0o644)
	e.vars = map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": eventFile,
		"GITHUB_REPOSITORY": "acme/alerting", "GITHUB_OUTPUT": e.output, "GITHUB_STEP_SUMMARY": e.summary,
		"GITHUB_API_URL": api, "GITHUB_GRAPHQL_URL": api + "/graphql", "GITHUB_SERVER_URL": "https://github.com",
		"GITHUB_RUN_ID": "1", "GITHUB_WORKSPACE": ".",
	}
	for k, v := range inputs {
		e.vars["INPUT_"+strings.ToUpper(k)] = v
	}
	return e
}

func (e *runnerEnv) run(t *testing.T) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runActionWith(func(k string) string { return e.vars[k] }, &out, &errOut)
	return code, out.String() + errOut.String()
}

func demoInputs(dir string, extra map[string]string) map[string]string {
	in := map[string]string{"config": "fixtures/demo/.driftgate.yml", "github-token": "ghs_faketoken1234567890",
		"sarif-file": filepath.Join(dir, "d.sarif"), "report-file": filepath.Join(dir, "d.json"), "markdown-file": filepath.Join(dir, "d.md"),
		"comment-file": filepath.Join(dir, "comment.md")}
	for k, v := range extra {
		in[k] = v
	}
	return in
}

func TestActionEndToEnd(t *testing.T) {
	repoRoot(t)
	gh := newFakeGitHub(t)
	dir := t.TempDir()
	env := newRunnerEnv(t, gh.srv.URL, false, demoInputs(dir, nil))

	code, log := env.run(t)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (blocking findings)\n%s", code, log)
	}
	outputs, _ := os.ReadFile(env.output)
	for _, want := range []string{"result<<", "\nfail\n", "errors<<", "sarif-file<<", "live-skipped<<", "comment-id<<"} {
		if !strings.Contains(string(outputs), want) {
			t.Errorf("outputs lack %q:\n%s", want, outputs)
		}
	}
	summary, _ := os.ReadFile(env.summary)
	if !strings.Contains(string(summary), "<!-- driftgate:sticky category=driftgate -->") || !strings.Contains(string(summary), " 7c3f2e 3E") ||
		!strings.Contains(string(summary), "](https://github.com/acme/alerting/blob/0123abc/fixtures/demo/terraform/modules/tenant-slo/main.tf#L72)") {
		t.Errorf("job summary lacks the report:\n%.300s", summary)
	}
	if n := strings.Count(log, "::error file="); n != 10 {
		t.Errorf("%d error annotations, want the 10 most severe", n)
	}
	if !strings.Contains(log, "::error file=fixtures/demo/terraform/modules/tenant-slo/main.tf,line=") || !strings.Contains(log, "more error(s)") {
		t.Errorf("annotations need file and line, and the rest counted:\n%s", log)
	}
	if !strings.Contains(log, "::add-mask::ghs_faketoken1234567890") || strings.Count(log, "ghs_faketoken1234567890") != 1 {
		t.Error("the token must be masked and never printed otherwise")
	}
	if !strings.Contains(log, "::group::driftgate check") || !strings.Contains(log, "::endgroup::") {
		t.Error("log sections are not grouped")
	}
	if gh.authSeen != "Bearer ghs_faketoken1234567890" {
		t.Errorf("GitHub saw authorization %q", gh.authSeen)
	}
	if len(gh.comments) != 4 {
		t.Fatalf("%d comments, want the 3 others and driftgate's", len(gh.comments))
	}
	first := gh.comments[3]["id"]

	// A second run updates the same comment instead of adding one.
	code, _ = env.run(t)
	if code != 1 || len(gh.comments) != 4 || gh.comments[3]["id"] != first {
		t.Fatalf("second run: exit %d, %d comments", code, len(gh.comments))
	}
	if !slices.Contains(gh.requests, fmt.Sprintf("PATCH /repos/acme/alerting/issues/comments/%v", first)) {
		t.Errorf("second run did not edit the comment: %v", gh.requests)
	}
	if body := gh.comments[1]["body"].(string); !strings.Contains(body, "quoted by a human") {
		t.Error("a human's comment containing the marker was edited")
	}

	// hide-and-new hides the earlier one and adds a new one.
	env.vars["INPUT_COMMENT-MODE"] = "hide-and-new"
	env.run(t)
	if len(gh.comments) != 5 || len(gh.hidden) != 1 || gh.hidden[0] != fmt.Sprintf("IC_%v", first) {
		t.Errorf("hide-and-new: %d comments, hidden %v", len(gh.comments), gh.hidden)
	}
}

func TestActionOnAForkWithoutSecrets(t *testing.T) {
	repoRoot(t)
	gh := newFakeGitHub(t)
	gh.readOnly = true
	dir := t.TempDir()
	env := newRunnerEnv(t, gh.srv.URL, true, demoInputs(dir, map[string]string{"live": "aws"}))
	noAWSCredentials(t)
	code, log := env.run(t)
	if code != 1 {
		t.Fatalf("offline checks still run and fail on Terraform drift: exit %d\n%s", code, log)
	}
	for _, want := range []string{
		"::notice::driftgate: a pull request from a fork gets no secrets, so live AWS state was not read; the checks that need it were not judged",
		"the token cannot write pull request comments",
		"fork pull requests get a read-only token",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	outputs, _ := os.ReadFile(env.output)
	if !strings.Contains(string(outputs), "live-skipped<<") || !strings.Contains(string(outputs), "\ntrue\n") {
		t.Errorf("live-skipped output missing:\n%s", outputs)
	}
	summary, _ := os.ReadFile(env.summary)
	if !strings.Contains(string(summary), "not read: a pull request from a fork gets no secrets") || !strings.Contains(string(summary), "alarm-drift, burning-while-quiet") {
		t.Errorf("the summary must say what was not judged and why:\n%s", summary)
	}
	if strings.Contains(string(summary), "alarm-drift</code>") {
		t.Error("no live state: alarm-drift cannot have compared anything")
	}
}

func TestActionWithoutAPullRequest(t *testing.T) {
	repoRoot(t)
	gh := newFakeGitHub(t)
	env := newRunnerEnv(t, gh.srv.URL, false, demoInputs(t.TempDir(), nil))
	env.vars["GITHUB_EVENT_NAME"] = "schedule"
	os.WriteFile(env.vars["GITHUB_EVENT_PATH"], []byte(`{"schedule":"17 3 * * *"}`), 0o644)
	_, log := env.run(t)
	if !strings.Contains(log, "no pull request in this event (schedule)") || len(gh.requests) != 0 {
		t.Errorf("a scheduled run must not call the comments API: %v\n%s", gh.requests, log)
	}
}

func TestActionRejectsABadCommentMode(t *testing.T) {
	env := newRunnerEnv(t, "http://127.0.0.1:1", false, map[string]string{"comment-mode": "shout"})
	if code, log := env.run(t); code != 2 || !strings.Contains(log, "comment-mode must be update, new, hide-and-new or off") {
		t.Errorf("exit %d: %s", code, log)
	}
}

// noAWSCredentials leaves the SDK's default chain nothing to find: no keys,
// no profile or shared files, no web identity, no container or instance role.
func noAWSCredentials(t *testing.T) {
	dir := t.TempDir()
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_REGION": "us-east-1"} {
		t.Setenv(k, v)
	}
}

// A push (or a pull request from the same repository) has secrets: asked to
// read AWS with no credentials, the action is inconclusive, never green.
func TestActionWithoutCredentialsWhereSecretsExistIsInconclusive(t *testing.T) {
	repoRoot(t)
	gh := newFakeGitHub(t)
	dir := t.TempDir()
	env := newRunnerEnv(t, gh.srv.URL, false, demoInputs(dir, map[string]string{"live": "aws", "fail-on": "never"}))
	noAWSCredentials(t)
	code, log := env.run(t)
	if code != 3 {
		t.Fatalf("exit %d, want 3 (inconclusive)\n%s", code, log)
	}
	if !strings.Contains(log, "live AWS state was asked for but cannot be read: no usable AWS credentials in the SDK's default chain") {
		t.Errorf("the log must say why:\n%s", log)
	}
	outputs, _ := os.ReadFile(env.output)
	if !strings.Contains(string(outputs), "result<<") || !strings.Contains(string(outputs), "\ninconclusive\n") {
		t.Errorf("result output must be inconclusive:\n%s", outputs)
	}
}

// Credentials only in the shared credentials file (~/.aws/credentials) are
// found, as the SDK finds them: the live read happens.
func TestActionFindsCredentialsInTheSharedFile(t *testing.T) {
	repoRoot(t)
	sb := startDemoSandbox(t)
	gh := newFakeGitHub(t)
	dir := t.TempDir()
	env := newRunnerEnv(t, gh.srv.URL, false, demoInputs(dir, map[string]string{"live": "aws", "sweep": "true"}))
	noAWSCredentials(t)
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIAFROMFILE\naws_secret_access_key = from-file\n"), 0o600)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	code, log := env.run(t)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, log)
	}
	if sb.Calls()["DescribeAlarms"] == 0 || !slices.Contains(sb.Signers("DescribeAlarms"), "AKIAFROMFILE") {
		t.Errorf("the live read did not happen with the file's credentials: %v", sb.Calls())
	}
	if strings.Contains(log, "live-skipped") && strings.Contains(log, "not read") {
		t.Errorf("live state must not be reported as skipped:\n%s", log)
	}
}

// An alarm name is user-controlled: whatever it holds cannot start a line of
// the step log (where "::name::" is a workflow command), and terminal
// escapes and bidi overrides reach no report.
func TestAValueCannotInjectWorkflowCommandsOrControls(t *testing.T) {
	repoRoot(t)
	const evil = "slo-pwn\n::stop-commands::pwned\r\n::add-mask::hunter2\n::error file=pwn.go,line=1::owned\u202e\x1b[31mred\u2066"
	data, err := os.ReadFile("fixtures/demo/live.json")
	if err != nil {
		t.Fatal(err)
	}
	var snap map[string]any
	json.Unmarshal(data, &snap)
	region := snap["cloudwatch"].([]any)[0].(map[string]any)
	alarms := region["MetricAlarms"].([]any)
	alarms = append(alarms, map[string]any{"AlarmName": evil, "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:pwn",
		"Namespace": "Acme/Checkout", "MetricName": "Errors", "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1,
		"Threshold": 1, "ComparisonOperator": "GreaterThanThreshold"})
	region["MetricAlarms"] = alarms
	dir := t.TempDir()
	live := filepath.Join(dir, "live.json")
	data, _ = json.Marshal(snap)
	os.WriteFile(live, data, 0o644)

	gh := newFakeGitHub(t)
	env := newRunnerEnv(t, gh.srv.URL, false, demoInputs(dir, map[string]string{"live": live}))
	code, log := env.run(t)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, log)
	}
	if !strings.Contains(log, "slo-pwn") {
		t.Fatal("the test alarm was not reported; the test proves nothing")
	}
	r := driftgate("check", "--config", "fixtures/demo/.driftgate.yml", "--live", live)
	for _, out := range []string{log, r.stdout, r.stderr} {
		for _, line := range strings.Split(out, "\n") {
			for _, cmd := range []string{"::stop-commands::pwned", "::add-mask::hunter2", "::error file=pwn.go"} {
				if strings.HasPrefix(strings.TrimLeft(line, " \r"), cmd) {
					t.Errorf("a value started a workflow command line: %q", line)
				}
			}
		}
	}
	summary, _ := os.ReadFile(env.summary)
	sarif, _ := os.ReadFile(filepath.Join(dir, "d.sarif"))
	md, _ := os.ReadFile(filepath.Join(dir, "d.md"))
	for name, out := range map[string]string{"log": log, "stdout": r.stdout, "summary": string(summary), "sarif": string(sarif),
		"markdown": string(md), "comment": strings.Join(gh.bodies(), "\n")} {
		for _, bad := range []string{"\x1b", "\u202e", "\u2066", "\r"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s carries the control %q", name, bad)
			}
		}
		if strings.Contains(out, "\\u001b") || strings.Contains(out, "\\u202e") {
			t.Errorf("%s carries an escaped control", name)
		}
	}
}

// bodies returns the bodies of the comments posted so far.
func (f *fakeGitHub) bodies() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.comments {
		b, _ := c["body"].(string)
		out = append(out, b)
	}
	return out
}

// The comment file is what the fork-safe workflow posts: it must carry the
// sticky marker and fit a comment, cut on a whole finding.
func TestTheCommentFileCarriesTheMarker(t *testing.T) {
	repoRoot(t)
	gh := newFakeGitHub(t)
	dir := t.TempDir()
	env := newRunnerEnv(t, gh.srv.URL, true, demoInputs(dir, nil))
	if code, log := env.run(t); code != 1 {
		t.Fatalf("exit %d\n%s", code, log)
	}
	data, err := os.ReadFile(filepath.Join(dir, "comment.md"))
	if err != nil {
		t.Fatal(err)
	}
	body := string(data)
	if !strings.HasPrefix(body, "<!-- driftgate:sticky category=driftgate -->\n") || utf8.RuneCountInString(body) > 65536 || !utf8.ValidString(body) {
		t.Errorf("comment file: marker %v, %d characters", strings.HasPrefix(body, "<!-- driftgate:sticky"), utf8.RuneCountInString(body))
	}
	if strings.Count(body, "<details>") != strings.Count(body, "</details>") {
		t.Error("a <details> block was cut")
	}
	outputs, _ := os.ReadFile(env.output)
	if !strings.Contains(string(outputs), "comment-file<<") {
		t.Error("no comment-file output")
	}
}

// Findings on lines the pull request changes become one review of inline
// comments; a re-run updates them instead of adding more, and a finding that
// is gone is marked fixed on its thread.
func TestInlineReviewComments(t *testing.T) {
	repoRoot(t)
	gh := newFakeGitHub(t)
	// The pull request touches the module's lines 70-74 (7c3f2e's 5m page
	// alarm block starts at 72) and one line elsewhere.
	gh.files = []map[string]any{
		{"filename": "fixtures/demo/terraform/modules/tenant-slo/main.tf", "patch": "@@ -68,5 +68,6 @@ resource\n line68\n line69\n+line70\n-old\n+line71\n+line72\n line73\n"},
		{"filename": "README.md", "patch": "@@ -1 +1 @@\n-a\n+b"},
	}
	dir := t.TempDir()
	env := newRunnerEnv(t, gh.srv.URL, false, demoInputs(dir, nil))
	if code, log := env.run(t); code != 1 {
		t.Fatalf("exit %d\n%s", code, log)
	}
	if len(gh.reviews) != 1 {
		t.Fatalf("%d reviews, want one", len(gh.reviews))
	}
	n := len(gh.reviewComments)
	if n == 0 || n > 20 {
		t.Fatalf("%d inline comments, want the findings at line 72 (at most 20)", n)
	}
	for _, c := range gh.reviewComments {
		if c["line"].(float64) != 72 || !strings.HasPrefix(c["body"].(string), "<!-- driftgate:inline fp=") {
			t.Errorf("inline comment off the changed lines or without its marker: %v", c)
		}
	}
	if !strings.Contains(fmt.Sprint(gh.reviewComments), "alarm slo-7c3f2e-availability-page-fast-5m: live threshold 5.2 differs from declared 4.8") {
		t.Error("7c3f2e's drift is on a changed line and must be commented there")
	}

	// The same run again: nothing new, nothing duplicated.
	env = newRunnerEnv(t, gh.srv.URL, false, demoInputs(t.TempDir(), nil))
	env.run(t)
	if len(gh.reviews) != 1 || len(gh.reviewComments) != n {
		t.Errorf("a re-run added %d review(s) and %d comment(s)", len(gh.reviews)-1, len(gh.reviewComments)-n)
	}

	// alarm-drift disabled: its finding is gone, and its thread says fixed.
	cfg := demoConfig(t, func(s string) string {
		return strings.Replace(s, "checks:\n", "checks:\n  disable: [alarm-drift]\n", 1)
	})
	env = newRunnerEnv(t, gh.srv.URL, false, demoInputs(t.TempDir(), map[string]string{"config": cfg}))
	env.run(t)
	fixed := 0
	for _, c := range gh.reviewComments {
		if body := c["body"].(string); strings.Contains(body, "✅ **Fixed**") && strings.Contains(body, "live threshold 5.2 differs") {
			fixed++
		}
	}
	if fixed != 1 || len(gh.reviews) != 1 {
		t.Errorf("%d comments marked fixed, %d reviews", fixed, len(gh.reviews))
	}
}

// A history URL carries a database password: the Action masks it before
// anything is logged, and an unreachable store never prints it.
func TestActionMasksTheHistoryPassword(t *testing.T) {
	repoRoot(t)
	gh := newFakeGitHub(t)
	env := newRunnerEnv(t, gh.srv.URL, false, demoInputs(t.TempDir(), map[string]string{"comment-mode": "off"}))
	env.vars["GITHUB_EVENT_NAME"] = "schedule"
	os.WriteFile(env.vars["GITHUB_EVENT_PATH"], []byte(`{"schedule":"17 3 * * *"}`), 0o644)
	env.vars["DRIFTGATE_HISTORY"] = "postgres://drift:pa55-w0rd-xyz@127.0.0.1:1/history?connect_timeout=5"
	code, log := env.run(t)
	if !strings.HasPrefix(log, "::add-mask::") || !strings.Contains(log, "::add-mask::pa55-w0rd-xyz\n") {
		t.Fatalf("the password is not masked first:\n%.400s", log)
	}
	if n := strings.Count(log, "pa55-w0rd-xyz"); n != 2 { // the two masks, nothing else
		t.Errorf("the password appears %d times in the log", n)
	}
	if code != 1 || !strings.Contains(log, "the run history could not be recorded") { // blocking findings win over inconclusive
		t.Errorf("an unreachable history: exit %d\n%s", code, log)
	}
}

// A nightly run keeps one issue per tenant with new findings: at most
// issues-max opened, none duplicated on the next night, and user text in
// the bodies escaped.
func TestActionNightlyIssues(t *testing.T) {
	repoRoot(t)
	gh := newFakeGitHub(t)
	env := newRunnerEnv(t, gh.srv.URL, false, demoInputs(t.TempDir(), map[string]string{"issues": "true", "issues-max": "4"}))
	env.vars["GITHUB_EVENT_NAME"] = "schedule"
	os.WriteFile(env.vars["GITHUB_EVENT_PATH"], []byte(`{"schedule":"17 3 * * *"}`), 0o644)
	_, log := env.run(t)
	if len(gh.issues) != 4 || !strings.Contains(log, "issues-max reached: no issue opened for ") {
		t.Fatalf("%d issues opened, want 4 and the rest named:\n%s", len(gh.issues), log)
	}
	first := gh.issues[0]
	body := first["body"].(string)
	if !strings.HasPrefix(body, "<!-- driftgate:issue scope=local group=") || !strings.Contains(body, "| severity | check | where | finding | since |") ||
		!strings.HasPrefix(first["title"].(string), "driftgate: ") || fmt.Sprint(first["labels"]) != "[map[name:driftgate]]" {
		t.Errorf("issue: %v\n%s", first["title"], body)
	}
	// The next night: the same estate opens no second issue for a tenant that has one.
	_, log = env.run(t)
	titles := map[string]int{}
	for _, is := range gh.issues {
		titles[is["title"].(string)]++
	}
	for title, n := range titles {
		if n > 1 {
			t.Errorf("%q opened %d times", title, n)
		}
	}
	if len(gh.issues) != 8 || !strings.Contains(log, "4 unchanged") {
		t.Errorf("the second night keeps the 4 issues and opens 4 more (the cap is per run): %d\n%s", len(gh.issues), log)
	}
}
