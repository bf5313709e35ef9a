package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/report"
)

type checkListing struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    string   `json:"default_severity"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	HelpURI     string   `json:"help_uri"`
	// Needs are the feeds without which the check is not judged; Uses the
	// ones it reads when they are there.
	Needs    []model.Feed `json:"needs"`
	NeedsAny []model.Feed `json:"needs_any,omitempty"`
	Uses     []model.Feed `json:"uses"`
}

func runChecks(args []string, stdout, stderr io.Writer) int {
	c := newCommand("checks", "driftgate checks [--json]",
		"Lists every check: its ID, default severity, what it needs to be judged, and what it reports.",
		"driftgate checks --json | jq '.[] | {id, needs}'")
	asJSON := c.fs.Bool("json", false, "print the checks as JSON")
	if code, ok := c.parse(args, stdout, stderr); !ok {
		return code
	}
	var list []checkListing
	for _, c := range checks.All {
		list = append(list, checkListing{ID: c.ID, Title: c.Title, Severity: c.DefaultSeverity.String(),
			Description: c.Doc.Summary, Tags: c.Tags, HelpURI: report.HelpURI(c.ID),
			Needs: append([]model.Feed{}, c.Needs...), NeedsAny: c.NeedsAny, Uses: append([]model.Feed{}, c.Uses...)})
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(list); err != nil {
			fmt.Fprintf(stderr, "driftgate: %v\n", err)
			return checks.ExitInput
		}
		return checks.ExitPass
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tNEEDS\tTITLE")
	for _, c := range list {
		needs := make([]string, len(c.Needs))
		for i, f := range c.Needs {
			needs[i] = string(f)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Severity, strings.Join(needs, ","), c.Title)
	}
	tw.Flush()
	for _, c := range list {
		fmt.Fprintf(stdout, "\n%s\n  %s\n", c.ID, c.Description)
	}
	return checks.ExitPass
}
