"""Themes: clusters of the distinct comments, with label terms and quotes.

Each campaign counts once (by its representative) and each original comment
once; a theme's ``size`` then counts every comment it covers, copies included.

The term matrix is built from the package's own token hashes (no Python loop
per token; scikit-learn's ``TfidfVectorizer`` is far too slow at a million
texts): sublinear term frequency times inverse document frequency, stop
words of the six UN languages left out, rows L2-normalised. The model is
fitted on a sample (at most ``sample`` texts) and the rest assigned to the
nearest centre, the usual way at scale:

* latent semantic analysis (truncated SVD) to at most 100 dimensions, rows
  normalised again (cosine geometry);
* k-means; when ``k`` is not given it is chosen by the silhouette score over a
  range of candidates, on a sub-sample;
* label terms: the highest mean TF-IDF weights of a theme's texts;
* representatives: the texts closest to the theme's centre (3 to 5 when the
  theme has that many).

Small inputs (5 to 50 texts, e.g. agenda items or survey answers) run the same
way with every text in the sample; 0, 1 or 2 texts are handled directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .hashing import U64, KeySet, hash_chunk, hash_words
from .stopwords import all_stopwords

Progress = Callable[[str, int, int], None]


@dataclass
class Theme:
    """A cluster of distinct comments.

    ``members`` are the indices of every input comment in the theme (campaign
    copies included) and ``size`` their number; ``distinct`` counts campaigns
    and original comments once each. ``representatives`` are indices of the
    comments closest to the theme's centre; ``terms`` its label terms, most
    characteristic first.
    """

    id: int
    size: int
    terms: list[str]
    representatives: list[int]
    members: list[int] = field(repr=False)
    distinct: int = 0


@dataclass
class ThemeSettings:
    sample: int = 12000
    max_terms: int = 30000
    k_sample: int = 2000  # texts used to choose k
    max_k: int = 40
    dims: int = 80
    terms: int = 8
    representatives: int = 5
    chunk_docs: int = 8192


_K_CANDIDATES = (2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 40)


@lru_cache(maxsize=1)
def _stop_words() -> KeySet:
    return KeySet(np.unique(hash_words(sorted(all_stopwords()))))


_PREFIX_TAG = U64(0xA0761D6478BD642F)


def _token_table(texts: list[str], stops: KeySet, step: int):
    """(item, hash) of every token of ``texts`` that is not a stop word or a
    single ASCII character, plus a *prefix feature* per long word.

    The prefix feature (first 6 bytes of an ASCII word, 10 of a Cyrillic or
    Arabic one, i.e. 5 letters, when the word is longer) is a crude stemmer
    for every alphabetic script at once: "developing" and "developed",
    "networks" and "network" then share a feature. It helps short texts
    most; prefix features are never shown as terms (their hashes are tagged).
    """
    from .hashing import _MASKS, _windows, mix

    rows, hashes = [], []
    for at in range(0, len(texts), step):
        tokens = hash_chunk(texts[at : at + step])
        h = tokens.hashes
        if len(h) == 0:
            continue
        keep = ~stops.contains(h)
        first_byte = np.frombuffer(tokens.buffer, np.uint8)[tokens.start]
        length = tokens.end - tokens.start
        keep &= (length > 1) | (first_byte >= 0x80)
        doc = tokens.doc.astype(np.int64) + at
        # Prefix features of long alphabetic words (not Han bigrams: 0xE3-0xE9 leads).
        cut = np.where(first_byte < 0x80, 6, 10)
        han = (first_byte >= 0xE3) & (first_byte <= 0xE9)
        long = np.flatnonzero(keep & (length > cut) & ~han)
        win = _windows(tokens.buffer)
        start = tokens.start[long]
        c = cut[long]
        value = win[start] & _MASKS[np.minimum(c, 8)]
        second = win[start + 8] & _MASKS[np.clip(c - 8, 0, 8)]
        prefix = mix(value ^ mix(second ^ _PREFIX_TAG))
        rows.append(np.concatenate([doc[keep], doc[long]]))
        hashes.append(np.concatenate([h[keep], _tag(prefix)]))
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, U64)
    return np.concatenate(rows), np.concatenate(hashes)


def _tag(prefix: np.ndarray) -> np.ndarray:
    """Prefix features live in their own part of the hash space: top bit set,
    second bit clear; word hashes with that pattern are rare and harmless."""
    return (prefix >> U64(2)) | U64(1 << 63)


def _is_prefix(hashes: np.ndarray) -> np.ndarray:
    return (hashes >> U64(62)) == U64(2)


def _counts(rows: np.ndarray, cols: np.ndarray, n_rows: int):
    """Term counts in canonical CSR form (sorted columns, no duplicates):
    ``indptr``, ``indices``, ``counts``, what scipy's ``sum_duplicates``
    makes of the (row, column) pairs, by one sort of packed keys."""
    key = (rows.astype(np.int64) << 32) | cols
    key.sort(kind="stable")
    new = np.ones(len(key), dtype=bool)
    new[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(key))).astype(np.float64)
    key = key[starts]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(key >> 32, minlength=n_rows), out=indptr[1:])
    return indptr, (key & 0xFFFFFFFF).astype(np.int32), counts


def _tfidf(parts: list, n_rows: int, n_cols: int, idf: np.ndarray):
    """The L2-normalised sublinear TF-IDF matrix from per-chunk ``_counts``."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    at = 0
    for part_indptr, _, _ in parts:
        rows = len(part_indptr) - 1
        indptr[at + 1 : at + rows + 1] = part_indptr[1:] + indptr[at]
        at += rows
    indices = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int32)
    data = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
    m = sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_cols))
    m.has_sorted_indices = True
    m.has_canonical_format = True
    m.data = (1.0 + np.log(m.data)) * idf[m.indices]
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms) @ m


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


def _choose_k(z: np.ndarray, seed: int, settings: ThemeSettings) -> int:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n = len(z)
    if n <= 2:
        return n
    rng = np.random.default_rng(seed)
    if n > settings.k_sample:
        z = z[np.sort(rng.choice(n, settings.k_sample, replace=False))]
        n = len(z)
    distinct_points = len(np.unique(np.round(z, 6), axis=0))
    max_k = min(settings.max_k, n - 1, max(2, int(2 * np.sqrt(n))), distinct_points)
    if max_k < 2:
        return 1
    best_k, best = 1, -1.0
    for k in _K_CANDIDATES:
        if k > max_k:
            break
        labels = KMeans(n_clusters=k, n_init=2, random_state=seed).fit_predict(z)
        if len(np.unique(labels)) < 2:
            continue
        score = silhouette_score(z, labels, metric="euclidean")
        if score > best + 1e-9:
            best_k, best = k, score
    # Texts with nothing in common: one theme would hide that; but a
    # silhouette near zero means no structure worth splitting for.
    if best < 0.02 and n < 6:
        return 1
    return best_k


def cluster(*args, **kwargs) -> tuple[np.ndarray, list[list[str]], list[list[int]]]:
    """Cluster ``texts`` (already distinct); see ``_cluster`` for the arguments.

    BLAS and OpenMP run single-threaded here: the model is fitted on a sample,
    and on a shared machine their spinning worker threads cost more than they
    give (measured: 4x slower under load).
    """
    from importlib import import_module

    from threadpoolctl import threadpool_limits

    # threadpoolctl limits only the libraries loaded when it is entered: load
    # scipy's own OpenBLAS and scikit-learn's OpenMP runtime first. (Imported
    # inside the block, scipy.linalg kept two threads, and a QR of the sample
    # took 2.3 s instead of 0.1 s on a busy machine.)
    for module in ("scipy.linalg", "sklearn.cluster", "sklearn.decomposition", "sklearn.metrics"):
        import_module(module)
    with threadpool_limits(limits=1):
        return _cluster(*args, **kwargs)


def _cluster(
    texts: Sequence[str],
    weights: Sequence[int] | np.ndarray | None = None,
    k: int | None = None,
    *,
    seed: int = 0,
    settings: ThemeSettings | None = None,
    progress: Progress | None = None,
) -> tuple[np.ndarray, list[list[str]], list[list[int]]]:
    """Cluster ``texts`` (already distinct). Returns a theme label per text
    (-1: no usable word), label terms per theme and representative text
    indices per theme (closest to the centre first)."""
    settings = settings or ThemeSettings()
    texts = list(texts)
    n = len(texts)
    if n == 0:
        return np.zeros(0, np.int64), [], []
    stops = _stop_words()
    rng = np.random.default_rng(seed)
    if n > settings.sample:
        sample = np.sort(rng.choice(n, settings.sample, replace=False))
    else:
        sample = np.arange(n)
    # Vocabulary from the sample: document frequency, at least 2 in larger samples.
    s_rows, s_hash = _token_table([texts[i] for i in sample.tolist()], stops, settings.chunk_docs)
    vocab, inverse = np.unique(s_hash, return_inverse=True)
    del s_hash
    if len(vocab):
        ones = np.ones(len(s_rows), dtype=np.float32)
        present = sp.csr_matrix((ones, (s_rows, inverse)), shape=(len(sample), len(vocab)))
        present.sum_duplicates()
        df = np.diff(present.tocsc().indptr)
        del present
    else:
        df = np.zeros(0, np.int64)
    del s_rows, inverse
    min_df = 2 if len(sample) >= 50 else 1
    max_df = max(min_df, int(0.5 * len(sample))) if len(sample) >= 20 else len(sample)
    useful = (df >= min_df) & (df <= max_df)
    if not useful.any():
        useful = df >= 1
    vocab, df = vocab[useful], df[useful]
    if len(vocab) > settings.max_terms:
        top = np.sort(np.argsort(-df, kind="stable")[: settings.max_terms])
        vocab, df = vocab[top], df[top]
    idf = np.log((1 + len(sample)) / (1 + df)) + 1.0

    # One TF-IDF matrix for every text (the sample's rows are a slice of it),
    # built a chunk at a time: only the tokens in the vocabulary are kept.
    columns = KeySet(vocab)
    parts = []
    step = settings.chunk_docs
    for at in range(0, n, step):
        rows, hashes = _token_table(texts[at : at + step], stops, step)
        cols = columns.find(hashes)
        hit = cols >= 0
        parts.append(_counts(rows[hit], cols[hit], min(step, n - at)))
    x_all = _tfidf(parts, n, len(vocab), idf)
    del parts
    x_sample = x_all[sample]
    if progress:
        progress("themes", 1, 4)
    has_words = np.asarray(x_sample.getnnz(axis=1)) > 0
    z_sample, svd = _project(x_sample, seed, settings)
    if k is None:
        k = _choose_k(z_sample[has_words], seed, settings)
    k = int(max(1, min(k, int(has_words.sum()) or 1)))
    if progress:
        progress("themes", 2, 4)
    from sklearn.cluster import KMeans

    fit_points = z_sample[has_words]
    if len(fit_points) == 0:
        return np.full(n, -1, np.int64), [], []
    if k == 1:
        centres = _normalise_rows(fit_points.mean(axis=0, keepdims=True))
    else:
        w = None
        if weights is not None:
            w = np.log1p(np.asarray(weights, dtype=np.float64)[sample][has_words])
        # Small inputs get more restarts: cheap, and k-means' local optima
        # matter most when every text counts.
        restarts = 10 if len(fit_points) < 5000 else 3
        model = KMeans(n_clusters=k, n_init=restarts, random_state=seed).fit(
            fit_points, sample_weight=w
        )
        centres = _normalise_rows(model.cluster_centers_)
    # Assign everything (the sample included) to the nearest centre by cosine.
    labels = np.full(n, -1, dtype=np.int64)
    scores = np.zeros(n)
    step = 1 << 15
    for at in range(0, n, step):
        x = x_all[at : at + step]
        z = _normalise_rows(svd(x))
        sim = z @ centres.T
        lab = sim.argmax(axis=1)
        ok = np.asarray(x.getnnz(axis=1)) > 0
        idx = np.arange(at, at + x.shape[0])
        labels[idx[ok]] = lab[ok]
        scores[idx] = sim[np.arange(len(idx)), lab]
    if progress:
        progress("themes", 3, 4)
    # Label terms: highest mean TF-IDF weight in the theme.
    inv_words = vocab
    terms: list[list[str]] = []
    reps: list[list[int]] = []
    valid = labels >= 0
    indicator = sp.csr_matrix(
        (np.ones(int(valid.sum())), (labels[valid], np.flatnonzero(valid))), shape=(k, n)
    )
    sums = np.asarray((indicator @ x_all).todense())
    sums[:, _is_prefix(vocab)] = 0.0  # prefix features are not words to show
    top_terms = np.argsort(-sums, axis=1, kind="stable")[:, : settings.terms]
    words = _words_for(
        [texts[i] for i in sample.tolist()], set(vocab[top_terms.ravel()].tolist()), settings
    )
    for t in range(k):
        top = top_terms[t]
        terms.append(
            [
                words[int(inv_words[j])]
                for j in top.tolist()
                if sums[t, j] > 0 and int(inv_words[j]) in words
            ]
        )
        members = np.flatnonzero(labels == t)
        order = members[np.lexsort((members, -scores[members]))]
        reps.append(order[: settings.representatives].tolist())
    if progress:
        progress("themes", 4, 4)
    return labels, terms, reps


def _words_for(texts: list[str], wanted: set[int], settings: ThemeSettings) -> dict[int, str]:
    """The word behind each wanted hash, from its first occurrence in ``texts``."""
    words: dict[int, str] = {}
    for at in range(0, len(texts), settings.chunk_docs):
        tokens = hash_chunk(texts[at : at + settings.chunk_docs])
        hit = np.flatnonzero(np.isin(tokens.hashes, np.fromiter(wanted, U64, len(wanted))))
        for i in hit.tolist():
            h = int(tokens.hashes[i])
            if h not in words:
                words[h] = tokens.token_text(i)
        if len(words) == len(wanted):
            break
    return words


def _project(x: sp.csr_matrix, seed: int, settings: ThemeSettings):
    """Fit LSA on ``x``: its rows projected and normalised, and the projection
    (for assigning other rows)."""
    n, v = x.shape
    dims = min(settings.dims, n - 1, v - 1)
    if dims < 2:

        def dense(m: sp.csr_matrix) -> np.ndarray:
            return np.asarray(m.todense())

        return _normalise_rows(dense(x)), dense
    from sklearn.decomposition import TruncatedSVD

    svd = TruncatedSVD(n_components=dims, random_state=seed, algorithm="randomized", n_iter=4)
    z = svd.fit_transform(x)
    return _normalise_rows(z), svd.transform
