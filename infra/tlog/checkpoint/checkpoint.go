// Package checkpoint reads and writes the ledger's signed tree heads in the
// C2SP tlog-checkpoint format: a note (golang.org/x/mod/sumdb/note) whose text is
//
//	<origin>
//	<tree size, decimal>
//	<root hash, base64>
//
// followed by optional extension lines, which this ledger never writes and
// readers ignore. The note is signed with the Ed25519 key whose name is the
// origin.
package checkpoint

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// ErrMalformed is wrapped by every error about a checkpoint's text.
var ErrMalformed = errors.New("malformed checkpoint")

// Checkpoint is a tree head: the log named Origin had Size entries, and the
// RFC 6962 Merkle tree over them has root hash Root.
type Checkpoint struct {
	Origin string
	Size   uint64
	Root   tlog.Hash
}

// Text is the checkpoint's note text, the bytes that are signed.
func (c Checkpoint) Text() []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\n", c.Origin, c.Size, c.Root)
}

// Parse reads a checkpoint's note text. The size must be plain decimal and the
// root a standard base64 SHA-256 hash; lines after the root are ignored.
func Parse(text []byte) (Checkpoint, error) {
	lines := bytes.SplitN(text, []byte("\n"), 4)
	if len(lines) < 4 || len(lines[0]) == 0 {
		return Checkpoint{}, fmt.Errorf("%w: needs an origin, a size and a root line", ErrMalformed)
	}
	size, err := strconv.ParseUint(string(lines[1]), 10, 64)
	if err != nil || strconv.FormatUint(size, 10) != string(lines[1]) || size > math.MaxInt64 {
		return Checkpoint{}, fmt.Errorf("%w: size %q", ErrMalformed, lines[1])
	}
	root, err := tlog.ParseHash(string(lines[2]))
	if err != nil || base64.StdEncoding.EncodeToString(root[:]) != string(lines[2]) {
		return Checkpoint{}, fmt.Errorf("%w: root hash %q", ErrMalformed, lines[2])
	}
	return Checkpoint{Origin: string(lines[0]), Size: size, Root: root}, nil
}

// Sign returns c as a note signed by s, whose name must be c's origin.
func Sign(c Checkpoint, s note.Signer) ([]byte, error) {
	if s.Name() != c.Origin {
		return nil, fmt.Errorf("sign checkpoint of %q with key %q: the key name must be the origin", c.Origin, s.Name())
	}
	msg, err := note.Sign(&note.Note{Text: string(c.Text())}, s)
	if err != nil {
		return nil, fmt.Errorf("sign checkpoint: %w", err)
	}
	return msg, nil
}

// Open verifies that msg is a checkpoint signed by v and returns it. The origin
// must be v's name, so a key cannot vouch for another log.
func Open(msg []byte, v note.Verifier) (Checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("open checkpoint: %w", err)
	}
	c, err := Parse([]byte(n.Text))
	if err != nil {
		return Checkpoint{}, err
	}
	if c.Origin != v.Name() {
		return Checkpoint{}, fmt.Errorf("%w: origin %q is not the key's name %q", ErrMalformed, c.Origin, v.Name())
	}
	return c, nil
}
