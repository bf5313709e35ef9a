package attest

import (
	"strconv"
	"unicode/utf8"

	"github.com/gowebpki/jcs"

	"github.com/driftgate/driftgate/model"
)

// appendAlarm appends an alarm's canonical form as RFC 8785 JSON in one pass:
// members in the order RFC 8785 sorts them, numbers in its (ECMAScript)
// form, strings escaped as it escapes them. It writes exactly what
// Canonical(alarm.Canonical()) would, without the marshal and re-parse.
func appendAlarm(b []byte, c *model.CanonicalAlarm) ([]byte, error) {
	var err error
	b = append(b, `{"actionsEnabled":`...)
	b = strconv.AppendBool(b, c.ActionsEnabled)
	b = append(b, `,"alarmActions":`...)
	b = appendStrings(b, c.AlarmActions)
	if c.AlarmRule != "" {
		b = append(b, `,"alarmRule":`...)
		b = appendString(b, c.AlarmRule)
	}
	if c.DatapointsToAlarm != 0 {
		b = append(b, `,"datapointsToAlarm":`...)
		b = strconv.AppendInt(b, int64(c.DatapointsToAlarm), 10)
	}
	if len(c.Dimensions) > 0 {
		b = append(b, `,"dimensions":`...)
		b = appendDimensions(b, c.Dimensions)
	}
	if c.EvaluationPeriods != 0 {
		b = append(b, `,"evaluationPeriods":`...)
		b = strconv.AppendInt(b, int64(c.EvaluationPeriods), 10)
	}
	b = append(b, `,"insufficientDataActions":`...)
	b = appendStrings(b, c.InsufficientData)
	b = append(b, `,"kind":`...)
	b = appendString(b, string(c.Kind))
	if c.MetricName != "" {
		b = append(b, `,"metricName":`...)
		b = appendString(b, c.MetricName)
	}
	if len(c.Metrics) > 0 {
		b = append(b, `,"metrics":[`...)
		for i, q := range c.Metrics {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendQuery(b, &q); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	b = append(b, `,"name":`...)
	b = appendString(b, c.Name)
	if c.Namespace != "" {
		b = append(b, `,"namespace":`...)
		b = appendString(b, c.Namespace)
	}
	b = append(b, `,"okActions":`...)
	b = appendStrings(b, c.OKActions)
	if c.Operator != "" {
		b = append(b, `,"operator":`...)
		b = appendString(b, c.Operator)
	}
	if c.Period != 0 {
		b = append(b, `,"period":`...)
		b = strconv.AppendInt(b, int64(c.Period), 10)
	}
	if c.Statistic != "" {
		b = append(b, `,"statistic":`...)
		b = appendString(b, c.Statistic)
	}
	if c.Threshold != nil {
		n, err := jcs.NumberToJSON(*c.Threshold)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"threshold":`...)
		b = append(b, n...)
	}
	b = append(b, `,"treatMissingData":`...)
	b = appendString(b, c.TreatMissingData)
	return append(b, '}'), nil
}

// appendQuery writes a model.MetricQuery as encoding/json names it (its Go
// field names), members sorted.
func appendQuery(b []byte, q *model.MetricQuery) ([]byte, error) {
	b = append(b, `{"Dimensions":`...)
	if q.Dimensions == nil {
		b = append(b, "null"...)
	} else {
		b = appendDimensions(b, q.Dimensions)
	}
	b = append(b, `,"Expression":`...)
	b = appendString(b, q.Expression)
	b = append(b, `,"ID":`...)
	b = appendString(b, q.ID)
	b = append(b, `,"Label":`...)
	b = appendString(b, q.Label)
	b = append(b, `,"MetricName":`...)
	b = appendString(b, q.MetricName)
	b = append(b, `,"Namespace":`...)
	b = appendString(b, q.Namespace)
	b = append(b, `,"Period":`...)
	b = strconv.AppendInt(b, int64(q.Period), 10)
	b = append(b, `,"ReturnData":`...)
	b = strconv.AppendBool(b, q.ReturnData)
	b = append(b, `,"Stat":`...)
	b = appendString(b, q.Stat)
	return append(b, '}'), nil
}

func appendDimensions(b []byte, ds []model.Dimension) []byte {
	b = append(b, '[')
	for i, d := range ds {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"Name":`...)
		b = appendString(b, d.Name)
		b = append(b, `,"Value":`...)
		b = appendString(b, d.Value)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendStrings(b []byte, s []string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, v)
	}
	return append(b, ']')
}

// escapes holds, for each ASCII character RFC 8785 escapes, its escape
// ("" for the characters written as they are): appendString writes them and
// quotedLen counts them from this one table.
var escapes = func() (t [utf8.RuneSelf]string) {
	const hexDigits = "0123456789abcdef"
	for c := range byte(0x20) {
		t[c] = `\u00` + string(hexDigits[c>>4]) + string(hexDigits[c&0xf])
	}
	t['"'], t['\\'] = `\"`, `\\`
	t['\b'], t['\f'], t['\n'], t['\r'], t['\t'] = `\b`, `\f`, `\n`, `\r`, `\t`
	return t
}()

// plain marks the bytes written as they are: ASCII that RFC 8785 does not
// escape. Runs of them are counted and copied whole.
var plain = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = escapes[c] == ""
	}
	return t
}()

// replacement is what appendString writes for each byte that is not UTF-8.
const replacement = "\uFFFD"

// quotedLen is the length appendString gives s.
func quotedLen(s string) int {
	n := len(s) + 2
	for i := 0; i < len(s); {
		for i < len(s) && plain[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			n += len(escapes[c]) - 1
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			n += len(replacement) - 1
		}
		i += size
	}
	return n
}

// appendString writes a string as RFC 8785 (ECMAScript JSON.stringify)
// does, with each invalid UTF-8 byte as U+FFFD, as encoding/json reads it.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		run := i
		for i < len(s) && plain[s[i]] {
			i++
		}
		b = append(b, s[run:i]...)
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			b = append(b, escapes[c]...)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, replacement...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
