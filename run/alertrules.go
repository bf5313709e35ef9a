package run

import (
	"context"
	"errors"
	"os"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/sources/alertrules"
)

// loadAlertRules reads the configured SQL alert rule tables. A table whose
// rows are wrong stops the run (exit 2, naming the table and key); one that
// cannot be read makes its checks not judged and the run inconclusive; one
// whose DSN is not in the environment (a fork, a laptop) is skipped.
func (r *runner) loadAlertRules(counts map[string]int) error {
	var errs []error
	for _, src := range r.cfg.AlertRuleSpecs() {
		read := model.Read{Feed: model.FeedAlertRules, Scope: src.Name, State: model.ReadComplete}
		dsn := os.Getenv(src.DSNEnv)
		switch {
		case dsn == "" && r.opts.Fork:
			read.State, read.Why = model.ReadSkipped, "a pull request from a fork gets no secrets, so "+src.DSNEnv+" is not set"
		case dsn == "":
			read.State, read.Why = model.ReadSkipped, src.DSNEnv+" is not set (it holds the DSN of "+src.Name+")"
		default:
			rules, err := alertrules.Read(context.Background(), src, dsn)
			var in *alertrules.InputError
			switch {
			case errors.As(err, &in):
				errs = append(errs, err)
			case err != nil:
				read.State, read.Why = model.ReadIncomplete, err.Error()
			default:
				for _, rule := range rules {
					if r.shard == nil || r.shard.ownsTenant(rule.Tenant) {
						r.world.AlertRules = append(r.world.AlertRules, rule)
					}
				}
				r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "alert-rules", Path: src.Name})
			}
		}
		r.world.Reads.Set(read)
	}
	counts["alert_rules"] = len(r.world.AlertRules)
	return errors.Join(errs...)
}
