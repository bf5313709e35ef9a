package input

// Strings hands back one copy of each string it is given. A source repeats
// a handful of values across tens of thousands of alarms (namespaces,
// operators, statistics, action ARNs, dimension names and values,
// descriptions); mapped through one Strings, the model keeps each once. Use
// one per load, on one goroutine; the zero value (nil) interns nothing.
type Strings map[string]string

// NewStrings is an empty table.
func NewStrings() Strings { return Strings{} }

// Of is the table's copy of s, which becomes s itself when it is new.
func (t Strings) Of(s string) string {
	if t == nil || s == "" {
		return s
	}
	if c, ok := t[s]; ok {
		return c
	}
	t[s] = s
	return s
}

// All replaces each element of ss by the table's copy, in place, and
// returns ss.
func (t Strings) All(ss []string) []string {
	for i, s := range ss {
		ss[i] = t.Of(s)
	}
	return ss
}
