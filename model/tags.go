package model

import (
	"cmp"
	"slices"
	"strings"
)

// Tag is one of a resource's tags.
type Tag struct {
	Key   string
	Value string
}

// Tags are a resource's tags in key order, each key once. Every declared and
// live alarm carries its tags, and a sorted slice of a handful of them takes
// a fraction of a map's memory.
type Tags []Tag

// Get returns the value of the tag key, "" when the alarm has no such tag.
func (ts Tags) Get(key string) string {
	i, ok := slices.BinarySearchFunc(ts, key, func(t Tag, k string) int { return strings.Compare(t.Key, k) })
	if !ok {
		return ""
	}
	return ts[i].Value
}

// SortTags puts tags in key order in place; of a key given twice the last
// value is kept, as it would be in a map.
func SortTags(ts []Tag) Tags {
	if len(ts) == 0 {
		return nil
	}
	slices.SortStableFunc(ts, func(x, y Tag) int { return cmp.Compare(x.Key, y.Key) })
	out := ts[:0]
	for i, t := range ts {
		if i+1 < len(ts) && ts[i+1].Key == t.Key {
			continue
		}
		out = append(out, t)
	}
	return out
}
