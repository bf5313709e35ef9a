package attest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/secure-systems-lab/go-securesystemslib/signerverifier"
)

// signerVerifier loads a PEM ed25519 key (private to sign, public to verify).
func signerVerifier(pemKey []byte) (*signerverifier.ED25519SignerVerifier, error) {
	key, err := signerverifier.LoadKey(pemKey)
	if err != nil {
		return nil, fmt.Errorf("reading the ed25519 key: %w", err)
	}
	if key.KeyType != signerverifier.ED25519KeyType {
		return nil, fmt.Errorf("the key is %s; driftgate signs with ed25519", key.KeyType)
	}
	return signerverifier.NewED25519SignerVerifierFromSSLibKey(key)
}

// Sign wraps a statement in a DSSE envelope signed with a PEM ed25519
// private key; the signature carries the key's ID.
func Sign(ctx context.Context, statement, privatePEM []byte) ([]byte, error) {
	sv, err := signerVerifier(privatePEM)
	if err != nil {
		return nil, err
	}
	signer, err := dsse.NewEnvelopeSigner(sv)
	if err != nil {
		return nil, fmt.Errorf("creating the DSSE signer: %w", err)
	}
	env, err := signer.SignPayload(ctx, PayloadType, statement)
	if err != nil {
		return nil, fmt.Errorf("signing the attestation: %w", err)
	}
	return Canonical(env)
}

// ErrUnsigned is returned when a signature is required but the attestation
// is a bare statement.
var ErrUnsigned = errors.New("the attestation is not signed")

// Open reads an attestation, a DSSE envelope or a bare statement, and
// returns the statement's bytes. With a public key the envelope's signature
// must verify; without one the signature is not checked and signed reports so.
func Open(ctx context.Context, data, publicPEM []byte) (statement []byte, signed bool, err error) {
	var probe struct {
		PayloadType *string `json:"payloadType"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, false, fmt.Errorf("reading the attestation: %w", err)
	}
	if probe.PayloadType == nil {
		if publicPEM != nil {
			return nil, false, ErrUnsigned
		}
		return data, false, nil
	}
	var env dsse.Envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, true, fmt.Errorf("reading the DSSE envelope: %w", err)
	}
	if env.PayloadType != PayloadType {
		return nil, true, fmt.Errorf("the envelope's payload type is %q, not %q", env.PayloadType, PayloadType)
	}
	if publicPEM == nil {
		payload, err := env.DecodeB64Payload()
		return payload, true, err
	}
	sv, err := signerVerifier(publicPEM)
	if err != nil {
		return nil, true, err
	}
	verifier, err := dsse.NewEnvelopeVerifier(sv)
	if err != nil {
		return nil, true, err
	}
	_, payload, err := verifier.VerifyAndDecode(ctx, &env)
	if err != nil {
		return nil, true, &SignatureError{Err: err}
	}
	return payload, true, nil
}

// SignatureError is a signature that does not verify with the given key.
type SignatureError struct{ Err error }

func (e *SignatureError) Error() string { return "signature does not verify: " + e.Err.Error() }
func (e *SignatureError) Unwrap() error { return e.Err }
