package cloudformation

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Env is what references resolve against beyond the template: parameter
// values (from a parameters file; template defaults otherwise) and pseudo
// parameters such as AWS::Region. Anything else stays unknown.
type Env struct {
	Parameters map[string]string
	Pseudo     map[string]string
}

// resolver evaluates intrinsics. A result is known only when everything it
// depends on is; an unknown result is never a guess.
type resolver struct {
	t     *Template
	env   Env
	conds map[string]tri
	busy  map[string]bool
	names map[string]string // alarm logical ID -> resolved AlarmName
}

type tri int

const (
	triUnknown tri = iota
	triTrue
	triFalse
)

// noValue marks AWS::NoValue: the property is removed.
var noValue = &Value{Kind: Null, Str: "AWS::NoValue"}

func newResolver(t *Template, env Env) *resolver {
	return &resolver{t: t, env: env, conds: map[string]tri{}, busy: map[string]bool{}, names: map[string]string{}}
}

func str(s string, line int) *Value { return &Value{Kind: String, Str: s, Line: line} }

// eval resolves a value; known is false when it depends on something unknown.
func (r *resolver) eval(v *Value) (*Value, bool) {
	if v == nil {
		return nil, true
	}
	if fn, arg, ok := v.Intrinsic(); ok {
		return r.call(fn, arg, v.Line)
	}
	switch v.Kind {
	case List:
		out := &Value{Kind: List, Line: v.Line, Column: v.Column}
		known := true
		for _, e := range v.List {
			ev, k := r.eval(e)
			known = known && k
			if ev != noValue {
				out.List = append(out.List, ev)
			}
		}
		return out, known
	case Map:
		out := &Value{Kind: Map, Line: v.Line, Column: v.Column, Members: map[string]*Value{}, KeyLines: v.KeyLines}
		known := true
		for _, k := range v.Keys {
			ev, kk := r.eval(v.Members[k])
			known = known && kk
			if ev != noValue {
				out.Keys = append(out.Keys, k)
				out.Members[k] = ev
			}
		}
		return out, known
	}
	return v, true
}

func (r *resolver) call(fn string, arg *Value, line int) (*Value, bool) {
	unknown := str("<unknown>", line)
	switch fn {
	case "Ref":
		return r.ref(arg.Str, line)
	case "Fn::GetAtt":
		if arg.Kind != List || len(arg.List) != 2 {
			return unknown, false
		}
		return r.getAtt(arg.List[0].Str, arg.List[1].Str, line)
	case "Fn::Sub":
		return r.sub(arg, line)
	case "Fn::Join":
		if arg.Kind != List || len(arg.List) != 2 {
			return unknown, false
		}
		delim, k1 := r.eval(arg.List[0])
		list, k2 := r.eval(arg.List[1])
		if !k1 || !k2 || list.Kind != List {
			return unknown, false
		}
		parts := make([]string, len(list.List))
		for i, p := range list.List {
			parts[i] = p.Str
		}
		return str(strings.Join(parts, delim.Str), line), true
	case "Fn::Select":
		if arg.Kind != List || len(arg.List) != 2 {
			return unknown, false
		}
		idx, k1 := r.eval(arg.List[0])
		list, k2 := r.eval(arg.List[1])
		i, err := strconv.Atoi(idx.Str)
		if !k1 || !k2 || err != nil || list.Kind != List || i < 0 || i >= len(list.List) {
			return unknown, false
		}
		return list.List[i], true
	case "Fn::Split":
		if arg.Kind != List || len(arg.List) != 2 {
			return unknown, false
		}
		delim, k1 := r.eval(arg.List[0])
		s, k2 := r.eval(arg.List[1])
		if !k1 || !k2 {
			return unknown, false
		}
		out := &Value{Kind: List, Line: line}
		for _, p := range strings.Split(s.Str, delim.Str) {
			out.List = append(out.List, str(p, line))
		}
		return out, true
	case "Fn::FindInMap":
		if arg.Kind != List || len(arg.List) != 3 {
			return unknown, false
		}
		var keys [3]string
		for i, a := range arg.List {
			v, k := r.eval(a)
			if !k {
				return unknown, false
			}
			keys[i] = v.Str
		}
		if v := r.t.Mappings.Get(keys[0]).Get(keys[1]).Get(keys[2]); v != nil {
			return r.eval(v)
		}
		return unknown, false
	case "Fn::If":
		if arg.Kind != List || len(arg.List) != 3 {
			return unknown, false
		}
		switch r.condition(arg.List[0].Str) {
		case triTrue:
			return r.eval(arg.List[1])
		case triFalse:
			return r.eval(arg.List[2])
		}
		return unknown, false
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition":
		switch r.boolean(fn, arg) {
		case triTrue:
			return &Value{Kind: Bool, Bool: true, Str: "true", Line: line}, true
		case triFalse:
			return &Value{Kind: Bool, Bool: false, Str: "false", Line: line}, true
		}
		return unknown, false
	}
	// ImportValue, GetAZs, Base64, Cidr, Transform...: depend on the world.
	return str("<"+fn+">", line), false
}

var pseudoDefaults = map[string]string{"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}

func (r *resolver) ref(name string, line int) (*Value, bool) {
	if name == "AWS::NoValue" {
		return noValue, true
	}
	if v, ok := r.env.Pseudo[name]; ok {
		return str(v, line), true
	}
	if v, ok := pseudoDefaults[name]; ok {
		return str(v, line), true
	}
	if p, ok := r.t.Parameters[name]; ok {
		if v, ok := r.env.Parameters[name]; ok {
			return str(v, line), true
		}
		if d := p.Get("Default"); d != nil {
			return r.eval(d)
		}
		return str("<parameter "+name+">", line), false
	}
	if res, ok := r.t.Resource(name); ok && isAlarm(res.Type) {
		// Ref of an alarm is its name.
		if n, ok := r.alarmName(res); ok {
			return str(n, line), true
		}
	}
	return str("<ref "+name+">", line), false
}

func (r *resolver) getAtt(resource, attr string, line int) (*Value, bool) {
	if res, ok := r.t.Resource(resource); ok && isAlarm(res.Type) && attr == "Arn" {
		// The account and region are not in the template; composite rules
		// only need the name, which the ARN ends with.
		if n, ok := r.alarmName(res); ok {
			region, account := r.env.Pseudo["AWS::Region"], r.env.Pseudo["AWS::AccountId"]
			return str(fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", region, account, n), line), true
		}
	}
	return str("<"+resource+"."+attr+">", line), false
}

// alarmName resolves an alarm resource's AlarmName; without one
// CloudFormation generates a name, which is unknown.
func (r *resolver) alarmName(res Resource) (string, bool) {
	if n, ok := r.names[res.LogicalID]; ok {
		return n, n != ""
	}
	if r.busy["name:"+res.LogicalID] {
		return "", false
	}
	r.busy["name:"+res.LogicalID] = true
	defer delete(r.busy, "name:"+res.LogicalID)
	v, known := r.eval(res.Properties.Get("AlarmName"))
	if v == nil || !known {
		r.names[res.LogicalID] = ""
		return "", false
	}
	r.names[res.LogicalID] = v.Str
	return v.Str, true
}

var subVar = regexp.MustCompile(`\$\{([^}!][^}]*)\}`)

func (r *resolver) sub(arg *Value, line int) (*Value, bool) {
	tmpl, vars := arg, map[string]*Value{}
	if arg.Kind == List && len(arg.List) == 2 {
		tmpl = arg.List[0]
		if m := arg.List[1]; m.Kind == Map {
			for k, v := range m.Members {
				vars[k] = v
			}
		}
	}
	known := true
	out := subVar.ReplaceAllStringFunc(tmpl.Str, func(m string) string {
		name := m[2 : len(m)-1]
		var v *Value
		k := true
		switch {
		case vars[name] != nil:
			v, k = r.eval(vars[name])
		case strings.Contains(name, "."):
			res, attr, _ := strings.Cut(name, ".")
			v, k = r.getAtt(res, attr, line)
		default:
			v, k = r.ref(name, line)
		}
		known = known && k
		return v.Str
	})
	out = strings.ReplaceAll(out, "${!", "${")
	return str(out, line), known
}

// condition evaluates a named condition once.
func (r *resolver) condition(name string) tri {
	if v, ok := r.conds[name]; ok {
		return v
	}
	if r.busy["cond:"+name] {
		return triUnknown
	}
	r.busy["cond:"+name] = true
	defer delete(r.busy, "cond:"+name)
	c, ok := r.t.Conditions[name]
	if !ok {
		return triUnknown
	}
	fn, arg, ok := c.Intrinsic()
	res := triUnknown
	if ok {
		res = r.boolean(fn, arg)
	}
	r.conds[name] = res
	return res
}

func (r *resolver) boolean(fn string, arg *Value) tri {
	operands := func() []tri {
		var out []tri
		for _, a := range arg.List {
			if f, x, ok := a.Intrinsic(); ok {
				out = append(out, r.boolean(f, x))
			} else {
				out = append(out, triUnknown)
			}
		}
		return out
	}
	switch fn {
	case "Condition":
		return r.condition(arg.Str)
	case "Fn::Equals":
		if arg.Kind != List || len(arg.List) != 2 {
			return triUnknown
		}
		a, k1 := r.eval(arg.List[0])
		b, k2 := r.eval(arg.List[1])
		if !k1 || !k2 {
			return triUnknown
		}
		if a.Str == b.Str {
			return triTrue
		}
		return triFalse
	case "Fn::Not":
		if arg.Kind != List || len(arg.List) != 1 {
			return triUnknown
		}
		switch operands()[0] {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
	case "Fn::And", "Fn::Or":
		decided, want := triFalse, triTrue // And: any false decides false
		if fn == "Fn::Or" {
			decided, want = triTrue, triFalse
		}
		all := true
		for _, o := range operands() {
			if o == decided {
				return decided
			}
			all = all && o == want
		}
		if all {
			return want
		}
	}
	return triUnknown
}
