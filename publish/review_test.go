package publish

import (
	"slices"
	"testing"

	"maps"
)

func TestAddedLinesReadTheNewSideOfEachHunk(t *testing.T) {
	patch := "@@ -10,4 +10,5 @@ resource \"x\" \"y\" {\n ctx\n-old\n+new1\n+new2\n ctx\n\\ No newline at end of file\n@@ -40,2 +41,3 @@\n a\n+b\n c"
	got := slices.Sorted(maps.Keys(addedLines(patch)))
	if want := []int{11, 12, 42}; !slices.Equal(got, want) {
		t.Errorf("added lines %v, want %v", got, want)
	}
	if len(addedLines("")) != 0 {
		t.Error("a binary file (no patch) has no commentable line")
	}
}
