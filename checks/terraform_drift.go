package checks

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/model"
)

// TerraformDrift reports the resource_drift Terraform found while refreshing.
var TerraformDrift = &Check{
	ID:    "terraform-drift",
	Title: "Resource changed outside Terraform",
	Doc: Doc{
		Summary: "Reports each resource in the plan's `resource_drift`: attributes changed, or the resource " +
			"deleted, outside Terraform. Known noise is dropped first: `tags_all`, provider defaults " +
			"(`datapoints_to_alarm` equal to `evaluation_periods`, `treat_missing_data` \"missing\", " +
			"`actions_enabled` true), and JSON documents such as IAM policies that differ only in order. " +
			"Drift on an attribute the plan depends on (`relevant_attributes`), or on an alarm's " +
			"threshold, actions or windows, is an error; other drift is a warning.",
		Example: "The plan's resource_drift shows the console raised a threshold:\n\n" +
			"    module.tenant[\"7c3f2e\"].aws_cloudwatch_metric_alarm.page_fast changed outside Terraform: threshold 1.44 -> 2 (the plan depends on threshold)",
		Why: "Terraform will silently revert the change on apply, or, for attributes the plan reads, plan " +
			"from values nobody reviewed.",
		Fix: "Bring the change into the code if it was right, or let the apply revert it. Ignore " +
			"attributes another system owns with an `ignore` rule.",
	},
	DefaultSeverity: SeverityError,
	Tags:            []string{"drift", "terraform"},
	Needs:           []model.Feed{model.FeedPlan},
	Run:             runTerraformDrift,
}

func runTerraformDrift(pass *Pass) {
	tenants := make(map[string]string, len(pass.World.Declared))
	for _, a := range pass.World.Declared {
		tenants[a.Address] = a.Tenant
	}
	for _, d := range pass.World.Drifts {
		isAlarm := strings.Contains(d.Type, "cloudwatch_") && strings.HasSuffix(d.Type, "_alarm")
		reportDrift(pass, d, tenants[d.Address], "Terraform", isAlarm,
			func(c model.AttributeChange) bool { return isNoise(d.Type, c, d.Current) },
			func(path string) bool { top, _, _ := strings.Cut(path, "."); return pagingAttributes[top] })
	}
}

// reportDrift reports one drifted resource: deleted, or its changed
// attributes less noise and ignored ones, as an error when the plan depends
// on one or it is a paging attribute of an alarm, else as a warning.
func reportDrift(pass *Pass, d model.ResourceDrift, tenant, tool string, isAlarm bool,
	noise func(model.AttributeChange) bool, paging func(path string) bool) {
	f := Finding{Tenant: tenant, Subject: d.Address, Location: d.Location, Scope: d.Scope}
	if d.Source == model.SourceTerraform {
		f.Scope = model.ScopeDeclared // the plan itself reports it
	}
	if f.Location.File == "" {
		f.Location = pass.World.Anchor
	}
	if d.Deleted {
		f.Severity = SeverityWarning
		if isAlarm {
			f.Severity = SeverityError
		}
		pass.Reportf(f, "%s was deleted outside %s", d.Address, tool)
		return
	}
	var kept []model.AttributeChange
	for _, c := range d.Changes {
		if !noise(c) && !pass.Ignored(d.Address, c.Path) {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return
	}
	f.Severity = SeverityWarning
	var parts, relevant []string
	f.Evidence = map[string]string{}
	for _, c := range kept {
		parts = append(parts, fmt.Sprintf("%s %s -> %s", c.Path, display(c.Before), display(c.After)))
		f.Evidence[c.Path] = c.Before + " -> " + c.After
		if c.Relevant {
			relevant = append(relevant, c.Path)
		}
		if c.Relevant || isAlarm && paging(c.Path) {
			f.Severity = SeverityError
		}
	}
	msg := fmt.Sprintf("%s changed outside %s: %s", d.Address, tool, strings.Join(parts, ", "))
	if len(relevant) > 0 {
		msg += fmt.Sprintf(" (the plan depends on %s)", strings.Join(relevant, ", "))
	}
	pass.Report(withMessage(f, msg))
}

func withMessage(f Finding, msg string) Finding {
	f.Message = msg
	return f
}

// isNoise reports drift that is not a real difference.
func isNoise(resourceType string, c model.AttributeChange, current map[string]string) bool {
	top, _, _ := strings.Cut(c.Path, ".")
	if top == "tags_all" {
		return true // provider default_tags; real tag drift shows under tags
	}
	if sameJSONDocument(c.Before, c.After) {
		return true
	}
	if resourceType != "aws_cloudwatch_metric_alarm" {
		return false
	}
	unset := c.Before == "null" || c.Before == "0" || c.Before == "" || c.Before == "(absent)"
	switch c.Path {
	case "datapoints_to_alarm":
		// The console fills it in with evaluation_periods, which is what CloudWatch uses when unset.
		return unset && c.After == current["evaluation_periods"]
	case "treat_missing_data":
		return unset && c.After == "missing" || c.Before == "missing" && (c.After == "null" || c.After == "")
	case "actions_enabled":
		return unset && c.After == "true"
	}
	return false
}

// sameJSONDocument reports whether two strings hold JSON documents that are
// equal up to array order and single-element arrays (IAM's "s3:Get" vs ["s3:Get"]).
func sameJSONDocument(a, b string) bool {
	if a == b || !strings.HasPrefix(strings.TrimSpace(a), "{") || !strings.HasPrefix(strings.TrimSpace(b), "{") {
		return false
	}
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(normalizeDocument(x), normalizeDocument(y))
}

func normalizeDocument(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeDocument(e)
		}
		return x
	case []any:
		if len(x) == 1 {
			return normalizeDocument(x[0])
		}
		keys := make([]string, len(x))
		for i := range x {
			x[i] = normalizeDocument(x[i])
			b, _ := json.Marshal(x[i])
			keys[i] = string(b)
		}
		slices.Sort(keys)
		return keys
	}
	return v
}
