"""Normalisation and tokenisation in the six UN languages."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roundtable.analysis import normalise, sentences, tokenise
from roundtable.analysis.hashing import hash_chunk, hash_words
from roundtable.analysis.text import normalise_joined, raw_sentences, raw_sentences_of


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        # English: case folded, punctuation dropped.
        ("The Internet, for ALL!", ["the", "internet", "for", "all"]),
        # French: accents kept, NFKC folds the ligature, apostrophe splits.
        ("L'égalité d’accès ﬁnale", ["l", "égalité", "d", "accès", "finale"]),
        # Spanish: inverted marks are punctuation.
        ("¿Neutralidad de la red? ¡Sí!", ["neutralidad", "de", "la", "red", "sí"]),
        # Russian: Cyrillic words, case folded.
        ("Свобода ИНТЕРНЕТА — важна.", ["свобода", "интернета", "важна"]),
        # Arabic: diacritics and tatweel removed, hamza alef folded to bare alef.
        ("الإنترنتُ مفتوحٌ للجميـــع، أيضاً", ["الانترنت", "مفتوح", "للجميع", "ايضا"]),
        # Chinese: no spaces, so overlapping character bigrams.
        ("互联网治理。", ["互联", "联网", "网治", "治理"]),
        # A lone Han character stays a unigram; Latin next to Han is its own token.
        ("网 ICANN的政策", ["网", "icann", "的政", "政策"]),
        # Full-width Latin folds to ASCII (NFKC), Straße case-folds to strasse.
        ("ＩＧＦ Straße", ["igf", "strasse"]),
    ],
)
def test_tokenise_six_scripts(text, tokens):
    assert tokenise(text) == tokens


def test_normalise_keeps_sentence_ends_as_dots():
    assert normalise("One. Two! Three? Four;\nFive").split(".") == [
        "one",
        " two",
        " three",
        " four",
        "",
        "five",
    ]
    # Non-ASCII sentence ends become dots too.
    assert sentences("第一句。第二句！") == [["第一", "一句"], ["第二", "二句"]]
    assert sentences("هل توافق؟ نعم") == [["هل", "توافق"], ["نعم"]]


def test_ascii_normalisation_keeps_positions():
    text = "Dear Chair,\nWe OPPOSE this (strongly)!"
    assert len(normalise(text)) == len(text)


def test_diacritics_and_case_do_not_matter():
    assert tokenise("مَرْحَبًا") == tokenise("مرحبا")
    assert tokenise("ПРИВЕТ") == tokenise("привет")
    assert tokenise("ÉTAT") == tokenise("état")


def test_normalise_joined_matches_one_by_one():
    texts = ["A b.", "C\nd", "é!", "", "互联网"]
    assert normalise_joined(texts) == "\n".join(normalise(t) for t in texts)
    assert normalise_joined(["x\x00y", "z"]) == "\n".join(normalise(t) for t in ["x\x00y", "z"])


# Characters where the vectorised normaliser could go wrong: every class of
# the lookup table, foldings of several characters, NFKC compositions and
# compatibility forms, Han and kana (with the punctuation inside their
# blocks), Arabic marks between Han characters, runs of separators.
_TRICKY = [
    *"aZ09 _-.,;!?\n\r\t'\"",
    *"éÉßẞİıΣσςﬁﬀŉǰΐ",  # case folding, some to several characters
    *"ЖжЁё",  # Cyrillic
    *"بتالإأآٱـ\u064e\u064b\u0670\u06dd\u06e9\u06d6؟،؛۔",  # Arabic, marks, tatweel, ends
    *"互联网治理中国人",  # Han
    *"ひらカナ\u30fb\u30a0\u309b\u3099\u30fc",  # kana, its dot, marks, length mark
    *"。．！？，、「」（）…‼",  # CJK and general punctuation
    *"ＩＧＦ１２ｶﾞ",  # full-width and half-width forms (NFKC)
    *"\u0301\u0308e\u0065\u0301",  # combining marks (NFKC composes)
    *"한글\u1100\u1161",  # Hangul and conjoining jamo (NFKC composes)
    *"😀🇫🇷\u200d\u200b\u00a0\u3000\u2028",  # emoji, joiners, spaces
    "\U00020000",  # Han beyond the BMP
    "\x00",  # the separator of the joined chunk, inside a text
]
mixed_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(_TRICKY),
        st.characters(codec="utf-8"),  # any code point but surrogates
    ),
    max_size=60,
)
ascii_text = st.text(alphabet=st.characters(max_codepoint=127), max_size=40)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(mixed_text, ascii_text), max_size=8))
def test_chunk_normalisation_matches_one_by_one(texts):
    """The vectorised normaliser (NFKC and case folding of the joined chunk,
    a class table over code points, Han bigrams with numpy) gives exactly
    the normal forms of the regex-based ``normalise``, text by text."""
    assert normalise_joined(texts) == "\n".join(normalise(t) for t in texts)


@pytest.mark.parametrize(
    "texts",
    [
        ["互", "互联", "互联网", "a互b联c", "互 联", "互。联网"],
        ["Straße ÉTAT", "plain ascii,,  text", "ж  ,, ж"],
        ["ب\u064eت ـ ب", "互\u064e联", "إأآٱ"],
        ["a  b", "ж  x", "c   d"],  # ASCII texts keep runs of spaces; others collapse them
        ["", "", "互"],
        ["ｶﾞ\u30fb互", "\u0065\u0301 Ǆ"],
    ],
)
def test_chunk_normalisation_examples(texts):
    assert normalise_joined(texts) == "\n".join(normalise(t) for t in texts)


def test_fold_table_matches_str_casefold():
    from roundtable.analysis.text import _MULTI, _VALUE_MASK, _class_table, _fold_table

    table = _fold_table()
    classes = _class_table()
    for cp in [*range(0x80, 0x3000), *range(0xFB00, 0xFF70), 0x1E9E, 0x10400, 0x1D400]:
        folded = chr(cp).casefold()
        cls = int(table[cp] >> 24)
        if len(folded) != 1:
            assert cls == _MULTI
        else:
            assert cls == classes[ord(folded)]
            if cls == 0:  # kept: the folding itself
                assert int(table[cp] & _VALUE_MASK) == ord(folded)


def test_raw_sentences_keep_original_words():
    assert raw_sentences("Dear all,\nI am a nurse. We need this!  Thanks.") == [
        "Dear all,",
        "I am a nurse.",
        "We need this!",
        "Thanks.",
    ]
    assert raw_sentences("...  !") == []


texts_strategy = st.lists(
    st.text(
        alphabet=st.sampled_from(
            [*"abcXYZ019 .,!?\n'é", "ж", "Ж", "ب", "\u064e", "互", "联", "网", "。", "ﬁ"]
        ),
        max_size=40,
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(texts_strategy)
def test_vectorised_tokens_match_tokenise(texts):
    """The numpy hasher sees exactly the tokens ``tokenise`` returns."""
    tokens = hash_chunk(texts)
    offsets = tokens.doc_offsets()
    for j, text in enumerate(texts):
        got = [tokens.token_text(i) for i in range(offsets[j], offsets[j + 1])]
        assert got == tokenise(text)


def test_equal_words_equal_hashes_and_distinct_words_differ():
    words = ["network", "networks", "a" * 30, "a" * 31, "互联", "сеть", "شبكة", "x"]
    hashes = hash_words(words)
    assert len(set(hashes.tolist())) == len(words)
    again = hash_chunk(["Networks NETWORK " + " ".join(words)]).hashes
    assert again[0] == hashes[1] and again[1] == hashes[0]
    assert np.array_equal(again[2:], hashes)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(mixed_text, ascii_text), max_size=8))
def test_raw_sentences_of_many_match_one_by_one(texts):
    """The vectorised splitter finds the pieces ``raw_sentences`` finds."""
    pieces, owner = raw_sentences_of(texts)
    want = [(i, piece) for i, text in enumerate(texts) for piece in raw_sentences(text)]
    assert list(zip(owner.tolist(), pieces, strict=True)) == want


def test_raw_sentences_of_examples():
    texts = [
        "Dear all,\nI am a nurse. We need this!  Thanks.",
        "...  !",
        "",
        "我是一名乡村教师，每天都用网络上课。互联网！",
        "a.\n.b\r\n\u3000c?!",
        "هل توافق؟ نعم",
    ]
    pieces, owner = raw_sentences_of(texts)
    want = [(i, piece) for i, text in enumerate(texts) for piece in raw_sentences(text)]
    assert list(zip(owner.tolist(), pieces, strict=True)) == want
