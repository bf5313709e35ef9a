package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/live/snapshot"
)

// Application Signals speaks REST JSON: the operation is the method and
// path, errors carry their code in X-Amzn-ErrorType.

// serviceSLOOp names the Application Signals operation of a request.
func serviceSLOOp(r *http.Request) string {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/slos":
		return "ListServiceLevelObjectives"
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/slo/"):
		return "GetServiceLevelObjective"
	}
	return r.Method + " " + r.URL.Path
}

func failRESTJSON(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

// serviceSLOPage is the most SLO summaries one ListServiceLevelObjectives
// page holds when the caller asks for more.
const serviceSLOPage = 50

func (s *Server) listServiceSLOs(w http.ResponseWriter, region string, q url.Values) {
	slos := s.serviceSLOs[region]
	size := serviceSLOPage
	if n, err := strconv.Atoi(q.Get("MaxResults")); err == nil && n > 0 && n < size {
		size = n
	}
	if s.PageSize > 0 && s.PageSize < size {
		size = s.PageSize
	}
	start := 0
	if tok := q.Get("NextToken"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 || n > len(slos) {
			failRESTJSON(w, http.StatusBadRequest, "ValidationException", "invalid NextToken")
			return
		}
		start = n
	}
	end := min(start+size, len(slos))
	summaries := []map[string]any{}
	for _, o := range slos[start:end] {
		summaries = append(summaries, map[string]any{"Arn": o.Arn, "Name": o.Name, "CreatedTime": 1.7e9})
	}
	out := map[string]any{"SloSummaries": summaries}
	if end < len(slos) {
		out["NextToken"] = strconv.Itoa(end)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

func (s *Server) getServiceSLO(w http.ResponseWriter, region, path string) {
	id, err := url.PathUnescape(strings.TrimPrefix(path, "/slo/"))
	if err != nil {
		failRESTJSON(w, http.StatusBadRequest, "ValidationException", "invalid Id")
		return
	}
	for _, o := range s.serviceSLOs[region] {
		if o.Arn == id || o.Name == id {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"Slo": serviceSLOJSON(o)})
			return
		}
	}
	failRESTJSON(w, http.StatusNotFound, "ResourceNotFoundException", "no SLO "+id)
}

// serviceSLOJSON is an SLO as GetServiceLevelObjective returns it: the
// recorded fields and the timestamps the API always sends (epoch seconds).
func serviceSLOJSON(o snapshot.ServiceLevelObj) map[string]any {
	data, _ := json.Marshal(o)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	m["CreatedTime"], m["LastUpdatedTime"] = 1.7e9, 1.7e9
	return m
}
