package report

import (
	"strings"
	"testing"
)

func TestTrendChart(t *testing.T) {
	if TrendChart(TrendSeries{Labels: []string{"12-01 03:17"}, Errors: []int{1}, Warnings: []int{0}, Notes: []int{0}}) != "" {
		t.Error("one run is no trend")
	}
	got := TrendChart(TrendSeries{Labels: []string{"12-01 03:17", "12-02 \"x\"\n03:17"}, Errors: []int{41, 39}, Warnings: []int{29, 29}, Notes: []int{4, 5}})
	for _, want := range []string{"last 2 runs", "x-axis [\"12-01 03:17\", \"12-02 'x'⏎03:17\"]", "    line [41, 39]\n    line [29, 29]\n    line [4, 5]\n```\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("chart lacks %q:\n%s", want, got)
		}
	}
}
