package aws

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationsignals"
	astypes "github.com/aws/aws-sdk-go-v2/service/applicationsignals/types"
	"golang.org/x/time/rate"

	"github.com/driftgate/driftgate/live/snapshot"
)

// readServiceSLOs lists a region's Application Signals SLOs (50 a page, by
// NextToken) and gets each one for its goal and burn rate windows, which
// the list's summaries leave out. A failure leaves the region incomplete
// with the reason and no SLOs: a partial list is never taken for all.
func readServiceSLOs(ctx context.Context, client *applicationsignals.Client, opts *Options, out *snapshot.ServiceSLORegion) {
	fail := func(what string, err error) {
		out.Complete, out.Error, out.SLOs = false, fmt.Sprintf("%s: %v", what, err), nil
	}
	limit := func(api string) *rate.Limiter { return rate.NewLimiter(rate.Limit(opts.Rates[api]), 1) }
	list, get := limit("ListServiceLevelObjectives"), limit("GetServiceLevelObjective")
	var arns []string
	pages := applicationsignals.NewListServiceLevelObjectivesPaginator(client, &applicationsignals.ListServiceLevelObjectivesInput{MaxResults: awssdk.Int32(50)})
	err := eachPage(ctx, list, pages, func(page *applicationsignals.ListServiceLevelObjectivesOutput) error {
		for _, s := range page.SloSummaries {
			arns = append(arns, cmp.Or(awssdk.ToString(s.Arn), awssdk.ToString(s.Name)))
		}
		return nil
	})
	if err != nil {
		fail("application-signals ListServiceLevelObjectives", err)
		return
	}
	for _, id := range arns {
		if err := get.Wait(ctx); err != nil {
			fail("application-signals GetServiceLevelObjective "+id, err)
			return
		}
		got, err := client.GetServiceLevelObjective(ctx, &applicationsignals.GetServiceLevelObjectiveInput{Id: awssdk.String(id)})
		if err != nil {
			fail("application-signals GetServiceLevelObjective "+id, err)
			return
		}
		if got.Slo != nil {
			out.SLOs = append(out.SLOs, serviceLevelObj(got.Slo))
		}
	}
	slices.SortFunc(out.SLOs, func(a, b snapshot.ServiceLevelObj) int { return strings.Compare(a.Name, b.Name) })
	out.Complete = true
}

// serviceLevelObj keeps what driftgate judges an SLO by.
func serviceLevelObj(s *astypes.ServiceLevelObjective) snapshot.ServiceLevelObj {
	o := snapshot.ServiceLevelObj{Arn: awssdk.ToString(s.Arn), Name: awssdk.ToString(s.Name), Description: awssdk.ToString(s.Description),
		EvaluationType: string(s.EvaluationType)}
	if g := s.Goal; g != nil {
		o.Goal.AttainmentGoal = awssdk.ToFloat64(g.AttainmentGoal)
		o.Goal.WarningThreshold = awssdk.ToFloat64(g.WarningThreshold)
		switch in := g.Interval.(type) {
		case *astypes.IntervalMemberRollingInterval:
			o.Goal.Interval = &snapshot.SLOInterval{RollingInterval: &snapshot.SLOIntervalLength{
				Duration: int(awssdk.ToInt32(in.Value.Duration)), DurationUnit: string(in.Value.DurationUnit)}}
		case *astypes.IntervalMemberCalendarInterval:
			o.Goal.Interval = &snapshot.SLOInterval{CalendarInterval: &snapshot.SLOIntervalLength{
				Duration: int(awssdk.ToInt32(in.Value.Duration)), DurationUnit: string(in.Value.DurationUnit)}}
		}
	}
	for _, b := range s.BurnRateConfigurations {
		o.BurnRateConfigurations = append(o.BurnRateConfigurations, snapshot.BurnRateConfig{LookBackWindowMinutes: int(awssdk.ToInt32(b.LookBackWindowMinutes))})
	}
	return o
}
