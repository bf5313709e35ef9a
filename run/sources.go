package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/attest"
	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/live/aws"
	"github.com/driftgate/driftgate/live/snapshot"
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/sources/alertrules"
	"github.com/driftgate/driftgate/sources/sloregistry"
)

// loadSources reads where teams keep their truth beside the code: SQL alert
// rule tables and SLO registries, from the snapshot when it recorded them,
// else from the database and DynamoDB. Rows that are wrong stop the run
// (exit 2, naming the table and key); a source that cannot be read makes
// its checks not judged and the run inconclusive; one without its DSN or
// credentials (a fork, a laptop) is skipped.
func (r *runner) loadSources(counts map[string]int) error {
	errs := []error{r.loadAlertRules(counts), r.loadRegistries(counts)}
	return errors.Join(errs...)
}

func (r *runner) loadAlertRules(counts map[string]int) error {
	var errs []error
	for _, src := range r.cfg.AlertRuleSpecs() {
		read := model.Read{Feed: model.FeedAlertRules, Scope: src.Name, State: model.ReadComplete}
		rules, recorded, err := r.alertRules(src, &read)
		var in *alertrules.InputError
		switch {
		case errors.As(err, &in):
			errs = append(errs, err)
		case err != nil:
			read.State, read.Why = model.ReadIncomplete, err.Error()
		case read.State == model.ReadComplete:
			for _, rule := range rules {
				if r.shard == nil || r.shard.ownsTenant(rule.Tenant) {
					r.world.AlertRules = append(r.world.AlertRules, rule)
				}
			}
			path := src.Name
			if recorded {
				path += " (recorded in " + r.rel(r.liveFile()) + ")"
			}
			r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "alert-rules", Path: path})
			attestSource(r, "alert_rules "+src.Name, "alert-rules", alertrules.Rows(rules), func(a, b snapshot.AlertRuleRow) int {
				return strings.Compare(a.RuleID, b.RuleID)
			})
		}
		r.world.Reads.Set(read)
	}
	counts["alert_rules"] = len(r.world.AlertRules)
	return errors.Join(errs...)
}

// alertRules reads one source: its recording in the snapshot, else the database.
func (r *runner) alertRules(src model.AlertRuleSource, read *model.Read) ([]*model.AlertRule, bool, error) {
	if r.snap != nil {
		for _, t := range r.snap.AlertRules {
			if t.Source != src.Name {
				continue
			}
			if !t.Complete {
				read.State, read.Why = model.ReadIncomplete, t.Error
				return nil, true, nil
			}
			rules, err := alertrules.FromRows(src, t.Rules)
			return rules, true, err
		}
	}
	dsn := os.Getenv(src.DSNEnv)
	switch {
	case dsn == "" && r.opts.Fork:
		read.State, read.Why = model.ReadSkipped, "a pull request from a fork gets no secrets, so "+src.DSNEnv+" is not set"
		return nil, false, nil
	case dsn == "":
		read.State, read.Why = model.ReadSkipped, src.DSNEnv+" is not set (it holds the DSN of "+src.Name+")"
		return nil, false, nil
	}
	rules, err := alertrules.Read(context.Background(), src, dsn)
	return rules, false, err
}

// loadRegistries reads the SLO registries; their SLOs come first, so a
// tenant's registry SLO wins over a spec's of the same name.
func (r *runner) loadRegistries(counts map[string]int) error {
	var errs []error
	var slos []*model.SLO
	for _, src := range r.cfg.RegistrySpecs() {
		read := model.Read{Feed: model.FeedSLO, Scope: src.Label(), State: model.ReadComplete}
		table, ok := r.registryTable(src, &read)
		if ok {
			got, err := sloregistry.Decode(table, src, r.world.SLOs)
			if err != nil {
				errs = append(errs, err)
			}
			for _, s := range got {
				if r.shard == nil || r.shard.ownsTenant(s.Scope.Tenants[0]) {
					slos = append(slos, s)
				}
			}
			r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "slo-registry", Path: src.Label()})
			attestSource(r, src.Label(), "slo-registry", table.Items, func(a, b map[string]snapshot.AttributeValue) int {
				ka, _ := json.Marshal(a)
				kb, _ := json.Marshal(b)
				return bytes.Compare(ka, kb)
			})
		}
		r.world.Reads.Set(read)
	}
	// A tenant's registry SLO replaces the spec SLO of the same name for
	// that tenant: the spec still covers the others.
	for _, spec := range r.world.SLOs {
		for _, s := range slos {
			if s.Name == spec.Name && (s.Service == "" || spec.Service == "" || s.Service == spec.Service) {
				spec.Scope.Except = append(spec.Scope.Except, s.Scope.Tenants[0])
			}
		}
	}
	r.world.SLOs = append(slos, r.world.SLOs...)
	counts["registry_slos"] = len(slos)
	return errors.Join(errs...)
}

// registryTable is the table's recording in the snapshot, else a Scan with
// --live aws; false when there is nothing to decode (read says why).
func (r *runner) registryTable(src model.SLORegistrySource, read *model.Read) (snapshot.RegistryTable, bool) {
	if r.snap != nil {
		for _, t := range r.snap.SLORegistry {
			if t.Table == src.Table && t.Region == src.Region {
				if !t.Complete {
					read.State, read.Why = model.ReadIncomplete, t.Error
					return t, false
				}
				return t, true
			}
		}
	}
	if r.liveFile() != LiveAWS {
		read.State, read.Why = model.ReadSkipped, "the registry is read with --live aws (or from a snapshot that recorded it)"
		return snapshot.RegistryTable{}, false
	}
	if r.awsMissing != nil {
		read.State, read.Why = r.awsMissing.State, r.awsMissing.Why
		return snapshot.RegistryTable{}, false
	}
	t := aws.ReadRegistry(context.Background(), registryTarget(src, r.cfg.AWS.MaxAttempts, r.cfg.AWS.Timeout))
	if !t.Complete {
		read.State, read.Why = model.ReadIncomplete, t.Error
		return t, false
	}
	return t, true
}

func registryTarget(src model.SLORegistrySource, maxAttempts int, timeout string) aws.RegistryTarget {
	t := aws.RegistryTarget{Table: src.Table, Region: src.Region, RoleARN: src.RoleARN, Account: src.Account, MaxAttempts: maxAttempts}
	if timeout != "" {
		t.Timeout, _ = model.ParseWindow(timeout) // validated with the config
	}
	return t
}

// attestSource keeps what a source that is not a file gave, sorted so that
// its digest does not depend on the order it was read in, as the
// attestation subject NAME (role ROLE).
func attestSource[T any](r *runner, name, role string, rows []T, order func(a, b T) int) {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, order)
	data, err := json.Marshal(rows)
	if err != nil {
		return // plain rows always marshal
	}
	r.sourceSubjects = append(r.sourceSubjects, attest.File{Name: name, Role: role, Data: data})
}
