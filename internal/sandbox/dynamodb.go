package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/driftgate/driftgate/live/snapshot"
)

// dynamoDBTarget is the JSON 1.0 target prefix DynamoDB's operations carry.
const dynamoDBTarget = "DynamoDB_20120810."

// scan answers DynamoDB's Scan (JSON 1.0) from the snapshot's registry
// tables: pages of at most ScanPageBytes of items (DynamoDB: 1 MB) or Limit
// items, continued by ExclusiveStartKey, the last item's key (RegistryKey).
func (s *Server) scan(w http.ResponseWriter, region string, body []byte) {
	var in struct {
		TableName         string
		Limit             int
		ExclusiveStartKey map[string]snapshot.AttributeValue
	}
	if err := json.Unmarshal(body, &in); err != nil {
		s.failDynamoDB(w, http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	table := s.registry[region+"/"+in.TableName]
	if table == nil {
		s.failDynamoDB(w, http.StatusBadRequest, "ResourceNotFoundException", "Requested resource not found: Table: "+in.TableName+" not found")
		return
	}
	key := s.RegistryKey
	if key == "" {
		key = "tenant_id"
	}
	start := 0
	if k, ok := in.ExclusiveStartKey[key]; ok && k.S != nil {
		for i, item := range table.Items {
			if v, ok := item[key]; ok && v.S != nil && *v.S == *k.S {
				start = i + 1
				break
			}
		}
	}
	limit := s.ScanPageBytes
	if limit == 0 {
		limit = 1 << 20
	}
	var items []map[string]snapshot.AttributeValue
	size := 0
	end := start
	for end < len(table.Items) && (in.Limit == 0 || len(items) < in.Limit) {
		b, _ := json.Marshal(table.Items[end])
		if size+len(b) > limit && len(items) > 0 {
			break
		}
		size += len(b)
		items = append(items, table.Items[end])
		end++
	}
	out := map[string]any{"Items": items, "Count": len(items), "ScannedCount": len(items)}
	if items == nil {
		out["Items"] = []any{}
	}
	if end < len(table.Items) {
		out["LastEvaluatedKey"] = map[string]snapshot.AttributeValue{key: table.Items[end-1][key]}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	json.NewEncoder(w).Encode(out)
}

// failDynamoDB answers with an error in DynamoDB's JSON 1.0 shape.
func (s *Server) failDynamoDB(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"__type": "com.amazonaws.dynamodb.v20120810#" + code, "message": msg})
}

func isDynamoDB(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("X-Amz-Target"), dynamoDBTarget)
}
