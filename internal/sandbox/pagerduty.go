package sandbox

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"

	"github.com/driftgate/driftgate/live/snapshot"
)

// PagerDutyServer serves a snapshot's PagerDuty state as PagerDuty's REST
// API v2 does: token auth, limit/offset/more pagination, orchestration
// paths wrapped in orchestration_path, and 429s on demand.
type PagerDutyServer struct {
	URL      string
	Token    string
	PageSize int
	// Throttle answers the first N requests with 429 and a ratelimit-reset of 0 s.
	Throttle int
	// Fail answers every request with a 500.
	Fail bool
	// EmptyMore answers every services page after the first with no items
	// and more: true, as a list cut short under load can.
	EmptyMore bool

	srv   *httptest.Server
	state *snapshot.PagerDutyState
	mu    sync.Mutex
	calls map[string]int
	seen  int
}

// StartPagerDuty serves the state on a loopback port.
func StartPagerDuty(state *snapshot.PagerDutyState) *PagerDutyServer {
	s := &PagerDutyServer{Token: "sandbox-pagerduty-token", PageSize: 25, state: state, calls: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /services", func(w http.ResponseWriter, r *http.Request) {
		if s.EmptyMore && r.URL.Query().Get("offset") != "" && r.URL.Query().Get("offset") != "0" {
			offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
			json.NewEncoder(w).Encode(map[string]any{"services": []any{}, "limit": s.PageSize, "offset": offset, "more": true})
			return
		}
		page(w, r, s.PageSize, "services", s.state.Services)
	})
	mux.HandleFunc("GET /escalation_policies", func(w http.ResponseWriter, r *http.Request) {
		page(w, r, s.PageSize, "escalation_policies", s.state.EscalationPolicies)
	})
	mux.HandleFunc("GET /event_orchestrations", func(w http.ResponseWriter, r *http.Request) {
		bare := make([]snapshot.PDOrchestration, len(s.state.EventOrchestrations))
		for i, o := range s.state.EventOrchestrations {
			o.Router, o.Global, o.Unrouted = nil, nil, nil
			bare[i] = o
		}
		page(w, r, s.PageSize, "orchestrations", bare)
	})
	mux.HandleFunc("GET /event_orchestrations/{id}/{path}", func(w http.ResponseWriter, r *http.Request) {
		for _, o := range s.state.EventOrchestrations {
			if o.ID != r.PathValue("id") {
				continue
			}
			switch p := r.PathValue("path"); {
			case p == "router" && o.Router != nil:
				orchestrationPath(w, *o.Router)
				return
			case p == "unrouted" && o.Unrouted != nil:
				orchestrationPath(w, *o.Unrouted)
				return
			case p == "global" && o.Global != nil:
				orchestrationPath(w, *o.Global)
				return
			case p == "global":
				orchestrationPath(w, snapshot.PDOrchestrationPath{})
				return
			}
		}
		notFound(w)
	})
	mux.HandleFunc("GET /event_orchestrations/services/{id}", func(w http.ResponseWriter, r *http.Request) {
		if p, ok := s.state.ServiceOrchestrations[r.PathValue("id")]; ok {
			orchestrationPath(w, p)
			return
		}
		orchestrationPath(w, snapshot.PDOrchestrationPath{})
	})
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[r.URL.Path]++
		s.seen++
		n := s.seen
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Header.Get("Authorization") != "Token token="+s.Token:
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"message":"Unauthorized","code":2006}}`))
		case s.Fail:
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"error":{"message":"Internal Server Error","code":2000}}`))
		case n <= s.Throttle:
			w.Header().Set("Ratelimit-Limit", "960")
			w.Header().Set("Ratelimit-Remaining", "0")
			w.Header().Set("Ratelimit-Reset", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"error":{"message":"Rate Limit Exceeded","code":2020}}`))
		default:
			mux.ServeHTTP(w, r)
		}
	}))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *PagerDutyServer) Close() { s.srv.Close() }

// Calls returns the number of requests per path.
func (s *PagerDutyServer) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

func page[T any](w http.ResponseWriter, r *http.Request, size int, key string, items []T) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > size {
		limit = size
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = min(max(offset, 0), len(items))
	end := min(offset+limit, len(items))
	body := map[string]any{key: items[offset:end], "limit": limit, "offset": offset, "more": end < len(items), "total": nil}
	if items == nil {
		body[key] = []T{}
	}

	json.NewEncoder(w).Encode(body)
}

func orchestrationPath(w http.ResponseWriter, p snapshot.PDOrchestrationPath) {
	json.NewEncoder(w).Encode(map[string]any{"orchestration_path": p})
}

func notFound(w http.ResponseWriter) {
	w.WriteHeader(http.StatusNotFound)
	w.Write([]byte(`{"error":{"message":"Not Found","code":2100}}`))
}
