package attest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"

	"github.com/gowebpki/jcs"
	"lukechampine.com/blake3"
)

// Digest algorithms of every subject. blake3 is not a registered in-toto
// digest name, so sha256 is always there too.
const (
	AlgSHA256 = "sha256"
	AlgBLAKE3 = "blake3"
)

// Annotation keys and values.
const (
	AnnotationDigestOf = "driftgate.dev/digest-of"
	DigestOfReport     = "rfc8785-without-trace" // JSON report: canonical form, trace removed
)

// Digests returns the sha256 and BLAKE3 digests of data.
func Digests(data []byte) map[string]string {
	s := sha256.Sum256(data)
	b := blake3.Sum256(data)
	return map[string]string{AlgSHA256: hex.EncodeToString(s[:]), AlgBLAKE3: hex.EncodeToString(b[:])}
}

// BLAKE3 is the hex BLAKE3-256 of data.
func BLAKE3(data []byte) string {
	b := blake3.Sum256(data)
	return hex.EncodeToString(b[:])
}

// Canonical renders v as RFC 8785 canonical JSON.
func Canonical(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jcs.Transform(raw)
}

// reportContent is what a JSON report's digest covers: its canonical form
// without the trace, whose wall-clock times differ on every run.
func reportContent(data []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("reading the JSON report: %w", err)
	}
	delete(doc, "trace")
	return Canonical(doc)
}

// Subject describes a file for the statement; role says what it was.
func Subject(name, role string, data []byte) (ResourceDescriptor, error) {
	if role == "json-report" {
		content, err := reportContent(data)
		if err != nil {
			return ResourceDescriptor{}, err
		}
		return ResourceDescriptor{Name: name, Digest: Digests(content), Annotations: map[string]string{AnnotationDigestOf: DigestOfReport}}, nil
	}
	return ResourceDescriptor{Name: name, Digest: Digests(data)}, nil
}

// subjectOfFile digests a file as Subject does, streaming it through both
// hashes unless its role needs its content (a JSON report's canonical form):
// a plan of hundreds of megabytes is never held in memory to be digested.
func subjectOfFile(name, role, path string) (ResourceDescriptor, error) {
	if role == "json-report" {
		data, err := os.ReadFile(path)
		if err != nil {
			return ResourceDescriptor{}, err
		}
		return Subject(name, role, data)
	}
	// The two digests are taken side by side, each reading the file (the
	// second read comes from the page cache): a 50 MB plan costs the slower
	// hash, not the sum of both.
	hashers := []hash.Hash{sha256.New(), blake3.New(32, nil)}
	errs := make([]error, len(hashers))
	var wg sync.WaitGroup
	for i, h := range hashers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := os.Open(path)
			if err != nil {
				errs[i] = err
				return
			}
			defer f.Close()
			// Large writes: BLAKE3 hashes a write's whole chunks as one
			// tree (in parallel); small ones cost it a padded buffer each.
			_, errs[i] = io.CopyBuffer(h, onlyReader{f}, make([]byte, readBuffer))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return ResourceDescriptor{}, err
	}
	return ResourceDescriptor{Name: name, Digest: map[string]string{AlgSHA256: hex.EncodeToString(hashers[0].Sum(nil)), AlgBLAKE3: hex.EncodeToString(hashers[1].Sum(nil))}}, nil
}

// digestsOf recomputes a subject's digests from a file, the way Subject took them.
func digestsOf(s ResourceDescriptor, data []byte) (map[string]string, error) {
	if s.Annotations[AnnotationDigestOf] == DigestOfReport {
		content, err := reportContent(data)
		if err != nil {
			return nil, err
		}
		return Digests(content), nil
	}
	return Digests(data), nil
}

// readBuffer is how much of a file each hash is given at a time.
const readBuffer = 256 << 10

// onlyReader hides a file's WriterTo, so that io.CopyBuffer uses the buffer.
type onlyReader struct{ io.Reader }
