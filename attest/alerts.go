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
	"sync"

	"github.com/driftgate/driftgate/model"
)

// AlertDigests checksums every declared and live alert of a world: BLAKE3 of
// the RFC 8785 form of its canonical form (the model's, shared with drift and
// template change detection), written in one pass into a buffer each CPU
// reuses.
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
			var buf []byte // one buffer a worker, reused for every alarm
			for i := k; i < len(alarms); i += workers {
				c := alarms[i].Canonical()
				var err error
				buf, err = appendAlarm(buf[:0], &c)
				sums[i], errs[i] = "blake3:"+BLAKE3(buf), err
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
