package cloudformation

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/input"
)

const sloTemplate = `Parameters:
  Goal:
    Type: Number
Resources:
  CheckoutSLO:
    Type: AWS::ApplicationSignals::ServiceLevelObjective
    Properties:
      Name: checkout-availability
      Goal:
        AttainmentGoal: 90
        Interval:
          RollingInterval: {Duration: 28, DurationUnit: DAY}
      BurnRateConfigurations:
        - LookBackWindowMinutes: 60
        - LookBackWindowMinutes: "5"
  Defaults:
    Type: AWS::ApplicationSignals::ServiceLevelObjective
    Properties:
      Name: !Sub "${AWS::StackName}-latency"
  FromParameter:
    Type: AWS::ApplicationSignals::ServiceLevelObjective
    Properties:
      Name: by-parameter
      Goal: {AttainmentGoal: !Ref Goal}
  Monthly:
    Type: AWS::ApplicationSignals::ServiceLevelObjective
    Properties:
      Name: monthly
      Goal:
        AttainmentGoal: 99.9
        Interval:
          CalendarInterval: {Duration: 1, DurationUnit: MONTH, StartTime: 1730419200}
`

func TestServiceSLOsFromTemplates(t *testing.T) {
	tmpl, err := Parse("slo.yaml", []byte(sloTemplate))
	if err != nil {
		t.Fatal(err)
	}
	slos, err := tmpl.ServiceSLOs(Options{Stack: "checkout", Env: Env{Pseudo: map[string]string{"AWS::StackName": "checkout"}}})
	if err != nil {
		t.Fatal(err)
	}
	// The SLO whose goal is an unset parameter is left out, never guessed.
	if len(slos) != 3 {
		t.Fatalf("%d SLOs: %+v", len(slos), slos)
	}
	c := slos[0]
	if c.Address != "checkout/CheckoutSLO" || c.Name != "checkout-availability" || c.Goal != 0.9 || c.Interval != 28*24*time.Hour ||
		len(c.BurnWindows) != 2 || !c.HasWindow(time.Hour) || !c.HasWindow(5*time.Minute) || c.Location.Line != 5 {
		t.Errorf("%+v", c)
	}
	if d := slos[1]; d.Name != "checkout-latency" || d.Goal != 0.99 || d.Interval != 7*24*time.Hour || len(d.BurnWindows) != 0 {
		t.Errorf("CloudFormation's defaults (99%% over a rolling 7 days): %+v", d)
	}
	if m := slos[2]; !m.Calendar || m.Interval != 30*24*time.Hour || math.Abs(m.Goal-0.999) > 1e-12 {
		t.Errorf("calendar month: %+v", m)
	}
	withGoal, err := tmpl.ServiceSLOs(Options{Env: Env{Parameters: map[string]string{"Goal": "95"}, Pseudo: map[string]string{"AWS::StackName": "checkout"}}})
	if err != nil || len(withGoal) != 4 {
		t.Errorf("with the parameter: %d %v", len(withGoal), err)
	}
}

func TestBadServiceSLOsAreErrorsAtTheirLine(t *testing.T) {
	for _, c := range []struct{ name, props, want string }{
		{"a goal of 100", "Name: x\n      Goal: {AttainmentGoal: 100}", "slo.yaml:6:30: S (AWS::ApplicationSignals::ServiceLevelObjective): AttainmentGoal must be a percentage between 0 and 100, found 100"},
		{"a window of a week and a day", "Name: x\n      BurnRateConfigurations: [{LookBackWindowMinutes: 11520}]", "LookBackWindowMinutes must be a whole number of minutes from 1 to 10080, found 11520"},
		{"an interval in weeks", "Name: x\n      Goal: {Interval: {RollingInterval: {Duration: 1, DurationUnit: WEEK}}}", `interval 1 "WEEK"`},
		{"no name", "Goal: {AttainmentGoal: 99}", "Name is required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmpl, err := Parse("slo.yaml", []byte("Resources:\n  S:\n    Type: AWS::ApplicationSignals::ServiceLevelObjective\n    Properties:\n      "+c.props+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = tmpl.ServiceSLOs(Options{})
			if err == nil || !input.IsInputError(err) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an input error containing %q", err, c.want)
			}
		})
	}
}
