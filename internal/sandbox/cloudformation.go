package sandbox

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/driftgate/driftgate/live/snapshot"
)

// The CloudFormation query protocol answers in XML under this namespace.
const cfnNamespace = "http://cloudformation.amazonaws.com/doc/2010-05-15/"

type cfnResponse struct {
	XMLName  xml.Name
	XMLNS    string `xml:"xmlns,attr"`
	Result   any
	Metadata struct {
		RequestID string `xml:"RequestId"`
	} `xml:"ResponseMetadata"`
}

func writeXML(w http.ResponseWriter, op string, result any) {
	resp := cfnResponse{XMLName: xml.Name{Local: op + "Response"}, XMLNS: cfnNamespace, Result: result}
	resp.Metadata.RequestID = "sandbox"
	w.Header().Set("Content-Type", "text/xml")
	out, err := xml.Marshal(resp)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(out)
}

func (s *Server) stack(region, name string) *snapshot.Stack {
	for i := range s.stacks[region] {
		if st := &s.stacks[region][i]; st.StackName == name {
			return st
		}
	}
	return nil
}

// cloudFormation serves drift detection: a detection finishes after
// Faults.DriftPolls status polls, with the stack's recorded status and drifts.
func (s *Server) cloudFormation(w http.ResponseWriter, region, op string, form url.Values) {
	switch op {
	case "DetectStackDrift":
		st := s.stack(region, form.Get("StackName"))
		if st == nil {
			s.fail(w, false, http.StatusBadRequest, "ValidationError", "Stack with id "+form.Get("StackName")+" does not exist")
			return
		}
		s.mu.Lock()
		s.detections[region+"/"+st.StackName] = 0
		s.mu.Unlock()
		writeXML(w, op, struct {
			XMLName xml.Name `xml:"DetectStackDriftResult"`
			ID      string   `xml:"StackDriftDetectionId"`
		}{ID: region + "/" + st.StackName})
	case "DescribeStackDriftDetectionStatus":
		id := form.Get("StackDriftDetectionId")
		s.mu.Lock()
		polls, ok := s.detections[id]
		s.detections[id] = polls + 1
		s.mu.Unlock()
		_, name := splitID(id)
		st := s.stack(region, name)
		if !ok || st == nil {
			s.fail(w, false, http.StatusBadRequest, "ValidationError", "no drift detection "+id)
			return
		}
		status, drift, reason := st.DetectionStatus, st.StackDriftStatus, st.DetectionStatusReason
		if polls < s.Faults.DriftPolls {
			status, drift, reason = "DETECTION_IN_PROGRESS", "", ""
		}
		writeXML(w, op, struct {
			XMLName xml.Name `xml:"DescribeStackDriftDetectionStatusResult"`
			StackID string   `xml:"StackId"`
			ID      string   `xml:"StackDriftDetectionId"`
			Drift   string   `xml:"StackDriftStatus,omitempty"`
			Status  string   `xml:"DetectionStatus"`
			Reason  string   `xml:"DetectionStatusReason,omitempty"`
			Count   int      `xml:"DriftedStackResourceCount"`
			Time    string   `xml:"Timestamp"`
		}{StackID: st.StackId, ID: id, Drift: drift, Status: status, Reason: reason, Count: len(st.StackResourceDrifts), Time: "2026-11-23T12:00:00Z"})
	case "DescribeStackResourceDrifts":
		st := s.stack(region, form.Get("StackName"))
		if st == nil {
			s.fail(w, false, http.StatusBadRequest, "ValidationError", "Stack "+form.Get("StackName")+" does not exist")
			return
		}
		start, _ := strconv.Atoi(form.Get("NextToken"))
		size := 2 // small pages, so readers must follow NextToken
		end := min(start+size, len(st.StackResourceDrifts))
		start = min(start, end)
		type difference struct {
			Path     string `xml:"PropertyPath"`
			Expected string `xml:"ExpectedValue"`
			Actual   string `xml:"ActualValue"`
			Type     string `xml:"DifferenceType"`
		}
		type drift struct {
			StackID   string       `xml:"StackId"`
			Logical   string       `xml:"LogicalResourceId"`
			Physical  string       `xml:"PhysicalResourceId,omitempty"`
			Type      string       `xml:"ResourceType"`
			Expected  string       `xml:"ExpectedProperties,omitempty"`
			Actual    string       `xml:"ActualProperties,omitempty"`
			Diffs     []difference `xml:"PropertyDifferences>member"`
			Status    string       `xml:"StackResourceDriftStatus"`
			Reason    string       `xml:"DriftStatusReason,omitempty"`
			Timestamp string       `xml:"Timestamp"`
		}
		result := struct {
			XMLName xml.Name `xml:"DescribeStackResourceDriftsResult"`
			Drifts  []drift  `xml:"StackResourceDrifts>member"`
			Next    string   `xml:"NextToken,omitempty"`
		}{Drifts: []drift{}}
		for _, d := range st.StackResourceDrifts[start:end] {
			x := drift{StackID: st.StackId, Logical: d.LogicalResourceId, Physical: d.PhysicalResourceId, Type: d.ResourceType,
				Expected: d.ExpectedProperties, Actual: d.ActualProperties, Status: d.StackResourceDriftStatus, Reason: d.DriftStatusReason,
				Timestamp: "2026-11-23T12:00:00Z"}
			for _, p := range d.PropertyDifferences {
				x.Diffs = append(x.Diffs, difference{p.PropertyPath, p.ExpectedValue, p.ActualValue, p.DifferenceType})
			}
			result.Drifts = append(result.Drifts, x)
		}
		if end < len(st.StackResourceDrifts) {
			result.Next = strconv.Itoa(end)
		}
		writeXML(w, op, result)
	default:
		s.fail(w, false, http.StatusBadRequest, "InvalidAction", fmt.Sprintf("the sandbox does not serve cloudformation %q", op))
	}
}

func splitID(id string) (region, stack string) {
	for i := range id {
		if id[i] == '/' {
			return id[:i], id[i+1:]
		}
	}
	return "", id
}
