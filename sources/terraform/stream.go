package terraform

import (
	"fmt"
	"slices"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// changeList is resource_changes decoded as it streams: an alarm's values
// are mapped into the model as they are read, and values no mapping reads (the before
// of an alarm the plan does not change, either side of a resource driftgate
// does not model) are skipped unread. Anything the decoder cannot decide
// when a value arrives (a change whose actions or type come after its values)
// is kept raw, as the plain decoding would, and mapped from there.
type changeList []ResourceChange

// UnmarshalJSONFrom implements json/v2's streaming unmarshaler.
// The alarms it maps share one copy of each string they repeat.
func (l *changeList) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return l.decode(dec, nil)
}

// decode reads the list, giving alarmName (when set) the name of each
// alarm mapped as it streamed.
func (l *changeList) decode(dec *jsontext.Decoder, alarmName func(string)) error {
	strs := input.NewStrings()
	return input.DecodeList(dec, (*[]ResourceChange)(l), func(rc *ResourceChange, dec *jsontext.Decoder) error {
		if err := rc.decodeFrom(dec, strs); err != nil {
			return err
		}
		if alarmName != nil && rc.Mode != "data" && IsAlarmType(rc.Type) {
			if name := rc.streamedName(); name != "" {
				alarmName(name)
			}
		}
		return nil
	})
}

// streamedName is the name of the alarm a change declares, from the side
// that describes it: mapped as it streamed, else read from the raw value
// (an update's, or one whose values came before its actions).
func (rc *ResourceChange) streamedName() string {
	deleted := action(rc) == model.ActionDelete
	side, raw := rc.mapped.after, rc.Change.After
	if deleted {
		side, raw = rc.mapped.before, rc.Change.Before
	}
	if side != nil {
		return side.Name
	}
	var v struct {
		AlarmName string `json:"alarm_name"`
	}
	if len(raw) == 0 || jsonv2.Unmarshal(raw, &v) != nil {
		return "" // the loader reports what is wrong with the value
	}
	return v.AlarmName
}

// decodeObject reads a JSON object member by member, each by member; a
// value that is not an object is decoded into whole, for its type error.
// A member named twice is an error: the plan's decoder allows duplicate
// names (checking every name of the values it skips costs a tenth of a
// run), so the objects whose members are acted on as they arrive check
// their own.
func decodeObject(dec *jsontext.Decoder, whole any, member func(name string) error) error {
	if dec.PeekKind() != '{' {
		return jsonv2.UnmarshalDecode(dec, whole)
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	var few [8]string
	seen := memberNames{few: few[:0]}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String()
		var fresh bool
		if seen, fresh = seen.added(name); !fresh {
			// The name's start, exact unless the file escapes characters
			// that need none (Terraform never does).
			quoted, _ := jsontext.AppendQuote(nil, name)
			return &jsontext.SyntacticError{ByteOffset: dec.InputOffset() - int64(len(quoted)),
				JSONPointer: dec.StackPointer(), Err: jsontext.ErrDuplicateName}
		}
		if err := member(name); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// memberNames are the names an object has had so far: a few, compared in
// place, until there are enough for a map to be cheaper.
type memberNames struct {
	few  []string
	many map[string]bool
}

// added is m with name recorded, and false when it was already there.
func (m memberNames) added(name string) (memberNames, bool) {
	const few = 32
	switch {
	case m.many != nil:
		if m.many[name] {
			return m, false
		}
		m.many[name] = true
	case slices.Contains(m.few, name):
		return m, false
	case len(m.few) < few:
		m.few = append(m.few, name)
	default:
		m.many = make(map[string]bool, 2*few)
		for _, n := range m.few {
			m.many[n] = true
		}
		m.many[name] = true
	}
	return m, true
}

// decodeFrom reads one resource change member by member.
func (rc *ResourceChange) decodeFrom(dec *jsontext.Decoder, strs input.Strings) error {
	return decodeObject(dec, rc, func(name string) error {
		switch name {
		case "address":
			return jsonv2.UnmarshalDecode(dec, &rc.Address)
		case "module_address":
			return jsonv2.UnmarshalDecode(dec, &rc.ModuleAddress)
		case "mode":
			return jsonv2.UnmarshalDecode(dec, &rc.Mode)
		case "type":
			return jsonv2.UnmarshalDecode(dec, &rc.Type)
		case "name":
			return jsonv2.UnmarshalDecode(dec, &rc.Name)
		case "index":
			return jsonv2.UnmarshalDecode(dec, &rc.Index)
		case "change":
			return rc.decodeChange(dec, strs)
		}
		_, err := dec.ReadValue() // part of one resource: read in one pass, the cheaper skip
		return err
	})
}

// decodeChange reads a change, keeping of each value only what the mapping
// of this resource's type and actions reads.
func (rc *ResourceChange) decodeChange(dec *jsontext.Decoder, strs input.Strings) error {
	c := &rc.Change
	var known bool // whether the actions were read before the values
	return decodeObject(dec, c, func(name string) error {
		var err error
		switch name {
		case "actions":
			err, known = jsonv2.UnmarshalDecode(dec, &c.Actions), true
		case "before", "after":
			err = rc.decodeValue(dec, name == "before", known, strs)
		case "after_unknown":
			c.AfterUnknown, err = markers(dec)
		case "before_sensitive":
			c.BeforeSensitive, err = markers(dec)
		case "after_sensitive":
			c.AfterSensitive, err = markers(dec)
		default:
			_, err = dec.ReadValue()
		}
		return err
	})
}

// decodeValue reads the before or after value of a change: raw where the
// mapping reads it raw (an update's planned changes, a route), into its
// typed struct where it describes an alarm, and not at all otherwise.
func (rc *ResourceChange) decodeValue(dec *jsontext.Decoder, before, known bool, strs input.Strings) error {
	a := rc.Change.Actions
	changed := a.Update() || a.Replace()
	described := changed || before == a.Delete() // an alarm or route is described by this side
	raw, mapped := &rc.Change.After, &rc.mapped.after
	if before {
		raw, mapped = &rc.Change.Before, &rc.mapped.before
	}
	switch {
	case !known || rc.Type == "" || changed || routingTypes[rc.Type] && described:
		// Which of it is read depends on what has not been read yet, or
		// the raw value is read.
		v, err := dec.ReadValue()
		*raw = v.Clone()
		return err
	case IsAlarmType(rc.Type) && described:
		// Mapped now, so the typed values are garbage before the next
		// change is read.
		typed := newAlarmAttributes(rc.Type)
		if err := jsonv2.UnmarshalDecode(dec, typed); err != nil {
			return err
		}
		a, err := mapAttributes(typed)
		if a != nil {
			a.ShareStrings(strs.Of)
		}
		*mapped = a
		return err
	}
	_, err := dec.ReadValue()
	return err
}

// markers reads a marker tree (after_unknown, *_sensitive), keeping it only
// when it marks something: most say nothing and are dropped.
func markers(dec *jsontext.Decoder) (jsontext.Value, error) {
	raw, err := dec.ReadValue()
	if err != nil || !hasTrue(raw) {
		return nil, err
	}
	return raw.Clone(), nil
}

// newAlarmAttributes is an empty typed struct for an alarm resource type.
func newAlarmAttributes(typ string) any {
	if typ == TypeCompositeAlarm {
		return &CompositeAlarm{}
	}
	return &MetricAlarm{}
}

// mapRawAlarm maps one side of an alarm's change from its raw value.
func mapRawAlarm(typ string, raw jsontext.Value) (*model.Alarm, error) {
	if !IsAlarmType(typ) {
		return nil, fmt.Errorf("%s is not an alarm type", typ)
	}
	side := newAlarmAttributes(typ)
	if err := jsonv2.Unmarshal(raw, side); err != nil {
		return nil, err
	}
	return mapAttributes(side)
}

// mappedSides holds an alarm's before and after mapped while streaming,
// before any sensitivity mark is applied (the plan's last marks come after
// its changes); nil where the value was kept raw, or not read because
// nothing maps it.
type mappedSides struct {
	before, after *model.Alarm
}

// side is one side of an alarm change mapped with nothing redacted: the
// alarm streaming mapped (once: it is handed over), else one mapped from the
// raw value.
func (rc *ResourceChange) side(before bool) (*model.Alarm, error) {
	at, raw := &rc.mapped.after, rc.Change.After
	if before {
		at, raw = &rc.mapped.before, rc.Change.Before
	}
	if a := *at; a != nil {
		*at = nil
		return a, nil
	}
	return mapRawAlarm(rc.Type, raw)
}
