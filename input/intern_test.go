package input

import (
	"strings"
	"testing"
	"unsafe"
)

func TestStringsKeepsOneCopy(t *testing.T) {
	t.Parallel()
	tab := NewStrings()
	// Two equal strings built apart are two copies until interned.
	a, b := strings.Repeat("GreaterThanThreshold", 1), strings.Clone("GreaterThanThreshold")
	if unsafe.StringData(a) == unsafe.StringData(b) {
		t.Fatal("the test needs two copies")
	}
	ia, ib := tab.Of(a), tab.Of(b)
	if ia != b || unsafe.StringData(ia) != unsafe.StringData(ib) {
		t.Error("equal strings must come back as one copy")
	}
	list := tab.All([]string{strings.Clone("arn:sns:page"), strings.Clone("arn:sns:page"), "other"})
	if unsafe.StringData(list[0]) != unsafe.StringData(list[1]) || list[2] != "other" {
		t.Errorf("All: %q", list)
	}
	var none Strings
	if none.Of("x") != "x" || len(none.All([]string{"y"})) != 1 {
		t.Error("a nil table hands strings back unchanged")
	}
}
