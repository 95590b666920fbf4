"""Draft text: what is refused and why, words, and the word-level diff (hypothesis for the parsers)."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from roundtable.drafting import text

# Text made of words, spaces, punctuation, Arabic and Chinese, so diffs are exercised in every script.
ALPHABET = st.sampled_from(
    [
        *list("abc xyz ,.;[]*_-\n"),
        "Internet",
        "governance",
        " ",
        "حوكمة",
        "الإنترنت",
        "互联网",
        "治理",
    ]
)
texts = st.lists(ALPHABET, max_size=40).map("".join)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("   ", "empty"),
        ("Hello <b>world</b>", "HTML is not accepted"),
        ("Click <script>alert(1)</script>", "HTML is not accepted"),
        ("<!-- hidden -->", "HTML is not accepted"),
        ("## A heading", "cannot contain a heading"),
        ("An [unclosed bracket", "never closed"),
        ("A closing] bracket", "has no opening bracket"),
        ("Bell \x07 character", "control character"),
    ],
)
def test_bad_text_is_refused_with_a_clear_reason(value, expected):
    with pytest.raises(ValidationError) as error:
        text.clean_text(value)
    assert expected in " ".join(error.value.messages)


def test_oversized_text_is_refused(settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DRAFTING_MAX_PARAGRAPH_CHARS": 20}
    with pytest.raises(ValidationError) as error:
        text.clean_text("x" * 21)
    assert "limit is 20" in error.value.messages[0]
    assert text.clean_text("x" * 20) == "x" * 20


def test_markdown_links_autolinks_and_escaped_brackets_are_fine():
    value = "See [the report](https://example.org) and <https://example.org>, and \\[sic."
    assert text.clean_text(value) == value
    assert text.clean_text("a < b and c > d") == "a < b and c > d"


def test_text_is_normalised():
    assert text.clean_text("  line one\r\nline two  ") == "line one\nline two"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_input_is_either_clean_text_or_a_validation_error(value):
    """The validator never crashes: it returns text or says why not."""
    try:
        cleaned = text.clean_text(value)
    except ValidationError as error:
        assert error.message_dict["text"]
    else:
        assert cleaned and len(cleaned) <= 10_000


@settings(max_examples=300, deadline=None)
@given(texts)
def test_tokens_cover_every_character(value):
    assert "".join(text.tokens(value)) == value


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_diff_segments_rebuild_both_texts(old, new):
    segments = text.diff_segments(old, new)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
    assert all(s.text for s in segments)
    # Adjacent segments never share an operation.
    assert all(a.op != b.op for a, b in itertools.pairwise(segments))


def test_diff_is_word_level_and_readable():
    old = "The group met four times in Geneva."
    new = "The group met five times in Geneva and online."
    assert text.diff_text(old, new) == (
        "The group met [-four-]{+five+} times in Geneva{+ and online+}."
    )
    html = text.diff_html(old, new, labels=False)
    assert "<del>four</del><ins>five</ins>" in html
    assert "Geneva" in html


def test_diff_html_escapes_text_and_labels_changes_for_screen_readers():
    html = text.diff_html("<b>bold</b> old words", "<b>bold</b> new words")
    assert "<b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'class="visually-hidden">deleted:' in html
    assert 'class="visually-hidden">inserted:' in html


def test_words_count_chinese_characters_one_by_one():
    assert text.words("互联网治理 is shared") == ["互", "联", "网", "治", "理", "is", "shared"]
    assert text.word_count("حوكمة الإنترنت مشتركة") == 3


def test_origins_keep_credit_for_kept_words():
    old = ["a", "b", "c"]
    origins = text.compress_origins([0, 0, 7])
    new = ["a", "x", "b", "c", "y"]
    assert text.expand_origins(text.inherit_origins(old, origins, new, 9)) == [0, 9, 0, 7, 9]


def test_markdown_blocks_keep_emphasis_lists_and_links():
    blocks = text.markdown_blocks(
        "**Model 1.** A *council*.\n\n- first\n- second\n\n1. one\n2. two\n\nSee [it](https://x.org)."
    )
    assert blocks[0].kind == "p"
    assert [(r.text, r.bold, r.italic) for r in blocks[0].runs][:3] == [
        ("Model 1.", True, False),
        (" A ", False, False),
        ("council", False, True),
    ]
    assert [(b.kind, b.text, b.number) for b in blocks[1:5]] == [
        ("li", "first", None),
        ("li", "second", None),
        ("li", "one", 1),
        ("li", "two", 2),
    ]
    assert any(r.href == "https://x.org" for r in blocks[5].runs)


def test_right_to_left_detection():
    assert text.is_rtl("  حوكمة الإنترنت")
    assert not text.is_rtl("Internet حوكمة")
