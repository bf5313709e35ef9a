package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// AlertRuleSource is one SQL table of alert rules, read as declared alert
// configuration (docs/sources.md).
type AlertRuleSource struct {
	// Name labels the source in findings; default the driver and table.
	Name string `yaml:"name"`
	// Driver is postgres, mysql (MySQL or MariaDB) or sqlite.
	Driver string `yaml:"driver"`
	// DSNEnv names the environment variable holding the DSN: the DSN is
	// never written in the config and never printed.
	DSNEnv string `yaml:"dsn_env"`
	// Query selects the rules; default DefaultAlertRulesQuery.
	Query string `yaml:"query"`
	// Table names the table in findings; default alert_rules.
	Table string `yaml:"table"`
	// Columns maps driftgate's column names to the query's.
	Columns map[string]string `yaml:"columns"`
	// Timeout bounds the query (statement timeout and connection); default 30s.
	Timeout string `yaml:"timeout"`
}

// DefaultAlertRulesQuery is what a source without a query runs.
const DefaultAlertRulesQuery = "SELECT * FROM alert_rules WHERE service_type = 'multi_tenant'"

// AlertRuleColumns are the columns a rule has, each named by default as here.
var AlertRuleColumns = []string{"rule_id", "tenant_id", "metric", "window", "threshold_percent", "severity", "alarm_name", "pagerduty_service"}

// RequiredAlertRuleColumns must be in every query's result.
var RequiredAlertRuleColumns = []string{"rule_id", "tenant_id", "threshold_percent"}

// SLORegistry is one table of per-tenant SLOs.
type SLORegistry struct {
	DynamoDB *DynamoDBTable `yaml:"dynamodb"`
	// Attributes maps driftgate's attribute names to the table's.
	Attributes map[string]string `yaml:"attributes"`
}

// DynamoDBTable names a DynamoDB table and where it lives.
type DynamoDBTable struct {
	Table  string `yaml:"table"`
	Region string `yaml:"region"`
	// Account selects the aws.accounts entry whose role reads the table;
	// default the ambient credentials.
	Account string `yaml:"account"`
}

// RegistryAttributes are a registry item's attributes, each named by default as here.
var RegistryAttributes = []string{"tenant_id", "service", "slo", "objective", "period_days", "tiers"}

func (c *Config) validateSources(p *input.YAMLProblems) {
	c.ruleLines = make([]int, len(c.AlertRules))
	names := map[string]bool{}
	for i, s := range c.AlertRules {
		at := fmt.Sprintf("$.alert_rules[%d]", i)
		c.ruleLines[i] = p.Line(at)
		switch s.Driver {
		case "postgres", "mysql", "sqlite":
		case "":
			p.Add(at, "alert rule source has no driver: postgres, mysql or sqlite")
		default:
			p.Add(at+".driver", "driver must be postgres, mysql or sqlite, found %q", s.Driver)
		}
		if s.DSNEnv == "" {
			p.Add(at, "alert rule source has no dsn_env: name the environment variable that holds the DSN (never the DSN itself)")
		} else if strings.Contains(s.DSNEnv, "://") || strings.ContainsAny(s.DSNEnv, " =/") {
			p.Add(at+".dsn_env", "dsn_env names an environment variable (such as ALERT_RULES_DSN), not a DSN")
		}
		for k := range s.Columns {
			if !slices.Contains(AlertRuleColumns, k) {
				p.Add(at+".columns."+k, "unknown column %q (known: %s)", k, strings.Join(AlertRuleColumns, ", "))
			}
		}
		if s.Timeout != "" {
			if _, err := model.ParseWindow(s.Timeout); err != nil {
				p.Add(at+".timeout", "%v", err)
			}
		}
		name := c.alertRuleSpec(i).Name
		if names[name] {
			p.Add(at, "two alert rule sources are named %q: give each a name", name)
		}
		names[name] = true
	}
	c.registryLines = make([]int, len(c.SLORegistry))
	for i, r := range c.SLORegistry {
		at := fmt.Sprintf("$.slo_registry[%d]", i)
		c.registryLines[i] = p.Line(at)
		if r.DynamoDB == nil {
			p.Add(at, "registry names no table: give dynamodb: {table, region}")
			continue
		}
		if r.DynamoDB.Table == "" {
			p.Add(at+".dynamodb", "registry has no table")
		}
		if r.DynamoDB.Region == "" && len(c.AWS.Regions) == 0 {
			p.Add(at+".dynamodb", "registry has no region: set region here or aws.regions")
		}
		if a := r.DynamoDB.Account; a != "" && c.account(a) == nil {
			p.Add(at+".dynamodb.account", "account %q is not in aws.accounts", a)
		}
		for k := range r.Attributes {
			if !slices.Contains(RegistryAttributes, k) {
				p.Add(at+".attributes."+k, "unknown attribute %q (known: %s)", k, strings.Join(RegistryAttributes, ", "))
			}
		}
	}
}

func (c *Config) account(id string) *AWSAccount {
	for i := range c.AWS.Accounts {
		if c.AWS.Accounts[i].ID == id {
			return &c.AWS.Accounts[i]
		}
	}
	return nil
}

func (c *Config) alertRuleSpec(i int) model.AlertRuleSource {
	s := c.AlertRules[i]
	spec := model.AlertRuleSource{Name: s.Name, Driver: s.Driver, DSNEnv: s.DSNEnv, Query: s.Query, Table: s.Table, Columns: map[string]string{}, Timeout: 30 * time.Second}
	if spec.Query == "" {
		spec.Query = DefaultAlertRulesQuery
	}
	if spec.Table == "" {
		spec.Table = "alert_rules"
	}
	if spec.Name == "" {
		spec.Name = s.Driver + " " + spec.Table
	}
	for _, col := range AlertRuleColumns {
		spec.Columns[col] = col
	}
	for k, v := range s.Columns {
		spec.Columns[k] = v
	}
	if d, err := model.ParseWindow(s.Timeout); err == nil {
		spec.Timeout = d
	}
	if i < len(c.ruleLines) {
		spec.Location = model.Location{File: c.File, Line: c.ruleLines[i]}
	}
	return spec
}

// AlertRuleSpecs are the configured alert rule sources.
func (c *Config) AlertRuleSpecs() []model.AlertRuleSource {
	out := make([]model.AlertRuleSource, len(c.AlertRules))
	for i := range c.AlertRules {
		out[i] = c.alertRuleSpec(i)
	}
	return out
}

// RegistrySpecs are the configured SLO registries.
func (c *Config) RegistrySpecs() []model.SLORegistrySource {
	var out []model.SLORegistrySource
	for i, r := range c.SLORegistry {
		if r.DynamoDB == nil {
			continue
		}
		spec := model.SLORegistrySource{Table: r.DynamoDB.Table, Region: r.DynamoDB.Region, Account: r.DynamoDB.Account, Attributes: map[string]string{}}
		if spec.Region == "" && len(c.AWS.Regions) > 0 {
			spec.Region = c.AWS.Regions[0]
		}
		if a := c.account(spec.Account); a != nil {
			spec.RoleARN = a.RoleARN
		}
		for _, k := range RegistryAttributes {
			spec.Attributes[k] = k
		}
		for k, v := range r.Attributes {
			spec.Attributes[k] = v
		}
		if i < len(c.registryLines) {
			spec.Location = model.Location{File: c.File, Line: c.registryLines[i]}
		}
		out = append(out, spec)
	}
	return out
}

// validateHistory accepts a history URL the config may hold: a committed
// file is no place for a password.
func (c *Config) validateHistory(p *input.YAMLProblems) {
	u := c.History.URL
	switch {
	case u == "":
	case strings.HasPrefix(u, "sqlite:"):
		if strings.TrimPrefix(u, "sqlite:") == "" {
			p.Add("$.history.url", "history url sqlite: names no file: sqlite:PATH")
		}
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		parsed, err := url.Parse(u)
		switch {
		case err != nil:
			p.Add("$.history.url", "history url is not a URL") // the error would repeat it
		case hasPassword(parsed):
			p.Add("$.history.url", "history url carries a password: a committed config is no place for one; give it with PGPASSWORD or a .pgpass file, or the whole URL with --history or $DRIFTGATE_HISTORY")
		}
	default:
		p.Add("$.history.url", "history url must be sqlite:PATH or postgres://…")
	}
}

func hasPassword(u *url.URL) bool {
	if _, ok := u.User.Password(); ok {
		return true
	}
	return u.Query().Has("password")
}

// HistoryURL is the configured history store, a sqlite path resolved
// against the config file's directory; "" when none is configured.
func (c *Config) HistoryURL() string {
	if path, ok := strings.CutPrefix(c.History.URL, "sqlite:"); ok && !strings.HasPrefix(path, "file:") && path != ":memory:" {
		return "sqlite:" + c.Resolve(path)
	}
	return c.History.URL
}
