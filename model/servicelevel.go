package model

import (
	"fmt"
	"slices"
	"time"
)

// ServiceSLO is a CloudWatch Application Signals service level objective:
// declared by a template (AWS::ApplicationSignals::ServiceLevelObjective)
// or read live. Application Signals computes its burn rates itself and
// publishes each configured look-back window as a BurnRate metric, so an
// alarm on that metric is judged against the SLO's goal and windows.
type ServiceSLO struct {
	Name, ARN string
	// Goal is the attainment goal as a ratio: 0.999.
	Goal float64
	// Interval is the rolling (or calendar) interval the goal is measured
	// over; Calendar marks a calendar interval.
	Interval time.Duration
	Calendar bool
	// BurnWindows are the look-back windows Application Signals publishes a
	// BurnRate metric for (BurnRateConfigurations).
	BurnWindows []time.Duration
	// Account and Region hold a live SLO's origin; Address and Location a
	// declared one's (stack/logical ID and template line).
	Account, Region string
	Address         string
	Location        Location
	Source          Source
}

// HasWindow reports whether the SLO publishes a burn rate over window d.
func (s *ServiceSLO) HasWindow(d time.Duration) bool { return slices.Contains(s.BurnWindows, d) }

// MaxBurnRate is the highest burn rate the SLO can show: an error ratio of
// 100 % over its budget, 1/(1-goal); +Inf for a goal of 100 %.
func (s *ServiceSLO) MaxBurnRate() float64 { return 1 / Budget(s.Goal) }

// Application Signals publishes burn rates as this metric (namespace,
// name, and the dimensions naming the SLO and the look-back window).
const (
	ServiceSLONamespace    = "AWS/ApplicationSignals"
	ServiceSLOBurnRate     = "BurnRate"
	ServiceSLODimension    = "SloName"
	ServiceSLOWindowMinute = "BurnRateWindowMinutes"
)

// ServiceSLOInterval is an Application Signals interval's length: Duration
// in DurationUnit (MINUTE, HOUR, DAY or MONTH, a month taken as 30 days).
func ServiceSLOInterval(duration int, unit string) (time.Duration, error) {
	per := map[string]time.Duration{"MINUTE": time.Minute, "HOUR": time.Hour, "DAY": 24 * time.Hour, "MONTH": 30 * 24 * time.Hour}[unit]
	if per == 0 || duration < 1 {
		return 0, fmt.Errorf("interval %d %q: want a positive Duration in MINUTE, HOUR, DAY or MONTH", duration, unit)
	}
	return time.Duration(duration) * per, nil
}

// ValidGoal reports whether an attainment goal (a percentage) is one an SLO
// can have: above 0 and below 100.
func ValidGoal(percent float64) bool { return percent > 0 && percent < 100 }
