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
	s.buckets = map[string]string{}
	for _, t := range w.Tenants {
		s.buckets[t.ID] = t.Bucket
	}
	tenantOf := map[string]string{}
	for _, a := range w.Declared {
		tenantOf[a.Address] = a.Tenant
	}
	w.Tenants = slices.DeleteFunc(w.Tenants, func(t model.Tenant) bool { return !s.ownsTenant(t.ID) })
	w.Declared = slices.DeleteFunc(w.Declared, func(a *model.Alarm) bool { return !s.ownsAlarm(a) })
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
	l.Alarms = slices.DeleteFunc(l.Alarms, func(a *model.Alarm) bool { return !s.ownsAlarm(a) })
	l.Drifts = slices.DeleteFunc(l.Drifts, func(d model.ResourceDrift) bool { return !s.owns("resource:" + d.Address) })
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
