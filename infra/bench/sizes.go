package bench

import (
	"reflect"
	"time"
)

// Sizes scale the workloads. The full sizes are those of the issue; quick
// ones make a smoke test of a few minutes on a 2-core machine.
type Sizes struct {
	Writers      int // concurrent writers, and concurrent HTTP connections
	AppendEvents int // events the concurrent writers append
	SingleEvents int // events the lone writer appends
	Commands     int // completions sent over HTTP
	LedgerEvents int // events of the large ledger that reads are measured on
	Requests     int // requests of each verification scenario
	Rounds       int // times subject and baseline alternate, to even out noise
	// Budget bounds the time of one measured load (one side of one round):
	// no operation starts after it, and the figure is what was done by then.
	Budget time.Duration
}

// until is the end of the budget of a load starting now; zero, for no end,
// without a budget.
func (s Sizes) until() time.Time {
	if s.Budget <= 0 {
		return time.Time{}
	}
	return time.Now().Add(s.Budget)
}

// fullSizes are the sizes of a full run.
var fullSizes = Sizes{Writers: 64, AppendEvents: 40_000, SingleEvents: 2_000, Commands: 20_000,
	LedgerEvents: 1_000_000, Requests: 20_000, Rounds: 4, Budget: time.Minute}

// quickSizes are the sizes of a --quick run.
var quickSizes = Sizes{Writers: 64, AppendEvents: 8_000, SingleEvents: 600, Commands: 3_000,
	LedgerEvents: 50_000, Requests: 4_000, Rounds: 2, Budget: 15 * time.Second}

// sizesFor returns the sizes cfg asks for: Quick's or the full ones, with
// cfg.Sizes' non-zero fields taking precedence.
func sizesFor(cfg Config) Sizes {
	s := fullSizes
	if cfg.Quick {
		s = quickSizes
	}
	over, out := reflect.ValueOf(cfg.Sizes), reflect.ValueOf(&s).Elem()
	for i := range over.NumField() {
		if !over.Field(i).IsZero() {
			out.Field(i).Set(over.Field(i))
		}
	}
	return s
}
