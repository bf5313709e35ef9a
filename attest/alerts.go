package attest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/driftgate/driftgate/model"
)

// payload is the normalised form of an alert that its checksum covers: what
// decides when it fires and whom it notifies, the same for declared and live
// alarms, with sets sorted. Locations, states and timestamps are left out.
type payload struct {
	Name              string              `json:"name"`
	Kind              model.AlarmKind     `json:"kind"`
	Threshold         *float64            `json:"threshold,omitempty"`
	Operator          string              `json:"operator,omitempty"`
	Period            int                 `json:"period,omitempty"`
	EvaluationPeriods int                 `json:"evaluationPeriods,omitempty"`
	DatapointsToAlarm int                 `json:"datapointsToAlarm,omitempty"`
	Statistic         string              `json:"statistic,omitempty"`
	Namespace         string              `json:"namespace,omitempty"`
	MetricName        string              `json:"metricName,omitempty"`
	Dimensions        []model.Dimension   `json:"dimensions,omitempty"`
	Metrics           []model.MetricQuery `json:"metrics,omitempty"`
	TreatMissingData  string              `json:"treatMissingData"`
	ActionsEnabled    bool                `json:"actionsEnabled"`
	AlarmActions      []string            `json:"alarmActions"`
	OKActions         []string            `json:"okActions"`
	InsufficientData  []string            `json:"insufficientDataActions"`
	AlarmRule         string              `json:"alarmRule,omitempty"`
}

func normalise(a *model.Alarm) payload {
	p := payload{Name: a.Name, Kind: a.Kind, Operator: a.Operator, Period: a.Period, EvaluationPeriods: a.EvaluationPeriods,
		DatapointsToAlarm: a.EffectiveDatapoints(), Statistic: a.Statistic + a.ExtendedStatistic, Namespace: a.Namespace,
		MetricName: a.MetricName, Dimensions: a.Dimensions, TreatMissingData: a.TreatMissingData, ActionsEnabled: a.ActionsEnabled,
		AlarmActions: sorted(a.AlarmActions), OKActions: sorted(a.OKActions), InsufficientData: sorted(a.InsufficientData),
		AlarmRule: strings.Join(strings.Fields(a.AlarmRule), " ")}
	if p.TreatMissingData == "" {
		p.TreatMissingData = "missing"
	}
	if a.Threshold.Known {
		v := a.Threshold.Value
		p.Threshold = &v
	}
	p.Metrics = slices.Clone(a.Metrics)
	slices.SortFunc(p.Metrics, func(x, y model.MetricQuery) int { return strings.Compare(x.ID, y.ID) })
	return p
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}

// AlertDigests checksums every declared and live alert of a world. RFC 8785
// canonicalisation dominates the cost, so the work is spread over the CPUs.
func AlertDigests(w *model.World) (map[string]string, error) {
	alarms := slices.Clone(w.Declared)
	if w.Live != nil {
		alarms = append(alarms, w.Live.Alarms...)
	}
	sums := make([]string, len(alarms))
	errs := make([]error, len(alarms))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k; i < len(alarms); i += workers {
				data, err := Canonical(normalise(alarms[i]))
				sums[i], errs[i] = "blake3:"+BLAKE3(data), err
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(alarms))
	for i, a := range alarms {
		out[a.Identity()] = sums[i]
	}
	return out, nil
}

// Identifiers public repositories may not want to publish.
var sensitiveIDs = regexp.MustCompile(`arn:aws[a-z-]*:[^\s"/]*|\b\d{12}\b|\bP[A-Z0-9]{6}\b`)

// RedactKeyEnv holds the secret that keys redaction hashes.
const RedactKeyEnv = "DRIFTGATE_REDACT_KEY"

// MinRedactKey is the shortest redaction key accepted, in bytes.
const MinRedactKey = 16

// Redactor replaces account IDs, ARNs and PagerDuty IDs with keyed hashes
// (HMAC-SHA256): the same input and key always give the same hash, so
// identities stay comparable between audits, but without the key a 12-digit
// account ID cannot be found by trying all 10^12 of them, as it could from an
// unkeyed hash.
type Redactor struct{ key []byte }

// NewRedactor checks the key.
func NewRedactor(key []byte) (*Redactor, error) {
	if len(key) < MinRedactKey {
		return nil, fmt.Errorf("redaction needs a secret key of at least %d bytes in %s (keep it with your other secrets, and the same across audits you compare)", MinRedactKey, RedactKeyEnv)
	}
	return &Redactor{key: key}, nil
}

// Redact replaces every sensitive identifier in s.
func (r *Redactor) Redact(s string) string {
	return sensitiveIDs.ReplaceAllStringFunc(s, func(id string) string {
		m := hmac.New(sha256.New, r.key)
		m.Write([]byte(id))
		return "redacted-" + hex.EncodeToString(m.Sum(nil)[:8])
	})
}
