package aws

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
)

// CredentialsChain names where the SDK's default chain looks, for messages.
const CredentialsChain = "environment, shared config and credentials files, SSO, web identity, container and instance roles"

// FindCredentials asks the SDK's default credential chain for credentials,
// as every read will: the environment, the shared config and credentials
// files (profiles, SSO, credential processes), web identity (OIDC), and the
// container and instance roles. It returns an error saying why when there
// are none. It waits at most timeout (instance metadata can be slow to say no).
func FindCredentials(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// The SDK logs its fallbacks (IMDSv1) to stderr; the error says enough.
	cfg, err := config.LoadDefaultConfig(ctx, config.WithLogger(logging.Nop{}))
	if err != nil {
		return fmt.Errorf("loading the AWS configuration: %w", err)
	}
	if cfg.Credentials == nil {
		return fmt.Errorf("no AWS credentials (%s)", CredentialsChain)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("no usable AWS credentials in the SDK's default chain (%s): %w", CredentialsChain, err)
	}
	if !creds.HasKeys() {
		return fmt.Errorf("no AWS credentials (%s)", CredentialsChain)
	}
	return nil
}
