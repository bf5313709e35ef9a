package attest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"sync"

	"github.com/driftgate/driftgate/model"
	"lukechampine.com/blake3"
)

// AlertDigests checksums every declared and live alert of a world: BLAKE3 of
// the RFC 8785 form of its canonical form (the model's, shared with drift and
// template change detection), written in one pass into a buffer each CPU
// reuses. A declared alarm written field for field like the live alarm of
// its name (model.WrittenAlike) has that alarm's canonical form, so its
// checksum is not computed twice.
func AlertDigests(w *model.World) (map[string]string, error) {
	var live []*model.Alarm
	if w.Live != nil {
		live = w.Live.Alarms
	}
	liveSums, err := checksums(live, nil)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]int, len(live))
	for i, a := range live {
		byName[a.Name] = i
	}
	declaredSums, err := checksums(w.Declared, func(a *model.Alarm) (string, bool) {
		if i, ok := byName[a.Name]; ok && model.WrittenAlike(a, live[i]) {
			return liveSums[i], true
		}
		return "", false
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(live)+len(w.Declared))
	for i, a := range w.Declared {
		out[a.Identity()] = declaredSums[i]
	}
	for i, a := range live {
		out[a.Identity()] = liveSums[i]
	}
	return out, nil
}

// checksums checksums alarms on every CPU; known, when set, gives a sum
// already taken.
func checksums(alarms []*model.Alarm, known func(*model.Alarm) (string, bool)) ([]string, error) {
	sums := make([]string, len(alarms))
	errs := make([]error, len(alarms))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for k := range workers {
		wg.Go(func() {
			var buf []byte // one buffer a worker, reused for every alarm
			for i := k; i < len(alarms); i += workers {
				if known != nil {
					if sum, ok := known(alarms[i]); ok {
						sums[i] = sum
						continue
					}
				}
				c := alarms[i].Canonical()
				var err error
				if buf, err = appendAlarm(buf[:0], &c); err == nil {
					sums[i] = alertChecksum(buf)
				}
				errs[i] = err
			}
		})
	}
	wg.Wait()
	return sums, errors.Join(errs...)
}

// alertChecksum is "blake3:" and the hex BLAKE3-256 of data, in one string.
func alertChecksum(data []byte) string {
	const prefix = "blake3:"
	sum := blake3.Sum256(data)
	var out [len(prefix) + 2*len(sum)]byte
	copy(out[:], prefix)
	hex.Encode(out[len(prefix):], sum[:])
	return string(out[:])
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
