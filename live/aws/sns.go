package aws

import (
	"context"
	"fmt"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/driftgate/driftgate/live/snapshot"
)

// readSubscriptions lists the subscriptions of every SNS topic the region's
// alarms notify (ListSubscriptionsByTopic, every page): where pages go.
func readSubscriptions(ctx context.Context, client *sns.Client, cw *snapshot.CloudWatchRegion, out *snapshot.SNSRegion) {
	var topics []string
	add := func(actions []string) {
		for _, a := range actions {
			if strings.HasPrefix(a, "arn:aws:sns:") || strings.HasPrefix(a, "arn:aws-") && strings.Contains(a, ":sns:") {
				topics = append(topics, a)
			}
		}
	}
	for _, a := range cw.MetricAlarms {
		add(a.AlarmActions)
		add(a.OKActions)
	}
	for _, a := range cw.CompositeAlarms {
		add(a.AlarmActions)
		add(a.OKActions)
	}
	slices.Sort(topics)
	out.Complete, out.Subscriptions = true, []snapshot.SNSSubscription{}
	for _, topic := range slices.Compact(topics) {
		p := sns.NewListSubscriptionsByTopicPaginator(client, &sns.ListSubscriptionsByTopicInput{TopicArn: awssdk.String(topic)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				out.Complete, out.Error = false, fmt.Sprintf("sns ListSubscriptionsByTopic %s: %v", topic, err)
				return
			}
			for _, s := range page.Subscriptions {
				out.Subscriptions = append(out.Subscriptions, snapshot.SNSSubscription{SubscriptionArn: awssdk.ToString(s.SubscriptionArn),
					TopicArn: awssdk.ToString(s.TopicArn), Protocol: awssdk.ToString(s.Protocol), Endpoint: awssdk.ToString(s.Endpoint)})
			}
		}
	}
}
