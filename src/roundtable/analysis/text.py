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

# Arabic marks removed outright (they change no meaning a comparison should see).
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
_ARABIC_MARKS_RE = re.compile(f"[{_ARABIC_MARKS}]")
_ALEF_RE = re.compile("[\u0622\u0623\u0625\u0671]")  # آ أ إ ٱ -> ا
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
def _non_ascii_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes for non-ASCII sentence ends and for other non-word characters.

    Built once from the Unicode database: every code point of the Basic
    Multilingual Plane in a punctuation (P*), symbol (S*), separator (Z*) or
    control/format (Cc, Cf) category, plus the emoji and symbol blocks above it.
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
    parts = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    ends = "".join(re.escape(ch) for ch in _SENTENCE_ENDS)
    # ASCII too, so that one pass of each regex does the whole text.
    ascii_ends = re.escape(".!?;\n\r")
    ascii_others = "".join(
        re.escape(chr(i)) for i in range(128) if not chr(i).isalnum() and chr(i) not in ".!?;\n\r"
    )
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
    """The normal forms of ``texts`` joined by line breaks, fast for ASCII.

    Equivalent to ``"\\n".join(normalise(t) for t in texts)``, but when all the
    texts are ASCII they are mapped in one pass over the joined string.
    """
    joined = "\x00".join(texts)
    if joined.isascii() and joined.count("\x00") == len(texts) - 1:
        return joined.translate(_JOIN_TABLE)
    return "\n".join(normalise(t) for t in texts)


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


__all__ = ["normalise", "normalise_joined", "raw_sentences", "sentences", "tokenise"]
