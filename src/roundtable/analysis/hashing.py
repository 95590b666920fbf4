"""Vectorised token hashing over many normalised texts at once.

The texts of a chunk are normalised and joined by line breaks
(``text.normalise_joined``), encoded to UTF-8 once, and viewed as a numpy byte
array. Every byte is classified by a lookup table (word byte, separator,
sentence end, text end); token boundaries are where the class changes. Each
token is hashed from up to three unaligned 8-byte windows read straight out of
the buffer (masked to the token's length), mixed with the SplitMix64
finaliser; longer tokens fold in further windows in a loop over the few that
need it. No Python code runs per token: a million comments of 80 words (80
million tokens) hash in a few seconds.

All arithmetic is on ``uint64`` and wraps around, as intended.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .text import normalise_joined

U64 = np.uint64
_MASKS = np.array([(1 << (8 * n)) - 1 if n < 8 else (1 << 64) - 1 for n in range(9)], dtype=U64)
_P = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=U64,
)

_DIGIT_0, _LETTER_A = np.uint8(ord("0")), np.uint8(ord("a"))
_DOT, _NEWLINE = np.uint8(ord(".")), np.uint8(ord("\n"))


def mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser, elementwise on ``uint64`` (returns a new array)."""
    z = z ^ (z >> U64(30))
    z *= U64(0xBF58476D1CE4E5B9)
    z ^= z >> U64(27)
    z *= U64(0x94D049BB133111EB)
    z ^= z >> U64(31)
    return z


@dataclass
class Tokens:
    """The tokens of a chunk of texts, in order.

    ``hashes[i]`` is token ``i``'s 64-bit hash; ``doc[i]`` the index of its text
    in the chunk; ``sentence[i]`` a sentence number that increases through the
    chunk (every text starts a new sentence); ``start[i]``/``end[i]`` its byte
    offsets in ``buffer``, the UTF-8 of the joined normal forms, whose text
    ``j`` starts at byte ``doc_start[j]``.
    """

    hashes: np.ndarray
    doc: np.ndarray
    sentence: np.ndarray
    start: np.ndarray
    end: np.ndarray
    buffer: bytes
    doc_start: np.ndarray
    n_docs: int

    def doc_offsets(self) -> np.ndarray:
        """Token offsets per text: text ``j`` has tokens ``[off[j], off[j+1])``."""
        return np.searchsorted(self.doc, np.arange(self.n_docs + 1)).astype(np.int64)

    def token_text(self, i: int) -> str:
        return self.buffer[int(self.start[i]) : int(self.end[i])].decode("utf-8")


def _windows(data: bytes) -> np.ndarray:
    """A ``uint64`` view of ``data`` at every byte offset (unaligned, read-only)."""
    padded = np.frombuffer(data + b"\x00" * 16, dtype=np.uint8)
    return np.ndarray(shape=(len(data) + 8,), dtype="<u8", buffer=padded, offset=0, strides=(1,))


def hash_tokens_of(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of a UTF-8 buffer of normal forms: hashes, starts, ends, and the
    buffer as a byte array.

    A word byte is an ASCII letter or digit or any byte of a non-ASCII
    character; tokens are the runs of word bytes (found by comparisons, not a
    lookup table: numpy gathers through a 256-entry table are slower).
    """
    b = np.frombuffer(data, dtype=np.uint8)
    word = np.zeros(len(b) + 2, dtype=bool)
    inner = word[1:-1]
    np.greater_equal(b, 0x80, out=inner)
    inner |= (b - _DIGIT_0) < 10  # wraps around below "0"
    inner |= (b - _LETTER_A) < 26
    edges = np.flatnonzero(word[1:] != word[:-1])
    start = edges[0::2]
    end = edges[1::2]
    length = end - start
    win = _windows(data)
    n1 = np.minimum(length, 8)
    h = (win[start] & _MASKS[n1]) * _P[0]
    long1 = np.flatnonzero(length > 8)
    if len(long1):
        s1 = start[long1]
        l1 = length[long1]
        h[long1] += (win[s1 + 8] & _MASKS[np.minimum(l1 - 8, 8)]) * _P[1]
        long2 = np.flatnonzero(l1 > 16)
        if len(long2):
            sel = long1[long2]
            h[sel] += (win[start[sel] + 16] & _MASKS[np.minimum(length[sel] - 16, 8)]) * _P[2]
            offset = 24
            rest = sel[length[sel] > offset]
            while len(rest):
                # Rare long tokens: fold 8 more bytes per round.
                h[rest] = (
                    mix(h[rest])
                    + (win[start[rest] + offset] & _MASKS[np.minimum(length[rest] - offset, 8)])
                    * _P[2]
                )
                offset += 8
                rest = rest[length[rest] > offset]
    h += length.astype(U64) * _P[3]
    return mix(h), start, end, b


def _count_before(marks: np.ndarray, start: np.ndarray) -> np.ndarray:
    """For each token start (sorted), how many of the sorted ``marks`` come
    before it: a search per mark and a repeat, not a search per token."""
    firsts = np.searchsorted(start, marks)
    counts = np.diff(firsts, prepend=0, append=len(start))
    return np.repeat(np.arange(len(counts), dtype=np.int32), counts)


def hash_chunk(texts: list[str]) -> Tokens:
    """Normalise, tokenise and hash a chunk of texts (see the module docstring)."""
    joined = normalise_joined(texts)
    data = joined.encode("utf-8")
    hashes, start, end, b = hash_tokens_of(data)
    # Sentence number of a token = sentence ends before it; text number likewise.
    text_ends = np.flatnonzero(b == _NEWLINE)
    sentence = _count_before(np.flatnonzero((b == _DOT) | (b == _NEWLINE)), start)
    doc = _count_before(text_ends, start)
    doc_start = np.concatenate([[0], text_ends + 1]).astype(np.int64)
    return Tokens(
        hashes=hashes,
        doc=doc,
        sentence=sentence,
        start=start,
        end=end,
        buffer=data,
        doc_start=doc_start,
        n_docs=len(texts),
    )


def hash_words(words: list[str]) -> np.ndarray:
    """The hash of each word, as ``hash_chunk`` would give it in a text."""
    if not words:
        return np.zeros(0, dtype=U64)
    tokens = hash_chunk([" ".join(words)])
    return tokens.hashes


class KeySet:
    """A set of distinct 64-bit keys for vectorised look-ups: an open-addressing
    hash table (linear probing, at most a quarter full) over numpy arrays.

    The keys must be random in their low bits (hashes are); a look-up is a
    gather and a compare per probe, a few probes at most, against some twenty
    dependent steps of a binary search: about four times faster than
    ``np.searchsorted`` on a sorted array of the keys.
    """

    _BLOCK = 1 << 18  # queries per look-up round: temporaries stay in cache

    def __init__(self, keys: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=U64)
        size = 1 << max(4, (4 * len(keys)).bit_length())
        self._mask = size - 1
        self._key = np.zeros(size, dtype=U64)
        self._index = np.full(size, -1, dtype=np.int64)
        slot = (keys & U64(self._mask)).astype(np.intp)
        pending = np.arange(len(keys))
        while len(pending):
            at = slot[pending]
            free = self._index[at] < 0
            # One key per free slot; the others move on to the next slot.
            taken, first = np.unique(at[free], return_index=True)
            won = pending[free][first]
            self._index[taken] = won
            self._key[taken] = keys[won]
            placed = np.zeros(len(keys), dtype=bool)
            placed[won] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & self._mask

    def __len__(self) -> int:
        return int((self._index >= 0).sum())

    def find(self, queries: np.ndarray) -> np.ndarray:
        """The index (in the keys given) of each query, or -1 when absent."""
        out = np.empty(len(queries), dtype=np.int64)
        for at in range(0, len(queries), self._BLOCK):
            out[at : at + self._BLOCK] = self._find(queries[at : at + self._BLOCK])
        return out

    def contains(self, queries: np.ndarray) -> np.ndarray:
        return self.find(queries) >= 0

    def _find(self, q: np.ndarray) -> np.ndarray:
        slot = (q & U64(self._mask)).astype(np.intp)
        index = self._index[slot]
        match = self._key[slot] == q
        out = np.where(match, index, -1)
        active = np.flatnonzero((index >= 0) & ~match)
        while len(active):
            at = (slot[active] + 1) & self._mask
            slot[active] = at
            index = self._index[at]
            match = self._key[at] == q[active]
            out[active[match]] = index[match]
            active = active[(index >= 0) & ~match]
        return out
