package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/aws/smithy-go/encoding/cbor"
	"github.com/driftgate/driftgate/live/snapshot"
)

// getResources answers the Resource Groups Tagging API's GetResources from
// the snapshot's alarm tags: by resource type, ResourcesPerPage a page (at
// most 100) with PaginationToken, or by ResourceARNList. The current SDK
// speaks Smithy RPC v2 CBOR to it; older clients JSON 1.1: both are served.
func (s *Server) getResources(w http.ResponseWriter, region string, body []byte, isCBOR bool) {
	var in struct {
		ResourceTypeFilters []string
		ResourceARNList     []string
		ResourcesPerPage    int
		PaginationToken     string
	}
	if isCBOR {
		req := decodeRequest(body)
		in.ResourceTypeFilters, in.ResourceARNList = req.strs("ResourceTypeFilters"), req.strs("ResourceARNList")
		in.ResourcesPerPage, in.PaginationToken = req.int("ResourcesPerPage"), req.str("PaginationToken")
	} else if err := json.Unmarshal(body, &in); err != nil {
		s.failJSON(w, http.StatusBadRequest, "InvalidParameterException", err.Error())
		return
	}
	if len(in.ResourceARNList) > 100 || len(in.ResourceARNList) > 0 && (in.PaginationToken != "" || in.ResourcesPerPage != 0) {
		msg := "ResourceARNList takes at most 100 ARNs and no pagination"
		if isCBOR {
			s.fail(w, true, http.StatusBadRequest, "InvalidParameterException", msg)
		} else {
			s.failJSON(w, http.StatusBadRequest, "InvalidParameterException", msg)
		}
		return
	}
	type tag struct{ Key, Value string }
	type mapping struct {
		ResourceARN string
		Tags        []tag
	}
	var all []mapping
	if r := s.regions[region]; r != nil {
		arns := make([]string, 0, len(r.MetricAlarms)+len(r.CompositeAlarms))
		for _, a := range r.MetricAlarms {
			arns = append(arns, a.AlarmArn)
		}
		for _, a := range r.CompositeAlarms {
			arns = append(arns, a.AlarmArn)
		}
		slices.Sort(arns)
		for _, arn := range arns {
			if len(in.ResourceARNList) > 0 && !slices.Contains(in.ResourceARNList, arn) {
				continue
			}
			if len(in.ResourceTypeFilters) > 0 && !slices.Contains(in.ResourceTypeFilters, "cloudwatch:alarm") && !slices.Contains(in.ResourceTypeFilters, "cloudwatch") {
				continue
			}
			m := mapping{ResourceARN: arn, Tags: []tag{}}
			for _, t := range r.Tags[arn] {
				m.Tags = append(m.Tags, tag(snapshot.Tag{Key: t.Key, Value: t.Value}))
			}
			all = append(all, m)
		}
	}
	size := in.ResourcesPerPage
	if size <= 0 || size > 100 {
		size = 50 // the API's default page
	}
	start, _ := strconv.Atoi(in.PaginationToken)
	end := min(start+size, len(all))
	start = min(start, end)
	if len(in.ResourceARNList) > 0 {
		start, end = 0, len(all)
	}
	token := ""
	if end < len(all) {
		token = strconv.Itoa(end)
	}
	if isCBOR {
		list := cbor.List{}
		for _, m := range all[start:end] {
			tags := cbor.List{}
			for _, t := range m.Tags {
				tags = append(tags, cbor.Map{"Key": cbor.String(t.Key), "Value": cbor.String(t.Value)})
			}
			list = append(list, cbor.Map{"ResourceARN": cbor.String(m.ResourceARN), "Tags": tags})
		}
		out := cbor.Map{"ResourceTagMappingList": list}
		if token != "" {
			out["PaginationToken"] = cbor.String(token)
		}
		writeCBOR(w, out)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(map[string]any{"ResourceTagMappingList": all[start:end], "PaginationToken": token})
}

// failJSON answers with an error in the JSON protocols' shape.
func (s *Server) failJSON(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}
