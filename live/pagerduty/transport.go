package pagerduty

import (
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"
)

// retrying paces requests and retries 429 (after ratelimit-reset or
// Retry-After seconds) and 5xx answers (with backoff). Only GETs are made,
// so every request can be sent again.
type retrying struct {
	next     http.RoundTripper
	limiter  *rate.Limiter
	attempts int
	progress *Progress
}

func (t *retrying) RoundTrip(req *http.Request) (*http.Response, error) {
	backoff := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		if err := t.limiter.Wait(req.Context()); err != nil {
			return nil, err
		}
		resp, err := t.next.RoundTrip(req)
		if t.progress != nil {
			t.progress.Requests.Add(1)
		}
		if err != nil || attempt >= t.attempts || resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
			return resp, err
		}
		wait := backoff
		if resp.StatusCode == http.StatusTooManyRequests {
			for _, h := range []string{"Ratelimit-Reset", "Retry-After"} {
				if s, err := strconv.Atoi(resp.Header.Get(h)); err == nil {
					wait = time.Duration(s) * time.Second
					break
				}
			}
		}
		resp.Body.Close()
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(wait):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}
