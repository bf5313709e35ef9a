package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/run"
)

func runTestRoutes(args []string, stdout, stderr io.Writer) int {
	o := &run.Options{Version: toolVersion(), Stderr: stderr}
	var plans, states, slos, cfn stringList
	c := checkCommand(o, &plans, &states, &slos, &cfn)
	c.fs.Init("test-routes", c.fs.ErrorHandling())
	c.synopsis = "driftgate test-routes FILE... [--config FILE] [--live FILE|aws] [--plan FILE ...]"
	c.about = `Runs routing tests alone (docs/routing-tests.md): each case's alarm, or the
event one would send, is routed through SNS and PagerDuty as they are live and,
with a plan that changes routing, as the change leaves them.
Exit codes: 0 every case holds, 1 a case fails, 2 bad input, 3 routing could
not be read (no PagerDuty token, a failed read): nothing was tested.`
	c.examples = []string{"driftgate test-routes routing-tests.yaml --config .driftgate.yml --live aws",
		"driftgate test-routes routing-tests.yaml --live live.json --plan plan.json"}
	// Files and flags may come in any order.
	var files []string
	for {
		if code, ok := c.parse(args, stdout, stderr); !ok {
			return code
		}
		if c.fs.NArg() == 0 {
			break
		}
		files = append(files, c.fs.Arg(0))
		args = c.fs.Args()[1:]
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "driftgate test-routes: give the routing test file(s) (see driftgate test-routes --help)")
		return checks.ExitInput
	}
	o.Plans, o.States, o.SLOs, o.CFN = plans, states, slos, cfn
	o.RouteTests = files
	o.Only = []string{checks.RoutingAssertion.ID, checks.IncompleteInput.ID}
	result, err := checkRun(*o)
	if err != nil {
		printError(stderr, err)
		return checks.ExitInput
	}
	printSummary(stdout, stderr, result, o.Quiet)
	// A test that could not run is no pass.
	if slices.ContainsFunc(result.NotJudged, func(n checks.NotJudged) bool { return n.Check == checks.RoutingAssertion.ID }) &&
		result.ExitCode() == checks.ExitPass {
		fmt.Fprintln(stderr, "driftgate test-routes: the routing tests were not judged (see above): nothing was tested")
		return checks.ExitInconclusive
	}
	return result.ExitCode()
}
