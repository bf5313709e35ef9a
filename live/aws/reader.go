// Package aws reads live CloudWatch alarms (and the caller identity) with
// aws-sdk-go-v2 into driftgate's snapshot format. Credentials come from the
// standard chain (environment, shared config, web identity), with an
// optional role to assume per account; endpoints from the standard settings
// (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_CLOUDWATCH, ...), so the same binary
// reads real accounts or a local sandbox.
package aws

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/applicationsignals"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	tagtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"golang.org/x/time/rate"

	"github.com/driftgate/driftgate/live/snapshot"
)

// Target is one account to read, in some regions.
type Target struct {
	// Account is the expected account ID; empty to take whatever the
	// credentials resolve to.
	Account string
	// RoleARN is assumed before reading, when set.
	RoleARN string
	Regions []string
}

// Options control a read.
type Options struct {
	Targets []Target
	// Names limits DescribeAlarms to these alarm names (PR mode: what the
	// change can touch); empty with Sweep reads every alarm.
	Names []string
	// Pending, when set, gives the names instead as they become known, so
	// the read starts before the plans are decoded; the timeout counts
	// from when it is closed.
	Pending *NameList
	// Prefixes are read in full as well (managed name prefixes in a sweep).
	Prefixes []string
	// Sweep reads every alarm of each region.
	Sweep bool
	// Tags reads every alarm's tags (tenant identity from tags) with the
	// Resource Groups Tagging API, 100 alarms a call.
	Tags bool
	// Stacks run CloudFormation drift detection in every target region.
	Stacks []string
	// Subscriptions reads the SNS subscriptions of the topics alarms notify.
	Subscriptions bool
	// PollInterval is the first wait between drift detection status polls;
	// default 2 s, growing by half each time up to 15 s.
	PollInterval time.Duration
	// Timeout bounds the whole read; default 2 minutes.
	Timeout time.Duration
	// Rates are client-side limits per API and region, in requests per
	// second; default the AWS quotas (DescribeAlarms 9, ListTagsForResource 10).
	Rates map[string]float64
	// MaxAttempts per request with the SDK's backoff; default 5.
	MaxAttempts int
	// Clock stamps the snapshot; default time.Now.
	Clock func() time.Time
	// Version names the tool in the snapshot's generator field.
	Version string
	// Evidence reads each alarm's metric data over the Lookback, the alarm
	// history, and recently active metrics for alarms without data.
	Evidence bool
	// Lookback is how far back evidence reaches; default 24h.
	Lookback time.Duration
	// MaxQueries bounds the queries of one GetMetricData call; default 500,
	// the API's limit.
	MaxQueries int
	// Series, when set, takes each alarm's datapoints as the pages bring
	// them (ascending in time, a page at a time) instead of their being kept
	// in the snapshot, whose series then only count them (Streamed): what a
	// check needs of a day of data is a summary, not the data. Called from
	// one goroutine per region.
	// Start and end are the evidence window's.
	Series func(account, region string, alarm *snapshot.MetricAlarm, start, end time.Time, timestamps []time.Time, values []float64)
	// ServiceSLOs reads each region's Application Signals SLOs.
	ServiceSLOs bool
	// Progress, when set, counts what the read has done, as it goes.
	Progress *Progress
}

// DefaultRates are the AWS default request quotas driftgate stays under.
var DefaultRates = map[string]float64{"DescribeAlarms": 9, "GetResources": 10,
	"GetMetricData": 50, "DescribeAlarmHistory": 3, "ListMetrics": 25,
	"ListServiceLevelObjectives": 5, "GetServiceLevelObjective": 10}

func (o *Options) defaults() {
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.Rates == nil {
		o.Rates = DefaultRates
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 5
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.PollInterval == 0 {
		o.PollInterval = 2 * time.Second
	}
	if o.Lookback == 0 {
		o.Lookback = 24 * time.Hour
	}
	if o.MaxQueries == 0 {
		o.MaxQueries = 500
	}
	if o.Pending == nil {
		o.Pending = closedNames(o.Names)
	}
	rates := maps.Clone(DefaultRates)
	maps.Copy(rates, o.Rates)
	o.Rates = rates
}

// Read reads every target region concurrently. A region that fails after
// retries is recorded as incomplete with the reason; the error return is for
// problems with the options themselves.
func Read(ctx context.Context, opts Options) (*snapshot.Snapshot, error) {
	opts.defaults()
	if len(opts.Targets) == 0 {
		return nil, errors.New("no AWS account or region to read: set aws.regions (and aws.accounts) in the config, or AWS_REGION")
	}
	ctx, cancel := withTimeoutAfter(ctx, opts.Pending.closed, opts.Timeout)
	defer cancel()
	started := opts.Clock().UTC()
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		regions []snapshot.CloudWatchRegion
		stacks  []snapshot.CloudFormationRegion
		subs    []snapshot.SNSRegion
		ev      []snapshot.EvidenceRegion
		slos    []snapshot.ServiceSLORegion
	)
	for _, t := range opts.Targets {
		for _, region := range t.Regions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var as *snapshot.ServiceSLORegion
				if opts.ServiceSLOs {
					as = &snapshot.ServiceSLORegion{Account: t.Account, Region: region, SLOs: []snapshot.ServiceLevelObj{}}
				}
				r, cf, sn, cw := readRegion(ctx, t, region, &opts, as)
				if pr := opts.Progress; pr != nil {
					defer pr.add(&pr.Regions, 1)
				}
				var e *snapshot.EvidenceRegion
				if opts.Evidence {
					e = readEvidence(ctx, cw, &r, &opts)
				}
				mu.Lock()
				regions = append(regions, r)
				if e != nil {
					ev = append(ev, *e)
				}
				if cf != nil {
					stacks = append(stacks, *cf)
				}
				if sn != nil {
					subs = append(subs, *sn)
				}
				if as != nil {
					slos = append(slos, *as)
				}
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	sort.Slice(stacks, func(i, j int) bool {
		return stacks[i].Account+"/"+stacks[i].Region < stacks[j].Account+"/"+stacks[j].Region
	})
	sort.Slice(regions, func(i, j int) bool {
		if regions[i].Account != regions[j].Account {
			return regions[i].Account < regions[j].Account
		}
		return regions[i].Region < regions[j].Region
	})
	sort.Slice(subs, func(i, j int) bool { return subs[i].Account+"/"+subs[i].Region < subs[j].Account+"/"+subs[j].Region })
	sort.Slice(ev, func(i, j int) bool { return ev[i].Account+"/"+ev[i].Region < ev[j].Account+"/"+ev[j].Region })
	sort.Slice(slos, func(i, j int) bool { return slos[i].Account+"/"+slos[i].Region < slos[j].Account+"/"+slos[j].Region })
	return &snapshot.Snapshot{Version: snapshot.FormatVersion, Generator: "driftgate " + opts.Version, CapturedAt: &started,
		CloudWatch: regions, CloudFormation: stacks, SNS: subs, Evidence: ev, ApplicationSignals: slos}, nil
}

// readRegion reads one region's alarms and, with stacks configured, their
// drift; a failure before the reads start fails both.
func readRegion(ctx context.Context, t Target, region string, opts *Options, as *snapshot.ServiceSLORegion) (snapshot.CloudWatchRegion, *snapshot.CloudFormationRegion, *snapshot.SNSRegion, *cloudwatch.Client) {
	out := snapshot.CloudWatchRegion{Account: t.Account, Region: region, MetricAlarms: []snapshot.MetricAlarm{}, CompositeAlarms: []snapshot.CompositeAlarm{}}
	var cf *snapshot.CloudFormationRegion
	if len(opts.Stacks) > 0 {
		cf = &snapshot.CloudFormationRegion{Account: t.Account, Region: region, Stacks: []snapshot.Stack{}}
	}
	var sn *snapshot.SNSRegion
	if opts.Subscriptions {
		sn = &snapshot.SNSRegion{Account: t.Account, Region: region}
	}
	stacksRead := false
	fail := func(what string, err error) (snapshot.CloudWatchRegion, *snapshot.CloudFormationRegion, *snapshot.SNSRegion, *cloudwatch.Client) {
		out.Complete, out.Error = false, fmt.Sprintf("%s: %v", what, err)
		if cf != nil && !stacksRead {
			cf.Complete, cf.Error = false, out.Error
		}
		if sn != nil {
			sn.Complete, sn.Error = false, out.Error
		}
		if as != nil && !stacksRead {
			as.Complete, as.Error = false, out.Error
		}
		return out, cf, sn, nil
	}
	cfg, err := awsConfig(ctx, region, t.RoleARN, opts.MaxAttempts)
	if err != nil {
		return fail("loading AWS configuration", err)
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fail("sts GetCallerIdentity", err)
	}
	if t.Account != "" && awssdk.ToString(id.Account) != t.Account {
		return fail("sts GetCallerIdentity", fmt.Errorf("credentials are for account %s, not %s", awssdk.ToString(id.Account), t.Account))
	}
	out.Account = awssdk.ToString(id.Account)
	// Stack drift detection polls for as long as CloudFormation takes; it
	// runs beside the alarm reads, so a slow detection never spends the
	// alarms' time budget before DescribeAlarms is sent. Application Signals
	// SLOs come from their own API, beside them too. The region's read ends
	// when both have.
	if cf != nil {
		cf.Account = out.Account
		defer beside(func() { readStacks(ctx, cloudformation.NewFromConfig(cfg), opts, cf) })()
	}
	if as != nil {
		as.Account = out.Account
		defer beside(func() { readServiceSLOs(ctx, applicationsignals.NewFromConfig(cfg), opts, as) })()
	}
	stacksRead = true
	cw := cloudwatch.NewFromConfig(cfg)
	limit := func(api string) *rate.Limiter { return rate.NewLimiter(rate.Limit(opts.Rates[api]), 1) }
	// Tags come in bulk from the Resource Groups Tagging API, beside the
	// alarm reads: every alarm of the region in a sweep, the named ones
	// (their ARNs follow from the names) in PR mode.
	type tagRead struct {
		tags map[string][]snapshot.Tag
		err  error
	}
	tagsDone := make(chan tagRead, 1)
	if opts.Tags {
		go func() {
			tags, err := readTags(ctx, resourcegroupstaggingapi.NewFromConfig(cfg), limit("GetResources"), region, out.Account, opts)
			tagsDone <- tagRead{tags, err}
		}()
	}
	describe := limit("DescribeAlarms")
	seen := map[string]bool{}
	keep := func(page *cloudwatch.DescribeAlarmsOutput) error {
		if pr := opts.Progress; pr != nil {
			pr.add(&pr.AlarmPages, 1)
			pr.add(&pr.Alarms, len(page.MetricAlarms)+len(page.CompositeAlarms))
		}
		for i := range page.MetricAlarms {
			if a := metricAlarm(&page.MetricAlarms[i]); !seen[a.AlarmName] {
				seen[a.AlarmName] = true
				out.MetricAlarms = append(out.MetricAlarms, a)
			}
		}
		for i := range page.CompositeAlarms {
			if a := compositeAlarm(&page.CompositeAlarms[i]); !seen[a.AlarmName] {
				seen[a.AlarmName] = true
				out.CompositeAlarms = append(out.CompositeAlarms, a)
			}
		}
		return nil
	}
	for _, in := range describeInputs(opts) {
		if err := eachPage(ctx, describe, cloudwatch.NewDescribeAlarmsPaginator(cw, in), keep); err != nil {
			return fail("cloudwatch DescribeAlarms", err)
		}
	}
	if !opts.Sweep {
		// The named alarms, a batch as soon as the names are known.
		err := opts.Pending.each(ctx, func(names []string) error {
			in := &cloudwatch.DescribeAlarmsInput{AlarmTypes: alarmTypes, AlarmNames: names, MaxRecords: awssdk.Int32(batchSize)}
			return eachPage(ctx, describe, cloudwatch.NewDescribeAlarmsPaginator(cw, in), keep)
		})
		if err != nil {
			return fail("cloudwatch DescribeAlarms", err)
		}
		out.MetricAlarms = slices.DeleteFunc(out.MetricAlarms, func(a snapshot.MetricAlarm) bool { return opts.Pending.dropped(a.AlarmName) })
		out.CompositeAlarms = slices.DeleteFunc(out.CompositeAlarms, func(a snapshot.CompositeAlarm) bool { return opts.Pending.dropped(a.AlarmName) })
	}
	slices.SortFunc(out.MetricAlarms, func(a, b snapshot.MetricAlarm) int { return strings.Compare(a.AlarmName, b.AlarmName) })
	slices.SortFunc(out.CompositeAlarms, func(a, b snapshot.CompositeAlarm) int { return strings.Compare(a.AlarmName, b.AlarmName) })
	if opts.Tags {
		t := <-tagsDone
		if t.err != nil {
			return fail("tagging GetResources", t.err)
		}
		out.Tags = map[string][]snapshot.Tag{}
		for _, arn := range alarmARNs(&out) {
			if tags, ok := t.tags[arn]; ok {
				out.Tags[arn] = tags
			}
		}
	}
	if sn != nil {
		sn.Account = out.Account
		readSubscriptions(ctx, sns.NewFromConfig(cfg), &out, sn)
	}
	out.Complete = true
	return out, cf, sn, cw
}

// beside runs fn in its own goroutine and returns the wait for it.
func beside(fn func()) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	return func() { <-done }
}

// alarmTypes are the alarm types every DescribeAlarms call asks for.
var alarmTypes = []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm}

// describeInputs are the DescribeAlarms calls a read makes besides the
// named alarms': every alarm in a sweep, else each prefix.
func describeInputs(opts *Options) []*cloudwatch.DescribeAlarmsInput {
	if opts.Sweep {
		return []*cloudwatch.DescribeAlarmsInput{{AlarmTypes: alarmTypes, MaxRecords: awssdk.Int32(batchSize)}}
	}
	var ins []*cloudwatch.DescribeAlarmsInput
	for _, p := range opts.Prefixes {
		ins = append(ins, &cloudwatch.DescribeAlarmsInput{AlarmTypes: alarmTypes, AlarmNamePrefix: awssdk.String(p), MaxRecords: awssdk.Int32(batchSize)})
	}
	return ins
}

// readTags reads alarm tags with GetResources, 100 alarms a call: by
// resource type in a sweep, by ARN list in PR mode.
func readTags(ctx context.Context, client *resourcegroupstaggingapi.Client, limiter *rate.Limiter, region, account string, opts *Options) (map[string][]snapshot.Tag, error) {
	out := map[string][]snapshot.Tag{}
	keep := func(list []tagtypes.ResourceTagMapping) {
		for _, m := range list {
			tags := []snapshot.Tag{}
			for _, t := range m.Tags {
				tags = append(tags, snapshot.Tag{Key: awssdk.ToString(t.Key), Value: awssdk.ToString(t.Value)})
			}
			out[awssdk.ToString(m.ResourceARN)] = tags
		}
	}
	if opts.Sweep || len(opts.Prefixes) > 0 {
		p := resourcegroupstaggingapi.NewGetResourcesPaginator(client, &resourcegroupstaggingapi.GetResourcesInput{
			ResourceTypeFilters: []string{"cloudwatch:alarm"}, ResourcesPerPage: awssdk.Int32(100)})
		err := eachPage(ctx, limiter, p, func(page *resourcegroupstaggingapi.GetResourcesOutput) error {
			keep(page.ResourceTagMappingList)
			return nil
		})
		return out, err
	}
	// The named alarms' ARNs follow from their names, a batch at a time
	// as the names are known.
	err := opts.Pending.each(ctx, func(names []string) error {
		arns := make([]string, len(names))
		for i, name := range names {
			arns[i] = fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s", partition(region), region, account, name)
		}
		if err := limiter.Wait(ctx); err != nil {
			return err
		}
		page, err := client.GetResources(ctx, &resourcegroupstaggingapi.GetResourcesInput{ResourceARNList: arns})
		if err != nil {
			return err
		}
		keep(page.ResourceTagMappingList)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// partition is the ARN partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// alarmARNs lists the ARNs of the alarms read.
func alarmARNs(r *snapshot.CloudWatchRegion) []string {
	var arns []string
	for _, a := range r.MetricAlarms {
		arns = append(arns, a.AlarmArn)
	}
	for _, a := range r.CompositeAlarms {
		arns = append(arns, a.AlarmArn)
	}
	return arns
}

// awsConfig is the SDK configuration for one region: the default credential
// chain, through the role when one is given, with the standard retryer.
func awsConfig(ctx context.Context, region, roleARN string, maxAttempts int) (awssdk.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region), config.WithRetryer(func() awssdk.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = maxAttempts
			o.MaxBackoff = 5 * time.Second
		})
	}))
	if err != nil {
		return cfg, err
	}
	if roleARN != "" {
		cfg.Credentials = awssdk.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), roleARN,
			func(o *stscreds.AssumeRoleOptions) { o.RoleSessionName = "driftgate" }))
	}
	return cfg, nil
}
