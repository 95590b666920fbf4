"""Normalisation and tokenisation for the six UN languages.

``normalise`` is what every comparison in this package sees:

* Unicode NFKC (full-width forms, ligatures and compatibility characters folded),
  then case folding (``"Straße"`` and ``"STRASSE"`` compare equal);
* Arabic: diacritics (tashkeel), the tatweel and Quranic marks removed, and the
  hamza forms of alef folded to a bare alef;
* punctuation, symbols and control characters become spaces, except sentence
  ends (``. ! ? ; 。 ！ ？ ؟ ۔`` and line breaks) which become ``"."``, so that
  sentence boundaries survive for shingling and for finding added text;
* Han (and kana) runs, written without spaces, become overlapping character
  bigrams separated by spaces (``"互联网治理"`` -> ``"互联 联网 网治 治理"``);
  a lone character stays a unigram.

After ``normalise`` a *token* is a maximal run of ASCII letters and digits or
non-ASCII characters, which is exactly what ``tokenise`` returns and what the
vectorised hasher in ``roundtable.analysis.hashing`` hashes. Latin, Cyrillic
and Arabic script thus give words, Chinese gives character bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

# Arabic marks removed outright (they change no meaning a comparison should see).
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
_ARABIC_MARKS_RE = re.compile(f"[{_ARABIC_MARKS}]")
_ALEFS = "\u0622\u0623\u0625\u0671"  # آ أ إ ٱ -> ا
_ALEF_RE = re.compile(f"[{_ALEFS}]")
_ARABIC_RE = re.compile("[\u0600-\u06ff]")

# Sentence ends outside ASCII; ASCII ones are . ! ? ; and line breaks.
_SENTENCE_ENDS = (
    "\u3002\uff0e\uff61\uff01\uff1f\u061f\u06d4\u061b\u0964\u0965\u2026\u203c\u2047\u2048\u2049"
)

# Han ideographs (with extensions and compatibility forms) and kana: no spaces.
_HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"[{_HAN}]+")
_HAN_ONE_RE = re.compile(f"[{_HAN}]")

_ASCII_SEPARATORS_RE = re.compile(r"[^0-9a-z.\u0080-\U0010ffff]+")
_ASCII_ENDS_RE = re.compile(r"[.!?;\n\r]")


def _ascii_table() -> dict[int, str]:
    table = {}
    for i in range(128):
        ch = chr(i)
        if ch.isalnum():
            table[i] = ch.lower()
        elif ch in ".!?;\n\r":
            table[i] = "."
        else:
            table[i] = " "
    return table


# ASCII normalisation is a one-to-one character map: positions in the
# normalised text are positions in the original, which lets the engine quote
# the original words of an ASCII text from offsets found in its normal form.
_ASCII_TABLE = str.maketrans(_ascii_table())
_JOIN_TABLE = str.maketrans({**_ascii_table(), 0: "\n"})


@lru_cache(maxsize=1)
def _separator_ranges() -> tuple[tuple[int, int], ...]:
    """Non-ASCII code points that separate words (inclusive ranges).

    Built once from the Unicode database: every code point of the Basic
    Multilingual Plane in a punctuation (P*), symbol (S*), separator (Z*) or
    control/format (Cc, Cf) category, plus the emoji and symbol blocks above it;
    the non-ASCII sentence ends are not among them.
    """
    ranges: list[tuple[int, int]] = []
    start = None
    for cp in range(0x80, 0x10000):
        cat = unicodedata.category(chr(cp))
        hit = cat[0] in "PSZ" or cat in ("Cc", "Cf")
        if hit and chr(cp) not in _SENTENCE_ENDS:
            if start is None:
                start = cp
        elif start is not None:
            ranges.append((start, cp - 1))
            start = None
    if start is not None:
        ranges.append((start, 0xFFFF))
    ranges.append((0x1F000, 0x1FAFF))  # emoji, pictographs, playing cards, ...
    ranges.append((0xE0000, 0xE007F))  # tags
    return tuple(ranges)


_ASCII_ENDS = ".!?;\n\r"
_ASCII_OTHERS = "".join(
    chr(i) for i in range(128) if not chr(i).isalnum() and chr(i) not in _ASCII_ENDS
)


@lru_cache(maxsize=1)
def _non_ascii_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes for sentence ends and for runs of other non-word characters."""
    parts = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in _separator_ranges()
    )
    ends = "".join(re.escape(ch) for ch in _SENTENCE_ENDS)
    # ASCII too, so that one pass of each regex does the whole text.
    ascii_ends = re.escape(_ASCII_ENDS)
    ascii_others = "".join(re.escape(ch) for ch in _ASCII_OTHERS)
    return (
        re.compile(f"[{ends}{ascii_ends}]"),
        re.compile(f"[{parts}{ascii_others}]+"),
    )


def _han_bigrams(match: re.Match[str]) -> str:
    run = match.group(0)
    if len(run) == 1:
        return f" {run} "
    return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + " "


def normalise(text: str) -> str:
    """Normalise one text for comparison (see the module docstring).

    The result holds tokens separated by spaces and sentence ends as ``"."``;
    it contains no line break (the vectorised hasher puts one between texts).
    An ASCII text keeps its length, character for character.
    """
    if text.isascii():
        return text.translate(_ASCII_TABLE)
    return _normalise_unicode(text)


def _normalise_unicode(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    if _ARABIC_RE.search(text):
        text = _ARABIC_MARKS_RE.sub("", text)
        text = _ALEF_RE.sub("\u0627", text)
    ends, others = _non_ascii_classes()
    text = others.sub(" ", ends.sub(".", text))
    if _HAN_ONE_RE.search(text):
        text = _HAN_RE.sub(_han_bigrams, text)
    return text


def normalise_joined(texts: list[str]) -> str:
    """The normal forms of ``texts`` joined by line breaks.

    Equivalent to ``"\\n".join(normalise(t) for t in texts)``, but done for the
    whole chunk at once: when all the texts are ASCII, by one ``str.translate``
    over the joined string; otherwise NFKC and case folding run once on the
    joined string and the rest on its code points with numpy
    (``_normalise_code_points``).
    """
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        # A text holds the separator itself (or there is no text): one by one.
        return "\n".join(normalise(t) for t in texts)
    if joined.isascii():
        return joined.translate(_JOIN_TABLE)
    return _normalise_code_points(joined, texts)


# Classes of code points for the vectorised normaliser.
_KEEP, _SPACE, _END, _DROP, _ALEF, _HAN_CHAR, _SEPARATOR, _MULTI = range(8)
_REPLACEMENT = {_SPACE: ord(" "), _END: ord("."), _ALEF: 0x0627, _SEPARATOR: ord("\n")}


def _ranges_of(spec: str) -> list[tuple[int, int]]:
    """The ranges of a regex character class body made of ``a-b`` and single characters."""
    out = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.append((ord(spec[i]), ord(spec[i + 2])))
            i += 3
        else:
            out.append((ord(spec[i]), ord(spec[i])))
            i += 1
    return out


def _class_table() -> np.ndarray:
    """The class of every code point, from the same definitions as the regular
    expressions of ``_normalise_unicode`` and in their order."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for a, b in _separator_ranges():
        table[a : b + 1] = _SPACE
    for ch in _ASCII_OTHERS:
        table[ord(ch)] = _SPACE
    for ch in _SENTENCE_ENDS + _ASCII_ENDS:
        table[ord(ch)] = _END
    # Arabic marks and hamza alefs are letters or marks, never separators.
    for a, b in _ranges_of(_ARABIC_MARKS):
        table[a : b + 1] = _DROP
    for ch in _ALEFS:
        table[ord(ch)] = _ALEF
    # Han and kana that are still there once separators became spaces.
    for a, b in _ranges_of(_HAN):
        part = table[a : b + 1]
        part[part == _KEEP] = _HAN_CHAR
    table[0] = _SEPARATOR  # between texts (a text holding one goes one by one)
    return table


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    """For every code point: the code point its case folding becomes (the
    folding itself, or the replacement of the folding's class), with that
    class in the top byte.

    ``str.casefold`` works character by character; the few characters whose
    folding is several characters (``"ß"`` -> ``"ss"``) are of class
    ``_MULTI``. Built in a few tens of milliseconds: all code points folded
    at once, NUL-separated.
    """
    classes = _class_table()
    cps = np.arange(1, 0x110000, dtype=np.uint32)
    cps = cps[(cps < 0xD800) | (cps > 0xDFFF)]
    spread = np.zeros(2 * len(cps), dtype=np.uint32)
    spread[0::2] = cps
    text = spread.tobytes().decode("utf-32-le").casefold()
    folded = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    ends = np.flatnonzero(folded == 0)
    starts = np.concatenate([[0], ends[:-1] + 1])
    single = ends - starts == 1
    fold = np.arange(0x110000, dtype=np.uint32)
    fold[cps[single]] = folded[starts[single]]
    fold_class = classes[fold]
    fold_class[cps[~single]] = _MULTI
    for cls, replacement in _REPLACEMENT.items():
        fold[fold_class == cls] = replacement
    return fold | (fold_class.astype(np.uint32) << np.uint32(24))


_VALUE_MASK = np.uint32(0xFFFFFF)


def _normalise_code_points(joined: str, texts: list[str]) -> str:
    """``normalise`` of every text of ``joined`` (texts joined by NUL), at once.

    NFKC works with no context across a NUL (a starter that composes with
    nothing), so it runs on the joined string. Case folding is by character:
    one lookup table gives each code point's folding and, in the same step,
    its class (``_fold_table``). Then, with numpy over the code points,
    Arabic marks are dropped, sentence ends become ``"."``, other separators a
    space (a run of them one space, except in ASCII texts, which keep their
    length), and Han/kana runs character bigrams.
    """
    nfkc = unicodedata.normalize("NFKC", joined)
    try:
        cp = np.frombuffer(nfkc.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # lone surrogates: leave them to the regexes
        return "\n".join(normalise(t) for t in texts)
    table = _fold_table()
    coded = np.take(table, cp)
    cls = coded.view(np.uint8)[3::4]
    if (cls == _MULTI).any():
        # A folding of several characters ("ß" -> "ss"): fold the string.
        # Folding is idempotent, so the table maps the result to itself.
        coded = np.take(table, np.frombuffer(nfkc.casefold().encode("utf-32-le"), np.uint32))
        cls = coded.view(np.uint8)[3::4]
    del cp, nfkc
    dropped = cls == _DROP
    if dropped.any():
        coded = coded[~dropped]
        cls = coded.view(np.uint8)[3::4]
    del dropped
    space = cls == _SPACE
    # Runs of separators collapse to one space, as ``others.sub(" ", ...)`` does.
    repeat = np.flatnonzero(space[1:] & space[:-1]) + 1
    del space
    if len(repeat):
        ascii_text = np.fromiter(map(str.isascii, texts), dtype=bool, count=len(texts))
        if ascii_text.any():
            text_of = np.searchsorted(np.flatnonzero(cls == _SEPARATOR), repeat)
            repeat = repeat[~ascii_text[text_of]]
    han = np.flatnonzero(cls == _HAN_CHAR)
    value = np.bitwise_and(coded, _VALUE_MASK, out=coded)
    del cls
    if len(han) == 0:
        if len(repeat):
            value = np.delete(value, repeat)
        return value.tobytes().decode("utf-32-le")
    # Han runs: a lone character X becomes " X ", a run ABC " AB BC ". Each
    # Han character is repeated: twice at either end of a run (" A", "C "),
    # three times inside it ("B B") or alone (" X "); then spaces are put in.
    joined_before = np.zeros(len(han), dtype=bool)
    joined_before[1:] = han[1:] == han[:-1] + 1
    joined_after = np.zeros(len(han), dtype=bool)
    joined_after[:-1] = joined_before[1:]
    first = ~joined_before
    extra = 1 + (first != joined_after).astype(np.intp)  # 2 alone or inside a run, else 1
    width = np.ones(len(value), dtype=np.intp)
    width[repeat] = 0
    width[han] += extra
    out = np.repeat(value, width)
    # Where each Han character's copies start in the output.
    start = han - np.searchsorted(repeat, han) + (np.cumsum(extra) - extra)
    space_cp = np.uint32(ord(" "))
    out[start[first]] = space_cp
    out[start[joined_before] + 1] = space_cp
    out[start[first & ~joined_after] + 2] = space_cp
    return out.tobytes().decode("utf-32-le")


_TOKEN_RE = re.compile(r"[0-9a-z\u0080-\U0010ffff]+")
_SENTENCE_SPLIT_RE = re.compile(r"\.+")


def tokenise(text: str) -> list[str]:
    """The tokens of ``text``: words, or character bigrams for Han script."""
    return _TOKEN_RE.findall(normalise(text))


def sentences(text: str) -> list[list[str]]:
    """The tokens of ``text`` sentence by sentence (empty sentences dropped)."""
    out = []
    for part in _SENTENCE_SPLIT_RE.split(normalise(text)):
        tokens = _TOKEN_RE.findall(part)
        if tokens:
            out.append(tokens)
    return out


# Raw-text sentence splitter, used to quote what a copy adds in its own words.
# It splits after the same sentence ends ``normalise`` knows, keeping them.
_RAW_SENTENCE_RE = re.compile(f"[^.!?;\n\r{_SENTENCE_ENDS}]*(?:[.!?;{_SENTENCE_ENDS}]+|[\n\r]+|$)")


def raw_sentences(text: str) -> list[str]:
    """Split an original text into sentences, keeping their punctuation.

    Pieces without any token (lone punctuation, blank lines) are dropped.
    """
    out = []
    for m in _RAW_SENTENCE_RE.finditer(text):
        piece = m.group(0).strip()
        # A letter or digit of any script: the piece has a token.
        if piece and _WORD_CHAR_RE.search(piece):
            out.append(piece)
    return out


_WORD_CHAR_RE = re.compile(r"[^\W_]")

# Raw character kinds for ``raw_sentences_of``: a piece ends after a run of
# sentence punctuation or a run of line breaks (the two alternatives of
# ``_RAW_SENTENCE_RE``), and at the end of its text.
_OTHER, _PUNCT, _BREAK, _TEXT_END = range(4)


@lru_cache(maxsize=1)
def _raw_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code point: its kind, whether ``str.strip`` removes it, and whether
    it is a word character for ``_WORD_CHAR_RE`` (both found by the regex
    engine itself over all code points, so the definitions cannot drift)."""
    kind = np.zeros(0x110000, dtype=np.uint8)
    for ch in ".!?;" + _SENTENCE_ENDS:
        kind[ord(ch)] = _PUNCT
    for ch in "\n\r":
        kind[ord(ch)] = _BREAK
    kind[0] = _TEXT_END
    cps = np.arange(0x110000, dtype=np.uint32)
    cps = cps[(cps < 0xD800) | (cps > 0xDFFF)]
    every = cps.tobytes().decode("utf-32-le")

    def matches(pattern: re.Pattern[str]) -> np.ndarray:
        out = np.zeros(0x110000, dtype=bool)
        hits = pattern.sub("\x00", every).encode("utf-32-le")
        out[cps[np.frombuffer(hits, dtype=np.uint32) == 0]] = True
        out[0] = bool(pattern.match("\x00"))
        return out

    return kind, matches(re.compile(r"\s")), matches(_WORD_CHAR_RE)


def raw_sentences_of(texts: list[str], step: int = 4096) -> tuple[list[str], np.ndarray]:
    """``raw_sentences`` of every text at once: the pieces, and for each the
    index of its text. The same pieces as text by text, found with numpy over
    the code points of the joined texts, ``step`` texts at a time."""
    if len(texts) <= step:
        return _raw_chunk(texts)
    pieces: list[str] = []
    owners = []
    for at in range(0, len(texts), step):
        found, owner = _raw_chunk(texts[at : at + step])
        pieces.extend(found)
        owners.append(owner + at)
    return pieces, np.concatenate(owners)


def _raw_chunk(texts: list[str]) -> tuple[list[str], np.ndarray]:
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        return _raw_one_by_one(texts)
    try:
        cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # lone surrogates
        return _raw_one_by_one(texts)
    kinds, spaces, words = _raw_tables()
    cp = cp.astype(np.intp)  # once, not in every lookup
    kind = np.take(kinds, cp)
    n = len(kind)
    # A piece ends after the last character of a run of punctuation or of
    # line breaks, and before each NUL (the NUL itself belongs to no piece).
    cut = np.zeros(n + 1, dtype=bool)
    cut[1:n] = (kind[:-1] != kind[1:]) & ((kind[:-1] == _PUNCT) | (kind[:-1] == _BREAK))
    cut[n] = True
    text_end = np.flatnonzero(kind == _TEXT_END)
    cut[text_end] = True
    end = np.flatnonzero(cut)
    start = np.empty_like(end)
    start[0] = 0
    start[1:] = end[:-1] + (kind[end[:-1]] == _TEXT_END)  # after a NUL
    # Strip white space at both ends (a step at a time: pieces rarely start
    # or end with more than a space or two); keep pieces with a word character.
    space = np.take(spaces, cp)
    lo, hi = start, end
    move = np.flatnonzero(lo < hi)
    while len(move):
        move = move[space[lo[move]]]
        lo[move] += 1
        move = move[lo[move] < hi[move]]
    move = np.flatnonzero(lo < hi)
    while len(move):
        move = move[space[hi[move] - 1]]
        hi[move] -= 1
        move = move[lo[move] < hi[move]]
    other = np.flatnonzero(~np.take(words, cp))
    ok = np.searchsorted(other, hi) - np.searchsorted(other, lo) < hi - lo
    lo, hi = lo[ok], hi[ok]
    owner = np.searchsorted(text_end, lo)
    pieces = [joined[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]
    return pieces, owner.astype(np.int64)


def _raw_one_by_one(texts: list[str]) -> tuple[list[str], np.ndarray]:
    pieces: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        found = raw_sentences(text)
        pieces.extend(found)
        owner.extend([i] * len(found))
    return pieces, np.asarray(owner, dtype=np.int64)


__all__ = [
    "normalise",
    "normalise_joined",
    "raw_sentences",
    "raw_sentences_of",
    "sentences",
    "tokenise",
]
