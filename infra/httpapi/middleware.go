package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/infra/commands"
	"github.com/erasmus-ledger/ledger/infra/problem"
)

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ledger_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ledger_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// statusRecorder remembers the status code a handler wrote. It also turns the
// mux's plain-text 404 and 405 into problems, so that every error is problem+json.
type statusRecorder struct {
	http.ResponseWriter
	status    int
	swallowed bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status != 0 {
		return
	}
	s.status = code
	if (code == http.StatusMethodNotAllowed || code == http.StatusNotFound) && strings.HasPrefix(s.Header().Get("Content-Type"), "text/plain") {
		s.swallowed = true
		d := problem.Details{Type: problem.TypeBase + "not-found", Title: http.StatusText(code), Status: code, Detail: "no such resource"}
		if code == http.StatusMethodNotAllowed {
			d.Type, d.Detail = problem.TypeBase+"method-not-allowed", "allowed methods: "+s.Header().Get("Allow")
		}
		problem.Send(s.ResponseWriter, d)
		return
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	if s.swallowed {
		return len(b), nil
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

type requestIDKey struct{}

// RequestID is the ID of the request being served, used as correlation ID.
func RequestID(ctx context.Context) string { id, _ := ctx.Value(requestIDKey{}).(string); return id }

// middleware wraps every request: request ID, panic recovery, body limit,
// metrics and one log line per request.
func (a *API) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if id == "" || len(id) > 128 {
			id = commands.NewID("req")
		}
		w.Header().Set("X-Request-ID", id)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		r.Body = http.MaxBytesReader(w, r.Body, a.cfg.MaxBody)
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				a.log.ErrorContext(r.Context(), "panic while serving", "panic", p, "path", r.URL.Path)
				if rec.status == 0 {
					problem.Write(rec, r, a.log, errPanic)
				}
			}
			a.observe(r, rec.status, time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

type panicError struct{}

func (panicError) Error() string { return "handler panicked" }

var errPanic error = panicError{}

func (a *API) observe(r *http.Request, status int, d time.Duration) {
	route := r.Pattern
	if route == "" || route == "/" {
		route = "unmatched"
	}
	a.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Inc()
	a.metrics.duration.WithLabelValues(route, r.Method).Observe(d.Seconds())
	if status >= 500 {
		a.log.WarnContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", status, "duration", d, "request_id", RequestID(r.Context()))
	} else {
		a.log.DebugContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", status, "duration", d)
	}
}
