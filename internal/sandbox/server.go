// Package sandbox is a local stand-in for the AWS APIs driftgate reads, for
// tests and demos: an HTTP server on loopback that serves CloudWatch over
// Smithy RPC v2 CBOR (with smithy-go's codec) and STS over the query
// protocol (XML), from a live-state snapshot, with pagination, latency,
// throttling and server errors on demand. The production readers reach it
// only through the standard AWS_ENDPOINT_URL settings.
package sandbox

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/driftgate/driftgate/live/snapshot"
)

// Faults injected into the sandbox's answers.
type Faults struct {
	// Latency delays every answer.
	Latency time.Duration
	// Throttle answers the first N calls of each operation in each region
	// with a throttling error.
	Throttle int
	// FailRegions answer every call with a 500.
	FailRegions map[string]bool
	// DriftPolls is how many status polls a drift detection stays in progress.
	DriftPolls int
	// FailOps answer every call of these operations with a 500.
	FailOps map[string]bool
	// ThrottleOps throttle every call of these operations, past any retry.
	ThrottleOps map[string]bool
	// DropAfter closes the connection without an answer on every call of an
	// operation after its first N in a region: the server going away mid-read.
	DropAfter map[string]int
	// CallerAccount, when set, is the account GetCallerIdentity answers with.
	CallerAccount string
}

// Server is a running sandbox.
type Server struct {
	URL string
	// PageSize is the most alarms one DescribeAlarms page returns (CloudWatch: 100).
	PageSize int
	// MaxDatapoints is the most datapoints one GetMetricData answer holds
	// (CloudWatch: 100,800); more come by NextToken.
	MaxDatapoints int
	// ScanPageBytes is the most item bytes one DynamoDB Scan page holds
	// (DynamoDB: 1 MB); RegistryKey the tables' partition key (tenant_id).
	ScanPageBytes int
	RegistryKey   string
	Faults        Faults

	srv           *httptest.Server
	regions       map[string]*snapshot.CloudWatchRegion
	stacks        map[string][]snapshot.Stack           // by region
	detections    map[string]int                        // drift detection ID -> status polls so far
	subscriptions map[string][]snapshot.SNSSubscription // by region
	evidence      map[string]*snapshot.EvidenceRegion   // by region
	registry      map[string]*snapshot.RegistryTable    // by region/table
	serviceSLOs   map[string][]snapshot.ServiceLevelObj // by region
	mu            sync.Mutex
	calls         map[string]int             // by operation
	seen          map[string]int             // by region/operation, for throttling
	assumed       map[string]string          // access key ID issued by AssumeRole -> role ARN
	signers       map[string]map[string]bool // operation -> access key IDs that signed it
}

// Start serves a snapshot's live state on a loopback port.
func Start(s *snapshot.Snapshot) *Server {
	sv := &Server{PageSize: 100, regions: map[string]*snapshot.CloudWatchRegion{}, stacks: map[string][]snapshot.Stack{},
		detections: map[string]int{}, subscriptions: map[string][]snapshot.SNSSubscription{}, calls: map[string]int{}, seen: map[string]int{},
		assumed: map[string]string{}, signers: map[string]map[string]bool{}, evidence: map[string]*snapshot.EvidenceRegion{},
		registry: map[string]*snapshot.RegistryTable{}, serviceSLOs: map[string][]snapshot.ServiceLevelObj{}}
	for _, r := range s.ApplicationSignals {
		sv.serviceSLOs[r.Region] = append(sv.serviceSLOs[r.Region], r.SLOs...)
	}
	for i := range s.SLORegistry {
		t := &s.SLORegistry[i]
		sv.registry[t.Region+"/"+t.Table] = t
	}
	for i := range s.Evidence {
		sv.evidence[s.Evidence[i].Region] = &s.Evidence[i]
	}
	for i := range s.CloudWatch {
		r := &s.CloudWatch[i]
		sv.regions[r.Region] = r
	}
	for _, r := range s.CloudFormation {
		sv.stacks[r.Region] = append(sv.stacks[r.Region], r.Stacks...)
	}
	for _, r := range s.SNS {
		sv.subscriptions[r.Region] = append(sv.subscriptions[r.Region], r.Subscriptions...)
	}
	sv.srv = httptest.NewServer(sv)
	sv.URL = sv.srv.URL
	return sv
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Calls returns how many times each operation was called.
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// The region is in the SigV4 credential scope: Credential=AKID/date/REGION/service/aws4_request.
var (
	scopeRE = regexp.MustCompile(`Credential=[^/]+/[0-9]+/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request`)
	keyRE   = regexp.MustCompile(`Credential=([^/]+)/`)
)

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	region, service := "us-east-1", ""
	if m := scopeRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		region, service = m[1], m[2]
	}
	op := ""
	form := url.Values{}
	switch {
	case strings.HasPrefix(r.URL.Path, "/service/"):
		op = r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	case service == "application-signals":
		op = serviceSLOOp(r)
	case r.Header.Get("X-Amz-Target") != "":
		// JSON 1.0/1.1 protocols: Service_Version.Operation in a header.
		target := r.Header.Get("X-Amz-Target")
		op = target[strings.LastIndex(target, ".")+1:]
	default:
		form, _ = url.ParseQuery(string(body))
		op = form.Get("Action")
	}
	key := ""
	if m := keyRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		key = m[1]
	}
	s.mu.Lock()
	if s.signers[op] == nil {
		s.signers[op] = map[string]bool{}
	}
	s.signers[op][key] = true
	role := s.assumed[key]
	s.calls[op]++
	s.seen[region+"/"+op]++
	n := s.seen[region+"/"+op]
	s.mu.Unlock()
	if s.Faults.Latency > 0 {
		time.Sleep(s.Faults.Latency)
	}
	cbor := strings.HasPrefix(r.URL.Path, "/service/")
	fail := func(status int, code, msg string) {
		if isDynamoDB(r) {
			s.failDynamoDB(w, status, code, msg)
			return
		}
		if service == "application-signals" {
			failRESTJSON(w, status, code, msg)
			return
		}
		s.fail(w, cbor, status, code, msg)
	}
	switch {
	case s.Faults.DropAfter[op] > 0 && n > s.Faults.DropAfter[op]:
		drop(w)
	case s.Faults.FailOps[op]:
		fail(http.StatusInternalServerError, "InternalFailure", "injected failure of "+op)
	case s.Faults.ThrottleOps[op]:
		fail(http.StatusBadRequest, "ThrottlingException", "Rate exceeded")
	case op == "GetCallerIdentity" && s.Faults.CallerAccount != "":
		s.identity(w, s.Faults.CallerAccount)
	case s.Faults.FailRegions[region]:
		fail(http.StatusInternalServerError, "InternalFailure", "injected failure in "+region)
	case n <= s.Faults.Throttle:
		fail(http.StatusBadRequest, "ThrottlingException", "Rate exceeded")
	case op == "AssumeRole":
		s.assumeRole(w, form)
	case op == "GetCallerIdentity" && role != "":
		s.callerIdentityOf(w, role)
	case op == "GetCallerIdentity":
		s.callerIdentity(w, region)
	case op == "DescribeAlarms":
		s.describeAlarms(w, region, body)
	case op == "ListTagsForResource":
		s.listTags(w, region, body)
	case op == "GetResources" && service == "tagging":
		s.getResources(w, region, body, cbor)
	case op == "GetMetricData":
		s.getMetricData(w, region, body)
	case op == "DescribeAlarmHistory":
		s.describeAlarmHistory(w, region, body)
	case op == "ListMetrics":
		s.listMetrics(w, region, body)
	case service == "cloudformation":
		s.cloudFormation(w, region, op, form)
	case op == "Scan" && isDynamoDB(r):
		s.scan(w, region, body)
	case op == "ListServiceLevelObjectives":
		s.listServiceSLOs(w, region, r.URL.Query())
	case op == "GetServiceLevelObjective":
		s.getServiceSLO(w, region, r.URL.EscapedPath())
	case op == "ListSubscriptionsByTopic":
		s.listSubscriptions(w, region, form)
	default:
		fail(http.StatusBadRequest, "InvalidAction", fmt.Sprintf("the sandbox does not serve %s %q", service, op))
	}
}

// fail answers with an error in the protocol of the request: CBOR with a
// __type (and the query-compatible error header CloudWatch sends), or query XML.
func (s *Server) fail(w http.ResponseWriter, isCBOR bool, status int, code, msg string) {
	if isCBOR {
		fault := "Sender"
		if status >= 500 {
			fault = "Receiver"
		}
		w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
		w.Header().Set("Content-Type", "application/cbor")
		w.Header().Set("X-Amzn-Query-Error", code+";"+fault)
		w.WriteHeader(status)
		w.Write(cbor.Encode(cbor.Map{"__type": cbor.String("com.amazonaws.cloudwatch#" + code), "message": cbor.String(msg)}))
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>sandbox</RequestId></ErrorResponse>`, code, xmlEscape(msg))
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (s *Server) callerIdentity(w http.ResponseWriter, region string) {
	account := "000000000000"
	if r, ok := s.regions[region]; ok && r.Account != "" {
		account = r.Account
	} else {
		for _, r := range s.regions {
			account = r.Account
			break
		}
	}
	s.identity(w, account)
}

// drop closes the connection without answering.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (s *Server) identity(w http.ResponseWriter, account string) {
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
		`<Arn>arn:aws:iam::%s:user/driftgate-sandbox</Arn><UserId>AIDASANDBOX</UserId><Account>%s</Account>`+
		`</GetCallerIdentityResult><ResponseMetadata><RequestId>sandbox</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, account, account)
}

// assumeRole issues session credentials for any role ARN; requests signed
// with them are that role's account.
func (s *Server) assumeRole(w http.ResponseWriter, form url.Values) {
	arn, session := form.Get("RoleArn"), form.Get("RoleSessionName")
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || !strings.HasPrefix(parts[5], "role/") {
		s.fail(w, false, http.StatusBadRequest, "ValidationError", "invalid RoleArn "+arn)
		return
	}
	s.mu.Lock()
	key := fmt.Sprintf("ASIASANDBOX%04d", len(s.assumed)+1)
	s.assumed[key] = arn
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>`+
		`<AssumedRoleUser><Arn>arn:aws:sts::%s:assumed-role/%s/%s</Arn><AssumedRoleId>AROASANDBOX:%s</AssumedRoleId></AssumedRoleUser>`+
		`<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>sandbox-session-secret</SecretAccessKey>`+
		`<SessionToken>sandbox-session-token</SessionToken><Expiration>%s</Expiration></Credentials>`+
		`</AssumeRoleResult><ResponseMetadata><RequestId>sandbox</RequestId></ResponseMetadata></AssumeRoleResponse>`,
		parts[4], strings.TrimPrefix(parts[5], "role/"), xmlEscape(session), xmlEscape(session), key,
		time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
}

func (s *Server) callerIdentityOf(w http.ResponseWriter, role string) {
	parts := strings.Split(role, ":")
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
		`<Arn>arn:aws:sts::%s:assumed-role/%s/driftgate</Arn><UserId>AROASANDBOX:driftgate</UserId><Account>%s</Account>`+
		`</GetCallerIdentityResult><ResponseMetadata><RequestId>sandbox</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
		parts[4], strings.TrimPrefix(parts[5], "role/"), parts[4])
}

// Signers returns the access key IDs that signed an operation's requests.
func (s *Server) Signers(op string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.signers[op]))
}

func writeCBOR(w http.ResponseWriter, v cbor.Value) {
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Write(cbor.Encode(v))
}

func decodeRequest(body []byte) request {
	if len(body) == 0 {
		return request{m: cbor.Map{}}
	}
	v, err := cbor.Decode(body)
	m, ok := v.(cbor.Map)
	if err != nil || !ok {
		return request{m: cbor.Map{}}
	}
	return request{m: m}
}

// alarm is one alarm of either type, in name order for paging.
type alarm struct {
	name      string
	metric    *snapshot.MetricAlarm
	composite *snapshot.CompositeAlarm
}

// describeAlarms pages through a region's alarms like CloudWatch: name
// order, AlarmNames or AlarmNamePrefix filters, metric alarms unless
// AlarmTypes asks for composites, and an opaque NextToken.
func (s *Server) describeAlarms(w http.ResponseWriter, region string, body []byte) {
	req := decodeRequest(body)
	r := s.regions[region]
	var all []alarm
	if r != nil {
		for i := range r.MetricAlarms {
			all = append(all, alarm{name: r.MetricAlarms[i].AlarmName, metric: &r.MetricAlarms[i]})
		}
		for i := range r.CompositeAlarms {
			all = append(all, alarm{name: r.CompositeAlarms[i].AlarmName, composite: &r.CompositeAlarms[i]})
		}
	}
	slices.SortFunc(all, func(a, b alarm) int { return strings.Compare(a.name, b.name) })
	types := req.strs("AlarmTypes")
	wantMetric := len(types) == 0 || slices.Contains(types, "MetricAlarm")
	wantComposite := slices.Contains(types, "CompositeAlarm")
	names, prefix := req.strs("AlarmNames"), req.str("AlarmNamePrefix")
	var matched []alarm
	for _, a := range all {
		if a.metric != nil && !wantMetric || a.composite != nil && !wantComposite {
			continue
		}
		if len(names) > 0 && !slices.Contains(names, a.name) || prefix != "" && !strings.HasPrefix(a.name, prefix) {
			continue
		}
		matched = append(matched, a)
	}
	start, _ := strconv.Atoi(req.str("NextToken"))
	size := s.PageSize
	if m := req.int("MaxRecords"); m > 0 && m < size {
		size = m
	}
	end := min(start+size, len(matched))
	start = min(start, end)
	metrics, composites := cbor.List{}, cbor.List{}
	for _, a := range matched[start:end] {
		if a.metric != nil {
			v, _ := toCBOR(reflect.ValueOf(a.metric))
			metrics = append(metrics, v)
		} else {
			v, _ := toCBOR(reflect.ValueOf(a.composite))
			composites = append(composites, v)
		}
	}
	out := cbor.Map{"MetricAlarms": metrics, "CompositeAlarms": composites}
	if end < len(matched) {
		out["NextToken"] = cbor.String(strconv.Itoa(end))
	}
	writeCBOR(w, out)
}

func (s *Server) listTags(w http.ResponseWriter, region string, body []byte) {
	req := decodeRequest(body)
	tags := cbor.List{}
	if r := s.regions[region]; r != nil {
		for _, t := range r.Tags[req.str("ResourceARN")] {
			tags = append(tags, cbor.Map{"Key": cbor.String(t.Key), "Value": cbor.String(t.Value)})
		}
	}
	writeCBOR(w, cbor.Map{"Tags": tags})
}

// listSubscriptions answers SNS's ListSubscriptionsByTopic (query protocol,
// XML), one subscription a page so readers must follow NextToken.
func (s *Server) listSubscriptions(w http.ResponseWriter, region string, form url.Values) {
	var subs []snapshot.SNSSubscription
	for _, sub := range s.subscriptions[region] {
		if sub.TopicArn == form.Get("TopicArn") {
			subs = append(subs, sub)
		}
	}
	start, _ := strconv.Atoi(form.Get("NextToken"))
	start = min(start, len(subs))
	end := min(start+1, len(subs))
	type member struct {
		SubscriptionArn, Owner, Protocol, Endpoint, TopicArn string
	}
	result := struct {
		XMLName xml.Name `xml:"ListSubscriptionsByTopicResult"`
		Members []member `xml:"Subscriptions>member"`
		Next    string   `xml:"NextToken,omitempty"`
	}{Members: []member{}}
	for _, sub := range subs[start:end] {
		result.Members = append(result.Members, member{sub.SubscriptionArn, "123456789012", sub.Protocol, sub.Endpoint, sub.TopicArn})
	}
	if end < len(subs) {
		result.Next = strconv.Itoa(end)
	}
	resp := cfnResponse{XMLName: xml.Name{Local: "ListSubscriptionsByTopicResponse"}, XMLNS: "http://sns.amazonaws.com/doc/2010-03-31/", Result: result}
	resp.Metadata.RequestID = "sandbox"
	w.Header().Set("Content-Type", "text/xml")
	out, _ := xml.Marshal(resp)
	w.Write(out)
}
