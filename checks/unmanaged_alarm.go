package checks

import "github.com/driftgate/driftgate/model"

// UnmanagedAlarm reports live alarms in managed scope that no input declares.
var UnmanagedAlarm = &Check{
	ID:    "unmanaged-alarm",
	Title: "Live alarm is declared nowhere",
	Doc: Doc{
		Summary: "Reports live alarms in a namespace listed in `managed.namespaces`, or whose name starts with " +
			"a prefix in `managed.name_prefixes`, that no plan or template declares. Without a managed scope " +
			"the check reports nothing.",
		Example: "`managed.namespaces: [Acme/Checkout]`, and live CloudWatch has `slo-9f8e7d-latency-page-5m` in that namespace:\n\n" +
			"    alarm slo-9f8e7d-latency-page-5m is live in managed namespace Acme/Checkout but declared nowhere",
		Why: "An alarm created by hand is invisible to review: its thresholds and routes drift freely, and " +
			"it survives the removal of the tenant or service it watched.",
		Fix: "Import it into Terraform (`terraform import` or an `import` block) or delete it. If another " +
			"team owns it, narrow `managed` or add an `ignore` rule with a reason.",
	},
	DefaultSeverity: SeverityWarning,
	Tags:            []string{"drift", "cloudwatch"},
	Needs:           []model.Feed{model.FeedDeclared, model.FeedAllAlarms},
	Run:             runUnmanagedAlarm,
}

func runUnmanagedAlarm(pass *Pass) {
	if pass.World.Live == nil {
		return
	}
	_, declared := pass.effective()
	for _, l := range pass.World.Live.Alarms {
		if declared[l.Name] {
			continue
		}
		ns, managed := managedNamespace(pass.Settings, l)
		if !managed {
			continue
		}
		scope := "a managed name prefix"
		if ns != "" {
			scope = "managed namespace " + ns
		}
		pass.Reportf(Finding{Tenant: l.Tenant, Subject: l.Name, Location: pass.World.Anchor, Identity: l.Name, Scope: model.ScopeOf(l),
			Evidence: map[string]string{"arn": l.ARN}},
			"alarm %s is live in %s but declared nowhere", l.Name, scope)
	}
}

// managedNamespace reports whether a live alarm is in managed scope, and the
// namespace that put it there.
func managedNamespace(s *Settings, a *model.Alarm) (string, bool) {
	namespaces := []string{a.Namespace}
	for _, q := range a.Metrics {
		namespaces = append(namespaces, q.Namespace)
	}
	for _, ns := range namespaces {
		if ns != "" && s.Managed(ns, "") {
			return ns, true
		}
	}
	return "", s.Managed("", a.Name)
}
