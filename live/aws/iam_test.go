package aws

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/applicationsignals"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Every AWS operation the readers call is in docs/iam.md, under its IAM
// name: a new call that the documented policy would refuse fails here.
func TestDocsIAMListsEveryOperationCalled(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "iam.md"))
	if err != nil {
		t.Fatal(err)
	}
	clients := map[string]reflect.Type{
		"cloudwatch": reflect.TypeOf(&cloudwatch.Client{}), "cloudformation": reflect.TypeOf(&cloudformation.Client{}),
		"sns": reflect.TypeOf(&sns.Client{}), "sts": reflect.TypeOf(&sts.Client{}),
		"tag": reflect.TypeOf(&resourcegroupstaggingapi.Client{}), "dynamodb": reflect.TypeOf(&dynamodb.Client{}),
		"application-signals": reflect.TypeOf(&applicationsignals.Client{}),
	}
	call := regexp.MustCompile(`\.([A-Z][A-Za-z]+)\(ctx|New([A-Z][A-Za-z]+)Paginator\(`)
	files, _ := filepath.Glob("*.go")
	// Each call is an operation of one of the clients; a name that several
	// services share (ListTagsForResource) must be listed for one of them.
	var calls [][]string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			name := m[1] + m[2]
			var ops []string
			for svc, typ := range clients {
				if _, ok := typ.MethodByName(name); ok {
					ops = append(ops, svc+":"+name)
				}
			}
			if len(ops) > 0 {
				slices.Sort(ops)
				calls = append(calls, ops)
			}
		}
		if strings.Contains(string(src), "stscreds.NewAssumeRoleProvider") {
			calls = append(calls, []string{"sts:AssumeRole"})
		}
	}
	if len(calls) < 10 {
		t.Fatalf("found only %v: the scan is broken", calls)
	}
	for _, ops := range calls {
		if !slices.ContainsFunc(ops, func(op string) bool { return strings.Contains(string(doc), "`"+op+"`") }) {
			t.Errorf("docs/iam.md does not list %s, which the code calls", strings.Join(ops, " or "))
		}
	}
}
