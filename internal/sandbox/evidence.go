package sandbox

import (
	"net/http"
	"reflect"
	"strconv"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/driftgate/driftgate/live/snapshot"
)

// getMetricData answers GetMetricData from the snapshot's recorded series:
// each returned query is looked up by its label (the alarm name the reader
// gives it), an unknown one has no data, as a metric nobody publishes.
// Results page at MaxDatapoints datapoints a response, by NextToken.
func (s *Server) getMetricData(w http.ResponseWriter, region string, body []byte) {
	req := decodeRequest(body)
	ev := s.evidence[region]
	type point struct {
		result int
		i      int
	}
	var results []snapshot.MetricDataResult
	var points []point
	list, _ := req.m["MetricDataQueries"].(cbor.List)
	if len(list) > 500 {
		s.fail(w, true, http.StatusBadRequest, "InvalidParameterValue", "The collection MetricDataQueries must not have a size greater than 500.")
		return
	}
	for _, e := range list {
		q := request{m: asMap(e)}
		if rd, ok := q.m["ReturnData"].(cbor.Bool); ok && !bool(rd) {
			continue
		}
		res := snapshot.MetricDataResult{Id: q.str("Id"), Label: q.str("Label")}
		if ev != nil {
			rec := ev.Series[res.Label]
			res.Timestamps, res.Values = rec.Timestamps, rec.Values
		}
		results = append(results, res)
		for i := range res.Values {
			points = append(points, point{len(results) - 1, i})
		}
	}
	start, _ := strconv.Atoi(req.str("NextToken"))
	limit := s.MaxDatapoints
	if limit <= 0 {
		limit = 100800
	}
	end := min(start+limit, len(points))
	start = min(start, end)
	// Each result carries its share of this page's datapoints.
	page := make([]snapshot.MetricDataResult, len(results))
	for i, r := range results {
		page[i] = snapshot.MetricDataResult{Id: r.Id, Label: r.Label, StatusCode: "Complete"}
	}
	for _, p := range points[start:end] {
		r := &page[p.result]
		r.Timestamps = append(r.Timestamps, results[p.result].Timestamps[p.i])
		r.Values = append(r.Values, results[p.result].Values[p.i])
	}
	out := cbor.Map{}
	items := cbor.List{}
	for i := range page {
		if end < len(points) {
			page[i].StatusCode = "PartialData"
		}
		items = append(items, resultCBOR(page[i]))
	}
	out["MetricDataResults"] = items
	if end < len(points) {
		out["NextToken"] = cbor.String(strconv.Itoa(end))
	}
	writeCBOR(w, out)
}

// resultCBOR encodes a result, keeping empty lists: no data is an answer.
func resultCBOR(r snapshot.MetricDataResult) cbor.Value {
	m := cbor.Map{"Id": cbor.String(r.Id), "StatusCode": cbor.String(r.StatusCode), "Timestamps": cbor.List{}, "Values": cbor.List{}}
	if r.Label != "" {
		m["Label"] = cbor.String(r.Label)
	}
	for _, t := range r.Timestamps {
		v, _ := toCBOR(reflect.ValueOf(t))
		m["Timestamps"] = append(m["Timestamps"].(cbor.List), v)
	}
	for _, v := range r.Values {
		m["Values"] = append(m["Values"].(cbor.List), cbor.Float64(v))
	}
	return m
}

// describeAlarmHistory pages the recorded state updates, MaxRecords a page.
func (s *Server) describeAlarmHistory(w http.ResponseWriter, region string, body []byte) {
	req := decodeRequest(body)
	var items []snapshot.AlarmHistoryItem
	if ev := s.evidence[region]; ev != nil {
		for _, h := range ev.History {
			if t := req.str("HistoryItemType"); t != "" && t != h.HistoryItemType {
				continue
			}
			if n := req.str("AlarmName"); n != "" && n != h.AlarmName {
				continue
			}
			items = append(items, h)
		}
	}
	size := 100
	if m := req.int("MaxRecords"); m > 0 && m < size {
		size = m
	}
	start, _ := strconv.Atoi(req.str("NextToken"))
	end := min(start+size, len(items))
	start = min(start, end)
	list := cbor.List{}
	for i := range items[start:end] {
		v, _ := toCBOR(reflect.ValueOf(&items[start+i]))
		list = append(list, v)
	}
	out := cbor.Map{"AlarmHistoryItems": list}
	if end < len(items) {
		out["NextToken"] = cbor.String(strconv.Itoa(end))
	}
	writeCBOR(w, out)
}

// listMetrics pages the recorded recently active metrics, 500 a page.
func (s *Server) listMetrics(w http.ResponseWriter, region string, body []byte) {
	req := decodeRequest(body)
	var metrics []snapshot.Metric
	if ev := s.evidence[region]; ev != nil {
		for _, m := range ev.ActiveMetrics {
			if ns := req.str("Namespace"); ns != "" && ns != m.Namespace {
				continue
			}
			if n := req.str("MetricName"); n != "" && n != m.MetricName {
				continue
			}
			metrics = append(metrics, m)
		}
	}
	start, _ := strconv.Atoi(req.str("NextToken"))
	end := min(start+500, len(metrics))
	start = min(start, end)
	list := cbor.List{}
	for i := range metrics[start:end] {
		v, _ := toCBOR(reflect.ValueOf(&metrics[start+i]))
		list = append(list, v)
	}
	out := cbor.Map{"Metrics": list}
	if end < len(metrics) {
		out["NextToken"] = cbor.String(strconv.Itoa(end))
	}
	writeCBOR(w, out)
}

func asMap(v cbor.Value) cbor.Map {
	m, _ := v.(cbor.Map)
	if m == nil {
		return cbor.Map{}
	}
	return m
}
