"""Campaign detection: exact and near-duplicate comments grouped, at scale.

The pipeline (all of it vectorised with numpy; no Python loop runs per token):

1. **Exact duplicates.** Identical raw texts are merged first (a dict), then
   texts whose token sequences are identical after normalisation (a 64-bit
   key per text). Only the *distinct* texts go further.
2. **Shingles.** Each distinct text becomes the set of its word 3-shingles,
   taken *within* sentences, so reordering sentences changes nothing
   (sentences of one or two tokens are one shingle each). Shingle hashes are
   sorted per text in one sort per chunk, which yields both the sorted shingle
   set (kept as 32-bit values for verification) and:
3. **One-permutation MinHash** (Shrivastava and Li): the high bits of a
   shingle's hash pick one of ``K`` bins and the minimum per bin is the
   signature value; empty bins are filled by rotation densification. One
   pass, where classic MinHash needs ``K``.
4. **Banded LSH by sorting.** For each band of ``r`` values, texts with the same
   band key are candidates: each is paired with the first text of its bucket
   (and its predecessor), so a bucket of a hundred thousand copies costs a
   hundred thousand pairs, not five billion. Pairs already in one group are
   skipped.
5. **Verification.** Every remaining candidate pair is checked on the real
   shingle sets (intersection by merging sorted lists, vectorised): it joins
   only when the Jaccard similarity reaches ``jaccard`` or one set is contained
   in the other to ``containment`` (for a copy that dropped sentences or added
   a long paragraph). Unrelated texts that collide in a bucket never merge.
6. **Union-find over arrays** (hooking to the smaller root, pointer jumping)
   turns verified pairs into groups.
7. **Representative and additions.** A group's representative is the member
   closest to its centre (a weighted medoid on signatures over its most
   frequent members). For every member the sentences mostly absent from the
   representative (by word bigrams) are quoted from the member's own text:
   the personal lines a commenter added to a form letter.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .hashing import U64, Tokens, hash_chunk, mix
from .text import raw_sentences_of

Progress = Callable[[str, int, int], None]

K_BINS = 64
_BIN_SHIFT = np.uint64(34)  # hv is 40 bits: top 6 pick the bin
_HV_BITS = 40
_EMPTY = np.uint32(0xFFFFFFFF)
_ROT = np.uint32(0x9E3779B9)


@dataclass(frozen=True)
class Similarity:
    """How alike a campaign's members are: Jaccard similarity of each member's
    shingle set to the representative's, over all member rows (exact copies
    count 1.0)."""

    mean: float
    min: float


@dataclass
class Campaign:
    """A group of comments that are copies or near-copies of one text.

    ``members`` and ``representative`` are indices into the input; the
    representative is the member closest to the group's centre. ``additions``
    maps a member to the text it adds beyond the campaign's common text (only
    members that add something). ``exact_copies`` counts members identical to
    the representative after normalisation (the representative included).
    """

    id: int
    members: list[int]
    representative: int
    similarity: Similarity
    additions: dict[int, str] = field(default_factory=dict)
    exact_copies: int = 0

    @property
    def size(self) -> int:
        return len(self.members)


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class Settings:
    """Tuning of near-duplicate detection; the defaults suit comments of a few
    sentences to a few pages."""

    jaccard: float = 0.35
    containment: float = 0.6
    min_shingles: int = 5  # shorter texts join a campaign only as exact copies
    min_contained: int = 8  # shingles the smaller text needs for containment to count
    bands: int = 21
    rows: int = 3
    added_share: float = 0.5  # a sentence is "added" when over this share of its bigrams is new
    chunk_docs: int = 8192
    threads: int = field(default_factory=lambda: min(4, _usable_cpus()))


@dataclass
class Distinct:
    """The distinct texts of an input and what is known about them.

    ``doc_of_row[i]`` is the distinct text of input row ``i`` (-1: empty after
    normalisation); ``first_row[d]`` the first row holding distinct text ``d``;
    ``count[d]`` how many rows hold it. ``indptr``/``shingles`` give each
    distinct text's sorted 32-bit shingle set; ``signature`` its MinHash.
    """

    doc_of_row: np.ndarray
    first_row: np.ndarray
    count: np.ndarray
    indptr: np.ndarray
    shingles: np.ndarray
    signature: np.ndarray

    @property
    def n(self) -> int:
        return len(self.first_row)

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.indptr)


def _seed_key(seed: int) -> np.uint64:
    return mix(np.array([seed & 0xFFFFFFFFFFFFFFFF], dtype=U64) ^ U64(0x5DEECE66D))[0]


def _doc_keys(tokens: Tokens, offsets: np.ndarray) -> np.ndarray:
    """A 64-bit key per text of the chunk from its token sequence (0 = empty)."""
    n = tokens.n_docs
    counts = np.diff(offsets)
    if len(tokens.hashes) == 0:
        return np.zeros(n, dtype=U64)
    pos = np.arange(len(tokens.hashes), dtype=np.int64) - np.repeat(offsets[:-1], counts)
    v = mix(tokens.hashes ^ (pos.astype(U64) * U64(0x9E3779B97F4A7C15)))
    nonempty = counts > 0
    keys = np.zeros(n, dtype=U64)
    sums = np.add.reduceat(v, offsets[:-1][nonempty])
    keys[nonempty] = mix(sums ^ (counts[nonempty].astype(U64) * U64(0xD6E8FEB86659FD93))) | U64(1)
    return keys


def _shingles(tokens: Tokens, keep_doc: np.ndarray, seed_key: np.uint64):
    """Shingle hashes (40 bits) and their text index, for texts where ``keep_doc``."""
    h = tokens.hashes
    sent = tokens.sentence
    doc = tokens.doc
    n = len(h)
    if n == 0:
        return np.zeros(0, dtype=U64), np.zeros(0, dtype=np.int64)
    keep_tok = keep_doc[doc]
    # Sentence lengths; a sentence start is a token whose sentence differs from the previous.
    first = np.ones(n, dtype=bool)
    first[1:] = sent[1:] != sent[:-1]
    starts = np.flatnonzero(first)
    lengths = np.diff(np.append(starts, n))
    sent_len = np.repeat(lengths, lengths)
    a, b, c = U64(0x9E3779B97F4A7C15), U64(0xC2B2AE3D27D4EB4F), U64(0x165667B19E3779F9)
    # Full 3-shingles: token i with i+2 in the same sentence.
    tri = np.flatnonzero((sent[:-2] == sent[2:]) & keep_tok[:-2]) if n >= 3 else np.zeros(0, int)
    s3 = h[tri] * a + h[tri + 1] * b + h[tri + 2] * c
    # Short sentences (1 or 2 tokens) make one shingle each.
    short = starts[(lengths < 3) & keep_tok[starts]]
    sl = sent_len[short]
    s_short = h[short] * a + U64(0xD6E8FEB86659FD93) * sl.astype(U64)
    two = sl == 2
    s_short[two] += h[short[two] + 1] * b
    values = np.concatenate([s3, s_short]) ^ seed_key
    owner = np.concatenate([doc[tri], doc[short]]).astype(np.int64)
    return mix(values) >> U64(64 - _HV_BITS), owner


def _sets_and_signatures(hv: np.ndarray, owner: np.ndarray, local: np.ndarray, n_local: int):
    """Sorted 32-bit shingle sets and densified OPH signatures for a chunk.

    ``local`` maps a text of the chunk to its row among the ``n_local`` kept.
    """
    key = (local[owner].astype(U64) << U64(_HV_BITS)) | hv
    # The keys come in two runs ordered by text (3-shingles, then short
    # sentences): timsort ("stable") sorts that 2.5x faster than quicksort.
    key.sort(kind="stable")
    if len(key):
        keep = np.ones(len(key), dtype=bool)
        keep[1:] = key[1:] != key[:-1]
        key = key[keep]
    docs = (key >> U64(_HV_BITS)).astype(np.int64)
    hv = key & U64((1 << _HV_BITS) - 1)
    values32 = (hv >> U64(_HV_BITS - 32)).astype(np.uint32)
    # Different 40-bit values can share their top 32 bits: keep one.
    keep = np.ones(len(values32), dtype=bool)
    keep[1:] = (values32[1:] != values32[:-1]) | (docs[1:] != docs[:-1])
    set_docs = docs[keep]
    set_values = values32[keep]
    counts = np.bincount(set_docs, minlength=n_local)
    # OPH: the first (smallest) value of each (text, bin) run.
    docbin = key >> _BIN_SHIFT
    firsts = np.ones(len(docbin), dtype=bool)
    firsts[1:] = docbin[1:] != docbin[:-1]
    sig = np.full((n_local, K_BINS), _EMPTY, dtype=np.uint32)
    bins = (hv[firsts] >> _BIN_SHIFT).astype(np.int64)
    sig[docs[firsts], bins] = (hv[firsts] & U64(0xFFFFFFFF)).astype(np.uint32)
    return set_values, counts, _densify(sig)


def _densify(sig: np.ndarray) -> np.ndarray:
    """Fill empty bins from the nearest non-empty bin to the right (circularly),
    shifted by a constant per step (rotation densification)."""
    empty = sig == _EMPTY
    if not empty.any():
        return sig
    k = sig.shape[1]
    cols = np.arange(k)
    idx = np.where(empty, 4 * k, cols[None, :])
    ext = np.concatenate([idx, idx + k], axis=1)
    nxt = np.minimum.accumulate(ext[:, ::-1], axis=1)[:, ::-1][:, :k]
    dead = nxt >= 2 * k  # a text without shingles: leave it empty
    nxt = np.where(dead, cols[None, :], nxt)
    dist = (nxt - cols[None, :]).astype(np.uint32)
    src = nxt % k
    filled = np.take_along_axis(sig, src, axis=1) + dist * _ROT
    return np.where(empty & ~dead, filled, sig)


def distinct_texts(
    texts: Sequence[str],
    *,
    seed: int = 0,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Distinct:
    """Find the distinct texts of ``texts`` and their shingle sets and signatures."""
    settings = settings or Settings()
    n_rows = len(texts)
    seed_key = _seed_key(seed)
    # 1. identical raw texts
    first_of: dict[str, int] = {}
    raw_first = np.fromiter(
        (first_of.setdefault(t, i) for i, t in enumerate(texts)), dtype=np.int64, count=n_rows
    )
    unique_rows = np.flatnonzero(raw_first == np.arange(n_rows))
    del first_of
    # 2. per chunk of raw-distinct texts: normal-form keys, then sets and
    # signatures of the texts not seen before. Hashing (stage 1) and shingling
    # (stage 3) run on a small thread pool, since numpy releases the GIL in its
    # loops; the dictionary of normal-form keys (stage 2) stays in this thread.
    doc_of_unique = np.full(len(unique_rows), -1, dtype=np.int64)
    key_to_doc: dict[int, int] = {}
    first_row: list[int] = []
    step = settings.chunk_docs
    starts = list(range(0, len(unique_rows), step))

    def stage1(at: int) -> tuple[Tokens, np.ndarray]:
        tokens = hash_chunk([texts[i] for i in unique_rows[at : at + step].tolist()])
        return tokens, _doc_keys(tokens, tokens.doc_offsets())

    def stage3(tokens: Tokens, new_local: np.ndarray):
        local = np.cumsum(new_local) - 1
        hv, owner = _shingles(tokens, new_local, seed_key)
        return _sets_and_signatures(hv, owner, local, int(new_local.sum()))

    parts = []
    with ThreadPoolExecutor(max_workers=settings.threads) as pool:
        ahead: deque = deque(pool.submit(stage1, at) for at in starts[: settings.threads])
        for n_done, at in enumerate(starts):
            tokens, keys = ahead.popleft().result()
            if n_done + settings.threads < len(starts):
                ahead.append(pool.submit(stage1, starts[n_done + settings.threads]))
            rows = unique_rows[at : at + step]
            new_local = np.zeros(len(rows), dtype=bool)
            mapped = np.empty(len(rows), dtype=np.int64)
            for j, key in enumerate(keys.tolist()):
                if key == 0:
                    mapped[j] = -1
                    continue
                d = key_to_doc.get(key)
                if d is None:
                    d = len(first_row)
                    key_to_doc[key] = d
                    first_row.append(int(rows[j]))
                    new_local[j] = True
                mapped[j] = d
            doc_of_unique[at : at + len(rows)] = mapped
            if new_local.any():
                parts.append(pool.submit(stage3, tokens, new_local))
                # Bound the memory held by queued chunks.
                while sum(not f.done() for f in parts[-2 * settings.threads :]) > settings.threads:
                    parts[-1].result()
            del tokens
            if progress:
                progress("hashing", min(at + step, len(unique_rows)), len(unique_rows))
        results = [f.result() for f in parts]
    set_parts = [r[0] for r in results]
    count_parts = [r[1] for r in results]
    sig_parts = [r[2] for r in results]
    del results, parts
    # Every row maps to the distinct text of its raw-identical first row.
    position = np.full(n_rows, -1, dtype=np.int64)
    position[unique_rows] = np.arange(len(unique_rows))
    doc_of_row = doc_of_unique[position[raw_first]] if n_rows else np.zeros(0, np.int64)
    n_docs = len(first_row)
    count = np.bincount(doc_of_row[doc_of_row >= 0], minlength=n_docs)
    counts_all = np.concatenate(count_parts) if count_parts else np.zeros(0, np.int64)
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(counts_all, out=indptr[1:])
    return Distinct(
        doc_of_row=doc_of_row,
        first_row=np.asarray(first_row, dtype=np.int64),
        count=count,
        indptr=indptr,
        shingles=np.concatenate(set_parts) if set_parts else np.zeros(0, np.uint32),
        signature=np.concatenate(sig_parts) if sig_parts else np.zeros((0, K_BINS), np.uint32),
    )


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, s + l)`` for each start and length."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    offsets = np.repeat(starts - (ends - lengths), lengths)
    return offsets + np.arange(total, dtype=np.int64)


def intersections(
    indptr: np.ndarray, data: np.ndarray, a: np.ndarray, b: np.ndarray, batch: int = 1 << 18
) -> np.ndarray:
    """``|S(a[i]) & S(b[i])|`` for sorted, duplicate-free sets in CSR form.

    The two sides of a batch are keyed by pair number and concatenated into
    two sorted runs; a stable sort merges them in linear time and equal
    neighbours are the common elements.
    """
    out = np.zeros(len(a), dtype=np.int64)
    lens = np.diff(indptr)
    for at in range(0, len(a), batch):
        pa = a[at : at + batch]
        pb = b[at : at + batch]
        la = lens[pa]
        lb = lens[pb]
        pair = np.arange(len(pa), dtype=U64) << U64(32)
        ka = np.repeat(pair, la) | data[_ranges(indptr[pa], la)].astype(U64)
        kb = np.repeat(pair, lb) | data[_ranges(indptr[pb], lb)].astype(U64)
        merged = np.concatenate([ka, kb])
        del ka, kb
        merged.sort(kind="stable")
        same = merged[1:] == merged[:-1]
        hits = (merged[1:][same] >> U64(32)).astype(np.int64)
        out[at : at + len(pa)] = np.bincount(hits, minlength=len(pa))
    return out


def _find_roots(parent: np.ndarray) -> np.ndarray:
    """Pointer jumping until every entry points at its root (in place)."""
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent[:] = grand


def _union(parent: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """Join the sets of ``a[i]`` and ``b[i]``; roots are always the smallest index."""
    while len(a):
        _find_roots(parent)
        ra, rb = parent[a], parent[b]
        differ = ra != rb
        if not differ.any():
            break
        a, b, ra, rb = a[differ], b[differ], ra[differ], rb[differ]
        lo, hi = np.minimum(ra, rb), np.maximum(ra, rb)
        # Conflicting writes keep one; the loop retries the others.
        parent[hi] = lo
    _find_roots(parent)


def _band_keys(sig: np.ndarray, band: int, rows: int) -> np.ndarray:
    part = sig[:, band * rows : (band + 1) * rows].astype(U64)
    key = U64((0x632BE59BD9B4E019 * (band + 1)) & 0xFFFFFFFFFFFFFFFF)
    for j in range(part.shape[1]):
        key = mix(key ^ part[:, j])
    return key


def link(
    distinct: Distinct,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> np.ndarray:
    """Group near-duplicate distinct texts; returns the root (smallest member) of each."""
    settings = settings or Settings()
    n = distinct.n
    parent = np.arange(n, dtype=np.int64)
    if n < 2:
        return parent
    sizes = distinct.sizes
    live = np.flatnonzero(sizes > 0)
    sig = distinct.signature[live]
    bands = min(settings.bands, K_BINS // settings.rows)
    bits = max(1, len(live).bit_length())
    mask = U64((1 << bits) - 1)
    position = np.arange(len(live), dtype=U64)
    for band in range(bands):
        # Sort (band key, position) packed in one uint64: a plain sort is about
        # twice as fast as argsort. The key loses its low bits; a rare false
        # bucket mate is harmless, verification rejects it.
        packed = (_band_keys(sig, band, settings.rows) >> bits << bits) | position
        packed.sort()
        order = (packed & mask).astype(np.int64)
        ks = packed >> bits
        new = np.ones(len(ks), dtype=bool)
        new[1:] = ks[1:] != ks[:-1]
        group_start = np.maximum.accumulate(np.where(new, np.arange(len(ks)), 0))
        inner = np.flatnonzero(~new)
        if len(inner):
            docs = live[order]
            member = docs[inner]
            leader = docs[group_start[inner]]
            previous = docs[inner - 1]
            a = np.concatenate([leader, previous[inner - 1 != group_start[inner]]])
            b = np.concatenate([member, member[inner - 1 != group_start[inner]]])
            _find_roots(parent)
            differ = parent[a] != parent[b]
            a, b = a[differ], b[differ]
            if len(a):
                ok = verify(distinct, a, b, settings)
                _union(parent, a[ok], b[ok])
        if progress:
            progress("linking", band + 1, bands)
    return _find_roots(parent)


def verify(distinct: Distinct, a: np.ndarray, b: np.ndarray, settings: Settings) -> np.ndarray:
    """Which pairs are near-duplicates on their real shingle sets."""
    inter = intersections(distinct.indptr, distinct.shingles, a, b)
    la = distinct.sizes[a]
    lb = distinct.sizes[b]
    union = la + lb - inter
    small = np.minimum(la, lb)
    jac = inter / np.maximum(union, 1)
    cont = inter / np.maximum(small, 1)
    return ((jac >= settings.jaccard) & (small >= settings.min_shingles)) | (
        (cont >= settings.containment) & (small >= settings.min_contained)
    )


@dataclass
class Grouping:
    """Campaigns found over the distinct texts, in array form.

    ``campaign_of_doc[d]`` is the campaign (0 = largest) of distinct text ``d``
    or -1 when it stands alone; ``rep_doc[c]`` is campaign ``c``'s
    representative; ``similarity[d]`` the Jaccard similarity of ``d`` to its
    representative; ``added[d]`` the text ``d`` adds (absent when nothing).
    """

    campaign_of_doc: np.ndarray
    rep_doc: np.ndarray
    rows: np.ndarray  # rows per campaign
    similarity: np.ndarray
    added: dict[int, str]


def _representatives(
    distinct: Distinct, campaign_of_doc: np.ndarray, n_campaigns: int, sample: int = 16
) -> np.ndarray:
    """The weighted medoid (on signatures) of each campaign's most frequent members."""
    docs = np.flatnonzero(campaign_of_doc >= 0)
    camp = campaign_of_doc[docs]
    count = distinct.count[docs]
    order = np.lexsort((docs, -count, camp))
    docs, camp, count = docs[order], camp[order], count[order]
    starts = np.searchsorted(camp, np.arange(n_campaigns))
    rank = np.arange(len(docs)) - starts[camp]
    cand = rank < sample
    docs, camp, count = docs[cand], camp[cand], count[cand]
    per = np.bincount(camp, minlength=n_campaigns)
    cstart = np.concatenate([[0], np.cumsum(per)[:-1]])
    # All ordered pairs (i, j) of candidates within a campaign.
    reps_i = np.repeat(np.arange(len(docs)), per[camp])
    j = _ranges(cstart[camp], per[camp])
    sig = distinct.signature
    score = np.zeros(len(docs))
    step = 1 << 16
    for at in range(0, len(reps_i), step):
        ii = reps_i[at : at + step]
        jj = j[at : at + step]
        agree = (sig[docs[ii]] == sig[docs[jj]]).sum(axis=1)
        score += np.bincount(ii, weights=agree * count[jj], minlength=len(docs))
    best = np.lexsort((np.arange(len(docs)), -score, camp))
    first = np.ones(len(best), dtype=bool)
    first[1:] = camp[best][1:] != camp[best][:-1]
    rep = np.empty(n_campaigns, dtype=np.int64)
    rep[camp[best][first]] = docs[best][first]
    return rep


def group(
    texts: Sequence[str],
    distinct: Distinct,
    root: np.ndarray,
    *,
    settings: Settings | None = None,
    progress: Progress | None = None,
    additions: bool = True,
) -> Grouping:
    """Turn linked distinct texts into campaigns (2 rows or more), largest first."""
    settings = settings or Settings()
    n = distinct.n
    rows_of_root = np.bincount(root, weights=distinct.count, minlength=n).astype(np.int64)
    roots = np.flatnonzero(rows_of_root >= 2)
    order = np.lexsort((roots, -rows_of_root[roots]))
    roots = roots[order]
    campaign_of_root = np.full(n, -1, dtype=np.int64)
    campaign_of_root[roots] = np.arange(len(roots))
    campaign_of_doc = campaign_of_root[root] if n else np.zeros(0, np.int64)
    rep_doc = _representatives(distinct, campaign_of_doc, len(roots))
    members = np.flatnonzero(campaign_of_doc >= 0)
    reps = rep_doc[campaign_of_doc[members]]
    inter = intersections(distinct.indptr, distinct.shingles, members, reps)
    sizes = distinct.sizes
    union = sizes[members] + sizes[reps] - inter
    similarity = np.ones(n)
    similarity[members] = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
    novel = (sizes[members] - inter > 0) & (members != reps) & additions
    if progress:
        progress("additions", 0, 1)
    added = _additions(texts, distinct, members[novel], campaign_of_doc, rep_doc, settings)
    if progress:
        progress("additions", 1, 1)
    return Grouping(
        campaign_of_doc=campaign_of_doc,
        rep_doc=rep_doc,
        rows=rows_of_root[roots],
        similarity=similarity,
        added=added,
    )


_BG_A = U64(0x9E3779B97F4A7C15)
_BG_B = U64(0xC2B2AE3D27D4EB4F)
_TRAILING = re.compile(r"""[.!?;)\]"'\u2019\u201d]*""")


def _bigram_keys(tokens: Tokens, campaign_of_text: np.ndarray):
    """Keys ``campaign << 32 | bigram`` for each pair of neighbouring tokens in
    a sentence (a one-token sentence keys its token), with the sentence number
    each key belongs to."""
    h, sent, doc = tokens.hashes, tokens.sentence, tokens.doc
    n = len(h)
    if n == 0:
        return np.zeros(0, U64), np.zeros(0, np.int64)
    pair = np.flatnonzero(sent[:-1] == sent[1:])
    first = np.ones(n, dtype=bool)
    first[1:] = sent[1:] != sent[:-1]
    starts = np.flatnonzero(first)
    lone = starts[np.diff(np.append(starts, n)) == 1]
    values = np.concatenate([mix(h[pair] * _BG_A + h[pair + 1] * _BG_B), mix(h[lone] ^ _BG_B)])
    owner = np.concatenate([pair, lone])
    keys = (campaign_of_text[doc[owner]].astype(U64) << U64(32)) | (values & U64(0xFFFFFFFF))
    return keys, sent[owner].astype(np.int64)


def _novel_share(tokens: Tokens, campaign_of_text: np.ndarray, known: np.ndarray):
    """Share of each sentence's bigrams absent from its campaign's representative."""
    keys, sent = _bigram_keys(tokens, campaign_of_text)
    size = int(tokens.sentence[-1]) + 1 if len(tokens.sentence) else 0
    pos = np.minimum(np.searchsorted(known, keys), max(len(known) - 1, 0))
    hit = known[pos] == keys if len(known) else np.zeros(len(keys), bool)
    total = np.bincount(sent, minlength=size)
    new = np.bincount(sent, weights=~hit, minlength=size)
    return np.where(total > 0, new / np.maximum(total, 1), 0.0)


def _additions(
    texts: Sequence[str],
    distinct: Distinct,
    docs: np.ndarray,
    campaign_of_doc: np.ndarray,
    rep_doc: np.ndarray,
    settings: Settings,
) -> dict[int, str]:
    """The sentences of each of ``docs`` whose word bigrams are mostly absent
    from its campaign's representative, quoted from the text itself.

    ASCII texts keep their character positions under normalisation, so the
    sentences found on the hashed tokens are cut straight out of the original;
    other texts are split into sentences first and each is checked alone.
    """
    if len(docs) == 0:
        return {}
    campaigns = np.unique(campaign_of_doc[docs])
    rep_keys = []
    step = settings.chunk_docs
    for at in range(0, len(campaigns), step):
        cs = campaigns[at : at + step]
        tokens = hash_chunk([texts[distinct.first_row[rep_doc[c]]] for c in cs.tolist()])
        rep_keys.append(_bigram_keys(tokens, cs)[0])
    known = np.unique(np.concatenate(rep_keys))
    ascii_doc = np.fromiter(
        (texts[i].isascii() for i in distinct.first_row[docs].tolist()), dtype=bool, count=len(docs)
    )
    added = _additions_by_offsets(
        texts, distinct, docs[ascii_doc], campaign_of_doc, known, settings
    )
    added.update(
        _additions_by_sentence(texts, distinct, docs[~ascii_doc], campaign_of_doc, known, settings)
    )
    return {d: " ".join(pieces) for d, pieces in added.items()}


def _additions_by_offsets(
    texts: Sequence[str],
    distinct: Distinct,
    docs: np.ndarray,
    campaign_of_doc: np.ndarray,
    known: np.ndarray,
    settings: Settings,
) -> dict[int, list[str]]:
    """Additions of ASCII texts: sentences found on the hashed tokens of the
    whole text, cut out of the original by their offsets."""
    added: dict[int, list[str]] = {}
    step = settings.chunk_docs
    for at in range(0, len(docs), step):
        chunk = docs[at : at + step]
        chunk_texts = [texts[i] for i in distinct.first_row[chunk].tolist()]
        tokens = hash_chunk(chunk_texts)
        if len(tokens.hashes) == 0:
            continue
        share = _novel_share(tokens, campaign_of_doc[chunk], known)
        novel = np.flatnonzero(share > settings.added_share)
        if len(novel) == 0:
            continue
        sent = tokens.sentence
        first_tok = np.searchsorted(sent, novel)
        last_tok = np.searchsorted(sent, novel, side="right") - 1
        doc_local = tokens.doc[first_tok]
        lo = (tokens.start[first_tok] - tokens.doc_start[doc_local]).tolist()
        hi = (tokens.end[last_tok] - tokens.doc_start[doc_local]).tolist()
        chunk_list = chunk.tolist()
        for j, a, b in zip(doc_local.tolist(), lo, hi, strict=True):
            text = chunk_texts[j]
            end = _TRAILING.match(text, b).end()
            added.setdefault(chunk_list[j], []).append(text[a:end].strip())
    return added


def _additions_by_sentence(
    texts: Sequence[str],
    distinct: Distinct,
    docs: np.ndarray,
    campaign_of_doc: np.ndarray,
    known: np.ndarray,
    settings: Settings,
) -> dict[int, list[str]]:
    """Additions of non-ASCII texts: each original sentence checked on its own.

    Normalisation may change their length, so offsets in the normal form are
    not offsets in the original: every text is split into its raw sentences
    (``raw_sentences_of``, a batch of texts at a time) and each sentence is
    hashed and judged alone.
    """
    added: dict[int, list[str]] = {}
    batch = settings.chunk_docs * 4
    for at in range(0, len(docs), batch):
        chunk = docs[at : at + batch]
        pieces, owner_local = raw_sentences_of(
            [texts[i] for i in distinct.first_row[chunk].tolist()]
        )
        owner = chunk[owner_local]
        for lo in range(0, len(pieces), batch):
            part = pieces[lo : lo + batch]
            tokens = hash_chunk(part)
            if len(tokens.hashes) == 0:
                continue
            share_sent = _novel_share(tokens, campaign_of_doc[owner[lo : lo + batch]], known)
            # A piece may hold several normalised sentences: weigh them by tokens.
            tok_share = share_sent[tokens.sentence]
            per_piece = np.bincount(tokens.doc, weights=tok_share, minlength=len(part))
            counts = np.bincount(tokens.doc, minlength=len(part))
            share = np.where(counts > 0, per_piece / np.maximum(counts, 1), 0.0)
            for i in np.flatnonzero(share > settings.added_share).tolist():
                added.setdefault(int(owner[lo + i]), []).append(part[i])
    return added


def find_campaigns(
    texts: Sequence[str],
    *,
    seed: int = 0,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> list[Campaign]:
    """Group ``texts`` into campaigns of exact and near-duplicate copies.

    Returns campaigns of two comments or more, largest first (ties: earliest
    first member). Members, representatives and the keys of ``additions`` are
    indices into ``texts``. Empty texts (no word after normalisation) are in
    no campaign.
    """
    distinct = distinct_texts(texts, seed=seed, settings=settings, progress=progress)
    root = link(distinct, settings=settings, progress=progress)
    grouping = group(texts, distinct, root, settings=settings, progress=progress)
    return campaigns_from(distinct, grouping)


def campaigns_from(distinct: Distinct, grouping: Grouping) -> list[Campaign]:
    """Campaign objects (row indices) from the array form."""
    n_campaigns = len(grouping.rep_doc)
    if n_campaigns == 0:
        return []
    doc_of_row = distinct.doc_of_row
    rows = np.flatnonzero(doc_of_row >= 0)
    camp = grouping.campaign_of_doc[doc_of_row[rows]]
    inside = camp >= 0
    rows, camp = rows[inside], camp[inside]
    order = np.argsort(camp, kind="stable")
    rows, camp = rows[order], camp[order]
    bounds = np.searchsorted(camp, np.arange(n_campaigns + 1))
    sims = grouping.similarity[doc_of_row[rows]]
    out = []
    rep_doc = grouping.rep_doc
    added = grouping.added
    row_list = rows.tolist()
    for c in range(n_campaigns):
        lo, hi = int(bounds[c]), int(bounds[c + 1])
        members = row_list[lo:hi]
        rep = int(distinct.first_row[rep_doc[c]])
        s = sims[lo:hi]
        additions: dict[int, str] = {}
        if added:
            for r in members:
                text = added.get(int(doc_of_row[r]))
                if text:
                    additions[r] = text
        out.append(
            Campaign(
                id=c + 1,
                members=members,
                representative=rep,
                similarity=Similarity(mean=round(float(s.mean()), 4), min=round(float(s.min()), 4)),
                additions=additions,
                exact_copies=int(distinct.count[rep_doc[c]]),
            )
        )
    return out
