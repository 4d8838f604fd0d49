package pgstore

// maxKnown bounds the streams knownVersions remembers; when it is full it
// forgets them all and starts again.
const maxKnown = 1 << 16

// knownVersions remembers, per stream, a version this store saw committed.
// Events are never deleted and a stream's versions have no gaps, so every
// version up to it exists: an append that expects one of them needs no check
// that its stream got that far. Only the committer goroutine uses it.
type knownVersions struct {
	m map[string]uint64
}

// has reports whether version v of stream is known to exist (0 always does).
func (k *knownVersions) has(stream string, v uint64) bool {
	return v == 0 || k.m[stream] >= v
}

// saw records that version v of stream exists.
func (k *knownVersions) saw(stream string, v uint64) {
	if k.m == nil || len(k.m) >= maxKnown {
		k.m = make(map[string]uint64)
	}
	k.m[stream] = max(k.m[stream], v)
}
