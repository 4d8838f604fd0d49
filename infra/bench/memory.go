package bench

import "context"

// runMemory reads the peak resident set size (VmHWM) of the `ledger serve`
// process that served the verification scenarios on the large ledger,
// running their loads first if they did not run.
func runMemory(ctx context.Context, e *Env) (Result, error) {
	if e.inProcess {
		return Result{}, missing("the ledger runs inside ledgerbench (--in-process), whose peak RSS is not the ledger's")
	}
	s, err := e.servedLedger(ctx)
	if err != nil {
		return Result{}, err
	}
	for _, load := range []struct {
		name string
		run  func(context.Context, *Env) (Result, error)
	}{{"verify-id", runVerifyByID}, {"verify-presented", runVerifyPresented}} {
		if s.loads[load.name] {
			continue
		}
		e.Progress.Printf("memory: running the load of %s", load.name)
		if _, err := load.run(ctx, e); err != nil {
			return Result{}, err
		}
	}
	mb, err := s.p.peakRSS()
	return Result{Unit: "MB", Figure: mb, Ops: 1}, err
}
