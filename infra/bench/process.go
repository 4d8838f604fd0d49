package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ledgerModule is the import path of the ledger command that Run builds.
const ledgerModule = "github.com/erasmus-ledger/ledger/cmd/ledger"

// binary is the `ledger` command the run executes, built at most once.
type binary struct {
	once sync.Once
	path string
	err  error
}

// ledgerBinary returns the ledger command: the one configured, or one built
// into the run's temporary directory from the module in the working
// directory.
func (e *Env) ledgerBinary(ctx context.Context) (string, error) {
	e.bin.once.Do(func() {
		if e.bin.path != "" {
			return
		}
		e.Progress.Printf("building %s", ledgerModule)
		out := filepath.Join(e.tmp, "ledger")
		msg, err := exec.CommandContext(ctx, "go", "build", "-o", out, ledgerModule).CombinedOutput()
		if err != nil {
			e.bin.err = fmt.Errorf("build the ledger (run from the module, or give --ledger-binary): %v: %s", err, msg)
			return
		}
		e.bin.path = out
	})
	return e.bin.path, e.bin.err
}

// hasCommand reports whether the ledger command has subcommand name, by
// its help text.
func (e *Env) hasCommand(ctx context.Context, name string) (bool, error) {
	bin, err := e.ledgerBinary(ctx)
	if err != nil {
		return false, err
	}
	out, err := exec.CommandContext(ctx, bin, "help").Output()
	if err != nil {
		return false, fmt.Errorf("ledger help: %w", err)
	}
	for line := range strings.Lines(string(out)) {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			return true, nil
		}
	}
	return false, nil
}

// ledgerCommand returns the ledger command with args, run on the large
// ledger l: its store and master key come from the environment, and its
// log lines go to the progress.
func (e *Env) ledgerCommand(ctx context.Context, l *largeLedger, args ...string) (*exec.Cmd, error) {
	bin, err := e.ledgerBinary(ctx)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(cmd.Environ(), "LEDGER_DATA="+l.loc.Dir, "LEDGER_DATABASE_URL="+l.loc.URL,
		"LEDGER_MASTER_KEY="+base64.StdEncoding.EncodeToString(l.master), "LEDGER_MASTER_KEY_FILE=")
	cmd.Stderr = progressLines{p: e.Progress, prefix: args[0]}
	return cmd, nil
}

// served is a ledger serving the large ledger over HTTP on loopback: a
// `ledger serve` process, or with Config.InProcess the ledger assembled in
// this process.
type served interface {
	url() string
	// token mints an API token for role, acting for org if not "".
	token(ctx context.Context, role, org string) (string, error)
	// peakRSS is the server's peak resident set size so far, in MB.
	peakRSS() (float64, error)
	stop() error
}

// ledgerProcess is `ledger serve` running as a child process.
type ledgerProcess struct {
	e    *Env
	l    *largeLedger
	cmd  *exec.Cmd
	base string
	done chan struct{} // closed when the process has exited
	err  error         // why it exited, once done
}

// serve serves l, by a `ledger serve` process or in this process, waits
// until it is ready and has a checkpoint of the whole log, and stops it when
// the run ends.
func (e *Env) serve(ctx context.Context, l *largeLedger) (served, error) {
	s, done, err := e.start(ctx, l)
	if err != nil {
		return nil, err
	}
	if err := waitReady(ctx, e, s.url(), done); err != nil {
		return s, err
	}
	return s, waitCheckpoint(ctx, e, s.url(), l.size)
}

// start starts serving l; done closes when the server stops.
func (e *Env) start(ctx context.Context, l *largeLedger) (s served, done <-chan struct{}, err error) {
	if e.inProcess {
		ls, err := startLedger(ctx, e, l.loc, l.master)
		if err != nil {
			return nil, nil, err
		}
		return ls, ls.done, nil
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, nil, err
	}
	cmd, err := e.ledgerCommand(ctx, l, "serve", "--addr", addr, "--log-level", "warn")
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("start ledger serve: %w", err)
	}
	p := &ledgerProcess{e: e, l: l, cmd: cmd, base: "http://" + addr, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	e.cleanups.add(func(context.Context) error { return p.stop() })
	return p, p.done, nil
}

func (p *ledgerProcess) url() string { return p.base }

// token mints an API token with `ledger token`, for p's address (which
// makes the token's issuer).
func (p *ledgerProcess) token(ctx context.Context, role, org string) (string, error) {
	args := []string{"token", "--addr", strings.TrimPrefix(p.base, "http://"), "--role", role, "--ttl", "24h"}
	if org != "" {
		args = append(args, "--org", org)
	}
	cmd, err := p.e.ledgerCommand(ctx, p.l, args...)
	if err != nil {
		return "", err
	}
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("ledger token: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// readyTimeout bounds the wait for a ledger to catch up with a large log.
const readyTimeout = 30 * time.Minute

// waitReady polls base/readyz until the ledger answers 200, or done closes.
func waitReady(ctx context.Context, e *Env, base string, done <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	e.Progress.Printf("waiting for the ledger at %s to be ready", base)
	client := &http.Client{Timeout: 5 * time.Second}
	for tick := time.NewTicker(250 * time.Millisecond); ; {
		if ready(ctx, client, base) {
			return nil
		}
		select {
		case <-done:
			return errors.New("the ledger stopped before it was ready")
		case <-ctx.Done():
			return fmt.Errorf("the ledger is not ready: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

// ready reports whether the ledger at base answers /readyz with 200.
func ready(ctx context.Context, client *http.Client, base string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
	if err != nil {
		return false
	}
	return roundTrip(client, req, http.StatusOK) == nil
}

// stop interrupts the process and waits for it, killing it if it has not
// exited within 15 seconds.
func (p *ledgerProcess) stop() error {
	select {
	case <-p.done:
		return nil
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(15 * time.Second):
		return errors.Join(errors.New("ledger serve ignored SIGTERM; killed"), p.cmd.Process.Kill())
	}
}

// peakRSS is the process's peak resident set size so far (VmHWM), in MB.
func (p *ledgerProcess) peakRSS() (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, fmt.Errorf("peak RSS: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "VmHWM:" && f[2] == "kB" {
			kb, err := strconv.ParseFloat(f[1], 64)
			return kb / 1024, err
		}
	}
	return 0, errors.New("peak RSS: no VmHWM in /proc/<pid>/status")
}
