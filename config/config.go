// Package config loads .driftgate.yml: tenants, the conventions that tie an
// alarm to its tenant, SLO, tier and window, inputs, and check settings.
// docs/config.md documents every key.
package config

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// DefaultFile is read when --config is not given and the file exists.
const DefaultFile = ".driftgate.yml"

// ImplicitTenant owns every alarm when no tenants are configured.
const ImplicitTenant = "default"

// Config is the parsed configuration file.
type Config struct {
	// Version of the config format; 1.
	Version int `yaml:"version"`
	// Tenants lists every tenant and its tier bucket.
	Tenants []Tenant `yaml:"tenants"`
	// Conventions tie alarms to tenants, SLOs, tiers and windows.
	Conventions Conventions `yaml:"conventions"`
	// Managed says which live alarms the repository should declare.
	Managed Managed `yaml:"managed"`
	// Inputs name the files to read when flags do not.
	Inputs Inputs `yaml:"inputs"`
	// Checks enable, disable and tune checks.
	Checks CheckSettings `yaml:"checks"`
	// Ignore suppresses findings by resource address and attribute path.
	Ignore []Ignore `yaml:"ignore"`
	// SLOs are native SLO definitions, for teams without OpenSLO, sloth or pyrra.
	SLOs []SLO `yaml:"slos"`
	// AWS says which accounts and regions `--live aws` reads.
	AWS AWS `yaml:"aws"`
	// PagerDuty annotates escalation thresholds PagerDuty's API does not show.
	PagerDuty PagerDuty `yaml:"pagerduty"`
	// Evidence says how metric data and alarm history are read and judged.
	Evidence Evidence `yaml:"evidence"`
	// AlertRules are SQL tables of alert rules (declared alert configuration).
	AlertRules []AlertRuleSource `yaml:"alert_rules"`
	// SLORegistry lists tables of per-tenant SLOs.
	SLORegistry []SLORegistry `yaml:"slo_registry"`
	// History is the run history store, when --history and $DRIFTGATE_HISTORY
	// do not name one.
	History History `yaml:"history"`

	// File is the path the config was read from; "" for the defaults.
	File string `yaml:"-"`

	nameRE   *regexp.Regexp
	pdRE     *regexp.Regexp
	sloLines []int // line of each slos[] entry, for findings about it
	pdLines  []int // line of each pagerduty.thresholds[] entry
	// ignoreLines is the line of each ignore[] entry.
	ignoreLines []int
	// ruleLines and registryLines are the lines of alert_rules[] and slo_registry[].
	ruleLines, registryLines []int
}

// Tenant is one tenant and its tier bucket.
type Tenant struct {
	ID     string `yaml:"id"`
	Bucket string `yaml:"bucket"`
	// EventsPerMinute is the tenant's expected request volume, for the
	// low-traffic check; 0 when unknown.
	EventsPerMinute float64 `yaml:"events_per_minute"`
}

// Conventions say how tenant identity and SLO tiers are derived from an alarm.
type Conventions struct {
	// TenantTag is the tag key holding the tenant ID.
	TenantTag string `yaml:"tenant_tag"`
	// TenantDimension is the CloudWatch dimension holding the tenant ID.
	TenantDimension string `yaml:"tenant_dimension"`
	// AlarmName is a regular expression over alarm names with the named
	// groups tenant, slo, tier and window (each optional).
	AlarmName string `yaml:"alarm_name"`
	// ThresholdUnit says how thresholds are written: ratio (0.052) or
	// percent (5.2).
	ThresholdUnit string `yaml:"threshold_unit"`
	// PagerDutyService is a regular expression over PagerDuty service names
	// whose tenant group names the tenant a service pages for.
	PagerDutyService string `yaml:"pagerduty_service"`
}

// AWS lists the accounts and regions to read.
type AWS struct {
	// Regions read with the ambient credentials when no account is listed.
	Regions  []string     `yaml:"regions"`
	Accounts []AWSAccount `yaml:"accounts"`
	// Timeout bounds the live read, e.g. 2m.
	Timeout string `yaml:"timeout"`
	// MaxAttempts is how often one request is tried (the SDK's retries with
	// backoff included); default 5.
	MaxAttempts int `yaml:"max_attempts"`
	// Stacks run CloudFormation drift detection in every account and region read.
	Stacks []string `yaml:"stacks"`
	// Templates maps a stack to its template in the repository, so its
	// drift points at the resource's line.
	Templates map[string]string `yaml:"templates"`
	// ApplicationSignals reads each account and region's Application
	// Signals SLOs, to judge alarms on their burn rate metrics.
	ApplicationSignals bool `yaml:"application_signals"`
}

// Evidence tunes the metric evidence read with --live aws.
type Evidence struct {
	// Lookback is how far back metric data and alarm history reach; default 24h.
	Lookback string `yaml:"lookback"`
	// FlappingTransitions is how many state changes in the lookback make an
	// alarm flap; default 10.
	FlappingTransitions int `yaml:"flapping_transitions"`
	// Off turns evidence off (as --no-evidence does).
	Off bool `yaml:"off"`
}

// History names the run history store.
type History struct {
	// URL is sqlite:PATH (relative to this file) or postgres://… without a
	// password (PGPASSWORD or a .pgpass file gives it).
	URL string `yaml:"url"`
	// Scope groups the runs compared with each other (--history-scope).
	Scope string `yaml:"scope"`
}

// AWSAccount is one account, read through a role when one is given.
type AWSAccount struct {
	ID      string   `yaml:"id"`
	RoleARN string   `yaml:"role_arn"`
	Regions []string `yaml:"regions"` // default: aws.regions
}

// Managed scopes the unmanaged-alarm check.
type Managed struct {
	Namespaces   []string `yaml:"namespaces"`
	NamePrefixes []string `yaml:"name_prefixes"`
}

// Inputs are paths relative to the config file.
type Inputs struct {
	Plans []string `yaml:"plans"`
	// States are Terraform states read as declared configuration (a sweep
	// that compares what Terraform manages with live, without a plan).
	States       []string `yaml:"states"`
	TerraformDir string   `yaml:"terraform_dir"`
	Live         string   `yaml:"live"`
	SLOs         []string `yaml:"slos"` // SLO spec files; globs allowed
	// RouteTests are routing assertion files; globs allowed.
	RouteTests []string `yaml:"route_tests"`
	// CloudFormation templates declaring alarms; globs allowed.
	CloudFormation []string `yaml:"cloudformation"`
	// CloudFormationParameters resolves the templates' parameters.
	CloudFormationParameters string `yaml:"cloudformation_parameters"`
}

// CheckSettings tune the checks.
type CheckSettings struct {
	FailOn                string            `yaml:"fail_on"`
	DriftTolerancePercent *float64          `yaml:"drift_tolerance_percent"`
	SLOTolerancePercent   *float64          `yaml:"slo_tolerance_percent"`
	Disable               []string          `yaml:"disable"`
	Severity              map[string]string `yaml:"severity"`
	// Locked checks can be neither disabled nor ignored (the ones a team
	// relies on for safety).
	Locked []string `yaml:"locked"`
}

// Ignore is one ignore rule. Every field it sets must match; a rule must
// say why, and may say until when.
type Ignore struct {
	Address   string   `yaml:"address"`
	Attribute string   `yaml:"attribute"`
	Checks    []string `yaml:"checks"`
	Tenant    string   `yaml:"tenant"`
	Account   string   `yaml:"account"`
	Region    string   `yaml:"region"`
	Stack     string   `yaml:"stack"`
	Reason    string   `yaml:"reason"`
	// Until is the last day (YYYY-MM-DD) the rule ignores anything; after
	// it, what it ignored is reported again, with a warning naming the rule.
	Until string `yaml:"until"`
}

// Default is the configuration used when no file exists.
func Default() *Config {
	c := &Config{Version: 1}
	_ = c.compile()
	return c
}

// Load reads and validates a config file. Every problem is reported, each
// with file:line:column.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &input.Error{File: path, Msg: "cannot read config", Err: err}
	}
	return Parse(path, data)
}

// Parse decodes and validates config text; path is used in messages and to
// resolve relative inputs.
func Parse(path string, data []byte) (*Config, error) {
	file, err := input.ParseYAML(path, data)
	if err != nil {
		return nil, err
	}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return nil, &input.Error{File: path, Msg: "config is empty"}
	}
	var c Config
	// Every unknown key and wrong type at once, in file order and in the
	// file's words, before the decoder (which stops at the first) runs.
	if err := input.CheckShape(path, file.Docs[0].Body, reflect.TypeOf(c)); err != nil {
		return nil, err
	}
	if err := input.DecodeYAML(file.Docs[0].Body, &c, true); err != nil {
		return nil, input.YAMLError(path, err)
	}
	c.File = path
	if err := c.validate(file.Docs[0].Body); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Config) validate(root ast.Node) error {
	p := &input.YAMLProblems{File: c.File, Root: root}
	if c.Version != 1 {
		p.Add("$.version", "version must be 1, found %d", c.Version)
	}
	seen := map[string]bool{}
	for i, t := range c.Tenants {
		switch {
		case t.ID == "":
			p.Add(fmt.Sprintf("$.tenants[%d]", i), "tenant has no id")
		case seen[t.ID]:
			p.Add(fmt.Sprintf("$.tenants[%d].id", i), "duplicate tenant %q", t.ID)
		}
		seen[t.ID] = true
		if outside(t.EventsPerMinute, 0, math.MaxFloat64) {
			p.Add(fmt.Sprintf("$.tenants[%d].events_per_minute", i), "events_per_minute must be a number of at least 0, found %g", t.EventsPerMinute)
		}
	}
	switch c.Conventions.ThresholdUnit {
	case "", "ratio", "percent":
	default:
		p.Add("$.conventions.threshold_unit", "threshold_unit must be ratio or percent, found %q", c.Conventions.ThresholdUnit)
	}
	if err := c.compile(); err != nil {
		p.Add("$.conventions.alarm_name", "%v", err)
	}
	if c.Conventions.PagerDutyService != "" {
		re, err := regexp.Compile(c.Conventions.PagerDutyService)
		switch {
		case err != nil:
			p.Add("$.conventions.pagerduty_service", "pagerduty_service is not a regular expression: %v", err)
		case re.SubexpIndex("tenant") < 0:
			p.Add("$.conventions.pagerduty_service", "pagerduty_service needs a (?P<tenant>...) group")
		default:
			c.pdRE = re
		}
	}
	if c.Checks.FailOn != "" {
		if _, err := checks.ParseSeverity(c.Checks.FailOn); err != nil {
			p.Add("$.checks.fail_on", "%v", err)
		}
	}
	if t := c.Checks.DriftTolerancePercent; t != nil && outside(*t, 0, 100) {
		p.Add("$.checks.drift_tolerance_percent", "drift_tolerance_percent must be between 0 and 100, found %g", *t)
	}
	if t := c.Checks.SLOTolerancePercent; t != nil && outside(*t, 0, 100) {
		p.Add("$.checks.slo_tolerance_percent", "slo_tolerance_percent must be between 0 and 100, found %g", *t)
	}
	c.validateSLOs(p)
	c.validatePagerDuty(p)
	c.validateSources(p)
	c.validateHistory(p)
	if c.Evidence.FlappingTransitions < 0 {
		p.Add("$.evidence.flapping_transitions", "flapping_transitions must be at least 1, found %d", c.Evidence.FlappingTransitions)
	}
	if c.Evidence.Lookback != "" {
		if d, err := model.ParseWindow(c.Evidence.Lookback); err == nil && d > 15*24*time.Hour {
			p.Add("$.evidence.lookback", "lookback %s is longer than the 15 days CloudWatch keeps 1-minute data", c.Evidence.Lookback)
		}
	}
	for key, v := range map[string]string{"$.aws.timeout": c.AWS.Timeout, "$.pagerduty.timeout": c.PagerDuty.Timeout, "$.evidence.lookback": c.Evidence.Lookback} {
		if v == "" {
			continue
		}
		if _, err := model.ParseWindow(v); err != nil {
			p.Add(key, "%v", err)
		}
	}
	if c.AWS.MaxAttempts < 0 || c.AWS.MaxAttempts > 20 {
		p.Add("$.aws.max_attempts", "max_attempts must be from 1 to 20, found %d", c.AWS.MaxAttempts)
	}
	for i, a := range c.AWS.Accounts {
		if len(a.ID) != 12 || strings.Trim(a.ID, "0123456789") != "" {
			p.Add(fmt.Sprintf("$.aws.accounts[%d].id", i), "account id must be 12 digits, found %q", a.ID)
		}
		if len(a.Regions) == 0 && len(c.AWS.Regions) == 0 {
			p.Add(fmt.Sprintf("$.aws.accounts[%d]", i), "no regions: set regions here or aws.regions")
		}
	}
	for i, id := range c.Checks.Disable {
		if _, ok := checks.ByID(id); !ok {
			p.Add(fmt.Sprintf("$.checks.disable[%d]", i), "unknown check %q (run `driftgate checks` for the list)", id)
		}
	}
	for id, sev := range c.Checks.Severity {
		if _, ok := checks.ByID(id); !ok {
			p.Add("$.checks.severity."+id, "unknown check %q (run `driftgate checks` for the list)", id)
		}
		if s, err := checks.ParseSeverity(sev); err != nil || s == checks.SeverityNone {
			p.Add("$.checks.severity."+id, "severity must be error, warning or note, found %q", sev)
		}
	}
	locked := map[string]bool{}
	for i, id := range c.Checks.Locked {
		if _, ok := checks.ByID(id); !ok {
			p.Add(fmt.Sprintf("$.checks.locked[%d]", i), "unknown check %q (run `driftgate checks` for the list)", id)
		}
		locked[id] = true
	}
	for i, id := range c.Checks.Disable {
		if locked[id] {
			p.Add(fmt.Sprintf("$.checks.disable[%d]", i), "check %q is locked: it cannot be disabled", id)
		}
	}
	c.ignoreLines = make([]int, len(c.Ignore))
	for i, ig := range c.Ignore {
		at := fmt.Sprintf("$.ignore[%d]", i)
		c.ignoreLines[i] = p.Line(at)
		if ig.Address == "" && ig.Tenant == "" && ig.Account == "" && ig.Region == "" && ig.Stack == "" && len(ig.Checks) == 0 {
			p.Add(at, "ignore rule matches everything: give an address, tenant, account, region, stack or checks")
		}
		if strings.TrimSpace(ig.Reason) == "" {
			p.Add(at, "ignore rule has no reason: say why it is ignored")
		}
		if ig.Until != "" {
			if _, err := time.Parse(time.DateOnly, ig.Until); err != nil {
				p.Add(at+".until", "until must be a date like 2027-03-31, found %q", ig.Until)
			}
		}
		for j, id := range ig.Checks {
			if _, ok := checks.ByID(id); !ok {
				p.Add(fmt.Sprintf("%s.checks[%d]", at, j), "unknown check %q", id)
			} else if locked[id] {
				p.Add(fmt.Sprintf("%s.checks[%d]", at, j), "check %q is locked: it cannot be ignored", id)
			}
		}
	}
	return p.Err()
}

// outside reports whether v is not a finite number from lo to hi: NaN and
// the infinities are outside every range (YAML reads .nan and .inf as floats).
func outside(v, lo, hi float64) bool {
	return math.IsNaN(v) || math.IsInf(v, 0) || v < lo || v > hi
}

func (c *Config) compile() error {
	if c.Conventions.AlarmName == "" {
		return nil
	}
	re, err := regexp.Compile(c.Conventions.AlarmName)
	if err != nil {
		return fmt.Errorf("alarm_name is not a regular expression: %w", err)
	}
	known := map[string]bool{"": true, "tenant": true, "slo": true, "tier": true, "window": true}
	for _, g := range re.SubexpNames() {
		if !known[g] {
			return fmt.Errorf("alarm_name has group %q; known groups are tenant, slo, tier and window", g)
		}
	}
	c.nameRE = re
	return nil
}

// Resolve makes a path from the config file relative to the working directory.
func (c *Config) Resolve(path string) string {
	if path == "" || filepath.IsAbs(path) || c.File == "" {
		return path
	}
	return filepath.Join(filepath.Dir(c.File), path)
}

// Settings turns the check section into the checks' settings.
func (c *Config) Settings() *checks.Settings {
	s := &checks.Settings{
		Disabled:            map[string]bool{},
		Severity:            map[string]checks.Severity{},
		ManagedNamespaces:   c.Managed.Namespaces,
		ManagedPrefixes:     c.Managed.NamePrefixes,
		PagerDutyThresholds: c.pagerDutyThresholds(),
		FlappingTransitions: c.Evidence.FlappingTransitions,
	}
	if c.Checks.DriftTolerancePercent != nil {
		s.DriftTolerance = *c.Checks.DriftTolerancePercent / 100
	}
	s.SLOTolerance = 0.01
	if c.Checks.SLOTolerancePercent != nil {
		s.SLOTolerance = *c.Checks.SLOTolerancePercent / 100
	}
	for _, id := range c.Checks.Disable {
		s.Disabled[id] = true
	}
	for id, sev := range c.Checks.Severity {
		s.Severity[id], _ = checks.ParseSeverity(sev)
	}
	for i, ig := range c.Ignore {
		rule := checks.IgnoreRule{Address: ig.Address, Attribute: ig.Attribute, Checks: ig.Checks, Reason: ig.Reason,
			Tenant: ig.Tenant, Account: ig.Account, Region: ig.Region, Stack: ig.Stack}
		if until, err := time.Parse(time.DateOnly, ig.Until); err == nil {
			rule.Until = until.AddDate(0, 0, 1) // the whole last day
		}
		if i < len(c.ignoreLines) {
			rule.Location = model.Location{File: c.File, Line: c.ignoreLines[i]}
		}
		s.Ignore = append(s.Ignore, rule)
	}
	s.Locked = map[string]bool{}
	for _, id := range c.Checks.Locked {
		s.Locked[id] = true
	}
	return s
}
