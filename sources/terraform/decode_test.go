package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

const minimalPlan = `{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{},"resource_changes":[]}`

func TestDecodeRejectsBadInputWithPosition(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"empty file", "", "plan.json: file is empty"},
		{"only whitespace", "  \n ", "plan.json: file is empty"},
		{"truncated JSON", "{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [", "plan.json:3:"},
		{"wrong type names the path", `{"format_version":"1.2","resource_changes":[{"change":{"actions":"create"}}]}`, "plan.json:1:66: expected tfjson.Actions, found JSON string (at resource_changes[0].change.actions)"},
		{"unsupported major version", `{"format_version":"2.0","planned_values":{}}`, `unsupported plan format_version "2.0" (driftgate reads >= 0.1, < 2.0)`},
		{"invalid version", `{"format_version":"one","planned_values":{}}`, `invalid format_version "one"`},
		{"no format version", `{"planned_values":{}}`, "no format_version: not a Terraform plan"},
		{"a state file", `{"values":{"root_module":{}}}`, "this is Terraform state, not a plan"},
		{"a state file with its format version", `{"format_version":"1.0","terraform_version":"1.9.0","values":{"root_module":{"resources":[]}}}`,
			"plan.json: this is Terraform state, not a plan"},
		{"only a format version", `{"format_version":"1.2"}`, "no planned_values, resource_changes or resource_drift: not a Terraform plan"},
		{"an unknown action names its path", `{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{"actions":["no-op"]}},{"address":"a.c","change":{"actions":["delete","obliterate"]}}]}`,
			`unknown plan action "obliterate" (known: no-op, create, read, update, delete, forget) (at resource_changes[1].change.actions[1])`},
		{"a tag that is not a string", `{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"aws_cloudwatch_metric_alarm","change":{"actions":["create"],"after":{"tags":{"Tenant":7}}}}]}`,
			"plan.json:1:156: expected string, found JSON number (at resource_changes[0].change.after.tags.Tenant)"},
		{"a dimension named twice", `{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"aws_cloudwatch_metric_alarm","change":{"actions":["create"],"after":{"dimensions":{"A":"1","A":"2"}}}}]}`,
			"plan.json:1:161: invalid JSON: duplicate object member name (at resource_changes[0].change.after.dimensions.A)"},
		{"tags that are not an object", `{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"aws_cloudwatch_composite_alarm","change":{"actions":["create"],"after":{"tags":["x"]}}}]}`,
			"plan.json:1:149: expected map[string]string, found JSON [ (at resource_changes[0].change.after.tags)"},
		{"broken dimensions of a metric query", `{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"aws_cloudwatch_metric_alarm","change":{"actions":["create"],"after":{"metric_query":[{"metric":[{"dimensions":{"A":"1",}}]}]}}}]}`,
			"plan.json:1:188: invalid JSON: invalid character ',' at start of value (at resource_changes[0].change.after.metric_query[0].metric[0].dimensions)"},
		{"a broken resource in the planned values", `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"a","values":{"x":1,}}]}},"resource_changes":[]}`,
			"plan.json:1:102: invalid JSON: invalid character '}' at start of string (expecting '\"') (at planned_values.root_module.resources[0].values)"},
		{"a broken resource in a child module's planned values", `{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"resources":[{"address":"a","values":{"x":tru}}]}]}},"resource_changes":[]}`,
			"plan.json:1:121: invalid JSON: invalid character '}' in literal true (expecting 'e') (at planned_values.root_module.child_modules[0].resources[0].values.x)"},
		{"broken values in the prior state", `{"format_version":"1.2","planned_values":{},"prior_state":{"values":{"root_module":{"resources":[{"address":"a","values":{"x":[1 2]}}]}}},"resource_changes":[]}`,
			"plan.json:1:130: invalid JSON: invalid character '2' after array element (expecting ',' or ']') (at prior_state.values.root_module.resources[0].values.x)"},
		{"a broken member of a change nothing reads", `{"format_version":"1.2","planned_values":{},"resource_changes":[{"address":"a.b","type":"aws_sns_topic","provider_name":{"a":},"change":{"actions":["no-op"]}}]}`,
			"plan.json:1:126: invalid JSON: invalid character '}' at start of value (at resource_changes[0].provider_name.a)"},
		{"planned values cut short", `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"a"}`,
			"plan.json:1:86: invalid JSON: unexpected EOF (at planned_values.root_module.resources)"},
		{"not an object", `[1,2]`, "plan.json:1:"},
		{"nested too deep, said briefly", `{"format_version":"1.2","resource_changes":[{"change":{"before":` + strings.Repeat(`{"a":`, 20000), "plan.json:1:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode("plan.json", []byte(c.data))
			if err == nil {
				t.Fatal("no error")
			}
			if !input.IsInputError(err) {
				t.Errorf("%v is not an input error", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if len(err.Error()) > 700 {
				t.Errorf("error of %d characters; keep it short: %.200s", len(err.Error()), err)
			}
		})
	}
}

func TestDecodeUTF16WithBOM(t *testing.T) {
	for _, bigEndian := range []bool{false, true} {
		units := utf16.Encode([]rune(minimalPlan))
		data := []byte{0xFF, 0xFE}
		if bigEndian {
			data = []byte{0xFE, 0xFF}
		}
		for _, u := range units {
			if bigEndian {
				data = append(data, byte(u>>8), byte(u))
			} else {
				data = append(data, byte(u), byte(u>>8))
			}
		}
		p, err := Decode("plan.json", data)
		if err != nil {
			t.Fatalf("big endian %v: %v", bigEndian, err)
		}
		if p.FormatVersion != "1.2" {
			t.Errorf("format version %q", p.FormatVersion)
		}
	}
	if _, err := Decode("plan.json", append([]byte{0xEF, 0xBB, 0xBF}, minimalPlan...)); err != nil {
		t.Errorf("UTF-8 with BOM: %v", err)
	}
}

func TestDriftEntryWithoutAddressGetsOne(t *testing.T) {
	data := `{"format_version":"0.2","planned_values":{},"resource_drift":[
	  {"module_address":"module.tenant[\"a\"]","mode":"managed","type":"aws_cloudwatch_metric_alarm","name":"fast","index":"x",
	   "change":{"actions":["update"],"before":{"threshold":1},"after":{"threshold":2}}},
	  {"mode":"data","type":"aws_caller_identity","name":"me","change":{"actions":["update"],"before":{},"after":{}}}]}`
	p, err := Decode("plan.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`module.tenant["a"].aws_cloudwatch_metric_alarm.fast["x"]`, "data.aws_caller_identity.me"}
	for i, w := range want {
		if p.ResourceDrift[i].Address != w {
			t.Errorf("address %d = %s, want %s", i, p.ResourceDrift[i].Address, w)
		}
	}
}

func writePlan(t *testing.T, plan map[string]any) string {
	t.Helper()
	dir := t.TempDir()
	data, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func alarmChange(addr string, actions []string, before, after map[string]any, extra map[string]any) map[string]any {
	c := map[string]any{"actions": actions, "before": before, "after": after}
	for k, v := range extra {
		c[k] = v
	}
	return map[string]any{"address": addr, "mode": "managed", "type": "aws_cloudwatch_metric_alarm", "name": "a", "change": c}
}

func TestPartialPlanIsRecorded(t *testing.T) {
	for _, plan := range []map[string]any{
		{"format_version": "1.2", "planned_values": map[string]any{}, "complete": false},
		{"format_version": "1.2", "planned_values": map[string]any{}, "errored": true},
	} {
		got, err := Load(writePlan(t, plan), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Plan.Complete {
			t.Errorf("plan %v recorded as complete", plan)
		}
	}
}

func TestSensitiveValuesNeverReachTheModel(t *testing.T) {
	const secret = "s3cr3t-value-xyz"
	before := map[string]any{"alarm_name": "a", "threshold": 1.0, "alarm_description": secret, "evaluation_periods": 1.0}
	after := map[string]any{"alarm_name": "a", "threshold": 2.0, "alarm_description": secret + "2", "evaluation_periods": 1.0}
	sens := map[string]any{"alarm_description": true}
	plan := map[string]any{"format_version": "1.2", "planned_values": map[string]any{},
		"resource_changes": []any{alarmChange("aws_cloudwatch_metric_alarm.a", []string{"update"}, before, after,
			map[string]any{"before_sensitive": sens, "after_sensitive": sens})},
		"resource_drift": []any{alarmChange("aws_cloudwatch_metric_alarm.a", []string{"update"}, before, after,
			map[string]any{"before_sensitive": sens, "after_sensitive": sens})},
	}
	got, err := Load(writePlan(t, plan), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dump, _ := json.Marshal(got)
	if strings.Contains(string(dump), secret) {
		t.Fatalf("secret reached the model: %s", dump)
	}
	a := got.Alarms[0]
	if !a.IsUnknown("alarm_description") || a.Threshold.Value != 2 || a.Prior == nil || a.Prior.Threshold.Value != 1 {
		t.Errorf("alarm mapped badly: %+v", a)
	}
	var sawSecretChange bool
	for _, c := range got.Drifts[0].Changes {
		if c.Path == "alarm_description" {
			sawSecretChange = c.Before == Sensitive && c.After == Sensitive
		}
	}
	if !sawSecretChange {
		t.Errorf("a changed sensitive value must show as changed, redacted: %+v", got.Drifts[0].Changes)
	}
}

func TestRelevantAttributesMarkChanges(t *testing.T) {
	before := map[string]any{"alarm_name": "a", "threshold": 1.0, "tags": map[string]any{"Team": "x"}}
	after := map[string]any{"alarm_name": "a", "threshold": 2.0, "tags": map[string]any{"Team": "y"}}
	plan := map[string]any{"format_version": "1.2", "planned_values": map[string]any{},
		"resource_drift":      []any{alarmChange("aws_cloudwatch_metric_alarm.a", []string{"update"}, before, after, nil)},
		"relevant_attributes": []any{map[string]any{"resource": "aws_cloudwatch_metric_alarm.a", "attribute": []any{"tags"}}},
	}
	got, err := Load(writePlan(t, plan), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"tags.Team": true, "threshold": false}
	for _, c := range got.Drifts[0].Changes {
		if c.Relevant != want[c.Path] {
			t.Errorf("%s relevant = %v, want %v", c.Path, c.Relevant, want[c.Path])
		}
	}
	if got.Drifts[0].Name != "a" {
		t.Errorf("drift name %q", got.Drifts[0].Name)
	}
}

func TestUnknownThresholdIsUnknownNotZero(t *testing.T) {
	after := map[string]any{"alarm_name": "a", "threshold": nil, "evaluation_periods": 1.0}
	plan := map[string]any{"format_version": "1.2", "planned_values": map[string]any{},
		"resource_changes": []any{alarmChange("aws_cloudwatch_metric_alarm.a", []string{"create"}, nil, after,
			map[string]any{"after_unknown": map[string]any{"threshold": true, "arn": true}})}}
	got, err := Load(writePlan(t, plan), Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := got.Alarms[0]
	if a.Threshold.Known || !a.IsUnknown("threshold") {
		t.Errorf("threshold %v unknown=%v; want unknown", a.Threshold, a.Unknown)
	}
	if a.Threshold.String() != "(unknown)" {
		t.Errorf("unknown threshold renders as %q", a.Threshold)
	}
}

func TestMissingPlanFileIsInputError(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.json"), Options{})
	var ie *input.Error
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "nope.json") {
		t.Fatalf("got %v", err)
	}
}

func TestLocatorMapsAddressesToResourceBlocks(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf":             "module \"tenant\" {\n  source = \"./modules/t\"\n}\n\nresource \"aws_sns_topic\" \"page\" {\n  name = \"p\"\n}\n",
		"modules/t/alarms.tf": "# alarms\n\nresource \"aws_cloudwatch_metric_alarm\" \"fast\" {\n  for_each = toset([\"a\"])\n}\n\ndata \"aws_region\" \"here\" {}\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &Configuration{RootModule: ConfigModule{ModuleCalls: map[string]ModuleCall{"tenant": {Source: "./modules/t"}}}}
	rel := func(p string) string { r, _ := filepath.Rel(dir, p); return filepath.ToSlash(r) }
	l, err := NewLocator(dir, cfg, rel)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]model.Location{
		`aws_sns_topic.page`: {File: "main.tf", Line: 5},
		`module.tenant["7c3f2e"].aws_cloudwatch_metric_alarm.fast["a"]`: {File: "modules/t/alarms.tf", Line: 3},
		`module.tenant["x[]\"y"].aws_cloudwatch_metric_alarm.fast["a"]`: {File: "modules/t/alarms.tf", Line: 3},
		`module.tenant[0].data.aws_region.here`:                         {File: "modules/t/alarms.tf", Line: 7},
	}
	for addr, want := range cases {
		got, ok := l.Locate(addr)
		if !ok || got != want {
			t.Errorf("Locate(%s) = %v %v, want %v", addr, got, ok, want)
		}
	}
	if _, ok := l.Locate("aws_sns_topic.other"); ok {
		t.Error("located an address with no block")
	}
}

func TestLocatorReportsUnparseableSources(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"a\" {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := NewLocator(dir, nil, func(p string) string { return p })
	if err == nil || !strings.Contains(err.Error(), "main.tf:") {
		t.Fatalf("want a positioned HCL error, got %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(minimalPlan))
	f.Add([]byte(`{"format_version":"1.2","resource_drift":[{"type":"aws_cloudwatch_metric_alarm","change":{"actions":["update"],"before":{"threshold":1},"after":{"threshold":2}}}]}`))
	f.Add([]byte{0xFF, 0xFE, '{', 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode("fuzz.json", data)
		if err != nil {
			if !input.IsInputError(err) {
				t.Fatalf("error is not an input error: %v", err)
			}
			return
		}
		if _, err := mapPlan("fuzz.json", p, Options{Rel: func(s string) string { return s }, SourceDir: t.TempDir()}); err != nil && !input.IsInputError(err) {
			t.Fatalf("mapping error is not an input error: %v", err)
		}
	})
}

func TestRoutingResourcesFromThePlan(t *testing.T) {
	change := func(addr, typ string, after map[string]any, sensitive map[string]any) map[string]any {
		return map[string]any{"address": addr, "mode": "managed", "type": typ, "name": "x",
			"change": map[string]any{"actions": []string{"no-op"}, "before": after, "after": after, "after_sensitive": sensitive}}
	}
	plan := map[string]any{"format_version": "1.2", "planned_values": map[string]any{}, "resource_changes": []any{
		change("pagerduty_service.checkout", "pagerduty_service", map[string]any{"id": "P1", "name": "checkout-7c3f2e", "escalation_policy": "EP1",
			"incident_urgency_rule": []any{map[string]any{"type": "constant", "urgency": "high"}}}, nil),
		change("pagerduty_escalation_policy.checkout", "pagerduty_escalation_policy", map[string]any{"id": "EP1", "name": "on-call", "num_loops": 2.0,
			"rule": []any{map[string]any{"escalation_delay_in_minutes": 15.0, "target": []any{map[string]any{"id": "S1", "type": "schedule_reference"}}}}}, nil),
		change("pagerduty_event_orchestration_router.checkout", "pagerduty_event_orchestration_router", map[string]any{"event_orchestration": "O1",
			"set": []any{map[string]any{"id": "start", "rule": []any{map[string]any{"id": "r1", "label": "7c3f2e",
				"condition": []any{map[string]any{"expression": `event.summary matches part "7c3f2e"`}}, "actions": []any{map[string]any{"route_to": "P1"}}}}}},
			"catch_all": []any{map[string]any{"actions": []any{map[string]any{"route_to": "unrouted"}}}}}, nil),
		change("aws_sns_topic_subscription.pd", "aws_sns_topic_subscription", map[string]any{"topic_arn": "arn:aws:sns:us-east-1:1:page",
			"protocol": "https", "endpoint": "https://events.pagerduty.com/integration/SECRETKEY/enqueue"}, map[string]any{"endpoint": true}),
	}}
	got, err := Load(writePlan(t, plan), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := got.Routing
	if r == nil || len(r.Services) != 1 || r.Services[0].Urgency != "high" || r.Services[0].Declared.Address != "pagerduty_service.checkout" {
		t.Fatalf("services: %+v", r)
	}
	if ep := r.EscalationPolicies[0]; ep.NumLoops != 2 || ep.Rules[0].DelayMinutes != 15 || ep.Rules[0].Targets != 1 {
		t.Errorf("policy: %+v", ep)
	}
	if o := r.Orchestrations[0]; o.ID != "O1" || o.Router.Sets[0].Rules[0].Actions.RouteTo != "P1" || o.Router.CatchAll.RouteTo != "unrouted" {
		t.Errorf("router: %+v", o.Router)
	}
	if s := r.Subscriptions[0]; s.Endpoint != "" || s.TopicARN != "arn:aws:sns:us-east-1:1:page" {
		t.Errorf("a sensitive endpoint must not reach the model: %+v", s)
	}
}

func TestRoutingDeletionsAndIntegrations(t *testing.T) {
	plan := map[string]any{"format_version": "1.2", "planned_values": map[string]any{}, "resource_changes": []any{
		map[string]any{"address": "pagerduty_service_integration.cw", "mode": "managed", "type": "pagerduty_service_integration", "name": "cw",
			"change": map[string]any{"actions": []string{"create"}, "before": nil,
				"after":         map[string]any{"service": "P1", "vendor": "PAM4FGS"},
				"after_unknown": map[string]any{"id": true, "integration_key": true}}},
		map[string]any{"address": "pagerduty_event_orchestration_unrouted.checkout", "mode": "managed", "type": "pagerduty_event_orchestration_unrouted", "name": "checkout",
			"change": map[string]any{"actions": []string{"update"}, "before": map[string]any{"event_orchestration": "O1"},
				"after": map[string]any{"event_orchestration": "O1", "set": []any{map[string]any{"id": "start", "rule": []any{
					map[string]any{"id": "u1", "actions": []any{map[string]any{"severity": "critical", "extraction": []any{}}}}}}},
					"catch_all": []any{map[string]any{"actions": []any{map[string]any{"severity": "info"}}}}}}},
		map[string]any{"address": "pagerduty_event_orchestration_router.checkout", "mode": "managed", "type": "pagerduty_event_orchestration_router", "name": "checkout",
			"change": map[string]any{"actions": []string{"update"}, "before": map[string]any{"event_orchestration": "O2"},
				"after": map[string]any{"event_orchestration": "O2", "set": []any{map[string]any{"id": "start", "rule": []any{
					map[string]any{"id": "new-tenant", "actions": []any{map[string]any{}}}}}}},
				"after_unknown": map[string]any{"set": []any{map[string]any{"rule": []any{map[string]any{"actions": []any{map[string]any{"route_to": true}}}}}}}}},
		map[string]any{"address": "aws_sns_topic_subscription.old", "mode": "managed", "type": "aws_sns_topic_subscription", "name": "old",
			"change": map[string]any{"actions": []string{"delete"}, "after": nil,
				"before": map[string]any{"topic_arn": "arn:aws:sns:us-east-1:1:page", "protocol": "https", "endpoint": "https://events.pagerduty.com/x-ere/R1"}}},
	}}
	got, err := Load(writePlan(t, plan), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := got.Routing
	if r == nil || len(r.ServiceIntegrations) != 1 || len(r.Subscriptions) != 1 {
		t.Fatalf("routing: %+v", r)
	}
	if i := r.ServiceIntegrations[0]; i.Service != "P1" || i.Type != "PAM4FGS" || i.Key != "" || i.Declared.Action != model.ActionCreate {
		t.Errorf("integration: %+v", i)
	}
	if len(r.Orchestrations) != 2 || r.Orchestrations[1].Router.Sets[0].Rules[0].Actions.RouteTo != model.PDUnknown {
		t.Errorf("a router rule routing to a service the plan creates: %+v", r.Orchestrations)
	}
	if r.Orchestrations[0].Unrouted == nil || r.Orchestrations[0].Router != nil ||
		r.Orchestrations[0].Unrouted.Sets[0].Rules[0].Actions.Severity != "critical" || r.Orchestrations[0].Unrouted.CatchAll.Severity != "info" {
		t.Errorf("unrouted path: %+v", r.Orchestrations)
	}
	if s := r.Subscriptions[0]; s.Endpoint != "https://events.pagerduty.com/x-ere/R1" || s.Declared.Action != model.ActionDelete {
		t.Errorf("a deleted subscription is read from its before values: %+v", s)
	}
}

func ssmChange(before, after any, extra map[string]any) map[string]any {
	c := map[string]any{"actions": []string{"update"}, "before": before, "after": after}
	for k, v := range extra {
		c[k] = v
	}
	return map[string]any{"address": "aws_ssm_parameter.key", "mode": "managed", "type": "aws_ssm_parameter", "name": "key", "change": c}
}

// A value is sensitive when any part of the plan marks it for the resource:
// either side of the drift entry, either side of the change, the prior state.
func TestSensitivityFromAnyPartOfThePlanHidesBothSides(t *testing.T) {
	const old, rotated = "old-secret-4711", "new-secret-0815"
	before := map[string]any{"name": "/pd/key", "value": old, "description": "PagerDuty key"}
	after := map[string]any{"name": "/pd/key", "value": rotated, "description": "PagerDuty key"}
	marked := map[string]any{"value": true}
	cases := map[string]map[string]any{
		"marked only after, in the drift entry": {"resource_drift": []any{ssmChange(before, after,
			map[string]any{"before_sensitive": map[string]any{}, "after_sensitive": marked})}},
		"marked only before, in the drift entry": {"resource_drift": []any{ssmChange(before, after,
			map[string]any{"before_sensitive": marked, "after_sensitive": map[string]any{}})}},
		"unmarked drift, marked change": {"resource_drift": []any{ssmChange(before, after, nil)},
			"resource_changes": []any{ssmChange(after, after, map[string]any{"after_sensitive": marked})}},
		"unmarked drift, marked prior state": {"resource_drift": []any{ssmChange(before, after, nil)},
			"prior_state": map[string]any{"values": map[string]any{"root_module": map[string]any{"child_modules": []any{
				map[string]any{"resources": []any{map[string]any{"address": "aws_ssm_parameter.key", "sensitive_values": marked}}}}}}}},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			plan := map[string]any{"format_version": "1.2", "planned_values": map[string]any{}}
			for k, v := range extra {
				plan[k] = v
			}
			got, err := Load(writePlan(t, plan), Options{})
			if err != nil {
				t.Fatal(err)
			}
			dump, _ := json.Marshal(got)
			if strings.Contains(string(dump), old) || strings.Contains(string(dump), rotated) {
				t.Fatalf("a secret reached the model: %s", dump)
			}
			if c := got.Drifts[0].Changes; len(c) != 1 || c[0].Path != "value" || c[0].Before != Sensitive || c[0].After != Sensitive {
				t.Errorf("the rotation must show as changed, both sides hidden: %+v", c)
			}
		})
	}
}

// A wholly sensitive object keeps its attribute names, so the message says
// what changed and relevant_attributes still set the severity.
func TestAWhollySensitiveObjectKeepsItsAttributeNames(t *testing.T) {
	before := map[string]any{"name": "/pd/key", "value": "aaaa-secret", "description": "x"}
	after := map[string]any{"name": "/pd/key", "value": "bbbb-secret", "description": "x"}
	plan := map[string]any{"format_version": "1.2", "planned_values": map[string]any{},
		"resource_drift":      []any{ssmChange(before, after, map[string]any{"before_sensitive": true, "after_sensitive": true})},
		"relevant_attributes": []any{map[string]any{"resource": "aws_ssm_parameter.key", "attribute": []any{"value"}}}}
	got, err := Load(writePlan(t, plan), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := got.Drifts[0].Changes
	if len(c) != 1 || c[0].Path != "value" || c[0].Before != Sensitive || !c[0].Relevant {
		t.Errorf("want value (sensitive), relevant: %+v", c)
	}
	if strings.Contains(fmt.Sprint(got.Drifts[0]), "secret") {
		t.Errorf("secret in the drift: %+v", got.Drifts[0])
	}
}

// A sensitive threshold stays out of the alarm's fields, but is kept aside
// for comparison with live state.
func TestASensitiveThresholdIsKeptForComparisonOnly(t *testing.T) {
	v := map[string]any{"alarm_name": "a", "threshold": 4.8, "evaluation_periods": 1.0}
	plan := map[string]any{"format_version": "1.2", "planned_values": map[string]any{},
		"resource_changes": []any{alarmChange("aws_cloudwatch_metric_alarm.a", []string{"no-op"}, v, v,
			map[string]any{"after_sensitive": map[string]any{"threshold": true}})}}
	got, err := Load(writePlan(t, plan), Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := got.Alarms[0]
	if a.Threshold.Known || !a.IsSensitive("threshold") || a.Secret == nil || a.Secret.Threshold.Value != 4.8 || a.Secret.IsUnknown("threshold") {
		t.Errorf("threshold: %+v secret %+v", a.Threshold, a.Secret)
	}
	if dump, _ := json.Marshal(a); strings.Contains(string(dump), "4.8") {
		t.Errorf("the secret must not serialise with the alarm: %s", dump)
	}
}

// An update's changed attributes are recorded, an attribute known only after
// apply said as such, sensitive ones hidden.
func TestPlannedChangesOfAnUpdate(t *testing.T) {
	before := map[string]any{"alarm_name": "a", "threshold": 9.0, "alarm_description": "old", "evaluation_periods": 1.0}
	after := map[string]any{"alarm_name": "a", "threshold": 4.8, "evaluation_periods": 1.0}
	plan := map[string]any{"format_version": "1.2", "planned_values": map[string]any{},
		"resource_changes": []any{alarmChange("aws_cloudwatch_metric_alarm.a", []string{"update"}, before, after,
			map[string]any{"after_unknown": map[string]any{"alarm_description": true}, "after_sensitive": map[string]any{}})}}
	got, err := Load(writePlan(t, plan), Options{})
	if err != nil {
		t.Fatal(err)
	}
	changes := got.Planned["aws_cloudwatch_metric_alarm.a"]
	want := map[string]string{"threshold": "9 -> 4.8", "alarm_description": "old -> (known after apply)"}
	if len(changes) != len(want) {
		t.Fatalf("changes %+v", changes)
	}
	for _, c := range changes {
		if want[c.Path] != c.Before+" -> "+c.After {
			t.Errorf("%s: %s -> %s, want %s", c.Path, c.Before, c.After, want[c.Path])
		}
	}
}

// Tags and dimensions are read member by member into sorted pairs, never
// into a map: they must come out as a map would have given them.
func TestTagsAndDimensionsReadAsAMapWouldGiveThem(t *testing.T) {
	data := `{"format_version":"1.2","resource_changes":[
	  {"address":"aws_cloudwatch_metric_alarm.a","type":"aws_cloudwatch_metric_alarm","change":{"actions":["create"],"after":{
	    "alarm_name":"a","tags":{"Tenant":"7c3f2e","Env":null,"SLO":"availability"},"dimensions":{"TenantId":"7c3f2e","Api":"orders"},
	    "metric_query":[{"id":"m1","metric":[{"dimensions":{"z":"1","b":"2"}}]},{"id":"m2","metric":[{"dimensions":null}]}]}}},
	  {"address":"aws_cloudwatch_composite_alarm.c","type":"aws_cloudwatch_composite_alarm","change":{"actions":["create"],"after":{
	    "alarm_name":"c","tags":null}}},
	  {"address":"aws_cloudwatch_metric_alarm.e","type":"aws_cloudwatch_metric_alarm","change":{"actions":["create"],"after":{
	    "alarm_name":"e","tags":{},"dimensions":{}}}}]}`
	p, err := Decode("plan.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	r, err := mapPlan("plan.json", p, Options{Rel: func(s string) string { return s }, SourceDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Alarms) != 3 {
		t.Fatalf("%d alarms", len(r.Alarms))
	}
	a, c, e := r.Alarms[0], r.Alarms[1], r.Alarms[2]
	if want := (model.Tags{{Key: "Env"}, {Key: "SLO", Value: "availability"}, {Key: "Tenant", Value: "7c3f2e"}}); !slices.Equal(a.Tags, want) {
		t.Errorf("tags %v, want %v (sorted; a null tag reads as empty)", a.Tags, want)
	}
	if a.Tags.Get("Tenant") != "7c3f2e" || a.Tags.Get("Env") != "" {
		t.Errorf("Get on %v", a.Tags)
	}
	if want := []model.Dimension{{Name: "Api", Value: "orders"}, {Name: "TenantId", Value: "7c3f2e"}}; !slices.Equal(a.Dimensions, want) {
		t.Errorf("dimensions %v, want %v", a.Dimensions, want)
	}
	if len(a.Metrics) != 2 || !slices.Equal(a.Metrics[0].Dimensions, []model.Dimension{{Name: "b", Value: "2"}, {Name: "z", Value: "1"}}) || a.Metrics[1].Dimensions != nil {
		t.Errorf("metric query dimensions %+v", a.Metrics)
	}
	if c.Tags != nil || e.Tags != nil || e.Dimensions != nil {
		t.Errorf("null or empty tags and dimensions must be nil: %v %v %v", c.Tags, e.Tags, e.Dimensions)
	}
}

// Instance keys are removed from an address, whatever they hold: strings
// with brackets, quotes and escapes, numbers, and characters beyond ASCII.
func TestStripKeys(t *testing.T) {
	for in, want := range map[string]string{
		`aws_sns_topic.a`:                                      `aws_sns_topic.a`,
		`aws_sns_topic.a[0]`:                                   `aws_sns_topic.a`,
		`module.a["x"].aws_b.c[0]`:                             `module.a.aws_b.c`,
		`module.t["a]b"].aws_b.c["q\"]["]`:                     `module.t.aws_b.c`,
		`module.t["x\"].y"].aws_b.c`:                           `module.t.aws_b.c`,
		`module.t["\\"].aws_b.c`:                               `module.t.aws_b.c`,
		`module.zürich["größe"].aws_cloudwatch_metric_alarm.ä`: `module.zürich.aws_cloudwatch_metric_alarm.ä`,
	} {
		if got := StripKeys(in); got != want {
			t.Errorf("StripKeys(%s) = %s, want %s", in, got, want)
		}
	}
}
