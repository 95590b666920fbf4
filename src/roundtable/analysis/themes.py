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

import numpy as np
import scipy.sparse as sp

from .hashing import U64, hash_chunk, hash_words
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
    sample: int = 20000
    k_sample: int = 3000  # texts used to choose k
    max_k: int = 40
    dims: int = 100
    terms: int = 8
    representatives: int = 5
    chunk_docs: int = 8192


_K_CANDIDATES = (2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 24, 28, 32, 36, 40)


def _stop_hashes() -> np.ndarray:
    return np.unique(hash_words(sorted(all_stopwords())))


def _token_table(texts: list[str], stops: np.ndarray, step: int):
    """(item, hash) of every non-stop token of ``texts``, and a hash -> word map
    for the words seen (first occurrence)."""
    rows, hashes = [], []
    words: dict[int, str] = {}
    for at in range(0, len(texts), step):
        tokens = hash_chunk(texts[at : at + step])
        h = tokens.hashes
        keep = ~np.isin(h, stops)
        # Single ASCII characters carry no theme.
        keep &= (tokens.end - tokens.start > 1) | (
            np.frombuffer(tokens.buffer, np.uint8)[tokens.start] >= 0x80
            if len(h)
            else np.zeros(0, bool)
        )
        h = h[keep]
        uniq, first = np.unique(h, return_index=True)
        starts = tokens.start[keep][first]
        ends = tokens.end[keep][first]
        buf = tokens.buffer
        for u, s, e in zip(uniq.tolist(), starts.tolist(), ends.tolist(), strict=True):
            if u not in words:
                words[u] = buf[s:e].decode("utf-8")
        rows.append(tokens.doc[keep].astype(np.int64) + at)
        hashes.append(h)
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, U64), words
    return np.concatenate(rows), np.concatenate(hashes), words


def _tfidf(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int, idf: np.ndarray):
    data = np.ones(len(rows), dtype=np.float64)
    m = sp.csr_matrix((data, (rows, cols)), shape=(n_rows, n_cols))
    m.sum_duplicates()
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
        labels = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(z)
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


def cluster(
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
    stops = _stop_hashes()
    rng = np.random.default_rng(seed)
    if n > settings.sample:
        sample = np.sort(rng.choice(n, settings.sample, replace=False))
    else:
        sample = np.arange(n)
    s_rows, s_hash, words = _token_table(
        [texts[i] for i in sample.tolist()], stops, settings.chunk_docs
    )
    # Vocabulary from the sample: document frequency, at least 2 in larger samples.
    vocab, inverse = np.unique(s_hash, return_inverse=True)
    pairs = np.unique(s_rows.astype(np.int64) * (len(vocab) + 1) + inverse)
    df = (
        np.bincount(pairs % (len(vocab) + 1), minlength=len(vocab))
        if len(vocab)
        else np.zeros(0, np.int64)
    )
    min_df = 2 if len(sample) >= 50 else 1
    max_df = max(min_df, int(0.5 * len(sample))) if len(sample) >= 20 else len(sample)
    useful = (df >= min_df) & (df <= max_df)
    if not useful.any():
        useful = df >= 1
    vocab, df = vocab[useful], df[useful]
    if len(vocab) > 50000:
        top = np.sort(np.argsort(-df, kind="stable")[:50000])
        vocab, df = vocab[top], df[top]
    idf = np.log((1 + len(sample)) / (1 + df)) + 1.0

    def matrix(rows: np.ndarray, hashes: np.ndarray, n_rows: int):
        pos = np.searchsorted(vocab, hashes)
        pos = np.minimum(pos, max(len(vocab) - 1, 0))
        hit = (vocab[pos] == hashes) if len(vocab) else np.zeros(len(hashes), bool)
        return _tfidf(rows[hit], pos[hit], n_rows, len(vocab), idf)

    x_sample = matrix(s_rows, s_hash, len(sample))
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
        model = KMeans(n_clusters=k, n_init=3, random_state=seed).fit(fit_points, sample_weight=w)
        centres = _normalise_rows(model.cluster_centers_)
    # Assign everything (the sample included) to the nearest centre by cosine.
    labels = np.full(n, -1, dtype=np.int64)
    scores = np.zeros(n)
    x_parts = []
    for at in range(0, n, settings.sample):
        idx = np.arange(at, min(n, at + settings.sample))
        if n <= settings.sample:
            x = x_sample
        else:
            r, h, _ = _token_table([texts[i] for i in idx.tolist()], stops, settings.chunk_docs)
            x = matrix(r, h, len(idx))
        z = _normalise_rows(svd(x))
        sim = z @ centres.T
        lab = sim.argmax(axis=1)
        ok = np.asarray(x.getnnz(axis=1)) > 0
        labels[idx[ok]] = lab[ok]
        scores[idx] = sim[np.arange(len(idx)), lab]
        x_parts.append(x)
    if progress:
        progress("themes", 3, 4)
    x_all = sp.vstack(x_parts).tocsr() if len(x_parts) > 1 else x_parts[0]
    # Label terms: highest mean TF-IDF weight in the theme.
    inv_words = vocab
    terms: list[list[str]] = []
    reps: list[list[int]] = []
    valid = labels >= 0
    indicator = sp.csr_matrix(
        (np.ones(int(valid.sum())), (labels[valid], np.flatnonzero(valid))), shape=(k, n)
    )
    sums = np.asarray((indicator @ x_all).todense())
    for t in range(k):
        top = np.argsort(-sums[t], kind="stable")[: settings.terms]
        terms.append([words[int(inv_words[j])] for j in top.tolist() if sums[t, j] > 0])
        members = np.flatnonzero(labels == t)
        order = members[np.lexsort((members, -scores[members]))]
        reps.append(order[: settings.representatives].tolist())
    return labels, terms, reps


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

    svd = TruncatedSVD(n_components=dims, random_state=seed, algorithm="randomized", n_iter=5)
    z = svd.fit_transform(x)
    return _normalise_rows(z), svd.transform
