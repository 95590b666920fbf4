"""The transcript parser: examples, then properties checked by hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from roundtable.meetings.transcripts import (
    TranscriptEntry,
    normalise_name,
    parse_transcript,
    speaker_of,
)


def test_the_forms_a_secretariat_types():
    parsed = parse_transcript(
        "[10:02] Amina Diallo: We support the working definition.\n"
        "It should also name the private sector.\n"
        "\n"
        "A second paragraph.\n"
        "Li Wei：我们同意。\n"
        "Claire Dubois : Nous proposons un amendement.\n"
        "Kwame Mensah:\n"
        "Thank you, chair. See https://example.org/x at 10:30.\n"
    )
    assert parsed.problems == []
    assert parsed.entries == [
        TranscriptEntry(
            1,
            "Amina Diallo",
            "We support the working definition. It should also name the private sector."
            "\n\nA second paragraph.",
        ),
        TranscriptEntry(5, "Li Wei", "我们同意。"),
        TranscriptEntry(6, "Claire Dubois", "Nous proposons un amendement."),
        TranscriptEntry(7, "Kwame Mensah", "Thank you, chair. See https://example.org/x at 10:30."),
    ]
    assert parsed.speakers == ["Amina Diallo", "Li Wei", "Claire Dubois", "Kwame Mensah"]


def test_problems_are_reported_with_line_numbers():
    parsed = parse_transcript("Transcript of the plenary\n\nHoda El-Sayed:\nYusuf Al-Amin: نعم\n")
    assert [(p.line, p.kind) for p in parsed.problems] == [(1, "no_speaker"), (3, "empty")]
    assert parsed.entries == [TranscriptEntry(4, "Yusuf Al-Amin", "نعم")]


def test_lines_that_only_look_like_speakers():
    assert speaker_of("10:30 the meeting resumed") is None
    assert speaker_of("https://example.org: a link") is None
    assert speaker_of("12: numbers are not names") is None
    assert speaker_of(": nobody") is None
    assert speaker_of("Note: this is a speaker named Note") == (
        "Note",
        "this is a speaker named Note",
    )


def test_names_compare_without_case_or_spacing():
    assert normalise_name("  AMINA   diallo ") == normalise_name("Amina Diallo")
    assert normalise_name("Ｌｉ Ｗｅｉ") == normalise_name("Li Wei")  # full-width letters


# --- Properties ------------------------------------------------------------------------------

# Characters str.splitlines() breaks on, which a single line of text cannot hold.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

names = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters=":：[" + LINE_BREAKS
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and any(c.isalpha() for c in s))
)

texts = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=LINE_BREAKS),
        min_size=1,
        max_size=200,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(names, texts), min_size=1, max_size=20))
def test_what_is_written_as_speaker_lines_is_read_back(statements):
    text = "\n".join(f"{speaker}: {said}" for speaker, said in statements)
    parsed = parse_transcript(text)
    assert parsed.problems == []
    assert [(e.speaker, e.text) for e in parsed.entries] == statements
    assert [e.line for e in parsed.entries] == list(range(1, len(statements) + 1))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_is_parsed_without_error_and_every_line_accounted_for(text):
    parsed = parse_transcript(text)
    line_count = len(text.splitlines())
    for entry in parsed.entries:
        assert 1 <= entry.line <= line_count
        assert entry.speaker and ":" not in entry.speaker and "：" not in entry.speaker
        assert entry.text.strip() == entry.text and entry.text
    for problem in parsed.problems:
        assert 1 <= problem.line <= line_count
    # Every non-blank line either starts a statement, continues one, or is reported.
    starts = {entry.line for entry in parsed.entries} | {p.line for p in parsed.problems}
    first = min(starts) if starts else None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and (first is None or number < first):
            assert number in {p.line for p in parsed.problems}


@settings(max_examples=100, deadline=None)
@given(names, st.lists(texts, min_size=2, max_size=5))
def test_continuation_lines_join_the_statement_above(speaker, lines):
    continuation = [line for line in lines[1:] if speaker_of(line) is None]
    text = f"{speaker}: {lines[0]}\n" + "\n".join(continuation)
    [entry] = parse_transcript(text).entries
    assert entry.text == " ".join([lines[0], *continuation])
