package remedy

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/model"
)

// words splits a command line as a POSIX shell would, for the quoting
// quote produces: plain words and single-quoted strings ('\” for a quote).
func words(t *testing.T, line string) []string {
	t.Helper()
	var out []string
	var cur strings.Builder
	in, started := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case in && c == '\'':
			in = false
		case in:
			cur.WriteByte(c)
		case c == '\'':
			in, started = true, true
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			started = true
		case c == ' ':
			if started {
				out = append(out, cur.String())
				cur.Reset()
				started = false
			}
		case strings.ContainsRune("$`;|&<>()\"*?\n", rune(c)):
			t.Fatalf("unquoted shell metacharacter %q in %s", c, line)
		default:
			cur.WriteByte(c)
			started = true
		}
	}
	if in {
		t.Fatalf("unterminated quote in %s", line)
	}
	if started {
		out = append(out, cur.String())
	}
	return out
}

func flags(args []string) map[string][]string {
	out := map[string][]string{}
	var last string
	for _, a := range args {
		if strings.HasPrefix(a, "--") {
			last = a
			out[last] = out[last][:0:0]
			continue
		}
		out[last] = append(out[last], a)
	}
	return out
}

func drifted() (*model.Alarm, *model.Alarm) {
	d := &model.Alarm{Name: "slo-7c3f2e-availability-page-fast-5m", Source: model.SourceTerraform, Kind: model.KindMetricMath,
		Address:   `module.tenant["7c3f2e"].aws_cloudwatch_metric_alarm.page_fast_short["availability"]`,
		Threshold: model.Known(4.8), Operator: "GreaterThanThreshold", EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: "notBreaching",
		ActionsEnabled: true, AlarmActions: []string{"arn:aws:sns:us-east-1:1:page"}, OKActions: []string{"arn:aws:sns:us-east-1:1:page"},
		Metrics: []model.MetricQuery{
			{ID: "errors", Namespace: "Acme", MetricName: "Errors", Stat: "Sum", Period: 300, Dimensions: []model.Dimension{{Name: "TenantId", Value: "7c3f2e"}}},
			{ID: "rate", Expression: "100 * errors / requests", ReturnData: true, Label: "error rate (%)"},
		}}
	l := *d
	l.Source, l.Address, l.Region, l.Threshold = model.SourceLive, "", "us-east-1", model.Known(5.2)
	l.Live = &model.LiveExtra{Description: "it's the 'fast' page; $(rm -rf /)", Unit: "Percent"}
	return d, &l
}

func TestRevertCommandsAreCompleteAndQuoted(t *testing.T) {
	d, l := drifted()
	f := checks.Finding{Attribute: "threshold", Revert: &checks.Revert{Declared: d, Live: l, LiveValue: "5.2"}}
	revert(&f, newSourceFiles(func(string) ([]byte, error) { return nil, nil }))
	r := f.Remedy
	if len(r.Commands) != 2 {
		t.Fatalf("commands %q", r.Commands)
	}
	if got := words(t, r.Commands[0]); len(got) != 3 || got[2] != `-target=module.tenant["7c3f2e"].aws_cloudwatch_metric_alarm.page_fast_short["availability"]` {
		t.Errorf("terraform: %q", got)
	}
	args := words(t, r.Commands[1])
	if strings.Join(args[:3], " ") != "aws cloudwatch put-metric-alarm" {
		t.Fatalf("%q", args)
	}
	fl := flags(args[3:])
	for flag, want := range map[string]string{
		"--region": "us-east-1", "--alarm-name": d.Name, "--threshold": "4.8", "--comparison-operator": "GreaterThanThreshold",
		"--evaluation-periods": "1", "--datapoints-to-alarm": "1", "--treat-missing-data": "notBreaching", "--unit": "Percent",
		"--alarm-description": "it's the 'fast' page; $(rm -rf /)", // live's, carried over, as one word
		"--alarm-actions":     "arn:aws:sns:us-east-1:1:page", "--ok-actions": "arn:aws:sns:us-east-1:1:page",
	} {
		if got := strings.Join(fl[flag], " "); got != want {
			t.Errorf("%s = %q, want %q", flag, got, want)
		}
	}
	if _, ok := fl["--actions-enabled"]; !ok {
		t.Error("actions-enabled must be given: PutMetricAlarm replaces the whole alarm")
	}
	var metrics []struct {
		Id, Expression, Label string
		ReturnData            bool
		MetricStat            *struct {
			Metric struct {
				Namespace, MetricName string
				Dimensions            []struct{ Name, Value string }
			}
			Period int
			Stat   string
		}
	}
	if err := json.Unmarshal([]byte(fl["--metrics"][0]), &metrics); err != nil || len(metrics) != 2 ||
		metrics[0].MetricStat == nil || metrics[0].MetricStat.Metric.Dimensions[0].Value != "7c3f2e" || metrics[0].MetricStat.Period != 300 ||
		metrics[1].Expression != "100 * errors / requests" || !metrics[1].ReturnData || metrics[1].Label != "error rate (%)" {
		t.Errorf("metrics %v: %+v", err, metrics)
	}
	if !strings.HasPrefix(r.Adopt, "adopt: set threshold of module.tenant") || !strings.Contains(r.Adopt, " to 5.2 ") {
		t.Errorf("adopt %q", r.Adopt)
	}

	// A declaration with a sensitive value gets no command line that would print it.
	d.Sensitive = []string{"alarm_description"}
	f = checks.Finding{Attribute: "threshold", Revert: &checks.Revert{Declared: d, Live: l, LiveValue: "5.2"}}
	revert(&f, newSourceFiles(func(string) ([]byte, error) { return nil, nil }))
	if len(f.Remedy.Commands) != 1 || !strings.HasPrefix(f.Remedy.Commands[0], "terraform apply") {
		t.Errorf("sensitive: %q", f.Remedy.Commands)
	}
}

func TestCompositeAndCloudFormationReverts(t *testing.T) {
	d := &model.Alarm{Name: "slo-ab34cd-availability-page-fast", Source: model.SourceCloudFormation, Kind: model.KindComposite,
		Address: "tenant-alarms/Tab34cdPageFast", AlarmRule: `ALARM("a") AND ALARM("b")`, ActionsEnabled: true, AlarmActions: []string{"arn:p"}}
	l := *d
	l.Source, l.Region, l.ActionsEnabled = model.SourceLive, "eu-west-1", false
	l.Live = &model.LiveExtra{ActionsSuppressor: "maintenance", ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 120}
	f := checks.Finding{Attribute: "actions_enabled", Revert: &checks.Revert{Declared: d, Live: &l, LiveValue: "false"}}
	revert(&f, newSourceFiles(func(string) ([]byte, error) { return nil, nil }))
	cmds := f.Remedy.Commands
	if len(cmds) != 2 || !strings.Contains(cmds[0], "--stack-name tenant-alarms --change-set-name driftgate-revert-drift --deployment-mode REVERT_DRIFT") {
		t.Fatalf("%q", cmds)
	}
	fl := flags(words(t, cmds[1])[3:])
	if fl["--alarm-rule"][0] != `ALARM("a") AND ALARM("b")` || fl["--actions-suppressor"][0] != "maintenance" || fl["--actions-suppressor-extension-period"][0] != "120" {
		t.Errorf("composite: %v", fl)
	}
	if _, ok := fl["--actions-enabled"]; !ok || !strings.HasPrefix(cmds[1], "aws cloudwatch put-composite-alarm ") {
		t.Errorf("%s", cmds[1])
	}
}

// The PagerDuty revert is a command a person runs: run it with bash and curl
// against a fake API and see that the service gets exactly the declared field,
// with the token from the environment.
func TestRoutingRevertRunsAsWritten(t *testing.T) {
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	type got struct {
		method, path, auth string
		body               map[string]any
	}
	calls := make(chan got, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		calls <- got{r.Method, r.URL.Path, r.Header.Get("Authorization"), b}
		_, _ = io.WriteString(w, `{"service":{}}`)
	}))
	defer srv.Close()

	f := checks.Finding{Revert: &checks.Revert{Routing: &checks.RoutingRevert{
		Address: `pagerduty_service.checkout["it's"]`, Location: model.Location{File: "pd.tf", Line: 7},
		Attribute: "escalation_policy", LiveValue: "PEPX",
		Calls: []checks.APICall{{Method: "PUT", Path: "/services/PSVC1", Body: map[string]any{
			"service": map[string]any{"escalation_policy": map[string]string{"id": "PEP1'; touch /tmp/x; '", "type": "escalation_policy_reference"}}}}},
	}}}
	revert(&f, newSourceFiles(func(string) ([]byte, error) { return nil, nil }))
	cmds := f.Remedy.Commands
	if len(cmds) != 2 || words(t, cmds[0])[2] != `-target=pagerduty_service.checkout["it's"]` {
		t.Fatalf("%q", cmds)
	}
	if strings.Contains(cmds[1], "secret-token") {
		t.Fatal("the token must come from the environment")
	}
	cmd := exec.Command("bash", "-c", cmds[1])
	cmd.Env = append(os.Environ(), "PAGERDUTY_API_URL="+srv.URL, "PAGERDUTY_TOKEN=secret-token")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	c := <-calls
	ep, _ := c.body["service"].(map[string]any)["escalation_policy"].(map[string]any)
	if c.method != "PUT" || c.path != "/services/PSVC1" || c.auth != "Token token=secret-token" || ep["id"] != "PEP1'; touch /tmp/x; '" {
		t.Errorf("%+v", c)
	}
	if f.Remedy.Adopt != `adopt: set escalation_policy of pagerduty_service.checkout["it's"] to PEPX (pd.tf:7)` {
		t.Errorf("adopt %q", f.Remedy.Adopt)
	}
}
