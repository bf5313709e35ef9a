package model

import "time"

// RouteCase is one routing assertion: an alarm, or an event an alarm would
// send, and where its page must land in PagerDuty.
type RouteCase struct {
	Name string
	// Alarm names an alarm, live or declared, whose actions and event are
	// routed; Event is a synthetic one when no such alarm exists yet.
	Alarm string
	Event *Alarm
	// Expectations; empty ones are not checked.
	Service          string // PagerDuty service name or ID
	Urgency          string // high, low, ...
	EscalationPolicy string // name or ID
	// PagedWithin bounds the time from the errors starting to the first
	// responder being notified: the alarm's own evaluation (period times
	// datapoints to alarm; for a composite, what its rule waits for). The
	// escalation policy's first level is notified at once.
	PagedWithin time.Duration
	Location    Location
}
