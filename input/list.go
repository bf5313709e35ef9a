package input

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// List is a JSON array of inputs decoded element by element into a slice
// that doubles as it grows. json/v2 grows a slice by the runtime's rule, a
// quarter at a time past 256 elements, which for a long list of large
// structs (an account's alarms, a plan's resource changes) allocates about
// five times the final list and copies it as often.
type List[T any] []T

// UnmarshalJSONFrom implements json/v2's streaming unmarshaler.
func (l *List[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return DecodeList(dec, (*[]T)(l), func(e *T, dec *jsontext.Decoder) error {
		return jsonv2.UnmarshalDecode(dec, e)
	})
}

// DecodeList decodes a JSON array into *out, each element by decode, doubling
// the slice as it grows; null leaves *out nil, as json/v2 does.
func DecodeList[T any](dec *jsontext.Decoder, out *[]T, decode func(*T, *jsontext.Decoder) error) error {
	switch dec.PeekKind() {
	case '[':
	case 'n':
		_, err := dec.ReadToken()
		*out = nil
		return err
	default:
		return jsonv2.UnmarshalDecode(dec, out) // the type error, with its path
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	list := []T{}
	for dec.PeekKind() != ']' {
		if len(list) == cap(list) {
			grown := make([]T, len(list), max(16, 2*len(list)))
			copy(grown, list)
			list = grown
		}
		list = list[:len(list)+1]
		if err := decode(&list[len(list)-1], dec); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*out = list
	return nil
}
