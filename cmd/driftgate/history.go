package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/report"
	"github.com/driftgate/driftgate/run"
)

// trendSeries turns a history trend into the chart's series.
func trendSeries(t *run.Trend) report.TrendSeries {
	var s report.TrendSeries
	for _, r := range t.Runs {
		s.Labels = append(s.Labels, r.Started.UTC().Format("01-02 15:04"))
		s.Errors = append(s.Errors, r.Counts["error"])
		s.Warnings = append(s.Warnings, r.Counts["warning"])
		s.Notes = append(s.Notes, r.Counts["note"])
	}
	return s
}

func runHistory(args []string, stdout, stderr io.Writer) int {
	c := newCommand("history", "driftgate history --history URL [--scope NAME] [--runs N] [--json]",
		`Prints the trend of a run history (docs/history.md): the last runs of a scope
with their findings by severity, how many were new and how many resolved, and
the latest run's findings by tenant and by check.`,
		"driftgate history --history sqlite:driftgate-history.db --scope refs/heads/main --runs 30",
		"driftgate history --history sqlite:driftgate-history.db --scope nightly --json")
	url := c.fs.String("history", os.Getenv("DRIFTGATE_HISTORY"), "run history `URL`, sqlite:PATH or postgres://… (default $DRIFTGATE_HISTORY)")
	scope := c.fs.String("scope", "", "the runs' `NAME` (their --history-scope; default the git ref, $GITHUB_REF, else local)")
	n := c.fs.Int("runs", 30, "how many of the latest runs: `N`")
	asJSON := c.fs.Bool("json", false, "print JSON")
	if code, ok := c.parse(args, stdout, stderr); !ok {
		return code
	}
	if *url == "" || *n < 1 {
		fmt.Fprintln(stderr, "driftgate history: give --history sqlite:PATH (or postgres://…) and --runs of at least 1 (see driftgate history --help)")
		return checks.ExitInput
	}
	sc := run.HistoryScope(*scope, os.Getenv("GITHUB_REF"))
	t, err := run.HistoryTrend(*url, sc, *n)
	if err != nil {
		printError(stderr, err)
		return checks.ExitInput
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(t); err != nil {
			printError(stderr, err)
			return checks.ExitInput
		}
		return 0
	}
	if len(t.Runs) == 0 {
		fmt.Fprintf(stdout, "no runs recorded in scope %s\n", oneLine(sc))
		return 0
	}
	fmt.Fprintf(stdout, "scope %s, last %d run(s)\n%-17s %-12s %6s %8s %5s %5s %9s\n", oneLine(sc), len(t.Runs),
		"run (UTC)", "result", "error", "warning", "note", "new", "resolved")
	for _, r := range t.Runs {
		fmt.Fprintf(stdout, "%-17s %-12s %6d %8d %5d %5d %9d\n", r.Started.UTC().Format("2006-01-02 15:04"), r.Result,
			r.Counts["error"], r.Counts["warning"], r.Counts["note"], r.New, r.Resolved)
	}
	for _, g := range []struct {
		name string
		by   map[string]map[string]int
	}{{"tenant", t.ByTenant}, {"check", t.ByCheck}} {
		fmt.Fprintf(stdout, "\nlatest run by %s:\n", g.name)
		for _, k := range slices.Sorted(maps.Keys(g.by)) {
			c := g.by[k]
			label := k
			if label == "" {
				label = "(no " + g.name + ")"
			}
			fmt.Fprintf(stdout, "  %-28s %s\n", oneLine(label), strings.TrimSpace(fmt.Sprintf("%d error, %d warning, %d note", c["error"], c["warning"], c["note"])))
		}
	}
	return 0
}
