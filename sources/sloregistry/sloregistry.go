// Package sloregistry turns the items of an SLO registry table (DynamoDB,
// read live or from a snapshot) into per-tenant SLOs of the model.
//
// An item is one tenant's SLO: tenant_id (S), service (S), slo (S, the SLO's
// name; default the service), objective (N, percent), period_days (N,
// default 30) and tiers (L of M: name, long_window, short_window,
// burn_factor, severity). An item without tiers takes them from the spec
// SLO of the same name; attribute names can be mapped in the config.
package sloregistry

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/driftgate/driftgate/live/snapshot"
	"github.com/driftgate/driftgate/model"
)

// InputError is an item that cannot be an SLO; it names the table, the
// item's key and the attribute.
type InputError struct {
	Table, Key, Attribute, Msg string
}

func (e *InputError) Error() string {
	key := ""
	if e.Key != "" {
		key = " tenant_id=" + e.Key
	}
	return fmt.Sprintf("SLO registry %s%s: %s: %s", e.Table, key, e.Attribute, e.Msg)
}

// Decode converts a registry table's items; specs supply the tiers of items
// that give none. Every bad item is reported, in the table's order.
func Decode(t snapshot.RegistryTable, src model.SLORegistrySource, specs []*model.SLO) ([]*model.SLO, error) {
	var out []*model.SLO
	var problems []string
	seen := map[string]bool{}
	for _, item := range t.Items {
		s, err := decodeItem(item, src, specs)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		id := s.Scope.Tenants[0] + "/" + s.Service + "/" + s.Name
		if seen[id] {
			problems = append(problems, (&InputError{Table: src.Table, Key: s.Scope.Tenants[0], Attribute: src.Attributes["slo"],
				Msg: fmt.Sprintf("SLO %s of service %q appears twice for this tenant", s.Name, s.Service)}).Error())
			continue
		}
		seen[id] = true
		out = append(out, s)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	slices.SortFunc(out, func(a, b *model.SLO) int {
		return strings.Compare(a.Scope.Tenants[0]+"/"+a.Name, b.Scope.Tenants[0]+"/"+b.Name)
	})
	return out, nil
}

func decodeItem(item map[string]snapshot.AttributeValue, src model.SLORegistrySource, specs []*model.SLO) (*model.SLO, error) {
	attr := src.Attributes
	tenant, err := str(item, attr["tenant_id"], true)
	bad := func(name string, format string, args ...any) error {
		return &InputError{Table: src.Table, Key: tenant, Attribute: attr[name], Msg: fmt.Sprintf(format, args...)}
	}
	if err != nil {
		return nil, bad("tenant_id", "%v", err)
	}
	service, err := str(item, attr["service"], false)
	if err != nil {
		return nil, bad("service", "%v", err)
	}
	name, err := str(item, attr["slo"], false)
	if err != nil {
		return nil, bad("slo", "%v", err)
	}
	if name == "" {
		name = service
	}
	if name == "" {
		return nil, bad("slo", "neither %s nor %s names the SLO", attr["slo"], attr["service"])
	}
	obj, err := num(item, attr["objective"], true)
	if err != nil {
		return nil, bad("objective", "%v", err)
	}
	if !(obj > 0 && obj < 100) {
		return nil, bad("objective", "must be a percentage above 0 and below 100, found %g", obj)
	}
	s := &model.SLO{Name: name, Service: service, Objective: obj / 100, Period: 30 * 24 * time.Hour, Scope: model.SLOScope{Tenants: []string{tenant}},
		Format: "dynamodb", Location: src.Location, Registry: src.Label()}
	var spec *model.SLO
	for _, sp := range specs {
		if sp.Name == name && (service == "" || sp.Service == "" || sp.Service == service) {
			spec = sp
			break
		}
	}
	if spec != nil {
		s.Period, s.EventsPerMinute = spec.Period, spec.EventsPerMinute
		s.Tiers = slices.Clone(spec.Tiers)
	}
	if _, ok := item[attr["period_days"]]; ok {
		days, err := num(item, attr["period_days"], true)
		if err != nil {
			return nil, bad("period_days", "%v", err)
		}
		if !(days >= 1 && days <= 366) {
			return nil, bad("period_days", "must be from 1 to 366 days, found %g", days)
		}
		s.Period = time.Duration(days * float64(24*time.Hour))
	}
	if v, ok := item[attr["tiers"]]; ok {
		tiers, err := decodeTiers(v, s.Period)
		if err != nil {
			return nil, bad("tiers", "%v", err)
		}
		s.Tiers = tiers
	}
	return s, nil
}

func decodeTiers(v snapshot.AttributeValue, period time.Duration) ([]model.AlertTier, error) {
	if v.L == nil {
		return nil, fmt.Errorf("want a list (L) of maps, found %s", v.Type())
	}
	var out []model.AlertTier
	for i, e := range v.L {
		if e.M == nil {
			return nil, fmt.Errorf("[%d]: want a map (M), found %s", i, e.Type())
		}
		name, err := str(e.M, "name", true)
		if err != nil {
			return nil, fmt.Errorf("[%d].name: %v", i, err)
		}
		t := model.AlertTier{Name: name, Severity: model.SeverityPage}
		if sev, _ := str(e.M, "severity", false); sev != "" {
			if sev != model.SeverityPage && sev != model.SeverityTicket {
				return nil, fmt.Errorf("[%d].severity: want page or ticket, found %q", i, sev)
			}
			t.Severity = sev
		}
		for _, w := range []struct {
			key string
			to  *time.Duration
		}{{"long_window", &t.Long}, {"short_window", &t.Short}} {
			text, err := str(e.M, w.key, true)
			if err != nil {
				return nil, fmt.Errorf("[%d].%s: %v", i, w.key, err)
			}
			if *w.to, err = model.ParseWindow(text); err != nil {
				return nil, fmt.Errorf("[%d].%s: %v", i, w.key, err)
			}
		}
		if t.Short >= t.Long {
			return nil, fmt.Errorf("[%d]: short_window %s is not shorter than long_window %s", i, model.FormatWindow(t.Short), model.FormatWindow(t.Long))
		}
		f, err := num(e.M, "burn_factor", true)
		if err != nil {
			return nil, fmt.Errorf("[%d].burn_factor: %v", i, err)
		}
		if !(f > 0) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("[%d].burn_factor: must be above 0, found %g", i, f)
		}
		t.Factor = f
		t.BudgetFraction = f * float64(t.Long) / float64(period)
		out = append(out, t)
	}
	return out, nil
}

func str(m map[string]snapshot.AttributeValue, key string, required bool) (string, error) {
	v, ok := m[key]
	if !ok || v.NULL != nil {
		if required {
			return "", fmt.Errorf("missing")
		}
		return "", nil
	}
	if v.S == nil {
		return "", fmt.Errorf("want a string (S), found %s", v.Type())
	}
	if required && strings.TrimSpace(*v.S) == "" {
		return "", fmt.Errorf("empty")
	}
	return *v.S, nil
}

func num(m map[string]snapshot.AttributeValue, key string, required bool) (float64, error) {
	v, ok := m[key]
	if !ok || v.NULL != nil {
		if required {
			return 0, fmt.Errorf("missing")
		}
		return 0, nil
	}
	if v.N == nil {
		return 0, fmt.Errorf("want a number (N), found %s", v.Type())
	}
	f, err := strconv.ParseFloat(*v.N, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number", *v.N)
	}
	return f, nil
}
