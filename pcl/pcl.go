// Package pcl parses and evaluates PagerDuty Condition Language, the
// conditions of event orchestration rules, against an alarm's event.
package pcl

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Expr is a parsed PagerDuty Condition Language expression:
//
//	expr := and {"or" and}; and := unary {"and" unary}
//	unary := "not" unary | "(" expr ")" | path op
//	op := "matches" STRING | "matches part" STRING | "matches regex" STRING | "exists"
type Expr struct {
	Op    string // or, and, not, matches, part, regex, exists
	Path  string // event.custom_details.AlarmName
	Value string
	re    *regexp.Regexp
	kids  []*Expr
}

// Parse parses one condition.
func Parse(s string) (*Expr, error) {
	toks, err := pclTokens(s)
	if err != nil {
		return nil, err
	}
	p := &pclParser{toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.pos])
	}
	return e, nil
}

func pclTokens(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case unicode.IsSpace(rune(c)):
			i++
		case c == '(' || c == ')':
			toks = append(toks, string(c))
			i++
		case c == '"' || c == '\'':
			j := i + 1
			var b strings.Builder
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string")
			}
			toks = append(toks, "\x00"+b.String())
			i = j + 1
		default:
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && s[j] != '(' && s[j] != ')' {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

type pclParser struct {
	toks []string
	pos  int
}

func (p *pclParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *pclParser) next() string { t := p.peek(); p.pos++; return t }

func (p *pclParser) or() (*Expr, error)  { return p.chain("or", p.and) }
func (p *pclParser) and() (*Expr, error) { return p.chain("and", p.unary) }

func (p *pclParser) chain(op string, operand func() (*Expr, error)) (*Expr, error) {
	e, err := operand()
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek(), op) {
		p.next()
		f, err := operand()
		if err != nil {
			return nil, err
		}
		if e.Op == op {
			e.kids = append(e.kids, f)
		} else {
			e = &Expr{Op: op, kids: []*Expr{e, f}}
		}
	}
	return e, nil
}

func (p *pclParser) unary() (*Expr, error) {
	switch t := p.next(); {
	case strings.EqualFold(t, "not"):
		e, err := p.unary()
		return &Expr{Op: "not", kids: []*Expr{e}}, err
	case t == "(":
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.next() != ")" {
			return nil, fmt.Errorf("missing )")
		}
		return e, nil
	case strings.HasPrefix(t, "event.") || strings.HasPrefix(t, "raw_event."):
		e := &Expr{Path: t}
		switch op := strings.ToLower(p.next()); op {
		case "exists":
			e.Op = "exists"
			return e, nil
		case "matches":
			e.Op = "matches"
			switch strings.ToLower(p.peek()) {
			case "part":
				p.next()
				e.Op = "part"
			case "regex":
				p.next()
				e.Op = "regex"
			}
			v := p.next()
			if !strings.HasPrefix(v, "\x00") {
				return nil, fmt.Errorf("%s %s needs a quoted string", t, e.Op)
			}
			e.Value = v[1:]
			if e.Op == "regex" {
				re, err := regexp.Compile(e.Value)
				if err != nil {
					return nil, fmt.Errorf("regex %q: %w", e.Value, err)
				}
				e.re = re
			}
			return e, nil
		default:
			return nil, fmt.Errorf("unknown operator %q after %s", op, t)
		}
	case t == "":
		return nil, fmt.Errorf("unexpected end of condition")
	default:
		return nil, fmt.Errorf("unexpected %q", t)
	}
}

// lookup reads a dotted path of an event.
func lookup(event map[string]any, path string) (string, bool) {
	parts := strings.Split(strings.TrimPrefix(strings.TrimPrefix(path, "raw_event."), "event."), ".")
	var cur any = event
	for _, p := range parts {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		if cur, ok = m[p]; !ok {
			return "", false
		}
	}
	switch v := cur.(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case nil:
		return "", false
	}
	return fmt.Sprint(cur), true
}

// Eval evaluates against an event. hook, when set, answers comparisons it
// claims (returning handled=true) before the event is consulted.
func (e *Expr) Eval(event map[string]any, hook func(*Expr) (result, handled bool)) bool {
	switch e.Op {
	case "or":
		for _, k := range e.kids {
			if k.Eval(event, hook) {
				return true
			}
		}
		return false
	case "and":
		for _, k := range e.kids {
			if !k.Eval(event, hook) {
				return false
			}
		}
		return true
	case "not":
		return !e.kids[0].Eval(event, hook)
	}
	if hook != nil {
		if r, ok := hook(e); ok {
			return r
		}
	}
	v, ok := lookup(event, e.Path)
	switch e.Op {
	case "exists":
		return ok
	case "matches":
		return ok && v == e.Value
	case "part":
		return ok && strings.Contains(v, e.Value)
	case "regex":
		return ok && e.re.MatchString(v)
	}
	return false
}

// Cache parses each distinct condition once: a run evaluates the same rules
// against every alarm, from every check that follows routes. It is safe for
// concurrent use.
type Cache struct {
	mu     sync.RWMutex
	parsed map[string]cached
}

type cached struct {
	e   *Expr
	err error
}

// Parse returns the condition parsed, from the cache when it was before.
func (c *Cache) Parse(s string) (*Expr, error) {
	c.mu.RLock()
	p, ok := c.parsed[s]
	c.mu.RUnlock()
	if ok {
		return p.e, p.err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.parsed[s]; ok {
		return p.e, p.err
	}
	if c.parsed == nil {
		c.parsed = map[string]cached{}
	}
	e, err := Parse(s)
	c.parsed[s] = cached{e, err}
	return e, err
}

// Len is how many distinct conditions were parsed.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.parsed)
}
