package sandbox

import (
	"reflect"
	"strings"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// toCBOR encodes a snapshot value the way the Smithy RPC v2 CBOR protocol
// writes its shape: the snapshot types carry the API's member names as JSON
// tags, integers become CBOR integers, floats CBOR floats, timestamps tag 1
// epoch seconds, and unset members are left out.
func toCBOR(v reflect.Value) (cbor.Value, bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, false
		}
		v = v.Elem()
	}
	if t, ok := v.Interface().(time.Time); ok {
		if t.IsZero() {
			return nil, false
		}
		return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(t.UnixNano()) / 1e9)}, true
	}
	switch v.Kind() {
	case reflect.String:
		return cbor.String(v.String()), v.String() != ""
	case reflect.Bool:
		return cbor.Bool(v.Bool()), true
	case reflect.Int, reflect.Int32, reflect.Int64:
		n := v.Int()
		if n < 0 {
			return cbor.NegInt(uint64(-n - 1)), true
		}
		return cbor.Uint(uint64(n)), n != 0
	case reflect.Float32, reflect.Float64:
		return cbor.Float64(v.Float()), true
	case reflect.Slice:
		if v.Len() == 0 {
			return nil, false
		}
		list := make(cbor.List, 0, v.Len())
		for i := range v.Len() {
			if e, ok := toCBOR(v.Index(i)); ok {
				list = append(list, e)
			}
		}
		return list, true
	case reflect.Struct:
		m := cbor.Map{}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			if e, ok := toCBOR(v.Field(i)); ok {
				m[name] = e
			}
		}
		return m, len(m) > 0
	}
	return nil, false
}

// request reads the members of a CBOR request the sandbox uses.
type request struct{ m cbor.Map }

func (r request) str(name string) string {
	if s, ok := r.m[name].(cbor.String); ok {
		return string(s)
	}
	return ""
}

func (r request) strs(name string) []string {
	l, _ := r.m[name].(cbor.List)
	out := make([]string, 0, len(l))
	for _, e := range l {
		if s, ok := e.(cbor.String); ok {
			out = append(out, string(s))
		}
	}
	return out
}

func (r request) int(name string) int {
	if n, ok := r.m[name].(cbor.Uint); ok {
		return int(n)
	}
	return 0
}
