package aws

import (
	"context"
	"fmt"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/driftgate/driftgate/live/snapshot"
)

// readStacks runs drift detection on each stack: DetectStackDrift, then
// DescribeStackDriftDetectionStatus with backoff until it finishes, then
// every page of DescribeStackResourceDrifts that is not IN_SYNC. A detection
// that fails still carries partial results; the region is then incomplete.
func readStacks(ctx context.Context, cf *cloudformation.Client, opts *Options, out *snapshot.CloudFormationRegion) {
	out.Complete = true
	for _, name := range opts.Stacks {
		st, err := detect(ctx, cf, name, opts)
		if err != nil {
			out.Complete, out.Error = false, joinReason(out.Error, fmt.Sprintf("stack %s: %v", name, err))
		}
		if st != nil {
			if st.DetectionStatus != string(cftypes.StackDriftDetectionStatusDetectionComplete) {
				out.Complete = false
				out.Error = joinReason(out.Error, fmt.Sprintf("stack %s: drift detection %s: %s", name, st.DetectionStatus, st.DetectionStatusReason))
			}
			out.Stacks = append(out.Stacks, *st)
		}
	}
}

func joinReason(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func detect(ctx context.Context, cf *cloudformation.Client, name string, opts *Options) (*snapshot.Stack, error) {
	started, err := cf.DetectStackDrift(ctx, &cloudformation.DetectStackDriftInput{StackName: awssdk.String(name)})
	if err != nil {
		return nil, fmt.Errorf("DetectStackDrift: %w", err)
	}
	wait := opts.PollInterval
	var status *cloudformation.DescribeStackDriftDetectionStatusOutput
	for {
		status, err = cf.DescribeStackDriftDetectionStatus(ctx, &cloudformation.DescribeStackDriftDetectionStatusInput{StackDriftDetectionId: started.StackDriftDetectionId})
		if err != nil {
			return nil, fmt.Errorf("DescribeStackDriftDetectionStatus: %w", err)
		}
		if status.DetectionStatus != cftypes.StackDriftDetectionStatusDetectionInProgress {
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("drift detection still in progress: %w", ctx.Err())
		case <-time.After(wait):
		}
		wait = min(wait*3/2, 15*time.Second)
	}
	st := &snapshot.Stack{StackName: name, StackId: awssdk.ToString(status.StackId), DetectionStatus: string(status.DetectionStatus),
		DetectionStatusReason: awssdk.ToString(status.DetectionStatusReason), StackDriftStatus: string(status.StackDriftStatus),
		StackResourceDrifts: []snapshot.StackResourceDrift{}}
	p := cloudformation.NewDescribeStackResourceDriftsPaginator(cf, &cloudformation.DescribeStackResourceDriftsInput{
		StackName: awssdk.String(name),
		StackResourceDriftStatusFilters: []cftypes.StackResourceDriftStatus{
			cftypes.StackResourceDriftStatusModified, cftypes.StackResourceDriftStatusDeleted, cftypes.StackResourceDriftStatusUnknown},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return st, fmt.Errorf("DescribeStackResourceDrifts: %w", err)
		}
		for _, d := range page.StackResourceDrifts {
			st.StackResourceDrifts = append(st.StackResourceDrifts, resourceDrift(&d))
		}
	}
	return st, nil
}

func resourceDrift(d *cftypes.StackResourceDrift) snapshot.StackResourceDrift {
	out := snapshot.StackResourceDrift{LogicalResourceId: awssdk.ToString(d.LogicalResourceId), PhysicalResourceId: awssdk.ToString(d.PhysicalResourceId),
		ResourceType: awssdk.ToString(d.ResourceType), ExpectedProperties: awssdk.ToString(d.ExpectedProperties),
		ActualProperties: awssdk.ToString(d.ActualProperties), StackResourceDriftStatus: string(d.StackResourceDriftStatus),
		DriftStatusReason: awssdk.ToString(d.DriftStatusReason), Timestamp: d.Timestamp}
	for _, p := range d.PropertyDifferences {
		out.PropertyDifferences = append(out.PropertyDifferences, snapshot.PropertyDifference{PropertyPath: awssdk.ToString(p.PropertyPath),
			ExpectedValue: awssdk.ToString(p.ExpectedValue), ActualValue: awssdk.ToString(p.ActualValue), DifferenceType: string(p.DifferenceType)})
	}
	return out
}
