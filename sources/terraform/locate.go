package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"

	"github.com/driftgate/driftgate/model"
)

// Locator maps resource addresses to the file and line of their resource
// block, by parsing the configuration's .tf files with hashicorp/hcl.
type Locator struct {
	// blocks maps a configuration address without instance keys
	// (module.a.module.b.aws_x.y) to its block's location.
	blocks map[string]model.Location
	files  []string
}

// NewLocator parses the .tf files of the root module in dir and of every
// module the plan's configuration calls: local sources relative to their
// caller, others through .terraform/modules/modules.json when present.
// rel makes reported paths relative to the repository root.
func NewLocator(dir string, cfg *Configuration, rel func(string) string) (*Locator, error) {
	l := &Locator{blocks: map[string]model.Location{}}
	installed := installedModules(dir)
	parser := hclparse.NewParser()
	var errs []error
	var walk func(prefix, key, moduleDir string, m *ConfigModule)
	walk = func(prefix, key, moduleDir string, m *ConfigModule) {
		calls, err := l.parseDir(parser, prefix, moduleDir, rel)
		if err != nil {
			errs = append(errs, err)
		}
		if m == nil {
			// No configuration section (a state, not a plan): the module
			// blocks of the sources themselves say where children live.
			m = &ConfigModule{ModuleCalls: map[string]ModuleCall{}}
			for name, source := range calls {
				m.ModuleCalls[name] = ModuleCall{Source: source}
			}
			if len(calls) == 0 {
				return
			}
		}
		for name, call := range m.ModuleCalls {
			childKey := strings.TrimPrefix(key+"."+name, ".")
			childDir, ok := installed[childKey]
			if !ok && (strings.HasPrefix(call.Source, "./") || strings.HasPrefix(call.Source, "../")) {
				childDir, ok = filepath.Join(moduleDir, call.Source), true
			}
			if ok {
				walk(prefix+"module."+name+".", childKey, childDir, &call.Module)
			}
		}
	}
	var root *ConfigModule
	if cfg != nil {
		root = &cfg.RootModule
	}
	walk("", "", dir, root)
	return l, errors.Join(errs...)
}

// parseDir records the resource blocks of one module directory and returns
// its module calls (name -> literal source).
func (l *Locator) parseDir(parser *hclparse.Parser, prefix, dir string, rel func(string) string) (map[string]string, error) {
	calls := map[string]string{}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return calls, nil
	}
	if err != nil {
		return calls, fmt.Errorf("reading Terraform sources: %w", err)
	}
	var diags hcl.Diagnostics
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tf") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, d := parser.ParseHCLFile(path)
		diags = append(diags, d...)
		if f == nil {
			continue
		}
		l.files = append(l.files, rel(path))
		content, _, _ := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
			{Type: "resource", LabelNames: []string{"type", "name"}},
			{Type: "data", LabelNames: []string{"type", "name"}},
			{Type: "module", LabelNames: []string{"name"}},
		}})
		for _, b := range content.Blocks {
			if b.Type == "module" {
				attrs, _ := b.Body.JustAttributes()
				if src, ok := attrs["source"]; ok {
					if v, d := src.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String {
						calls[b.Labels[0]] = v.AsString()
					}
				}
				continue
			}
			addr := prefix + b.Labels[0] + "." + b.Labels[1]
			if b.Type == "data" {
				addr = prefix + "data." + addr[len(prefix):]
			}
			l.blocks[addr] = model.Location{File: rel(path), Line: b.DefRange.Start.Line}
		}
	}
	if diags.HasErrors() {
		return calls, fmt.Errorf("parsing Terraform sources: %w", diags)
	}
	return calls, nil
}

// Files lists the .tf files parsed, as reported paths.
func (l *Locator) Files() []string { return l.files }

// Locate returns the resource block of an instance address.
func (l *Locator) Locate(address string) (model.Location, bool) {
	loc, ok := l.blocks[StripKeys(address)]
	return loc, ok
}

// StripKeys removes instance keys: module.a["x"].aws_b.c[0] -> module.a.aws_b.c.
// It works on bytes: its delimiters are ASCII, which never occur inside a
// multi-byte UTF-8 character.
func StripKeys(address string) string {
	if strings.IndexByte(address, '[') < 0 {
		return address
	}
	b := make([]byte, 0, len(address))
	depth, inString, escaped := 0, false, false
	for i := range len(address) {
		c := address[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth > 0 && c == '"':
			inString = true
		case depth == 0:
			b = append(b, c)
		}
	}
	return string(b)
}

// installedModules reads the module directories `terraform init` recorded.
func installedModules(dir string) map[string]string {
	out := map[string]string{}
	data, err := os.ReadFile(filepath.Join(dir, ".terraform", "modules", "modules.json"))
	if err != nil {
		return out
	}
	var manifest struct {
		Modules []struct{ Key, Dir string }
	}
	if json.Unmarshal(data, &manifest) != nil {
		return out
	}
	for _, m := range manifest.Modules {
		if m.Key != "" {
			out[m.Key] = filepath.Join(dir, m.Dir)
		}
	}
	return out
}
