package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/google/go-github/v84/github"
	"github.com/sethvargo/go-githubactions"

	"github.com/driftgate/driftgate/attest"
	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/publish"
	"github.com/driftgate/driftgate/report"
	"github.com/driftgate/driftgate/run"
)

// GitHub's size limits for what the action writes.
const (
	commentLimit = 65536   // characters in a pull request comment
	summaryLimit = 1 << 20 // bytes in a job summary
	annotations  = 10      // errors and warnings each that a step shows
)

// actionEnv reads action inputs: INPUT_FAIL-ON as the runner sets it for
// Docker actions, or INPUT_FAIL_ON as a composite step can pass it.
type actionEnv struct {
	a      *githubactions.Action
	getenv func(string) string
}

func (e actionEnv) input(name string) string {
	if v := e.a.GetInput(name); v != "" {
		return v
	}
	return strings.TrimSpace(e.getenv("INPUT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))))
}

// list reads a multi-line or comma-separated input.
func (e actionEnv) list(name string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(e.input(name), func(r rune) bool { return r == '\n' || r == ',' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (e actionEnv) flag(name string) bool {
	v, _ := strconv.ParseBool(e.input(name))
	return v
}

// liveNotRead says why live CloudWatch state was not read when it was
// skipped on purpose (a fork pull request), else "".
func liveNotRead(r *checks.Result) string {
	for _, rd := range r.Reads {
		if rd.Feed == model.FeedAlarms && rd.State == model.ReadSkipped && rd.Why != "no live state given (--live)" {
			return rd.Why
		}
	}
	return ""
}

// pullRequest is the part of a pull_request event the action reads.
type pullRequest struct {
	number          int
	fork            bool
	owner, repo     string
	headRepo        string
	headSHA         string
	hasPullRequest  bool
	repositoryFound bool
}

func readPullRequest(ghctx *githubactions.GitHubContext) pullRequest {
	var pr pullRequest
	if owner, repo, ok := strings.Cut(ghctx.Repository, "/"); ok {
		pr.owner, pr.repo, pr.repositoryFound = owner, repo, true
	}
	p, ok := ghctx.Event["pull_request"].(map[string]any)
	if !ok {
		return pr
	}
	if n, ok := p["number"].(float64); ok {
		pr.number, pr.hasPullRequest = int(n), true
	}
	if head, ok := p["head"].(map[string]any); ok {
		pr.headSHA, _ = head["sha"].(string)
		if r, ok := head["repo"].(map[string]any); ok {
			pr.headRepo, _ = r["full_name"].(string)
			pr.fork, _ = r["fork"].(bool)
		}
	}
	if pr.headRepo != "" && pr.headRepo != ghctx.Repository {
		pr.fork = true
	}
	return pr
}

func runAction(args []string, stdout, stderr io.Writer) int {
	return runActionWith(os.Getenv, stdout, stderr)
}

// runActionWith is the action entrypoint with its environment injected.
func runActionWith(getenv func(string) string, stdout, stderr io.Writer) int {
	a := githubactions.New(githubactions.WithWriter(stdout), githubactions.WithGetenv(getenv))
	env := actionEnv{a: a, getenv: getenv}
	for _, secret := range []string{"github-token", "pagerduty-token", "signing-key", "redact-key"} {
		for _, line := range strings.Split(env.input(secret), "\n") {
			if line = strings.TrimSpace(line); len(line) > 3 && !strings.HasPrefix(line, "-----") {
				a.AddMask(line)
			}
		}
	}
	// A history URL carries the database password: mask it, and the URL.
	if h := cmp.Or(env.input("history"), getenv("DRIFTGATE_HISTORY")); strings.Contains(h, "://") {
		a.AddMask(h)
		if u, err := url.Parse(h); err == nil {
			if pw, ok := u.User.Password(); ok && len(pw) > 3 {
				a.AddMask(pw)
			}
		}
	}
	ghctx, err := a.Context()
	if err != nil {
		a.Errorf("driftgate: reading the GitHub context: %s", oneLine(err.Error()))
		return checks.ExitInput
	}
	pr := readPullRequest(ghctx)
	mode, err := publish.ParseMode(env.input("comment-mode"))
	if err != nil {
		a.Errorf("driftgate: %s", oneLine(err.Error()))
		return checks.ExitInput
	}
	category := env.input("category")
	if category == "" {
		category = "driftgate"
	}
	o := &run.Options{
		Config: env.input("config"), Plans: env.list("plan"), States: env.list("state"), SLOs: env.list("slo"), TFDir: env.input("terraform-dir"),
		CFN: env.list("cloudformation"), CFNParam: env.input("cloudformation-parameters"), BaseRef: env.input("base-ref"),
		PagerDutyToken: env.input("pagerduty-token"),
		Live:           env.input("live"), Sweep: env.flag("sweep"), Shard: env.input("shard"), FailOn: env.input("fail-on"),
		SARIF: orDefault(env.input("sarif-file"), "driftgate.sarif"), JSON: orDefault(env.input("report-file"), "driftgate.json"),
		Markdown: orDefault(env.input("markdown-file"), "driftgate.md"), Attestation: env.input("attestation-file"),
		Baseline: env.input("baseline"), Redact: env.flag("redact"), Quiet: false,
		History: cmp.Or(env.input("history"), getenv("DRIFTGATE_HISTORY")), HistoryScope: env.input("history-scope"),
		HistoryBase: pullRequestBase(getenv), FailOnNew: env.flag("fail-on-new"),
		Commit: getenv("GITHUB_SHA"), Ref: getenv("GITHUB_REF"), Event: getenv("GITHUB_EVENT_NAME"),
		MarkdownMax: summaryLimit, FullReport: "the workflow run's driftgate report artifact",
		Version: toolVersion(), Stderr: stderr,
	}
	if key := env.input("redact-key"); key != "" {
		os.Setenv(attest.RedactKeyEnv, key)
	}
	if key := env.input("signing-key"); key != "" {
		f, err := os.CreateTemp("", "driftgate-key-*.pem")
		if err == nil {
			f.WriteString(key)
			f.Close()
			defer os.Remove(f.Name())
			o.SigningKey = f.Name()
		}
	}
	o.Fork = pr.fork

	a.Group("driftgate check")
	result, err := checkRun(*o)
	if err == nil {
		printSummary(stdout, stderr, result, false)
	}
	a.EndGroup()
	if err != nil {
		printError(stderr, err)
		a.Errorf("driftgate: %s", oneLine(err.Error()))
		return checks.ExitInput
	}

	annotate(a, result)
	// The comment as posted, marker included and cut to GitHub's limit on a
	// whole finding: the fork-safe workflow posts this file as it is.
	links := linkBase(ghctx, pr)
	commentFile := orDefault(env.input("comment-file"), "driftgate-comment.md")
	if err := run.WriteFile(commentFile, func(w io.Writer) error {
		_, err := io.WriteString(w, renderMarkdown(result, publish.Marker(category), commentLimit, links))
		return err
	}); err != nil {
		a.Warningf("driftgate: writing %s: %s", oneLine(commentFile), oneLine(err.Error()))
	}
	a.SetOutput("comment-file", commentFile)
	summary := renderMarkdown(result, publish.Marker(category), summaryLimit, links)
	if h := result.History; h != nil && h.Error == "" && !pr.hasPullRequest { // a sweep's summary shows where the estate is going
		if t, err := run.HistoryTrend(o.History, h.Scope, 30); err == nil {
			summary += "\n" + report.TrendChart(trendSeries(t))
		}
	}
	a.AddStepSummary(summary)
	counts := result.Counts()
	a.SetOutput("result", string(result.Status()))
	a.SetOutput("exit-code", strconv.Itoa(result.ExitCode()))
	a.SetOutput("errors", strconv.Itoa(counts["error"]))
	a.SetOutput("warnings", strconv.Itoa(counts["warning"]))
	a.SetOutput("notes", strconv.Itoa(counts["note"]))
	a.SetOutput("blocking", strconv.Itoa(result.Blocking()))
	a.SetOutput("sarif-file", o.SARIF)
	a.SetOutput("report-file", o.JSON)
	a.SetOutput("markdown-file", o.Markdown)
	a.SetOutput("attestation-file", o.Attestation)
	liveSkipped := liveNotRead(result)
	if liveSkipped != "" {
		a.Noticef("driftgate: %s; the checks that need it were not judged (see the summary), only the offline checks ran", oneLine(liveSkipped))
	}
	a.SetOutput("live-skipped", strconv.FormatBool(liveSkipped != ""))
	notJudged, _ := json.Marshal(result.NotJudged)
	a.SetOutput("not-judged", string(notJudged))

	a.Group("driftgate pull request comment")
	comment(a, env, ghctx, pr, mode, category, result)
	if mode != publish.ModeOff && env.input("inline-comments") != "false" {
		review(a, env, ghctx, pr, result)
	}
	a.EndGroup()
	if env.flag("issues") && !pr.hasPullRequest {
		a.Group("driftgate issues")
		scope := run.HistoryScope(o.HistoryScope, o.Ref)
		if result.Shard != "" {
			scope += " shard " + result.Shard // a shard keeps its own tenants' issues, never closes another's
		}
		issues(a, env, ghctx, scope, result)
		a.EndGroup()
	}
	return result.ExitCode()
}

// issues keeps the nightly run's issues, one per tenant with new findings.
func issues(a *githubactions.Action, env actionEnv, ghctx *githubactions.GitHubContext, scope string, r *checks.Result) {
	token := env.input("github-token")
	owner, repo, ok := strings.Cut(ghctx.Repository, "/")
	if token == "" || !ok {
		a.Warningf("driftgate: issues: no github-token or repository, so no issues were kept")
		return
	}
	client, err := githubClient(ghctx, token)
	if err != nil {
		a.Warningf("driftgate: %s", oneLine(err.Error()))
		return
	}
	max, _ := strconv.Atoi(env.input("issues-max"))
	runURL := ""
	if ghctx.ServerURL != "" && ghctx.RunID != 0 {
		runURL = fmt.Sprintf("%s/%s/actions/runs/%d", ghctx.ServerURL, ghctx.Repository, ghctx.RunID)
	}
	var groups []publish.IssueGroup
	for _, g := range report.IssueGroups(r, runURL) {
		groups = append(groups, publish.IssueGroup{Key: g.Key, Title: g.Title, Body: g.Body, Findings: g.Findings, New: g.New})
	}
	is := &publish.Issuer{Client: client, Author: orDefault(env.input("comment-author"), "github-actions[bot]"), Labels: []string{"driftgate"}, Max: max}
	res, err := is.Sync(context.Background(), owner, repo, scope, groups, len(r.Inconclusive) == 0)
	if err != nil {
		a.Warningf("driftgate: issues: %s", oneLine(err.Error()))
		return
	}
	a.Infof("driftgate: issues opened for %s, updated for %s, closed for %s; %d unchanged", list(res.Opened), list(res.Updated), list(res.Closed), res.Unchanged)
	if len(res.Capped) > 0 {
		a.Warningf("driftgate: issues-max reached: no issue opened for %s", oneLine(strings.Join(res.Capped, ", ")))
	}
}

func list(keys []string) string {
	if len(keys) == 0 {
		return "none"
	}
	return oneLine(strings.Join(keys, ", "))
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func renderMarkdown(r *checks.Result, marker string, limit int, links string) string {
	var b strings.Builder
	_ = report.Markdown{Marker: marker, MaxBytes: limit, FullReport: "the workflow run's driftgate report artifact", LinkBase: links}.Write(&b, r)
	return b.String()
}

// linkBase is where a finding's file and line link to: the blob at the pull
// request's head commit (or the pushed commit), on this GitHub.
func linkBase(ghctx *githubactions.GitHubContext, pr pullRequest) string {
	sha := pr.headSHA
	if sha == "" {
		sha = ghctx.SHA
	}
	if sha == "" || ghctx.Repository == "" {
		return ""
	}
	server := strings.TrimSuffix(orDefault(ghctx.ServerURL, "https://github.com"), "/")
	return server + "/" + ghctx.Repository + "/blob/" + url.PathEscape(sha) + "/"
}

// annotate shows the most severe findings at their files and lines: a step
// displays only 10 errors and 10 warnings, so the rest are counted instead.
func annotate(a *githubactions.Action, r *checks.Result) {
	shown := map[checks.Severity]int{}
	hidden := map[checks.Severity]int{}
	for _, f := range r.Findings {
		if f.Severity < checks.SeverityWarning {
			continue
		}
		if shown[f.Severity] >= annotations {
			hidden[f.Severity]++
			continue
		}
		shown[f.Severity]++
		fields := map[string]string{"file": oneLine(f.Location.File), "title": "driftgate " + f.Check}
		if f.Location.Line > 0 {
			fields["line"] = strconv.Itoa(f.Location.Line)
		}
		if f.Severity == checks.SeverityError {
			a.WithFieldsMap(fields).Errorf("%s", oneLine(f.Message))
		} else {
			a.WithFieldsMap(fields).Warningf("%s", oneLine(f.Message))
		}
	}
	if hidden[checks.SeverityError]+hidden[checks.SeverityWarning] > 0 {
		a.Noticef("driftgate: %d more error(s) and %d more warning(s) are in the job summary and the report",
			hidden[checks.SeverityError], hidden[checks.SeverityWarning])
	}
}

// review posts the findings on lines the pull request changes as inline
// review comments, or says why it did not.
func review(a *githubactions.Action, env actionEnv, ghctx *githubactions.GitHubContext, pr pullRequest, r *checks.Result) {
	token := env.input("github-token")
	if !pr.hasPullRequest || !pr.repositoryFound || token == "" || pr.headSHA == "" {
		return
	}
	client, err := githubClient(ghctx, token)
	if err != nil {
		a.Warningf("driftgate: %s", oneLine(err.Error()))
		return
	}
	var inline []publish.Inline
	for _, f := range r.Findings { // most severe first
		if f.Location.Line > 0 && f.Severity >= checks.SeverityWarning {
			path, line := f.Location.File, f.Location.Line
			if rep, ok := report.SuggestionLine(f); ok {
				path, line = rep.File, rep.Line // a suggestion replaces the line it is on
			}
			inline = append(inline, publish.Inline{Fingerprint: f.Fingerprint, Path: path, Line: line, Body: report.InlineComment(f)})
		}
	}
	rv := &publish.Reviewer{Client: client, Author: orDefault(env.input("comment-author"), "github-actions[bot]")}
	res, err := rv.Review(context.Background(), pr.owner, pr.repo, pr.number, pr.headSHA, inline)
	var perm *publish.PermissionError
	switch {
	case errors.As(err, &perm):
		a.Noticef("driftgate: the token cannot write review comments; findings on changed lines are in the summary")
	case err != nil:
		a.Warningf("driftgate: posting inline review comments: %s", oneLine(err.Error()))
	default:
		a.Infof("driftgate: inline review comments: %d new, %d updated, %d marked fixed (%d findings elsewhere than the lines this pull request changes)",
			res.Posted, res.Updated, res.Fixed, res.OffDiff)
	}
}

// githubClient is a REST client for this GitHub (GITHUB_API_URL honoured).
func githubClient(ghctx *githubactions.GitHubContext, token string) (*github.Client, error) {
	client := github.NewClient(nil).WithAuthToken(token)
	if base := ghctx.APIURL; base != "" && base != "https://api.github.com" {
		u, err := url.Parse(strings.TrimSuffix(base, "/") + "/")
		if err != nil {
			return nil, fmt.Errorf("GITHUB_API_URL %q: %w", base, err)
		}
		client.BaseURL = u
	}
	return client, nil
}

// comment posts the sticky pull request comment, or says why it did not.
func comment(a *githubactions.Action, env actionEnv, ghctx *githubactions.GitHubContext, pr pullRequest, mode publish.Mode,
	category string, r *checks.Result) {
	token := env.input("github-token")
	switch {
	case mode == publish.ModeOff:
		a.Infof("driftgate: comment-mode is off")
		return
	case !pr.hasPullRequest || !pr.repositoryFound:
		a.Noticef("driftgate: no pull request in this event (%s); the report is in the job summary", oneLine(ghctx.EventName))
		return
	case token == "":
		a.Noticef("driftgate: no github-token; skipping the pull request comment")
		return
	}
	client, err := githubClient(ghctx, token)
	if err != nil {
		a.Warningf("driftgate: %s", oneLine(err.Error()))
		return
	}
	marker := publish.Marker(category)
	c := &publish.Commenter{Client: client, GraphQLURL: ghctx.GraphqlURL, Token: token, Author: orDefault(env.input("comment-author"), "github-actions[bot]")}
	res, err := c.Post(context.Background(), pr.owner, pr.repo, pr.number, marker, renderMarkdown(r, marker, commentLimit, linkBase(ghctx, pr)), mode)
	var perm *publish.PermissionError
	switch {
	case errors.As(err, &perm):
		msg := "driftgate: the token cannot write pull request comments; the report is in the job summary"
		if pr.fork {
			msg += " (fork pull requests get a read-only token: see docs/github-action.md for the two-workflow pattern)"
		}
		a.Noticef("%s", msg)
	case err != nil:
		a.Warningf("driftgate: posting the pull request comment: %s", oneLine(err.Error()))
	case res.Created:
		a.Infof("driftgate: commented %s", res.URL)
		a.SetOutput("comment-id", strconv.FormatInt(res.CommentID, 10))
	default:
		a.Infof("driftgate: updated %s", res.URL)
		a.SetOutput("comment-id", strconv.FormatInt(res.CommentID, 10))
	}
}
