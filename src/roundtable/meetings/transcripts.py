"""Reading a plain-text transcript of ``Speaker: text`` lines. No Django here.

The format, as a secretariat would type or export it::

    [10:02] Amina Diallo: We support the working definition.
    It should also name the private sector.          <- continues the statement
    Li Wei：我们同意。                                 <- a full-width colon works too
    Claire Dubois : Nous proposons un amendement.    <- French spacing works too

A speaker line is a name (no colon, at least one letter, at most 120
characters), an optional ``[hh:mm]`` time stamp before it, then a colon
followed by a space or the end of the line. Any other non-empty line
continues the statement above it; blank lines separate paragraphs. A colon
not followed by a space (``10:30``, ``https://``) does not start a statement.

``parse_transcript`` never raises: lines it cannot place are reported as
problems with their line numbers, and the caller decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_SPEAKER_CHARS = 120

_SPEAKER_LINE = re.compile(
    r"^\s*(?:\[[0-9:.\s]{1,12}\]\s*)?"  # an optional time stamp
    rf"(?P<speaker>[^:：\[\s][^:：]{{0,{MAX_SPEAKER_CHARS - 1}}}?)\s*"  # the name
    r"(?::(?=\s|$)|：)"  # a colon then a space or the end; a full-width colon alone
    r"\s*(?P<text>.*)$"
)


@dataclass(frozen=True)
class TranscriptEntry:
    line: int  # 1-based number of the line the statement starts on
    speaker: str
    text: str


@dataclass
class TranscriptProblem:
    line: int
    kind: str  # "no_speaker" (text before any speaker) or "empty" (a speaker saying nothing)
    content: str = ""


@dataclass
class ParsedTranscript:
    entries: list[TranscriptEntry] = field(default_factory=list)
    problems: list[TranscriptProblem] = field(default_factory=list)

    @property
    def speakers(self) -> list[str]:
        """Distinct speaker names in order of first appearance."""
        seen: dict[str, None] = {}
        for entry in self.entries:
            seen.setdefault(entry.speaker, None)
        return list(seen)


def normalise_name(name: str) -> str:
    """How names are compared: case-folded, whitespace collapsed."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def speaker_of(line: str) -> tuple[str, str] | None:
    """``(speaker, text)`` if the line starts a statement, else None."""
    match = _SPEAKER_LINE.match(line)
    if match is None:
        return None
    speaker = " ".join(match.group("speaker").split())
    if not speaker or not any(character.isalpha() for character in speaker):
        return None
    return speaker, match.group("text").strip()


def parse_transcript(text: str) -> ParsedTranscript:
    result = ParsedTranscript()
    current: dict | None = None  # {"line", "speaker", "paragraphs": [[str]]}

    def finish() -> None:
        if current is None:
            return
        body = "\n\n".join(" ".join(lines) for lines in current["paragraphs"] if lines).strip()
        if body:
            result.entries.append(TranscriptEntry(current["line"], current["speaker"], body))
        else:
            result.problems.append(TranscriptProblem(current["line"], "empty", current["speaker"]))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current is not None and current["paragraphs"][-1]:
                current["paragraphs"].append([])
            continue
        started = speaker_of(line)
        if started is not None:
            finish()
            speaker, first = started
            current = {"line": number, "speaker": speaker, "paragraphs": [[first] if first else []]}
        elif current is None:
            result.problems.append(TranscriptProblem(number, "no_speaker", line[:200]))
        else:
            current["paragraphs"][-1].append(line)
    finish()
    return result
