package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/run"
)

// notAcceptable are findings about the run itself, which an ignore rule must
// not hide: what was not read, and rules that expired.
var notAcceptable = []string{checks.IncompleteInput.ID, checks.ExpiredIgnore.ID}

func runIgnore(args []string, stdout, stderr io.Writer) int {
	o := &run.Options{Version: toolVersion(), Stderr: stderr, Quiet: true}
	var plans, states, slos, cfn stringList
	c := checkCommand(o, &plans, &states, &slos, &cfn)
	c.fs.Init("ignore", c.fs.ErrorHandling())
	c.synopsis = "driftgate ignore --accept-current [--reason TEXT] [--days N] [check flags]"
	c.about = `Runs the check the flags describe and prints an ignore rule for every current
finding (except findings of locked checks, and those about the run itself),
each with a reason and an expiry, to paste under ignore: in .driftgate.yml.
A team adopts driftgate on a noisy estate this way and blocks only on what
gets worse; when the rules expire, what they hid is reported again.`
	c.examples = []string{"driftgate ignore --accept-current --config .driftgate.yml --live aws --sweep --days 60 >> accepted.yml"}
	accept := c.fs.Bool("accept-current", false, "print ignore rules for every current finding")
	reason := c.fs.String("reason", "accepted when driftgate was adopted", "the `TEXT` every rule gives as its reason")
	days := c.fs.Int("days", 90, "the rules expire after `N` days")
	if code, ok := c.parse(args, stdout, stderr); !ok {
		return code
	}
	if !*accept || *days < 1 || strings.TrimSpace(*reason) == "" {
		fmt.Fprintln(stderr, "driftgate ignore: give --accept-current, a --reason and --days of at least 1 (see driftgate ignore --help)")
		return checks.ExitInput
	}
	o.Plans, o.States, o.SLOs, o.CFN = plans, states, slos, cfn
	result, err := checkRun(*o)
	if err != nil {
		printError(stderr, err)
		return checks.ExitInput
	}
	until := time.Now().AddDate(0, 0, *days).Format(time.DateOnly)
	type key struct{ check, subject, attribute, tenant string }
	seen := map[key]bool{}
	var b strings.Builder
	n := 0
	for _, f := range result.Findings {
		k := key{f.Check, f.Subject, f.Attribute, f.Tenant}
		if seen[k] || slices.Contains(notAcceptable, f.Check) || result.Locked[f.Check] {
			continue
		}
		seen[k] = true
		n++
		// The address is a pattern in which * matches any run: a subject
		// with a * of its own (rare) is matched a little wider.
		fmt.Fprintf(&b, "  - address: %s\n", strconv.Quote(f.Subject))
		if f.Attribute != "" {
			fmt.Fprintf(&b, "    attribute: %s\n", strconv.Quote(f.Attribute))
		}
		fmt.Fprintf(&b, "    checks: [%s]\n", f.Check)
		if f.Tenant != "" {
			fmt.Fprintf(&b, "    tenant: %s\n", strconv.Quote(f.Tenant))
		}
		fmt.Fprintf(&b, "    reason: %s\n    until: %s\n", strconv.Quote(*reason), until)
	}
	fmt.Fprintf(stdout, "# driftgate ignore --accept-current: %d finding(s) accepted on %s, until %s.\n# Paste under ignore: in the config; findings of locked checks are not accepted.\nignore:\n%s",
		n, time.Now().Format(time.DateOnly), until, b.String())
	return checks.ExitPass
}
