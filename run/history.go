package run

import (
	"cmp"
	"context"

	"github.com/driftgate/driftgate/history"
)

// HistoryScope is the scope a run is recorded in when none is named: the
// git ref, else "local".
func HistoryScope(scope, ref string) string { return cmp.Or(scope, ref, "local") }

// Trend is a run history's trend (history.Trend).
type Trend = history.Trend

// HistoryTrend reads the last n runs of a scope from a run history.
func HistoryTrend(url, scope string, n int) (*history.Trend, error) {
	ctx := context.Background()
	store, err := history.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	return store.Trend(ctx, scope, n)
}
