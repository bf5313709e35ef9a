package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/internal/corpus"
	"github.com/driftgate/driftgate/model"
)

// orderedPlan writes a plan with each resource change's members, and its
// change's members, in the given orders (the rest after them, sorted):
// Terraform writes type and actions before the values, which lets the
// streaming decoder skip or type them; other orders make it keep them raw.
func orderedPlan(t *testing.T, data []byte, resourceOrder, changeOrder []string) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var plan map[string]any
	if err := dec.Decode(&plan); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	var write func(v any, order []string, path string)
	write = func(v any, order []string, path string) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.SortFunc(keys, func(a, b string) int {
				ia, ib := slices.Index(order, a), slices.Index(order, b)
				switch {
				case ia >= 0 && ib >= 0:
					return ia - ib
				case ia >= 0:
					return -1
				case ib >= 0:
					return 1
				}
				return strings.Compare(a, b)
			})
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteByte(',')
				}
				name, _ := json.Marshal(k)
				b.Write(name)
				b.WriteByte(':')
				var next []string
				switch {
				case path == "rc" && k == "change":
					write(x[k], changeOrder, "change")
					continue
				case path == "" && (k == "resource_changes" || k == "resource_drift"):
					next = resourceOrder
					write(x[k], next, "list")
					continue
				}
				write(x[k], nil, path+"/"+k)
			}
			b.WriteByte('}')
		case []any:
			b.WriteByte('[')
			for i, e := range x {
				if i > 0 {
					b.WriteByte(',')
				}
				if path == "list" {
					write(e, order, "rc")
				} else {
					write(e, nil, path+"/*")
				}
			}
			b.WriteByte(']')
		default:
			out, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(out)
		}
	}
	write(plan, nil, "")
	return b.Bytes()
}

// streamCasesPlan holds every kind of change the streaming decoder treats
// differently: each action, sensitive values marked on either side or only
// in the prior state, unknown values, composite and metric alarms, a route
// and a resource driftgate does not model.
func streamCasesPlan() map[string]any {
	metric := func(name string, threshold any, desc string) map[string]any {
		return map[string]any{"alarm_name": name, "threshold": threshold, "alarm_description": desc, "comparison_operator": "GreaterThanThreshold",
			"evaluation_periods": 2, "period": 300, "namespace": "Acme", "metric_name": "Errors", "statistic": "Sum",
			"dimensions": map[string]any{"TenantId": "t1"}, "alarm_actions": []any{"arn:aws:sns:us-east-1:1:page"}, "tags": map[string]any{"Tenant": "t1"}}
	}
	secretTags := func(a map[string]any) map[string]any {
		a["tags"] = map[string]any{"Tenant": "t1", "Owner": "s3cr3t-owner"}
		return a
	}
	composite := map[string]any{"alarm_name": "c", "alarm_rule": `ALARM("a") AND ALARM("b")`, "actions_enabled": false, "alarm_actions": []any{"arn:aws:sns:us-east-1:1:page"}}
	rc := func(addr, typ string, actions []string, before, after any, extra map[string]any) map[string]any {
		c := map[string]any{"actions": actions, "before": before, "after": after, "after_unknown": map[string]any{},
			"before_sensitive": map[string]any{}, "after_sensitive": map[string]any{}}
		for k, v := range extra {
			c[k] = v
		}
		name := addr[strings.LastIndexByte(addr, '.')+1:]
		return map[string]any{"address": addr, "mode": "managed", "type": typ, "name": name, "provider_name": "registry.terraform.io/hashicorp/aws", "change": c}
	}
	const m, cm = TypeMetricAlarm, TypeCompositeAlarm
	return map[string]any{
		"format_version": "1.2", "terraform_version": "1.9.8", "planned_values": map[string]any{},
		"resource_changes": []any{
			rc(m+".noop", m, []string{"no-op"}, metric("noop", 1, "d"), metric("noop", 1, "d"), nil),
			rc(m+".create", m, []string{"create"}, nil, metric("create", 2, "d"), map[string]any{"after_unknown": map[string]any{"arn": true, "threshold": true}}),
			rc(m+".update", m, []string{"update"}, metric("update", 3, "old"), metric("update", 4, "new"), nil),
			rc(m+".replace", m, []string{"delete", "create"}, metric("replace", 5, "d"), metric("replace-2", 5, "d"), nil),
			rc(m+".delete", m, []string{"delete"}, metric("delete", 6, "d"), nil, nil),
			rc(m+".forget", m, []string{"forget"}, metric("forget", 7, "d"), nil, nil),
			rc(m+".secret_after", m, []string{"update"}, metric("secret_after", 8, "s3cr3t-a"), metric("secret_after", 9, "s3cr3t-b"),
				map[string]any{"after_sensitive": map[string]any{"alarm_description": true, "threshold": true}}),
			rc(m+".secret_before", m, []string{"no-op"}, secretTags(metric("secret_before", 10, "s3cr3t-c")), secretTags(metric("secret_before", 10, "s3cr3t-c")),
				map[string]any{"before_sensitive": map[string]any{"alarm_description": true, "tags": map[string]any{"Owner": true}}}),
			rc(m+".secret_state", m, []string{"no-op"}, metric("secret_state", 11, "s3cr3t-d"), metric("secret_state", 11, "s3cr3t-d"), nil),
			rc(cm+".noop", cm, []string{"no-op"}, composite, composite, nil),
			rc(cm+".delete", cm, []string{"delete"}, composite, nil, nil),
			rc("pagerduty_service.checkout", "pagerduty_service", []string{"update"},
				map[string]any{"id": "PSVC", "name": "checkout", "escalation_policy": "PEP1"}, map[string]any{"id": "PSVC", "name": "checkout", "escalation_policy": "PEP2"}, nil),
			rc("pagerduty_service.gone", "pagerduty_service", []string{"delete"}, map[string]any{"id": "PGONE", "name": "gone", "escalation_policy": "PEP1"}, nil, nil),
			rc("aws_s3_bucket.logs", "aws_s3_bucket", []string{"update"}, map[string]any{"bucket": "a"}, map[string]any{"bucket": "b"}, nil),
			rc("aws_s3_bucket.other", "aws_s3_bucket", []string{"no-op"}, map[string]any{"bucket": "c"}, map[string]any{"bucket": "c"}, nil),
		},
		"prior_state": map[string]any{"format_version": "1.0", "values": map[string]any{"root_module": map[string]any{"resources": []any{
			map[string]any{"address": m + ".secret_state", "sensitive_values": map[string]any{"alarm_description": true}},
		}}}},
	}
}

// Terraform's own member orders: type and actions before the values.
var (
	terraformOrder = []string{"address", "module_address", "mode", "type", "name", "index"}
	changeOrder    = []string{"actions", "before", "after", "after_unknown", "before_sensitive", "after_sensitive"}
)

// The streaming decoder gives exactly what decoding every value raw gives,
// whatever order a plan's members come in.
func TestStreamingDecodeMapsLikeRawDecode(t *testing.T) {
	cases, err := json.Marshal(streamCasesPlan())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("cases", func(t *testing.T) {
		streamed := streamsLikeRaw(t, cases)
		if len(streamed.Alarms) == 0 {
			t.Fatal("no alarms mapped")
		}
		dump, _ := json.Marshal(streamed)
		if bytes.Contains(dump, []byte("s3cr3t")) {
			t.Errorf("a sensitive value reached the model: %s", dump)
		}
	})
	t.Run("demo", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "demo", "plan.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(streamsLikeRaw(t, data).Alarms) == 0 {
			t.Fatal("no alarms mapped")
		}
	})
}

// Every corpus plan streams like its raw decoding.
func TestCorpusPlansStreamLikeRawDecode(t *testing.T) {
	for _, f := range corpus.Files(t, "terraform") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			streamsLikeRaw(t, data)
		})
	}
}

// streamsLikeRaw loads a plan written in Terraform's member orders, which
// the streaming decoder maps as it reads, and in orders that make it keep
// values raw, and requires the same result; it returns the streamed one.
func streamsLikeRaw(t *testing.T, data []byte) *Loaded {
	t.Helper()
	load := func(variant string, data []byte) *Loaded {
		t.Helper()
		dir := t.TempDir()
		file := filepath.Join(dir, "plan.json")
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := Load(file, Options{SourceDir: dir, Rel: filepath.Base})
		if err != nil {
			t.Fatalf("%s: %v", variant, err)
		}
		return got
	}
	streamed := load("Terraform's order", orderedPlan(t, data, terraformOrder, changeOrder))
	for variant, order := range map[string][2][]string{
		"type after its change":    {{"change", "address", "mode", "type", "name"}, changeOrder},
		"values before actions":    {terraformOrder, {"before", "after", "actions", "after_unknown", "before_sensitive", "after_sensitive"}},
		"markers before the value": {terraformOrder, {"after_sensitive", "before_sensitive", "after_unknown", "actions", "after", "before"}},
	} {
		raw := load(variant, orderedPlan(t, data, order[0], order[1]))
		if !reflect.DeepEqual(streamed, raw) {
			a, _ := json.MarshalIndent(streamed, "", " ")
			b, _ := json.MarshalIndent(raw, "", " ")
			t.Errorf("%s maps differently:\nstreamed %s\n     raw %s", variant, firstDifference(a, b), firstDifference(b, a))
		}
	}
	return streamed
}

// firstDifference is the part of a from where it first differs from b.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return string(a[max(0, i-200):min(len(a), i+200)])
}

// The streaming decoder skips what no mapping reads: the before of an
// alarm the plan leaves alone, and the values of a resource it does not
// model; it keeps raw only what is read raw.
func TestStreamingDecodeKeepsOnlyWhatIsRead(t *testing.T) {
	data, err := json.Marshal(streamCasesPlan())
	if err != nil {
		t.Fatal(err)
	}
	p, err := Decode("plan.json", orderedPlan(t, data, terraformOrder, changeOrder))
	if err != nil {
		t.Fatal(err)
	}
	byAddr := map[string]*ResourceChange{}
	for i := range p.ResourceChanges {
		byAddr[p.ResourceChanges[i].Address] = &p.ResourceChanges[i]
	}
	for addr, want := range map[string]struct{ rawBefore, rawAfter, mappedBefore, mappedAfter bool }{
		TypeMetricAlarm + ".noop":         {mappedAfter: true},
		TypeMetricAlarm + ".create":       {mappedAfter: true},
		TypeMetricAlarm + ".update":       {rawBefore: true, rawAfter: true},
		TypeMetricAlarm + ".delete":       {mappedBefore: true},
		TypeCompositeAlarm + ".noop":      {mappedAfter: true},
		"pagerduty_service.checkout":      {rawBefore: true, rawAfter: true},
		"pagerduty_service.gone":          {rawBefore: true},
		"aws_s3_bucket.logs":              {rawBefore: true, rawAfter: true},
		"aws_s3_bucket.other":             {},
		TypeMetricAlarm + ".secret_after": {rawBefore: true, rawAfter: true},
	} {
		rc := byAddr[addr]
		if rc == nil {
			t.Fatalf("%s not decoded", addr)
		}
		got := struct{ rawBefore, rawAfter, mappedBefore, mappedAfter bool }{rc.Change.Before != nil, rc.Change.After != nil,
			rc.mapped.before != nil, rc.mapped.after != nil}
		if got != want {
			t.Errorf("%s kept %+v, want %+v", addr, got, want)
		}
	}
	if m := byAddr[TypeMetricAlarm+".noop"].Change; m.AfterUnknown != nil || m.BeforeSensitive != nil {
		t.Errorf("markers that mark nothing were kept: %s %s", m.AfterUnknown, m.BeforeSensitive)
	}
	if m := byAddr[TypeMetricAlarm+".create"].Change; m.AfterUnknown == nil {
		t.Errorf("after_unknown marking the threshold was dropped")
	}
}

// emptyAttribute, which redacts a mapped alarm, gives for every attribute
// of either alarm type what mapping the values with that attribute null
// gives.
func TestEmptyAttributeIsMappingTheAttributeNull(t *testing.T) {
	yes, no, n := true, false, 7.0
	metric := &MetricAlarm{AlarmName: "a", ComparisonOperator: "GreaterThanThreshold", EvaluationPeriods: &n, DatapointsToAlarm: &n,
		MetricName: "Errors", Namespace: "Acme", Period: &n, Statistic: "Sum", ExtendedStatistic: "p99", Threshold: &n, ThresholdMetricID: "e1",
		ActionsEnabled: &no, AlarmActions: []string{"arn:a"}, OKActions: []string{"arn:o"}, InsufficientDataActions: []string{"arn:i"},
		Dimensions: dimensionAttr{{Name: "TenantId", Value: "t1"}}, TreatMissingData: "breaching", Tags: tagAttr{{Key: "Tenant", Value: "t1"}}, ARN: "arn:alarm",
		MetricQuery: []MetricQuery{{ID: "e1", Expression: "m1 * 100", ReturnData: &yes},
			{ID: "m1", Metric: []MetricStat{{MetricName: "Errors", Namespace: "Acme", Period: &n, Stat: "Sum", Dimensions: dimensionAttr{{Name: "TenantId", Value: "t1"}}}}}}}
	composite := &CompositeAlarm{AlarmName: "c", AlarmRule: `ALARM("a")`, ActionsEnabled: &no, AlarmActions: []string{"arn:a"},
		OKActions: []string{"arn:o"}, InsufficientDataActions: []string{"arn:i"}, Tags: tagAttr{{Key: "Tenant", Value: "t1"}}, ARN: "arn:c"}
	for _, typed := range []any{metric, composite} {
		v := reflect.ValueOf(typed).Elem()
		for i := range v.NumField() {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if v.Field(i).IsZero() {
				t.Fatalf("%T.%s is not set: the test must set every attribute", typed, name)
			}
			nulled := reflect.New(v.Type())
			nulled.Elem().Set(v)
			nulled.Elem().Field(i).SetZero()
			want, err := mapAttributes(nulled.Interface())
			if err != nil {
				t.Fatal(err)
			}
			got, err := mapAttributes(typed)
			if err != nil {
				t.Fatal(err)
			}
			emptyAttribute(got, name)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%T: emptying %s gives %+v, mapping it null %+v", typed, name, got, want)
			}
		}
	}
}

// The plan's decoder allows duplicate names in what it skips; the objects
// whose members it acts on as they arrive reject them, with their position.
func TestDuplicateNamesWhereTheDecoderActsOnThem(t *testing.T) {
	alarm := func(change string) string {
		return `{"format_version":"1.2","planned_values":{"a":1,"a":2},"resource_changes":[{"address":"a.b","type":"aws_cloudwatch_metric_alarm","change":` + change + `}]}`
	}
	manyTags := `"tags":{`
	for i := range 40 {
		manyTags += `"t` + strconv.Itoa(i) + `":"v",`
	}
	manyTags += `"t7":"again"}`
	rejected := []struct{ name, data, want string }{
		{"actions named twice", alarm(`{"actions":["no-op"],"before":{"threshold":1},"actions":["update"],"after":{"threshold":2}}`),
			"plan.json:1:185: invalid JSON: duplicate object member name (at resource_changes[0].change.actions)"},
		{"a resource type named twice", `{"format_version":"1.2","resource_changes":[{"type":"aws_cloudwatch_metric_alarm","type":"null_resource","change":{"actions":["create"],"after":{}}}]}`,
			"plan.json:1:83: invalid JSON: duplicate object member name (at resource_changes[0].type)"},
		{"a tag named twice after many", alarm(`{"actions":["create"],"after":{` + manyTags + `}}`),
			"duplicate object member name (at resource_changes[0].change.after.tags.t7)"},
	}
	for _, c := range rejected {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode("plan.json", []byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	// Values the decoder skips are not read, duplicates included.
	p, err := Decode("plan.json", []byte(alarm(`{"actions":["no-op"],"before":{"x":1,"x":2},"after":{"threshold":2}}`)))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.ResourceChanges) != 1 || p.ResourceChanges[0].mapped.after == nil || p.ResourceChanges[0].mapped.after.Threshold != model.Known(2) {
		t.Fatalf("the alarm was not read: %+v", p.ResourceChanges)
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// Each alarm's name is given as the decoder reaches its change, long
// before the rest of the plan is read: every name given is one of an alarm
// loaded, and every alarm loaded with a name is given, whatever its action
// and whatever order its members come in.
func TestAlarmNamesAreGivenAsThePlanIsRead(t *testing.T) {
	cases, err := json.Marshal(streamCasesPlan())
	if err != nil {
		t.Fatal(err)
	}
	// Terraform writes output_changes after resource_changes: a megabyte
	// of it stands for the rest of a large plan.
	var pad bytes.Buffer
	pad.WriteString(`,"output_changes":{`)
	for i := range 4000 {
		if i > 0 {
			pad.WriteByte(',')
		}
		fmt.Fprintf(&pad, `"o%d":{"actions":["no-op"],"before":"%s","after":"%s"}`, i, strings.Repeat("x", 120), strings.Repeat("x", 120))
	}
	pad.WriteString("}}")
	for variant, order := range map[string][2][]string{
		"Terraform's order":     {terraformOrder, changeOrder},
		"type after its change": {{"change", "address", "mode", "type", "name"}, changeOrder},
		"values before actions": {terraformOrder, {"before", "after", "actions", "after_unknown", "before_sensitive", "after_sensitive"}},
	} {
		data := orderedPlan(t, cases, order[0], order[1])
		data = append(bytes.TrimSuffix(data, []byte("}")), pad.Bytes()...)
		in := &countingReader{r: bytes.NewReader(data)}
		var given []string
		firstAt := -1
		p, err := decodeStream("plan.json", in, func(name string) {
			if firstAt < 0 {
				firstAt = in.n
			}
			given = append(given, name)
		})
		if err != nil {
			t.Fatal(err)
		}
		if firstAt < 0 || firstAt > len(data)-pad.Len()/2 {
			t.Errorf("%s: the first name came after %d of %d bytes were read: not while the plan streamed", variant, firstAt, len(data))
		}
		loaded, err := mapPlan("plan.json", p, Options{Rel: filepath.Base})
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, a := range loaded.Alarms {
			n := a.Name
			if a.Secret != nil {
				n = a.Secret.Name
			}
			names[n] = true
			if a.Name != "" && !slices.Contains(given, a.Name) {
				t.Errorf("%s: %s (%s) was not given as it was read", variant, a.Name, a.Action)
			}
		}
		for _, n := range given {
			if !names[n] {
				t.Errorf("%s: %q was given but is no alarm's name", variant, n)
			}
		}
		if len(given) < 8 {
			t.Errorf("%s: only %v given", variant, given)
		}
	}
}

// The module trees a plan repeats (planned values, the prior state's
// values) are passed over whatever the planned values' shape, and what comes
// after them is read as if they were empty.
func TestModuleTreesOfAnyShapeArePassedOver(t *testing.T) {
	const changes = `"resource_changes":[{"address":"aws_cloudwatch_metric_alarm.a","mode":"managed","type":"aws_cloudwatch_metric_alarm","name":"a",
		"change":{"actions":["create"],"after":{"alarm_name":"a","threshold":5,"comparison_operator":"GreaterThanThreshold","evaluation_periods":1}}}]`
	const modules = `{"root_module":{"resources":[{"address":"x","values":{"a":[1,{"b":null}]}}],"child_modules":[{"address":"module.m","resources":[{"values":{}}],"child_modules":[{"resources":[]}]}]},"outputs":{"o":{"value":[1,2],"sensitive":false}}}`
	cases := map[string]string{ // planned values: prior state's values
		`{}`:    `{}`,
		modules: modules,
		`{"root_module":{"resources":{"not":"an array"},"child_modules":[1,"two",null,[[]]]}}`: `{}`,
		`{"root_module":{"resources":7}}`: `{}`,
		`[]`:                              `{}`,
		`"text"`:                          `{}`,
		`null`:                            `null`,
	}
	dir := t.TempDir()
	var want []*model.Alarm
	for _, tree := range slices.Sorted(maps.Keys(cases)) {
		plan := `{"format_version":"1.2","planned_values":` + tree + `,"prior_state":{"values":` + cases[tree] + `},` + changes + `}`
		file := filepath.Join(dir, "plan.json")
		if err := os.WriteFile(file, []byte(plan), 0o644); err != nil {
			t.Fatal(err)
		}
		loaded, err := Load(file, Options{SourceDir: dir, Rel: filepath.Base})
		if err != nil {
			t.Fatalf("planned values %s: %v", tree, err)
		}
		if len(loaded.Alarms) != 1 || loaded.Alarms[0].Name != "a" || loaded.Alarms[0].Threshold != model.Known(5) {
			t.Fatalf("planned values %s: alarms %+v, want alarm a at 5", tree, loaded.Alarms)
		}
		if want == nil {
			want = loaded.Alarms
		} else if !reflect.DeepEqual(loaded.Alarms, want) {
			t.Errorf("planned values %s: alarms %+v, want %+v", tree, loaded.Alarms, want)
		}
	}
}
