package aws

import (
	"context"

	"golang.org/x/time/rate"
)

// pager is what every aws-sdk-go-v2 paginator is, whatever its service's
// options type O and output T.
type pager[T, O any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*O)) (T, error)
}

// eachPage reads every page of a paginator at the limiter's pace, handing
// each to fn; the first error (the limiter's deadline, the API's, fn's) ends it.
func eachPage[T, O any](ctx context.Context, limiter *rate.Limiter, p pager[T, O], fn func(T) error) error {
	for p.HasMorePages() {
		if err := limiter.Wait(ctx); err != nil {
			return err
		}
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
	}
	return nil
}
