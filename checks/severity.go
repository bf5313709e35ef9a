package checks

import (
	"encoding/json"
	"fmt"
)

// Severity orders findings; fail-on compares against it.
type Severity int

const (
	SeverityNone Severity = iota // never blocks; "never" as a fail-on level
	SeverityNote
	SeverityWarning
	SeverityError
)

var severityNames = map[Severity]string{
	SeverityNone:    "never",
	SeverityNote:    "note",
	SeverityWarning: "warning",
	SeverityError:   "error",
}

func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads error, warning, note or never.
func ParseSeverity(s string) (Severity, error) {
	for k, v := range severityNames {
		if v == s {
			return k, nil
		}
	}
	return SeverityNone, fmt.Errorf("unknown severity %q (want error, warning, note or never)", s)
}

// MarshalJSON writes the severity's name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a severity's name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	v, err := ParseSeverity(name)
	*s = v
	return err
}
