// Package slo loads SLO specs into the model: OpenSLO (v1 and v1alpha),
// sloth (prometheus/v1, its Kubernetes PrometheusServiceLevel, and
// AlertWindows), and pyrra ServiceLevelObjective. Each type mirrors the part
// of its format driftgate reads; unknown fields are ignored, since these
// formats grow.
package slo

// header is read from every document to detect its format.
type header struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Version    string `yaml:"version"` // sloth's plain format
}

type metadata struct {
	Name        string `yaml:"name"`
	DisplayName string `yaml:"displayName"`
	Namespace   string `yaml:"namespace"`
}

// SlothSpec is sloth's `version: prometheus/v1` file and, under spec, its
// Kubernetes PrometheusServiceLevel.
type SlothSpec struct {
	Service string     `yaml:"service"`
	SLOs    []slothSLO `yaml:"slos"`
}

type slothSLO struct {
	Name      string   `yaml:"name"`
	Objective *float64 `yaml:"objective"` // percent
	Alerting  struct {
		PageAlert   slothAlert `yaml:"page_alert"`
		TicketAlert slothAlert `yaml:"ticket_alert"`
		// The Kubernetes form spells them in camelCase.
		PageAlertK8s   slothAlert `yaml:"pageAlert"`
		TicketAlertK8s slothAlert `yaml:"ticketAlert"`
	} `yaml:"alerting"`
}

type slothAlert struct {
	Disable bool `yaml:"disable"`
}

type slothFile struct {
	Version   string `yaml:"version"`
	SlothSpec `yaml:",inline"`
}

type slothK8s struct {
	Metadata metadata  `yaml:"metadata"`
	Spec     SlothSpec `yaml:"spec"`
}

// slothAlertWindows is sloth's AlertWindows: tiers for one SLO period.
type slothAlertWindows struct {
	Spec struct {
		SLOPeriod string `yaml:"sloPeriod"`
		Page      struct {
			Quick slothWindow `yaml:"quick"`
			Slow  slothWindow `yaml:"slow"`
		} `yaml:"page"`
		Ticket struct {
			Quick slothWindow `yaml:"quick"`
			Slow  slothWindow `yaml:"slow"`
		} `yaml:"ticket"`
	} `yaml:"spec"`
}

type slothWindow struct {
	ErrorBudgetPercent float64 `yaml:"errorBudgetPercent"`
	ShortWindow        string  `yaml:"shortWindow"`
	LongWindow         string  `yaml:"longWindow"`
}

// openSLOv1alpha is OpenSLO v1alpha's SLO (as sloth's example writes it).
type openSLOv1alpha struct {
	Metadata metadata `yaml:"metadata"`
	Spec     struct {
		Service     string `yaml:"service"`
		TimeWindows []struct {
			Count int    `yaml:"count"`
			Unit  string `yaml:"unit"`
		} `yaml:"timeWindows"`
		Objectives []struct {
			Target *float64 `yaml:"target"`
		} `yaml:"objectives"`
	} `yaml:"spec"`
}

// openSLOv1 is OpenSLO v1's SLO.
type openSLOv1 struct {
	Metadata metadata `yaml:"metadata"`
	Spec     struct {
		Service    string `yaml:"service"`
		TimeWindow []struct {
			Duration string `yaml:"duration"`
		} `yaml:"timeWindow"`
		Objectives []struct {
			Target        *float64 `yaml:"target"`
			TargetPercent *float64 `yaml:"targetPercent"`
		} `yaml:"objectives"`
		AlertPolicies []openSLOPolicyRef `yaml:"alertPolicies"`
	} `yaml:"spec"`
}

// openSLOPolicyRef is an inline AlertPolicy or a reference to one.
type openSLOPolicyRef struct {
	AlertPolicyRef string `yaml:"alertPolicyRef"`
	Kind           string `yaml:"kind"`
	OpenSLOPolicy  `yaml:",inline"`
}

// OpenSLOPolicy is OpenSLO v1's AlertPolicy.
type OpenSLOPolicy struct {
	Metadata metadata `yaml:"metadata"`
	Spec     struct {
		Conditions []openSLOConditionRef `yaml:"conditions"`
	} `yaml:"spec"`
}

type openSLOConditionRef struct {
	ConditionRef     string `yaml:"conditionRef"`
	Kind             string `yaml:"kind"`
	OpenSLOCondition `yaml:",inline"`
}

// OpenSLOCondition is OpenSLO v1's AlertCondition of kind burnrate.
type OpenSLOCondition struct {
	Metadata metadata `yaml:"metadata"`
	Spec     struct {
		Severity  string `yaml:"severity"`
		Condition struct {
			Kind           string   `yaml:"kind"`
			Threshold      *float64 `yaml:"threshold"`
			LookbackWindow string   `yaml:"lookbackWindow"`
			AlertAfter     string   `yaml:"alertAfter"`
		} `yaml:"condition"`
	} `yaml:"spec"`
}

// pyrraSLO is pyrra's ServiceLevelObjective.
type pyrraSLO struct {
	Metadata metadata `yaml:"metadata"`
	Spec     struct {
		Target string `yaml:"target"` // percent, as a string
		Window string `yaml:"window"`
	} `yaml:"spec"`
}
