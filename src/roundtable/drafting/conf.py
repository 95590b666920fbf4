"""Drafting's limits. Every size and count limit is a setting (``roundtable.core.conf``)."""

from __future__ import annotations

from roundtable.core.conf import setting


def max_paragraph_chars() -> int:
    """Longest paragraph text (or one alternative's text), in characters."""
    return setting("DRAFTING_MAX_PARAGRAPH_CHARS", 10_000)


def max_title_chars() -> int:
    return setting("DRAFTING_MAX_TITLE_CHARS", 300)


def max_note_chars() -> int:
    """Rationales, reasons, comments, explanatory notes and minority statements."""
    return setting("DRAFTING_MAX_NOTE_CHARS", 5_000)


def max_statement_chars() -> int:
    return setting("DRAFTING_MAX_STATEMENT_CHARS", 20_000)


def max_alternatives() -> int:
    """Options one paragraph may carry (A, B, C...)."""
    return setting("DRAFTING_MAX_ALTERNATIVES", 8)


def max_paragraphs_per_document() -> int:
    return setting("DRAFTING_MAX_PARAGRAPHS_PER_DOCUMENT", 2_000)


def max_sections_per_document() -> int:
    return setting("DRAFTING_MAX_SECTIONS_PER_DOCUMENT", 200)


def max_open_amendments_per_member() -> int:
    """Open amendments one member may have on one document at a time."""
    return setting("DRAFTING_MAX_OPEN_AMENDMENTS_PER_MEMBER", 200)


def max_comments_per_paragraph() -> int:
    return setting("DRAFTING_MAX_COMMENTS_PER_PARAGRAPH", 500)


def min_silence_hours() -> int:
    """The shortest silence procedure: members need time to consult."""
    return setting("DRAFTING_MIN_SILENCE_HOURS", 24)


def max_silence_days() -> int:
    return setting("DRAFTING_MAX_SILENCE_DAYS", 60)


def export_inline_max_items() -> int:
    """Exports up to this many paragraphs plus printed amendments run in the request;
    larger ones run as a background task with progress shown."""
    return setting("DRAFTING_EXPORT_INLINE_MAX_ITEMS", 400)


def export_retention_days() -> int:
    """Exported files are deleted this many days after they were made."""
    return setting("DRAFTING_EXPORT_RETENTION_DAYS", 7)


def max_pending_exports_per_person() -> int:
    return setting("DRAFTING_MAX_PENDING_EXPORTS_PER_PERSON", 3)


def diff_max_words() -> int:
    """Above this many words per side, diffs fall back to whole-text replacement
    (difflib is quadratic in the worst case)."""
    return setting("DRAFTING_DIFF_MAX_WORDS", 20_000)
