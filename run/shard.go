package run

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/model"
)

// shard is one part of a sweep split over a matrix: tenants are assigned by
// a stable hash of their tier bucket (cross-tenant parity compares a bucket's
// tenants, so a bucket stays whole), tenants without a bucket by their ID, and
// what belongs to no tenant by its subject; every shard of every run agrees,
// and merge reassembles the whole.
type shard struct {
	index, count int               // index is 1-based
	buckets      map[string]string // tenant -> bucket
	// elsewhere names the alarms other shards own, for the routing tests.
	elsewhere map[string]bool
}

func parseShard(s string) (shard, error) {
	if s == "" {
		return shard{index: 1, count: 1}, nil
	}
	i, n, ok := strings.Cut(s, "/")
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || count < 1 || index < 1 || index > count {
		return shard{}, fmt.Errorf("--shard %q: want I/N with 1 <= I <= N, e.g. 2/4", s)
	}
	return shard{index: index, count: count}, nil
}

func (s shard) String() string { return fmt.Sprintf("%d/%d", s.index, s.count) }

// owns reports whether this shard handles the key.
func (s shard) owns(key string) bool {
	if s.count <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32()%uint32(s.count)) == s.index-1
}

// ownsTenant: by bucket, else by ID.
func (s shard) ownsTenant(id string) bool {
	if b := s.buckets[id]; b != "" {
		return s.owns("bucket:" + b)
	}
	return s.owns("tenant:" + id)
}

// ownsAlarm: by tenant (a renamed alarm's prior tenant when the new name
// names none, so it stays with its live twin), else by live name.
func (s shard) ownsAlarm(a *model.Alarm) bool {
	switch {
	case a.Tenant != "":
		return s.ownsTenant(a.Tenant)
	case a.Prior != nil && a.Prior.Tenant != "":
		return s.ownsTenant(a.Prior.Tenant)
	}
	return s.owns("alarm:" + a.LiveName())
}

// declared keeps this shard's tenants, declared alarms and plan drift.
func (s *shard) declared(w *model.World) {
	if s.count <= 1 {
		return
	}
	s.buckets, s.elsewhere = map[string]string{}, map[string]bool{}
	for _, t := range w.Tenants {
		s.buckets[t.ID] = t.Bucket
	}
	tenantOf := map[string]string{}
	for _, a := range w.Declared {
		tenantOf[a.Address] = a.Tenant
	}
	w.Tenants = slices.DeleteFunc(w.Tenants, func(t model.Tenant) bool { return !s.ownsTenant(t.ID) })
	w.Declared = slices.DeleteFunc(w.Declared, func(a *model.Alarm) bool { return !s.ownsAlarm(a) && s.away(a) })
	w.Drifts = slices.DeleteFunc(w.Drifts, func(d model.ResourceDrift) bool {
		if t := tenantOf[d.Address]; t != "" {
			return !s.ownsTenant(t)
		}
		return !s.owns("resource:" + d.Address)
	})
}

// live keeps this shard's live alarms and stack drift.
func (s shard) live(l *model.Live) {
	if s.count <= 1 || l == nil {
		return
	}
	l.Alarms = slices.DeleteFunc(l.Alarms, func(a *model.Alarm) bool { return !s.ownsAlarm(a) && s.away(a) })
	l.Drifts = slices.DeleteFunc(l.Drifts, func(d model.ResourceDrift) bool { return !s.owns("resource:" + d.Address) })
}

// away notes an alarm another shard owns; it returns true.
func (s shard) away(a *model.Alarm) bool {
	s.elsewhere[a.Name] = true
	s.elsewhere[a.LiveName()] = true
	return true
}

// routeCases keeps the routing tests of this shard's alarms; a case whose
// alarm no shard has, or that sends a synthetic event, goes by its name.
func (s shard) routeCases(w *model.World) {
	if s.count <= 1 {
		return
	}
	here := map[string]bool{}
	for _, a := range w.Declared {
		here[a.Name] = true
	}
	if w.Live != nil {
		for _, a := range w.Live.Alarms {
			here[a.Name] = true
		}
	}
	w.RouteCases = slices.DeleteFunc(w.RouteCases, func(c model.RouteCase) bool {
		switch {
		case c.Event == nil && here[c.Alarm]:
			return false
		case c.Event == nil && s.elsewhere[c.Alarm]:
			return true
		}
		return !s.owns("route:" + c.Name)
	})
}

// baseline keeps the previous audit's alerts this shard answers for: those it
// still sees, and of the rest (removed since) a stable share.
func (s shard) baseline(b *model.Baseline, current map[string]string) {
	if s.count <= 1 || b == nil {
		return
	}
	kept := map[string]string{}
	for id, sum := range b.Alerts {
		if _, ok := current[id]; ok || s.owns("alert:"+id) {
			kept[id] = sum
		}
	}
	b.Alerts = kept
}
