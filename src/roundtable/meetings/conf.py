"""The meetings app's limits and thresholds, each overridable (see roundtable.core.conf)."""

from __future__ import annotations

from roundtable.core.conf import setting


def dominance_threshold() -> float:
    """Alert when a group's share of speaking time exceeds this multiple of its room share."""
    return float(setting("MEETINGS_SPEAKING_DOMINANCE_THRESHOLD", 1.5))


def floor_poll_seconds() -> int:
    """How often the live floor page asks for news (htmx polling)."""
    return max(int(setting("MEETINGS_FLOOR_POLL_SECONDS", 2)), 1)


def default_speaking_seconds() -> int:
    return int(setting("MEETINGS_DEFAULT_SPEAKING_SECONDS", 180))


def max_speaking_seconds() -> int:
    return int(setting("MEETINGS_MAX_SPEAKING_SECONDS", 3600))


def max_session_hours() -> int:
    return int(setting("MEETINGS_MAX_SESSION_HOURS", 24))


def max_agenda_items() -> int:
    return int(setting("MEETINGS_MAX_AGENDA_ITEMS", 50))


def max_action_items() -> int:
    """Per agenda item."""
    return int(setting("MEETINGS_MAX_ACTION_ITEMS", 50))


def max_statement_chars() -> int:
    return int(setting("MEETINGS_MAX_STATEMENT_CHARS", 20_000))


def max_statements() -> int:
    """Per session."""
    return int(setting("MEETINGS_MAX_STATEMENTS", 5_000))


def max_transcript_bytes() -> int:
    return int(setting("MEETINGS_MAX_TRANSCRIPT_BYTES", 2_000_000))


def max_transcript_lines() -> int:
    return int(setting("MEETINGS_MAX_TRANSCRIPT_LINES", 20_000))


def max_pending_applications() -> int:
    """Pending observer applications one person may have at a time, across processes."""
    return int(setting("MEETINGS_MAX_PENDING_APPLICATIONS", 10))


def calendar_past_days() -> int:
    """How far back calendar feeds reach."""
    return int(setting("MEETINGS_CALENDAR_PAST_DAYS", 400))


def stale_session_hours() -> int:
    """A session left open this many hours after its scheduled end is closed by the periodic job."""
    return int(setting("MEETINGS_STALE_SESSION_HOURS", 6))


def document_models() -> list[str]:
    """``app_label.model`` names an agenda item may point at as its document."""
    raw = setting("MEETINGS_DOCUMENT_MODELS", "drafting.document")
    return [item.strip().lower() for item in str(raw).split(",") if item.strip()]
