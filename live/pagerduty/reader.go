// Package pagerduty reads PagerDuty's services, escalation policies and
// event orchestrations with PagerDuty/go-pagerduty (REST API v2) into
// driftgate's snapshot format. The global orchestration path, which the
// library lacks, is read with a plain request. Requests stay under the
// 960-a-minute limit, and 429 and 5xx answers are retried.
package pagerduty

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	pd "github.com/PagerDuty/go-pagerduty"
	"golang.org/x/time/rate"

	"github.com/driftgate/driftgate/live/snapshot"
)

// DefaultURL is PagerDuty's REST API.
const DefaultURL = "https://api.pagerduty.com"

// DefaultRequestsPerMinute leaves headroom under PagerDuty's 960 a minute
// for other clients of the same token.
const DefaultRequestsPerMinute = 900

// Options control a read.
type Options struct {
	Token string
	// URL is the API's base URL; default DefaultURL (PAGERDUTY_API_URL in the CLI).
	URL string
	// RequestsPerMinute stays under PagerDuty's limit; default
	// DefaultRequestsPerMinute.
	RequestsPerMinute int
	// MaxAttempts per request; default 5.
	MaxAttempts int
	// Timeout bounds the whole read. By default it is 2 minutes plus the
	// time the pace needs for one request per service: PagerDuty has no bulk
	// read of service orchestrations, and a large account must not be
	// inconclusive for its size alone.
	Timeout time.Duration
	// Progress, when set, counts requests and learns how many services
	// there are, as the read goes.
	Progress *Progress
}

// Progress counts a read's requests; Services is known once they are listed.
type Progress struct {
	Requests, Services atomic.Int64
}

func (o *Options) defaults() {
	if o.URL == "" {
		o.URL = DefaultURL
	}
	if o.RequestsPerMinute == 0 {
		o.RequestsPerMinute = DefaultRequestsPerMinute
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 5
	}
}

// baseTimeout is the default deadline before it grows with the services.
var baseTimeout = 2 * time.Minute

// Read reads PagerDuty's state. A failure after retries gives an incomplete
// state that says why; it is never an empty "complete" one.
func Read(ctx context.Context, opts Options) *snapshot.PagerDutyState {
	opts.defaults()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	d := &deadline{cancel: cancel}
	d.set(cmp.Or(opts.Timeout, baseTimeout))
	defer d.stop()
	// A transport of its own: sharing http.DefaultTransport while AWS was
	// read alongside made one DescribeAlarms in 30 retry after its
	// connection closed underneath it (not root-caused; 0 in 100 since).
	hc := &http.Client{Transport: &retrying{next: http.DefaultTransport.(*http.Transport).Clone(), limiter: rate.NewLimiter(rate.Limit(float64(opts.RequestsPerMinute)/60), 1),
		attempts: opts.MaxAttempts, progress: opts.Progress}}
	c := pd.NewClient(opts.Token, pd.WithAPIEndpoint(opts.URL))
	c.HTTPClient = hc
	r := &reader{c: c, hc: hc, opts: opts}
	if opts.Timeout == 0 {
		r.servicesListed = func(n int) {
			d.set(baseTimeout + time.Duration(float64(n)/float64(opts.RequestsPerMinute)*float64(time.Minute)))
		}
	}
	st, err := r.read(ctx)
	if err != nil {
		msg := err.Error()
		if cause := context.Cause(ctx); cause != nil && ctx.Err() != nil {
			msg += " (" + cause.Error() + ")"
		}
		return &snapshot.PagerDutyState{Complete: false, Error: msg}
	}
	st.Complete = true
	return st
}

type reader struct {
	c    *pd.Client
	hc   *http.Client
	opts Options
	// servicesListed, when set, learns how many services there are.
	servicesListed func(n int)
}

// deadline cancels the read when it runs out; unlike a context deadline it
// can be moved once the amount of work is known.
type deadline struct {
	mu     sync.Mutex
	timer  *time.Timer
	start  time.Time
	cancel context.CancelCauseFunc
}

// set puts the deadline at d after the read began.
func (dl *deadline) set(d time.Duration) {
	dl.mu.Lock()
	defer dl.mu.Unlock()
	if dl.timer == nil {
		dl.start = time.Now()
	} else if !dl.timer.Stop() {
		return // already out of time
	}
	cause := fmt.Errorf("the PagerDuty read ran past its %s deadline", d.Round(time.Second))
	dl.timer = time.AfterFunc(time.Until(dl.start.Add(d)), func() { dl.cancel(cause) })
}

func (dl *deadline) stop() {
	dl.mu.Lock()
	defer dl.mu.Unlock()
	dl.timer.Stop()
}

// convert moves a go-pagerduty value into its snapshot mirror: both carry
// the API's JSON field names.
func convert(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// listAll pages through a list with limit and offset until PagerDuty says
// there is no more, converting every item into its snapshot mirror.
func listAll[T any](what string, list func(offset uint) (items any, n int, more bool, err error)) ([]T, error) {
	var out []T
	for offset := uint(0); ; {
		items, n, more, err := list(offset)
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", what, err)
		}
		var batch []T
		if err := convert(items, &batch); err != nil {
			return nil, fmt.Errorf("reading %s: %w", what, err)
		}
		out = append(out, batch...)
		if !more {
			return out, nil
		}
		if n == 0 {
			// "more" with nothing in the page: stopping here would take a
			// truncated list for the whole one.
			return nil, fmt.Errorf("listing %s: the page at offset %d says there is more but holds nothing", what, offset)
		}
		offset += uint(n)
	}
}

func (r *reader) read(ctx context.Context) (*snapshot.PagerDutyState, error) {
	st := &snapshot.PagerDutyState{ServiceOrchestrations: map[string]snapshot.PDOrchestrationPath{}}
	var err error
	st.Services, err = listAll[snapshot.PDService]("services", func(offset uint) (any, int, bool, error) {
		page, err := r.c.ListServicesWithContext(ctx, pd.ListServiceOptions{Limit: 100, Offset: offset, Includes: []string{"integrations"}})
		if err != nil {
			return nil, 0, false, err
		}
		return page.Services, len(page.Services), page.More, nil
	})
	if err != nil {
		return nil, err
	}
	if r.servicesListed != nil {
		r.servicesListed(len(st.Services))
	}
	if r.opts.Progress != nil {
		r.opts.Progress.Services.Store(int64(len(st.Services)))
	}
	st.EscalationPolicies, err = listAll[snapshot.PDEscalationPolicy]("escalation policies", func(offset uint) (any, int, bool, error) {
		page, err := r.c.ListEscalationPoliciesWithContext(ctx, pd.ListEscalationPoliciesOptions{Limit: 100, Offset: offset})
		if err != nil {
			return nil, 0, false, err
		}
		return page.EscalationPolicies, len(page.EscalationPolicies), page.More, nil
	})
	if err != nil {
		return nil, err
	}
	orchestrations, err := listAll[snapshot.PDOrchestration]("event orchestrations", func(offset uint) (any, int, bool, error) {
		page, err := r.c.ListOrchestrationsWithContext(ctx, pd.ListOrchestrationsOptions{Limit: 100, Offset: offset})
		if err != nil {
			return nil, 0, false, err
		}
		return page.Orchestrations, len(page.Orchestrations), page.More, nil
	})
	if err != nil {
		return nil, err
	}
	for _, out := range orchestrations {
		router, err := r.c.GetOrchestrationRouterWithContext(ctx, out.ID, nil)
		if err != nil {
			return nil, fmt.Errorf("reading the router of orchestration %s: %w", out.ID, err)
		}
		out.Router = &snapshot.PDOrchestrationPath{}
		if err := convert(router, out.Router); err != nil {
			return nil, err
		}
		if out.Global, err = r.globalPath(ctx, out.ID); err != nil {
			return nil, err
		}
		unrouted, err := r.c.GetOrchestrationUnroutedWithContext(ctx, out.ID, nil)
		var apiErr pd.APIError
		switch {
		case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound:
		case err != nil:
			return nil, fmt.Errorf("reading the unrouted rules of orchestration %s: %w", out.ID, err)
		default:
			out.Unrouted = &snapshot.PDOrchestrationPath{}
			if err := convert(unrouted, out.Unrouted); err != nil {
				return nil, err
			}
		}
		st.EventOrchestrations = append(st.EventOrchestrations, out)
	}
	for _, s := range st.Services {
		so, err := r.c.GetServiceOrchestrationWithContext(ctx, s.ID, nil)
		var apiErr pd.APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading the orchestration of service %s: %w", s.ID, err)
		}
		var path snapshot.PDOrchestrationPath
		if err := convert(so, &path); err != nil {
			return nil, err
		}
		if len(path.Sets) > 0 {
			st.ServiceOrchestrations[s.ID] = path
		}
	}
	return st, nil
}

// globalPath reads GET /event_orchestrations/{id}/global, which go-pagerduty lacks.
func (r *reader) globalPath(ctx context.Context, id string) (*snapshot.PDOrchestrationPath, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(r.opts.URL, "/")+"/event_orchestrations/"+id+"/global", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Token token="+r.opts.Token)
	req.Header.Set("Accept", "application/vnd.pagerduty+json;version=2")
	resp, err := r.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reading the global rules of orchestration %s: %w", id, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("reading the global rules of orchestration %s: HTTP %d", id, resp.StatusCode)
	}
	var body struct {
		OrchestrationPath snapshot.PDOrchestrationPath `json:"orchestration_path"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("reading the global rules of orchestration %s: %w", id, err)
	}
	return &body.OrchestrationPath, nil
}
