package terraform

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

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

// decode decodes a value and its sensitivity tree.
func decode(raw, sensitive jsontext.Value) (value, marks any, err error) {
	if len(raw) > 0 {
		if err := jsonv2.Unmarshal(raw, &value); err != nil {
			return nil, nil, err
		}
	}
	if len(sensitive) > 0 {
		if err := jsonv2.Unmarshal(sensitive, &marks); err != nil {
			return nil, nil, fmt.Errorf("sensitivity markers: %w", err)
		}
	}
	return value, marks, nil
}

// sub descends into a sensitivity tree; true covers everything below it.
func sub(marks any, key string, index int) any {
	switch m := marks.(type) {
	case bool:
		return m
	case map[string]any:
		return m[key]
	case []any:
		if index >= 0 && index < len(m) {
			return m[index]
		}
	}
	return nil
}

// diff lists the leaf attributes that differ between before and after.
// Values are compared as they are, but a sensitive side is rendered only as
// the Sensitive marker, so a rotated secret shows as changed without its value.
func diff(path string, before, after, bMarks, aMarks any, out *[]model.AttributeChange) {
	// A wholly sensitive object is still walked, so its attribute names
	// (and relevant_attributes) survive; only its values are hidden.
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
			diff(join(path, k), b, a, sub(bMarks, k, -1), sub(aMarks, k, -1), out)
		}
		return
	}
	bl, bok := before.([]any)
	al, aok := after.([]any)
	if bok && aok && len(bl) == len(al) {
		for i := range bl {
			diff(join(path, strconv.Itoa(i)), bl[i], al[i], sub(bMarks, "", i), sub(aMarks, "", i), out)
		}
		return
	}
	rb, ra := render(before), render(after)
	if rb == ra {
		return
	}
	if marked(bMarks) || marked(aMarks) {
		// Either side's mark hides both: the old value of a rotated secret
		// is as secret as the new one.
		rb, ra = Sensitive, Sensitive
	}
	*out = append(*out, model.AttributeChange{Path: path, Before: rb, After: ra})
}

// marked reports whether a marker tree (sensitive or unknown) holds true.
func marked(marks any) bool {
	switch m := marks.(type) {
	case bool:
		return m
	case map[string]any:
		for _, v := range m {
			if marked(v) {
				return true
			}
		}
	case []any:
		for _, v := range m {
			if marked(v) {
				return true
			}
		}
	}
	return false
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
		if jsonv2.Unmarshal(s, &v) != nil {
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
