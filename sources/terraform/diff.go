package terraform

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/driftgate/driftgate/model"
)

// Sensitive replaces every sensitive value in reports and evidence.
const Sensitive = "(sensitive)"

// Absent renders an attribute that one side does not have.
const Absent = "(absent)"

// redact replaces the leaves of v marked true in the sensitivity tree s.
func redact(v, s any) any {
	switch m := s.(type) {
	case bool:
		if m {
			return Sensitive
		}
	case map[string]any:
		if obj, ok := v.(map[string]any); ok {
			for k, sub := range m {
				if e, ok := obj[k]; ok {
					obj[k] = redact(e, sub)
				}
			}
		}
	case []any:
		if list, ok := v.([]any); ok {
			for i := range list {
				if i < len(m) {
					list[i] = redact(list[i], m[i])
				}
			}
		}
	}
	return v
}

// decodeRedacted decodes a value and its sensitivity tree into a redacted value.
func decodeRedacted(raw, sensitive json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	if len(sensitive) > 0 {
		var s any
		if err := json.Unmarshal(sensitive, &s); err != nil {
			return nil, fmt.Errorf("sensitivity markers: %w", err)
		}
		v = redact(v, s)
	}
	return v, nil
}

// diff lists the leaf attributes that differ between before and after.
func diff(path string, before, after any, out *[]model.AttributeChange) {
	bm, bok := before.(map[string]any)
	am, aok := after.(map[string]any)
	if bok && aok {
		keys := map[string]bool{}
		for k := range bm {
			keys[k] = true
		}
		for k := range am {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			b, inB := bm[k]
			a, inA := am[k]
			switch {
			case !inB:
				b = absent{}
			case !inA:
				a = absent{}
			}
			diff(join(path, k), b, a, out)
		}
		return
	}
	bl, bok := before.([]any)
	al, aok := after.([]any)
	if bok && aok && len(bl) == len(al) {
		for i := range bl {
			diff(join(path, strconv.Itoa(i)), bl[i], al[i], out)
		}
		return
	}
	rb, ra := render(before), render(after)
	if rb != ra {
		*out = append(*out, model.AttributeChange{Path: path, Before: rb, After: ra})
	}
}

type absent struct{}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// render prints a value for messages: strings bare, everything else as JSON.
func render(v any) string {
	switch x := v.(type) {
	case absent:
		return Absent
	case string:
		return x
	case nil:
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// attributePath renders a relevant_attributes path as a dotted path.
func attributePath(steps []json.RawMessage) string {
	path := ""
	for _, s := range steps {
		var v any
		if json.Unmarshal(s, &v) != nil {
			continue
		}
		switch x := v.(type) {
		case string:
			path = join(path, x)
		case float64:
			path = join(path, strconv.FormatFloat(x, 'f', -1, 64))
		}
	}
	return path
}
