"""Synthetic consultation corpus with ground truth, for quality tests and benchmarks.

A corpus models what an open consultation receives when campaigns flood it:

* **campaigns**: form letters (about 80 words in 6-8 sentences) copied by many
  people, with heavy-tailed sizes (the largest campaign holds a large share of
  all comments, most campaigns are small);
* **variation** in the copies, the kinds mass campaigns produce: a personal
  opening line, a sentence of one's own appended, one or two sentences dropped,
  sentences reordered, typos, changes of case, spacing and punctuation; about
  half of the copies are exact (after normalisation);
* **originals**: comments written independently, on the same topics;
* a stakeholder group and a region per comment, skewed per campaign so that
  breakdowns have something to show.

Words are pseudo-words built from syllables (Latin script by default, with
optional Cyrillic, Arabic and Han comments), mixed with real English function
words so that texts have the common phrases real comments share. Generation is
vectorised where it matters: a million comments take well under a minute.

Ground truth: ``Corpus.campaign`` gives each row's campaign number (originals
get a number of their own), ``Corpus.topic`` its topic, ``Corpus.added`` the
personal text added to a copy. ``pair_scores`` compares a predicted grouping
with the truth by pairwise precision, recall and F1.

Run ``python -m bench.corpus N OUT.csv [--seed S]`` to write a CSV
(columns ``id,text,group,region``).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

STAKEHOLDER_GROUPS = (
    "government",
    "private sector",
    "civil society",
    "academia",
    "technical community",
    "intergovernmental organisation",
)
REGIONS = (
    "African States",
    "Asia-Pacific States",
    "Eastern European States",
    "Latin American and Caribbean States",
    "Western European and other States",
)

FUNCTION_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "for",
    "it",
    "we",
    "our",
    "this",
    "be",
    "should",
    "on",
    "with",
    "as",
    "are",
    "not",
    "by",
    "will",
    "all",
    "from",
    "at",
    "have",
    "more",
    "an",
    "their",
    "can",
    "which",
    "must",
    "these",
    "has",
    "they",
    "its",
    "would",
    "also",
    "any",
    "there",
    "than",
    "been",
    "who",
    "about",
    "new",
    "such",
    "other",
    "those",
    "only",
    "public",
    "people",
    "us",
    "i",
    "my",
    "me",
    "very",
    "need",
    "make",
    "ensure",
    "keep",
    "protect",
    "support",
    "urge",
    "ask",
    "oppose",
]

GREETINGS = (
    "Dear Commissioners,",
    "To whom it may concern,",
    "Dear members of the working group,",
    "Hello,",
    "Dear Secretariat,",
    "Good morning,",
    "Dear Chair,",
)

LATIN_CONSONANTS = [*"bcdfghjklmnprstvz", "br", "st", "tr", "ch", "sh", "pl", "gr"]
LATIN_VOWELS = [*"aeiou", "ai", "ou", "ea"]
CYRILLIC_CONSONANTS = list("бвгджзклмнпрстфхцчш")
CYRILLIC_VOWELS = list("аеиоуыэюя")
ARABIC_LETTERS = list("بتثجحخدذرزسشصضطظعغفقكلمنهوي")
ARABIC_DIACRITICS = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652"]


@dataclass
class Corpus:
    """Rows of a synthetic consultation and the truth about them."""

    ids: list[str]
    texts: list[str]
    groups: list[str]
    regions: list[str]
    campaign: np.ndarray  # truth: campaign number per row (originals: a number each)
    topic: np.ndarray  # truth: topic per row
    added: list[str]  # truth: personal text added to a campaign copy ("" if none)
    language: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def write_csv(self, path: str | Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text", "group", "region"])
            writer.writerows(zip(self.ids, self.texts, self.groups, self.regions, strict=True))


def _pseudo_words(rng: np.random.Generator, count: int, language: str) -> list[str]:
    """``count`` distinct pseudo-words in the script of ``language``."""
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < count:
        need = (count - len(words)) * 2
        syllables = rng.integers(2, 4, size=need)
        if language == "zh":
            # Han "words" of two characters from a 4,000-character block.
            codes = rng.integers(0x4E00, 0x4E00 + 4000, size=(need, 2))
            batch = ["".join(map(chr, pair)) for pair in codes.tolist()]
        elif language == "ar":
            lengths = rng.integers(3, 7, size=need)
            letters = rng.integers(0, len(ARABIC_LETTERS), size=(need, 7))
            batch = [
                "".join(ARABIC_LETTERS[i] for i in row[:n])
                for row, n in zip(letters.tolist(), lengths.tolist(), strict=True)
            ]
        else:
            cons, vows = (
                (CYRILLIC_CONSONANTS, CYRILLIC_VOWELS)
                if language == "ru"
                else (LATIN_CONSONANTS, LATIN_VOWELS)
            )
            c = rng.integers(0, len(cons), size=(need, 3))
            v = rng.integers(0, len(vows), size=(need, 3))
            batch = [
                "".join(cons[ci] + vows[vi] for ci, vi in zip(crow[:n], vrow[:n], strict=True))
                for crow, vrow, n in zip(c.tolist(), v.tolist(), syllables.tolist(), strict=True)
            ]
        for word in batch:
            if word not in seen:
                seen.add(word)
                words.append(word)
                if len(words) == count:
                    break
    return words


class _Language:
    """Vocabulary and sentence maker for one script."""

    def __init__(self, rng: np.random.Generator, code: str, topics: int) -> None:
        self.code = code
        vocabulary = _pseudo_words(rng, 6000 + topics * 120, code)
        if code == "en":
            function = list(FUNCTION_WORDS)
        else:
            function = _pseudo_words(rng, 60, code)
            function = [w for w in function if w not in set(vocabulary)] or vocabulary[:60]
        self.function = np.array(function, dtype=object)
        self.general = np.array(vocabulary[:6000], dtype=object)
        self.topic_words = [
            np.array(vocabulary[6000 + t * 120 : 6000 + (t + 1) * 120], dtype=object)
            for t in range(topics)
        ]
        # Zipf-like weights: a few words are very common.
        self.p_function = _zipf(len(self.function))
        self.p_general = _zipf(len(self.general))
        self.p_topic = _zipf(120, 0.8)

    def sentences(
        self, rng: np.random.Generator, topics: np.ndarray, min_words: int = 9, max_words: int = 16
    ) -> list[str]:
        """One sentence per entry of ``topics`` (topic numbers)."""
        count = len(topics)
        if count == 0:
            return []
        lengths = rng.integers(min_words, max_words + 1, size=count)
        kind = rng.random((count, max_words))
        words = np.empty((count, max_words), dtype=object)
        fw = rng.choice(self.function, size=(count, max_words), p=self.p_function)
        gw = rng.choice(self.general, size=(count, max_words), p=self.p_general)
        words[:] = fw
        general = (kind >= 0.45) & (kind < 0.62)
        words[general] = gw[general]
        topical = kind >= 0.62
        topic_rows = np.broadcast_to(topics[:, None], (count, max_words))[topical]
        ranks = rng.choice(120, size=int(topical.sum()), p=self.p_topic)
        chosen = np.empty(len(ranks), dtype=object)
        for t in np.unique(topic_rows):
            mask = topic_rows == t
            chosen[mask] = self.topic_words[int(t)][ranks[mask]]
        words[topical] = chosen
        out: list[str] = []
        rows = words.tolist()
        if self.code == "zh":
            for row, n in zip(rows, lengths.tolist(), strict=True):
                out.append("".join(row[:n]) + "。")
        else:
            end = "."
            for row, n in zip(rows, lengths.tolist(), strict=True):
                text = " ".join(row[:n])
                out.append(text[:1].upper() + text[1:] + end)
        return out


def _zipf(count: int, exponent: float = 1.0) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    return weights / weights.sum()


def _typo(rng: np.random.Generator, text: str) -> str:
    """Change, drop, double or swap one letter inside a random word."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w[:-1].isalpha()]
    if not candidates:
        return text
    i = candidates[int(rng.integers(len(candidates)))]
    word = words[i]
    j = int(rng.integers(1, len(word) - 3))
    kind = int(rng.integers(4))
    if kind == 0:
        word = word[:j] + word[j + 1 :]
    elif kind == 1:
        word = word[:j] + word[j] + word[j:]
    elif kind == 2:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    else:
        other = word[j + 2] if word[j + 2] != word[j] else word[0].lower()
        word = word[:j] + other + word[j + 1 :]
    words[i] = word
    return " ".join(words)


def _campaign_sizes(rng: np.random.Generator, rows: int, campaigns: int) -> np.ndarray:
    """Heavy-tailed campaign sizes (Zipf-like by rank), each at least 2, summing to ``rows``."""
    if campaigns <= 0 or rows < 2:
        return np.zeros(0, dtype=np.int64)
    campaigns = min(campaigns, rows // 2)
    weights = 1.0 / np.arange(1, campaigns + 1) ** 1.0
    extra = rows - 2 * campaigns
    sizes = 2 + np.floor(weights / weights.sum() * extra).astype(np.int64)
    sizes[0] += rows - sizes.sum()
    rng.shuffle(sizes[1:])
    return sizes


def generate(
    n: int,
    *,
    seed: int = 0,
    campaign_share: float = 0.85,
    exact_share: float = 0.5,
    rows_per_campaign: int = 200,
    topics: int = 12,
    languages: Sequence[str] = ("en",),
    language_weights: Sequence[float] | None = None,
) -> Corpus:
    """Make ``n`` comments; see the module docstring for the model.

    ``campaign_share`` of the rows are campaign copies, spread over about
    ``n * campaign_share / rows_per_campaign`` campaigns; ``exact_share`` of the
    copies are unchanged apart from case, spacing and punctuation.
    """
    rng = np.random.default_rng(seed)
    langs = {code: _Language(rng, code, topics) for code in languages}
    codes = list(languages)
    lw = np.asarray(language_weights if language_weights is not None else [1.0] * len(codes))
    lw = lw / lw.sum()

    campaign_rows = round(n * campaign_share)
    n_campaigns = max(1, campaign_rows // max(2, rows_per_campaign)) if campaign_rows >= 2 else 0
    sizes = _campaign_sizes(rng, campaign_rows, n_campaigns)
    campaign_rows = int(sizes.sum())
    originals = n - campaign_rows

    texts: list[str] = []
    truth: list[int] = []
    topic_of: list[int] = []
    added: list[str] = []
    language: list[str] = []
    group_probs: list[np.ndarray] = []

    # Campaign templates: 6-8 sentences of one topic and one language.
    camp_topic = rng.integers(0, topics, size=len(sizes))
    camp_lang = rng.choice(len(codes), size=len(sizes), p=lw)
    templates: list[list[str]] = []
    for c in range(len(sizes)):
        count = int(rng.integers(6, 9))
        lang = langs[codes[camp_lang[c]]]
        templates.append(lang.sentences(rng, np.full(count, camp_topic[c])))

    # Personal sentences, made in bulk per language and topic.
    variants = np.repeat(np.arange(len(sizes)), sizes)
    total = len(variants)
    exact = rng.random(total) < exact_share
    opening = ~exact & (rng.random(total) < 0.35)
    drop = ~exact & (rng.random(total) < 0.3)
    reorder = ~exact & (rng.random(total) < 0.25)
    append = ~exact & (rng.random(total) < 0.35)
    typos = np.where(~exact & (rng.random(total) < 0.4), rng.integers(1, 4, size=total), 0)
    cosmetic = rng.random(total) < 0.3
    need = opening | append
    personal: dict[int, list[str]] = {}
    pos = np.flatnonzero(need)
    for li, code in enumerate(codes):
        sel = pos[camp_lang[variants[pos]] == li]
        made = langs[code].sentences(rng, camp_topic[variants[sel]], 6, 14)
        for row, sentence in zip(sel.tolist(), made, strict=True):
            personal[row] = [sentence]
    greet_pick = rng.integers(0, len(GREETINGS), size=total)

    for size in sizes.tolist():
        weights = rng.dirichlet(np.full(len(STAKEHOLDER_GROUPS), 0.6))
        group_probs.extend([weights] * size)
    start = 0
    for c, size in enumerate(sizes.tolist()):
        template = templates[c]
        code = codes[camp_lang[c]]
        for row in range(start, start + size):
            sentences = list(template)
            extra_before = ""
            extra_after = ""
            if drop[row] and len(sentences) > 4:
                for _ in range(int(rng.integers(1, 3))):
                    del sentences[int(rng.integers(1, len(sentences)))]
            if reorder[row] and len(sentences) > 2:
                i, j = rng.choice(len(sentences), size=2, replace=False)
                sentences[i], sentences[j] = sentences[j], sentences[i]
            if opening[row]:
                if code == "en" and rng.random() < 0.5:
                    extra_before = GREETINGS[greet_pick[row]] + " " + personal[row][0]
                else:
                    extra_before = personal[row][0]
            elif append[row]:
                extra_after = personal[row][0]
            for _ in range(int(typos[row])):
                k = int(rng.integers(len(sentences)))
                sentences[k] = _typo(rng, sentences[k])
            sep = "" if code == "zh" else " "
            body = sep.join(sentences)
            if cosmetic[row]:
                kind = int(rng.integers(3))
                if kind == 0:
                    body = body.upper() if code != "zh" else body
                elif kind == 1:
                    body = body.replace(" ", "  ").replace(".", " .")
                else:
                    body = body.replace(".", "!")
            parts = [p for p in (extra_before, body, extra_after) if p]
            text = ("\n" if code != "zh" else "").join(parts) if extra_before else sep.join(parts)
            texts.append(text)
            truth.append(c)
            topic_of.append(int(camp_topic[c]))
            added.append(" ".join(p for p in (extra_before, extra_after) if p))
            language.append(code)
        start += size

    # Originals: 3-9 sentences of their own.
    orig_topic = rng.integers(0, topics, size=originals)
    orig_lang = rng.choice(len(codes), size=originals, p=lw)
    counts = rng.integers(3, 10, size=originals)
    for li, code in enumerate(codes):
        rows = np.flatnonzero(orig_lang == li)
        made = langs[code].sentences(rng, np.repeat(orig_topic[rows], counts[rows]))
        at = 0
        sep = "" if code == "zh" else " "
        for r in rows.tolist():
            k = int(counts[r])
            texts_r = sep.join(made[at : at + k])
            at += k
            texts.append(texts_r)
            truth.append(len(sizes) + r)
            topic_of.append(int(orig_topic[r]))
            added.append("")
            language.append(code)
            group_probs.append(np.full(len(STAKEHOLDER_GROUPS), 1 / len(STAKEHOLDER_GROUPS)))

    # Shuffle rows so campaigns are interleaved as they arrive in a real docket.
    order = rng.permutation(len(texts))
    probs = np.asarray(group_probs)[order]
    cum = probs.cumsum(axis=1)
    pick = (rng.random((len(texts), 1)) > cum).sum(axis=1).clip(0, len(STAKEHOLDER_GROUPS) - 1)
    region_pick = rng.integers(0, len(REGIONS), size=len(texts))
    return Corpus(
        ids=[f"c{i:07d}" for i in range(len(texts))],
        texts=[texts[i] for i in order.tolist()],
        groups=[STAKEHOLDER_GROUPS[i] for i in pick.tolist()],
        regions=[REGIONS[i] for i in region_pick.tolist()],
        campaign=np.asarray(truth, dtype=np.int64)[order],
        topic=np.asarray(topic_of, dtype=np.int64)[order],
        added=[added[i] for i in order.tolist()],
        language=[language[i] for i in order.tolist()],
    )


def pair_scores(truth: Sequence[int] | np.ndarray, predicted: Sequence[int] | np.ndarray):
    """Pairwise precision, recall and F1 of a grouping against the truth.

    A pair of rows is positive when both rows are in the same group. Labels
    are arbitrary integers; a row alone in its group contributes no pair.
    Returns ``(precision, recall, f1)``; with no positive pairs on either
    side, the missing ratio is 1.0.
    """
    t = np.asarray(truth, dtype=np.int64)
    p = np.asarray(predicted, dtype=np.int64)
    if t.shape != p.shape:
        raise ValueError("truth and predicted must have the same length")

    def pairs(counts: np.ndarray) -> int:
        counts = counts.astype(np.int64)
        return int((counts * (counts - 1) // 2).sum())

    _, t_counts = np.unique(t, return_counts=True)
    _, p_counts = np.unique(p, return_counts=True)
    joint = np.unique(np.stack([t, p], axis=1), axis=0, return_counts=True)[1]
    tp = pairs(joint)
    true_pairs = pairs(t_counts)
    pred_pairs = pairs(p_counts)
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--languages", default="en", help="comma-separated: en,ru,ar,zh")
    args = parser.parse_args(argv)
    corpus = generate(args.rows, seed=args.seed, languages=args.languages.split(","))
    corpus.write_csv(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
