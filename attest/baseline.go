package attest

import (
	"context"
	"fmt"
	"os"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// LoadBaseline reads a previous attestation (signed or not) for its alert
// checksums. A malformed one is an input error.
func LoadBaseline(ctx context.Context, path, reported string) (*model.Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &input.Error{File: reported, Msg: "cannot read the baseline attestation", Err: err}
	}
	statement, _, err := Open(ctx, data, nil)
	if err != nil {
		return nil, &input.Error{File: reported, Err: err}
	}
	st, err := Parse(statement)
	if err != nil {
		return nil, &input.Error{File: reported, Msg: "not a driftgate attestation", Err: err}
	}
	if st.Predicate.Alerts == nil {
		return nil, &input.Error{File: reported, Msg: fmt.Sprintf("the attestation (driftgate %s) records no alerts", st.Predicate.Tool.Version)}
	}
	return &model.Baseline{File: reported, Alerts: st.Predicate.Alerts, Redacted: st.Predicate.Redacted}, nil
}
