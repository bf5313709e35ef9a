package checks

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// pclExpr is a parsed PagerDuty Condition Language expression:
//
//	expr := and {"or" and}; and := unary {"and" unary}
//	unary := "not" unary | "(" expr ")" | path op
//	op := "matches" STRING | "matches part" STRING | "matches regex" STRING | "exists"
type pclExpr struct {
	op    string // or, and, not, matches, part, regex, exists
	path  string // event.custom_details.AlarmName
	value string
	re    *regexp.Regexp
	kids  []*pclExpr
}

func parsePCL(s string) (*pclExpr, error) {
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

func (p *pclParser) or() (*pclExpr, error)  { return p.chain("or", p.and) }
func (p *pclParser) and() (*pclExpr, error) { return p.chain("and", p.unary) }

func (p *pclParser) chain(op string, operand func() (*pclExpr, error)) (*pclExpr, error) {
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
		if e.op == op {
			e.kids = append(e.kids, f)
		} else {
			e = &pclExpr{op: op, kids: []*pclExpr{e, f}}
		}
	}
	return e, nil
}

func (p *pclParser) unary() (*pclExpr, error) {
	switch t := p.next(); {
	case strings.EqualFold(t, "not"):
		e, err := p.unary()
		return &pclExpr{op: "not", kids: []*pclExpr{e}}, err
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
		e := &pclExpr{path: t}
		switch op := strings.ToLower(p.next()); op {
		case "exists":
			e.op = "exists"
			return e, nil
		case "matches":
			e.op = "matches"
			switch strings.ToLower(p.peek()) {
			case "part":
				p.next()
				e.op = "part"
			case "regex":
				p.next()
				e.op = "regex"
			}
			v := p.next()
			if !strings.HasPrefix(v, "\x00") {
				return nil, fmt.Errorf("%s %s needs a quoted string", t, e.op)
			}
			e.value = v[1:]
			if e.op == "regex" {
				re, err := regexp.Compile(e.value)
				if err != nil {
					return nil, fmt.Errorf("regex %q: %w", e.value, err)
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

// eval evaluates against an event. hook, when set, answers comparisons it
// claims (returning handled=true) before the event is consulted.
func (e *pclExpr) eval(event map[string]any, hook func(*pclExpr) (result, handled bool)) bool {
	switch e.op {
	case "or":
		for _, k := range e.kids {
			if k.eval(event, hook) {
				return true
			}
		}
		return false
	case "and":
		for _, k := range e.kids {
			if !k.eval(event, hook) {
				return false
			}
		}
		return true
	case "not":
		return !e.kids[0].eval(event, hook)
	}
	if hook != nil {
		if r, ok := hook(e); ok {
			return r
		}
	}
	v, ok := lookup(event, e.path)
	switch e.op {
	case "exists":
		return ok
	case "matches":
		return ok && v == e.value
	case "part":
		return ok && strings.Contains(v, e.value)
	case "regex":
		return ok && e.re.MatchString(v)
	}
	return false
}
