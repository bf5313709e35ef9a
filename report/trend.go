package report

import (
	"fmt"
	"strconv"
	"strings"
)

// TrendSeries is a run history's open findings per run, oldest first.
type TrendSeries struct {
	Labels                  []string // one per run, e.g. "11-02 03:17"
	Errors, Warnings, Notes []int
}

// TrendChart draws the series as a mermaid chart GitHub shows in a job
// summary; "" for fewer than two runs.
func TrendChart(s TrendSeries) string {
	if len(s.Labels) < 2 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### Open findings over the last %d runs\n\nLines, top to bottom at the start: error, warning, note.\n\n```mermaid\nxychart-beta\n", len(s.Labels))
	quoted := make([]string, len(s.Labels))
	for i, l := range s.Labels {
		quoted[i] = strconv.Quote(OneLine(strings.ReplaceAll(l, `"`, "'")))
	}
	fmt.Fprintf(&b, "    x-axis [%s]\n    y-axis \"findings\"\n", strings.Join(quoted, ", "))
	for _, series := range [][]int{s.Errors, s.Warnings, s.Notes} {
		nums := make([]string, len(series))
		for i, n := range series {
			nums[i] = strconv.Itoa(n)
		}
		fmt.Fprintf(&b, "    line [%s]\n", strings.Join(nums, ", "))
	}
	b.WriteString("```\n")
	return b.String()
}
