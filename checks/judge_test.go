package checks

import (
	"slices"
	"testing"

	"github.com/driftgate/driftgate/model"
)

// twoRegions puts baseWorld's tenants in two regions: 7c3f2e's alarms in
// us-east-1, c0ffee's in eu-west-1, each region read as complete.
func twoRegions() *model.World {
	w := baseWorld()
	w.Live.Sources = []model.LiveSource{
		{Kind: "cloudwatch", Account: "1", Region: "us-east-1", Complete: true},
		{Kind: "cloudwatch", Account: "1", Region: "eu-west-1", Complete: true},
	}
	for _, a := range w.Live.Alarms {
		a.Account, a.Region = "1", "us-east-1"
		if a.Tenant == "c0ffee" {
			a.Region = "eu-west-1"
		}
	}
	return w
}

func failRegion(w *model.World, region, why string) {
	for i := range w.Live.Sources {
		if w.Live.Sources[i].Region == region {
			w.Live.Sources[i].Complete, w.Live.Sources[i].Error = false, why
		}
	}
	// What a failed read leaves: none of that region's alarms.
	w.Live.Alarms = slices.DeleteFunc(w.Live.Alarms, func(a *model.Alarm) bool { return a.Region == region })
}

func run(w *model.World, list ...*Check) ([]Finding, []NotJudged) {
	return Run(w, &Settings{}, list)
}

func TestAFailedRegionWithholdsOnlyItsOwnFindings(t *testing.T) {
	w := twoRegions()
	live(w, "slo-7c3f2e-availability-page-fast-5m").Threshold = model.Known(5.2)
	failRegion(w, "eu-west-1", "DescribeAlarms: ThrottlingException")

	findings, notJudged := run(w, AlarmDrift, MissingAlarm)
	var got []string
	for _, f := range findings {
		got = append(got, f.Check+" "+f.Identity)
	}
	if want := []string{"alarm-drift slo-7c3f2e-availability-page-fast-5m"}; !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v: the drift read in us-east-1 stands, c0ffee's alarm (eu-west-1, unread) is not called missing", got, want)
	}
	want := []NotJudged{
		{Check: "alarm-drift", Scope: "1/eu-west-1", Feed: model.FeedAlarms, Incomplete: true, Why: "DescribeAlarms: ThrottlingException"},
		{Check: "missing-alarm", Scope: "1/eu-west-1", Feed: model.FeedAlarms, Incomplete: true, Why: "DescribeAlarms: ThrottlingException"},
	}
	if !slices.Equal(notJudged, want) {
		t.Errorf("not judged:\n%v\nwant\n%v", notJudged, want)
	}

	// Read completely, the same world calls c0ffee's alarm missing: the
	// withholding above is the failed read's doing, not a blind spot.
	w = twoRegions()
	w.Live.Alarms = slices.DeleteFunc(w.Live.Alarms, func(a *model.Alarm) bool { return a.Region == "eu-west-1" })
	findings, notJudged = run(w, MissingAlarm)
	if len(findings) != 1 || len(notJudged) != 0 {
		t.Errorf("complete read: %d findings, %v not judged; want c0ffee's missing alarm", len(findings), notJudged)
	}
}

func TestACheckWhoseFeedWasNotReadDoesNotRun(t *testing.T) {
	w := baseWorld()
	w.Live = nil
	w.Reads = model.Reads{{Feed: model.FeedAlarms, State: model.ReadSkipped, Why: "a fork pull request has no secrets"}}
	findings, notJudged := run(w, AlarmDrift, MissingAlarm)
	if len(findings) != 0 {
		t.Errorf("findings without live state: %v", findings)
	}
	for _, n := range notJudged {
		if n.Scope != "" || n.Feed != model.FeedAlarms || n.Incomplete || n.Why != "a fork pull request has no secrets" {
			t.Errorf("not judged %+v", n)
		}
	}
	if len(notJudged) != 2 {
		t.Errorf("want both checks not judged, got %v", notJudged)
	}
	// Skipped is not inconclusive; incomplete is.
	if r := InconclusiveReasons(w); len(r) != 0 {
		t.Errorf("a skipped feed made the run inconclusive: %v", r)
	}
	w.Reads[0].State = model.ReadIncomplete
	if r := InconclusiveReasons(w); len(r) != 1 {
		t.Errorf("an incomplete read must make the run inconclusive: %v", r)
	}
}

// The invariant behind "never a finding from data that was not read": with
// every live source incomplete and the unread live alarms gone, every check
// reports only what rests on declared inputs, and exactly what it reports on
// them when everything was read.
func TestNothingIsInventedWhenNoLiveSourceWasRead(t *testing.T) {
	complete := sloWorld()
	withPagerDuty(complete)
	declared(complete, "slo-aa0001-availability-page-5m").ThresholdRatio = model.Known(0.5) // a declared-only finding
	complete.Live.Sources = append(complete.Live.Sources, model.LiveSource{Kind: "pagerduty", Complete: true})
	all, _ := Run(complete, &Settings{}, All)

	broken := sloWorld()
	withPagerDuty(broken)
	declared(broken, "slo-aa0001-availability-page-5m").ThresholdRatio = model.Known(0.5)
	broken.Live.Alarms = nil
	broken.Live.PagerDuty = &model.PagerDuty{ServiceRules: map[string]*model.PDRuleSets{}}
	broken.Live.Sources = []model.LiveSource{
		{Kind: "cloudwatch", Region: "us-east-1", Error: "connection reset"},
		{Kind: "pagerduty", Error: "GET /services: 500"},
	}
	got, notJudged := Run(broken, &Settings{}, All)
	var fromDeclared []string
	for _, f := range all {
		if f.Scope == model.ScopeDeclared {
			fromDeclared = append(fromDeclared, f.Fingerprint)
		}
	}
	var kept []string
	for _, f := range got {
		if f.Check == IncompleteInput.ID {
			continue
		}
		if f.Scope != model.ScopeDeclared {
			t.Errorf("%s reported from unread data: %s", f.Check, f.Message)
			continue
		}
		kept = append(kept, f.Fingerprint)
	}
	slices.Sort(fromDeclared)
	slices.Sort(kept)
	if len(fromDeclared) == 0 || !slices.Equal(kept, fromDeclared) {
		t.Errorf("declared-only findings %d with every source read, %d with none: they must be the same", len(fromDeclared), len(kept))
	}
	listed := map[string]bool{}
	for _, n := range notJudged {
		listed[n.Check] = true
	}
	for _, c := range All {
		uses := false
		for _, f := range c.Feeds() {
			uses = uses || f == model.FeedAlarms || f == model.FeedPagerDuty
		}
		if uses && !listed[c.ID] {
			t.Errorf("%s reads live state but is not listed as not judged", c.ID)
		}
	}
}
