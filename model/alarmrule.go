package model

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// RuleNode is a parsed CloudWatch composite AlarmRule:
//
//	expr := or; or := and {OR and}; and := unary {AND unary}
//	unary := NOT unary | ( expr ) | STATE(name) | TRUE | FALSE | AT_LEAST(n, STATE, (name, ...))
type RuleNode struct {
	Op    string // OR, AND, NOT, REF, CONST, AT_LEAST
	State string // ALARM, OK, INSUFFICIENT_DATA for REF and AT_LEAST
	Name  string // alarm name for REF (ARNs are reduced to the name)
	Kids  []*RuleNode
}

type ruleParser struct {
	toks []string
	pos  int
}

// ParseAlarmRule parses a composite alarm rule.
func ParseAlarmRule(rule string) (*RuleNode, error) {
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
	// About one token in eight characters (ALARM ( "name" ) AND ...): one
	// allocation for most rules instead of five as the list doubles.
	toks := make([]string, 0, 8+len(s)/8)
	for i := 0; i < len(s); {
		c := rune(s[i])
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '(' || c == ')' || c == ',':
			toks = append(toks, s[i:i+1])
			i++
		case c == '"':
			j, escaped := i+1, false
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j, escaped = j+1, true
				}
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string")
			}
			if !escaped {
				toks = append(toks, s[i:j]) // the opening quote marks it a name
			} else {
				b := strings.Builder{}
				b.WriteByte('"')
				for k := i + 1; k < j; k++ {
					if s[k] == '\\' && k+1 < j {
						k++
					}
					b.WriteByte(s[k])
				}
				toks = append(toks, b.String())
			}
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

func (p *ruleParser) binary(op string, operand func() (*RuleNode, error)) (*RuleNode, error) {
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
			n = &RuleNode{Op: op, Kids: []*RuleNode{n, m}}
		}
	}
	return n, nil
}

func (p *ruleParser) or() (*RuleNode, error)  { return p.binary("OR", p.and) }
func (p *ruleParser) and() (*RuleNode, error) { return p.binary("AND", p.unary) }

func (p *ruleParser) unary() (*RuleNode, error) {
	switch t := strings.ToUpper(p.next()); t {
	case "NOT":
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &RuleNode{Op: "NOT", Kids: []*RuleNode{n}}, nil
	case "(":
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		return n, p.expect(")")
	case "TRUE", "FALSE":
		return &RuleNode{Op: "CONST", Name: t}, nil
	case "ALARM", "OK", "INSUFFICIENT_DATA":
		if err := p.expect("("); err != nil {
			return nil, err
		}
		name := p.name(p.next())
		return &RuleNode{Op: "REF", State: t, Name: name}, p.expect(")")
	case "AT_LEAST":
		n := &RuleNode{Op: "AT_LEAST"}
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
			n.Kids = append(n.Kids, &RuleNode{Op: "REF", State: n.State, Name: p.name(p.next())})
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

// Refs lists the alarms a rule node references, in order.
func (n *RuleNode) Refs() []*RuleNode {
	if n.Op == "REF" {
		return []*RuleNode{n}
	}
	var out []*RuleNode
	for _, k := range n.Kids {
		out = append(out, k.Refs()...)
	}
	return out
}

// AlarmRefs lists the names a rule references, or nil when it does not parse.
func AlarmRefs(rule string) []string {
	n, err := ParseAlarmRule(rule)
	if err != nil {
		return nil
	}
	var names []string
	for _, r := range n.Refs() {
		names = append(names, r.Name)
	}
	return names
}

// Canonical prints a rule in one form: states, operators and constants
// upper-case, names quoted and ARNs reduced to names, single spaces, and
// parentheses only where an operand mixes AND and OR. Rules that differ only
// in how they are written print the same, and a rule written in the usual
// style (ALARM("a") AND ALARM("b")) prints as it was written.
func (n *RuleNode) Canonical() string {
	switch n.Op {
	case "REF":
		return n.State + "(" + strconv.Quote(n.Name) + ")"
	case "CONST":
		return n.Name
	case "NOT":
		return "NOT " + n.Kids[0].operand("NOT")
	case "AT_LEAST":
		names := make([]string, len(n.Kids))
		for i, k := range n.Kids {
			names[i] = strconv.Quote(k.Name)
		}
		return "AT_LEAST(" + n.State + ", (" + strings.Join(names, ", ") + "))"
	}
	parts := make([]string, len(n.Kids))
	for i, k := range n.Kids {
		parts[i] = k.operand(n.Op)
	}
	return strings.Join(parts, " "+n.Op+" ")
}

// operand prints a node inside an operator: bracketed when it is another
// binary operator (or any binary operator under NOT).
func (n *RuleNode) operand(parent string) string {
	if (n.Op == "AND" || n.Op == "OR") && (parent == "NOT" || n.Op != parent) {
		return "(" + n.Canonical() + ")"
	}
	return n.Canonical()
}

// CanonicalRule is a rule's canonical form, or the rule with its white space
// folded when it does not parse.
func CanonicalRule(rule string) string {
	if n, err := ParseAlarmRule(rule); err == nil {
		return n.Canonical()
	}
	return strings.Join(strings.Fields(rule), " ")
}
