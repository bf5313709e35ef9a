package input

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
)

type listItem struct {
	Name  string   `json:"name"`
	Value *float64 `json:"value"`
}

// List decodes what a plain slice decodes, null, empty and long alike, and
// reports a bad element at its path.
func TestListDecodesLikeASlice(t *testing.T) {
	var long strings.Builder
	long.WriteString("[")
	for i := range 1000 {
		if i > 0 {
			long.WriteString(",")
		}
		fmt.Fprintf(&long, `{"name":"a%d","value":%d}`, i, i)
	}
	long.WriteString("]")
	for _, in := range []string{`{"items":null}`, `{"items":[]}`, `{}`, `{"items":[{"name":"x"}]}`, `{"items":` + long.String() + `}`} {
		var got struct {
			Items List[listItem] `json:"items"`
		}
		var want struct {
			Items []listItem `json:"items"`
		}
		if err := jsonv2.Unmarshal([]byte(in), &got); err != nil {
			t.Fatalf("%.40s: %v", in, err)
		}
		if err := jsonv2.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual([]listItem(got.Items), want.Items) {
			t.Errorf("%.40s: got %d items (nil %v), want %d (nil %v)", in, len(got.Items), got.Items == nil, len(want.Items), want.Items == nil)
		}
	}
	for in, path := range map[string]string{
		`{"items":[{"name":"x"},{"name":5}]}`: "/items/1/name",
		`{"items":{"name":"x"}}`:              "/items",
		`{"items":[{"name":"x"},]}`:           "/items",
	} {
		var got struct {
			Items List[listItem] `json:"items"`
		}
		err := jsonv2.Unmarshal([]byte(in), &got, jsonv2.RejectUnknownMembers(true))
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one at %s", in, err, path)
		}
	}
	var strict struct {
		Items List[listItem] `json:"items"`
	}
	if err := jsonv2.Unmarshal([]byte(`{"items":[{"nmae":"x"}]}`), &strict, jsonv2.RejectUnknownMembers(true)); err == nil {
		t.Error("an unknown member inside a List element was accepted under RejectUnknownMembers")
	}
}
