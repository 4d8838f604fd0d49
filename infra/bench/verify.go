package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
)

// runVerifyByID measures GET /v1/credentials/{id}/verification for random
// credentials of the large ledger, beside a bare handler answering with a
// body of the same size.
func runVerifyByID(ctx context.Context, e *Env) (Result, error) {
	s, err := e.servedLedger(ctx)
	if err != nil {
		return Result{}, err
	}
	ids := s.l.facts.credentials
	if len(ids) == 0 {
		return Result{}, fmt.Errorf("the large ledger of %d events holds no credential", s.l.size)
	}
	sample, err := s.do(ctx, http.MethodGet, verificationPath(ids[0]), "", "", nil)
	switch {
	case err != nil:
		return Result{}, err
	case sample.unrouted():
		return Result{}, missing("the ledger has no route GET /v1/credentials/{id}/verification")
	case sample.status != http.StatusOK:
		return Result{}, fmt.Errorf("GET %s: status %d: %.300s", verificationPath(ids[0]), sample.status, sample.body)
	}
	bare, err := e.startBare(fixedAnswer(sample))
	if err != nil {
		return Result{}, err
	}
	rng := rand.New(rand.NewPCG(uint64(e.Seed), 17))
	var subject, baseline []request
	for range e.Sizes.Requests {
		path := verificationPath(ids[rng.IntN(len(ids))])
		subject = append(subject, request{method: http.MethodGet, url: s.p.url() + path})
		baseline = append(baseline, request{method: http.MethodGet, url: bare.url + path})
	}
	sm, bm, err := alternateHTTP(ctx, e, subject, baseline)
	s.loads["verify-id"] = err == nil
	name := fmt.Sprintf("a bare net/http handler in this process answering each request with the same %d-byte body", len(sample.body))
	return rateResult("requests/s", sm, bm, name), err
}

func verificationPath(id string) string { return "/v1/credentials/" + id + "/verification" }

// fixedAnswer is a handler that answers every request with a's body.
func fixedAnswer(a answer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", a.ctype)
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	})
}

// alternateHTTP sends subject's requests and baseline's, each side on
// connections of its own, in e.Sizes.Rounds parts that alternate which side
// goes first, and adds up each side's measures. Every answer must be 200.
func alternateHTTP(ctx context.Context, e *Env, subject, baseline []request) (s, b Measure, err error) {
	rounds := max(1, e.Sizes.Rounds)
	sc, bc := newHTTPClient(e.Sizes.Writers), newHTTPClient(e.Sizes.Writers)
	for i := range rounds {
		part := func(rs []request) []request { return rs[i*len(rs)/rounds : (i+1)*len(rs)/rounds] }
		label := fmt.Sprintf("round %d/%d", i+1, rounds)
		runS := func() error {
			m, err := sendCounted(ctx, e, label+": ledger", sc, part(subject))
			s = s.Plus(m)
			return err
		}
		runB := func() error {
			m, err := sendCounted(ctx, e, label+": baseline", bc, part(baseline))
			b = b.Plus(m)
			return wrapErr("baseline", err)
		}
		if err := inTurn(i%2 == 1, runB, runS); err != nil {
			return s, b, err
		}
	}
	return s, b, nil
}

// sendCounted sends reqs on e.Sizes.Writers connections, with progress.
func sendCounted(ctx context.Context, e *Env, label string, client *http.Client, reqs []request) (Measure, error) {
	c := e.count(label, len(reqs))
	defer c.Done()
	return driveUntil(ctx, e.Sizes.Writers, c, e.Sizes.until(), sendAll(client, reqs, http.StatusOK))
}
