package aws

import (
	"context"
	"sync"
	"time"
)

// NameList is the alarm names a PR-mode read asks for, learnt while the
// read runs: the plan's decoder adds each declared alarm's name as it
// reaches it, and the run closes the list with the final set once every
// input is read. DescribeAlarms and GetResources go out a batch at a time
// as the names arrive, so the live read overlaps the plans' decoding.
//
// A name added early that the final set leaves out (an alarm whose name a
// later sensitivity mark hides) is read but dropped: the snapshot holds
// exactly the alarms of the final set, as if the read had started last.
type NameList struct {
	mu     sync.Mutex
	names  []string // in arrival order, each once
	seen   map[string]bool
	final  map[string]bool // set by Close
	closed chan struct{}
	// grew is closed, and replaced, whenever a batch fills or the list
	// closes: readers wait on it for their next batch.
	grew chan struct{}
}

// NewNameList is an open, empty list.
func NewNameList() *NameList {
	return &NameList{seen: map[string]bool{}, closed: make(chan struct{}), grew: make(chan struct{})}
}

// closedNames is a list already closed on names: what a read given its
// names up front uses.
func closedNames(names []string) *NameList {
	l := NewNameList()
	l.Close(names)
	return l
}

// Add adds names that may be read (each once); after Close it does nothing.
func (l *NameList) Add(names ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.final != nil {
		return
	}
	l.add(names)
}

func (l *NameList) add(names []string) {
	for _, n := range names {
		if n == "" || l.seen[n] {
			continue
		}
		l.seen[n] = true
		l.names = append(l.names, n)
		if len(l.names)%batchSize == 0 {
			close(l.grew)
			l.grew = make(chan struct{})
		}
	}
}

// Close ends the list: final is every name the read is for. Only the
// first Close counts.
func (l *NameList) Close(final []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.final != nil {
		return
	}
	l.add(final)
	l.final = make(map[string]bool, len(final))
	for _, n := range final {
		l.final[n] = true
	}
	close(l.grew)
	close(l.closed)
}

// batchSize is how many names one DescribeAlarms or GetResources call
// takes: the APIs' limit.
const batchSize = 100

// each calls fn with the names a batch at a time as they arrive: full
// batches while the list is open, then what is left once it closes. It
// ends when the list has closed and every name was handed over, or at
// fn's first error, or the context's.
func (l *NameList) each(ctx context.Context, fn func(names []string) error) error {
	for from := 0; ; {
		l.mu.Lock()
		end := min(from+batchSize, len(l.names))
		full, closed := end-from == batchSize, l.final != nil
		batch, grew := l.names[from:max(from, end)], l.grew
		l.mu.Unlock()
		switch {
		case full || closed && len(batch) > 0:
			if err := fn(batch); err != nil {
				return err
			}
			from += len(batch)
		case closed:
			return nil
		default:
			select {
			case <-grew:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

// dropped says whether an alarm read by name is not in the final set (a
// name added early and then left out). Only asked once the list is closed.
func (l *NameList) dropped(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seen[name] && !l.final[name]
}

// timeoutAfter is a context that ends timeout after ready is closed, or
// when its parent ends: a read's timeout counts from when it knows every
// name it is to read, not from while the plans are still being decoded.
// Its error is context.DeadlineExceeded once the timeout passes, as
// context.WithTimeout's would be, for it and for contexts made from it.
type timeoutAfter struct {
	parent context.Context
	done   chan struct{}
	once   sync.Once
	err    error // written before done is closed

	mu       sync.Mutex
	deadline time.Time
	stop     func() bool
}

func withTimeoutAfter(parent context.Context, ready <-chan struct{}, timeout time.Duration) (context.Context, context.CancelFunc) {
	c := &timeoutAfter{parent: parent, done: make(chan struct{})}
	stopParent := context.AfterFunc(parent, func() { c.end(parent.Err()) })
	go func() {
		select {
		case <-ready:
		case <-c.done:
			return
		}
		c.mu.Lock()
		c.deadline = time.Now().Add(timeout)
		c.stop = time.AfterFunc(timeout, func() { c.end(context.DeadlineExceeded) }).Stop
		c.mu.Unlock()
	}()
	return c, func() {
		stopParent()
		c.end(context.Canceled)
		c.mu.Lock()
		if c.stop != nil {
			c.stop()
		}
		c.mu.Unlock()
	}
}

func (c *timeoutAfter) end(err error) {
	c.once.Do(func() {
		c.err = err
		close(c.done)
	})
}

func (c *timeoutAfter) Deadline() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d, ok := c.parent.Deadline(); ok && (c.deadline.IsZero() || d.Before(c.deadline)) {
		return d, true
	}
	return c.deadline, !c.deadline.IsZero()
}

func (c *timeoutAfter) Done() <-chan struct{} { return c.done }

func (c *timeoutAfter) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

func (c *timeoutAfter) Value(key any) any { return c.parent.Value(key) }
