package checks

import (
	"fmt"
	"time"
)

// Lifecycle is where a finding stands in the run history (--history): new
// in this run, or persisting since it was first seen.
type Lifecycle struct {
	State     string    `json:"state"` // new | persisting
	FirstSeen time.Time `json:"first_seen"`
	Runs      int       `json:"runs"` // runs of this scope it was found in, this one included
}

// History is what the run history says of this run.
type History struct {
	// Scope is the scope the run was recorded in.
	Scope string `json:"scope"`
	// Previous is when the run compared with ran; zero for the first.
	Previous time.Time `json:"previous,omitempty"`
	// Base is the scope compared with when it is not the run's own: a pull
	// request's base branch.
	Base string `json:"base,omitempty"`
	// Lifecycle by fingerprint.
	Lifecycle map[string]Lifecycle `json:"-"`
	// Resolved are the previous run's findings this run judged and no
	// longer finds. Findings of checks not judged now are not resolved.
	Resolved []Resolved `json:"resolved"`
	// Error says why the run could not be recorded.
	Error string `json:"error,omitempty"`
}

// Resolved is a finding of the previous run that is gone.
type Resolved struct {
	Fingerprint string    `json:"fingerprint"`
	Check       string    `json:"check"`
	Severity    string    `json:"severity"`
	Tenant      string    `json:"tenant,omitempty"`
	Subject     string    `json:"subject"`
	FirstSeen   time.Time `json:"first_seen"`
}

// Tag says where a finding stands: "new", "persisting since 2026-11-02 (14
// runs)", or "" without a history.
func (h *History) Tag(fingerprint string) string {
	if h == nil {
		return ""
	}
	l, ok := h.Lifecycle[fingerprint]
	switch {
	case !ok:
		return ""
	case l.State == "new":
		return "new"
	}
	return fmt.Sprintf("persisting since %s (%d runs)", l.FirstSeen.UTC().Format(time.DateOnly), l.Runs)
}

// Summary is one line: how many findings are new, persisting and resolved.
func (h *History) Summary() string {
	if h == nil {
		return ""
	}
	if h.Error != "" {
		return "not recorded: " + h.Error
	}
	if h.Previous.IsZero() && h.Base != "" {
		return fmt.Sprintf("%s has no recorded run to compare with: %d finding(s), all new", h.Base, len(h.Lifecycle))
	}
	if h.Previous.IsZero() {
		return fmt.Sprintf("first run of this scope recorded: %d finding(s), all new", len(h.Lifecycle))
	}
	fresh, oldest := 0, time.Time{}
	for _, l := range h.Lifecycle {
		if l.State == "new" {
			fresh++
		} else if oldest.IsZero() || l.FirstSeen.Before(oldest) {
			oldest = l.FirstSeen
		}
	}
	s := fmt.Sprintf("%d new, %d persisting", fresh, len(h.Lifecycle)-fresh)
	if !oldest.IsZero() {
		s += " (the oldest since " + oldest.UTC().Format(time.DateOnly) + ")"
	}
	when := h.Previous.UTC().Format("2006-01-02 15:04 UTC")
	if h.Base != "" {
		return s + fmt.Sprintf(" on %s's last run (%s), %d of its findings gone", h.Base, when, len(h.Resolved))
	}
	return s + fmt.Sprintf(", %d resolved since the previous run (%s)", len(h.Resolved), when)
}
