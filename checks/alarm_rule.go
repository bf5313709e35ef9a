package checks

import (
	"fmt"
	"strings"
	"unicode"
)

// ruleNode is a parsed CloudWatch composite AlarmRule:
//
//	expr := or; or := and {OR and}; and := unary {AND unary}
//	unary := NOT unary | ( expr ) | STATE(name) | TRUE | FALSE | AT_LEAST(n, STATE, (name, ...))
type ruleNode struct {
	Op    string // OR, AND, NOT, REF, CONST, AT_LEAST
	State string // ALARM, OK, INSUFFICIENT_DATA for REF and AT_LEAST
	Name  string // alarm name for REF (ARNs are reduced to the name)
	Kids  []*ruleNode
}

type ruleParser struct {
	toks []string
	pos  int
}

// parseAlarmRule parses a composite alarm rule.
func parseAlarmRule(rule string) (*ruleNode, error) {
	toks, err := tokenizeRule(rule)
	if err != nil {
		return nil, err
	}
	p := &ruleParser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.pos])
	}
	return n, nil
}

func tokenizeRule(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := rune(s[i])
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '(' || c == ')' || c == ',':
			toks = append(toks, string(c))
			i++
		case c == '"':
			j, b := i+1, strings.Builder{}
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string")
			}
			toks = append(toks, "\""+b.String())
			i = j + 1
		default:
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && !strings.ContainsRune("(),\"", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

func (p *ruleParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *ruleParser) next() string { t := p.peek(); p.pos++; return t }

func (p *ruleParser) expect(t string) error {
	if got := p.next(); got != t {
		return fmt.Errorf("expected %q, found %q", t, got)
	}
	return nil
}

func (p *ruleParser) binary(op string, operand func() (*ruleNode, error)) (*ruleNode, error) {
	n, err := operand()
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek(), op) {
		p.next()
		m, err := operand()
		if err != nil {
			return nil, err
		}
		if n.Op == op {
			n.Kids = append(n.Kids, m)
		} else {
			n = &ruleNode{Op: op, Kids: []*ruleNode{n, m}}
		}
	}
	return n, nil
}

func (p *ruleParser) or() (*ruleNode, error)  { return p.binary("OR", p.and) }
func (p *ruleParser) and() (*ruleNode, error) { return p.binary("AND", p.unary) }

func (p *ruleParser) unary() (*ruleNode, error) {
	switch t := strings.ToUpper(p.next()); t {
	case "NOT":
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &ruleNode{Op: "NOT", Kids: []*ruleNode{n}}, nil
	case "(":
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		return n, p.expect(")")
	case "TRUE", "FALSE":
		return &ruleNode{Op: "CONST", Name: t}, nil
	case "ALARM", "OK", "INSUFFICIENT_DATA":
		if err := p.expect("("); err != nil {
			return nil, err
		}
		name := p.name(p.next())
		return &ruleNode{Op: "REF", State: t, Name: name}, p.expect(")")
	case "AT_LEAST":
		n := &ruleNode{Op: "AT_LEAST"}
		if err := p.expect("("); err != nil {
			return nil, err
		}
		p.next() // the count or percentage
		if err := p.expect(","); err != nil {
			return nil, err
		}
		n.State = strings.ToUpper(p.next())
		if err := p.expect(","); err != nil {
			return nil, err
		}
		if err := p.expect("("); err != nil {
			return nil, err
		}
		for {
			n.Kids = append(n.Kids, &ruleNode{Op: "REF", State: n.State, Name: p.name(p.next())})
			if p.peek() != "," {
				break
			}
			p.next()
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return n, p.expect(")")
	case "":
		return nil, fmt.Errorf("unexpected end of rule")
	default:
		return nil, fmt.Errorf("unexpected %q", t)
	}
}

// name reduces a quoted or bare name, or an alarm ARN, to the alarm name.
func (p *ruleParser) name(tok string) string {
	tok = strings.TrimPrefix(tok, "\"")
	if strings.HasPrefix(tok, "arn:") {
		if i := strings.Index(tok, ":alarm:"); i >= 0 {
			return tok[i+len(":alarm:"):]
		}
	}
	return tok
}

// refs lists the alarms a rule node references, in order.
func (n *ruleNode) refs() []*ruleNode {
	if n.Op == "REF" {
		return []*ruleNode{n}
	}
	var out []*ruleNode
	for _, k := range n.Kids {
		out = append(out, k.refs()...)
	}
	return out
}

// alarmRefs lists the names a rule references, or nil when it does not parse.
func alarmRefs(rule string) []string {
	n, err := parseAlarmRule(rule)
	if err != nil {
		return nil
	}
	var names []string
	for _, r := range n.refs() {
		names = append(names, r.Name)
	}
	return names
}

// canonical prints a rule in one form: states and operators upper-case,
// names unquoted and ARNs reduced to names, so rules that differ only in
// how they are written compare equal.
func (n *ruleNode) canonical() string {
	switch n.Op {
	case "REF":
		return n.State + "(" + n.Name + ")"
	case "CONST":
		return n.Name
	case "NOT":
		return "NOT (" + n.Kids[0].canonical() + ")"
	case "AT_LEAST":
		names := make([]string, len(n.Kids))
		for i, k := range n.Kids {
			names[i] = k.Name
		}
		return "AT_LEAST(" + n.State + ", (" + strings.Join(names, ", ") + "))"
	}
	parts := make([]string, len(n.Kids))
	for i, k := range n.Kids {
		parts[i] = "(" + k.canonical() + ")"
	}
	return strings.Join(parts, " "+n.Op+" ")
}

// canonicalRule is a rule's canonical form, or the rule with its white space
// folded when it does not parse.
func canonicalRule(rule string) string {
	if n, err := parseAlarmRule(rule); err == nil {
		return n.canonical()
	}
	return strings.Join(strings.Fields(rule), " ")
}
