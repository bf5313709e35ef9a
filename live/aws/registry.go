package aws

import (
	"context"
	"fmt"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"golang.org/x/time/rate"

	"github.com/driftgate/driftgate/live/snapshot"
)

// RegistryTarget is one DynamoDB table of per-tenant SLOs.
type RegistryTarget struct {
	Table, Region, RoleARN string
	// Account, when set, must be the account the credentials reach.
	Account string
	// MaxAttempts per request with the SDK's backoff; default 5.
	MaxAttempts int
	// Timeout bounds the whole Scan; default 2 minutes.
	Timeout time.Duration
	// Rate is Scan requests per second; default 10 (each page is up to 1 MB
	// and costs read capacity: stay well below a table's provisioned rate).
	Rate float64
}

// ReadRegistry scans a registry table, every page (DynamoDB pages at 1 MB,
// by LastEvaluatedKey), with a consistent read. A failure leaves the table
// incomplete with the reason; what was read so far is never taken for all.
func ReadRegistry(ctx context.Context, t RegistryTarget) snapshot.RegistryTable {
	out := snapshot.RegistryTable{Table: t.Table, Region: t.Region, Account: t.Account, Items: []map[string]snapshot.AttributeValue{}}
	if t.MaxAttempts == 0 {
		t.MaxAttempts = 5
	}
	if t.Timeout == 0 {
		t.Timeout = 2 * time.Minute
	}
	if t.Rate == 0 {
		t.Rate = 10
	}
	ctx, cancel := context.WithTimeout(ctx, t.Timeout)
	defer cancel()
	fail := func(what string, err error) snapshot.RegistryTable {
		out.Complete, out.Error = false, fmt.Sprintf("%s: %v", what, err)
		out.Items = nil
		return out
	}
	cfg, err := awsConfig(ctx, t.Region, t.RoleARN, t.MaxAttempts)
	if err != nil {
		return fail("loading AWS configuration", err)
	}
	if t.Account != "" {
		if err := checkAccount(ctx, cfg, t.Account); err != nil {
			return fail("sts GetCallerIdentity", err)
		}
	}
	client := dynamodb.NewFromConfig(cfg)
	limiter := rate.NewLimiter(rate.Limit(t.Rate), 1)
	paginator := dynamodb.NewScanPaginator(client, &dynamodb.ScanInput{TableName: awssdk.String(t.Table), ConsistentRead: awssdk.Bool(true)})
	for paginator.HasMorePages() {
		if err := limiter.Wait(ctx); err != nil {
			return fail("dynamodb Scan "+t.Table, err)
		}
		page, err := paginator.NextPage(ctx)
		if err != nil {
			return fail("dynamodb Scan "+t.Table, err)
		}
		for _, item := range page.Items {
			out.Items = append(out.Items, attributes(item))
		}
	}
	out.Complete = true
	return out
}

// attributes turns the SDK's typed values into their JSON form.
func attributes(item map[string]types.AttributeValue) map[string]snapshot.AttributeValue {
	out := make(map[string]snapshot.AttributeValue, len(item))
	for k, v := range item {
		out[k] = attribute(v)
	}
	return out
}

func attribute(v types.AttributeValue) snapshot.AttributeValue {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return snapshot.AttributeValue{S: &x.Value}
	case *types.AttributeValueMemberN:
		return snapshot.AttributeValue{N: &x.Value}
	case *types.AttributeValueMemberBOOL:
		return snapshot.AttributeValue{BOOL: &x.Value}
	case *types.AttributeValueMemberNULL:
		return snapshot.AttributeValue{NULL: &x.Value}
	case *types.AttributeValueMemberSS:
		return snapshot.AttributeValue{SS: x.Value}
	case *types.AttributeValueMemberNS:
		return snapshot.AttributeValue{NS: x.Value}
	case *types.AttributeValueMemberL:
		l := make([]snapshot.AttributeValue, len(x.Value))
		for i, e := range x.Value {
			l[i] = attribute(e)
		}
		return snapshot.AttributeValue{L: l}
	case *types.AttributeValueMemberM:
		return snapshot.AttributeValue{M: attributes(x.Value)}
	}
	// Binary values have no place in an SLO: kept as NULL, decoding says so.
	t := true
	return snapshot.AttributeValue{NULL: &t}
}

// checkAccount makes sure the credentials reach the expected account.
func checkAccount(ctx context.Context, cfg awssdk.Config, account string) error {
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return err
	}
	if got := awssdk.ToString(id.Account); got != account {
		return fmt.Errorf("credentials are for account %s, not %s", got, account)
	}
	return nil
}
