"""The consultations app's limits. Each is a setting (see roundtable.core.conf).

Override with ``settings.ROUNDTABLE["<NAME>"]`` or the environment variable
``ROUNDTABLE_<NAME>``; docs/consultations.md lists them for operators.
"""

from __future__ import annotations

from roundtable.core.conf import setting

DEFAULTS: dict[str, int] = {
    # Text
    "CONSULTATION_MAX_TEXT_CHARS": 50_000,
    "CONSULTATION_MAX_ANSWER_CHARS": 20_000,
    "CONSULTATION_MAX_QUESTIONS": 30,
    "CONSULTATION_MAX_RESPONSE_CHARS": 20_000,
    # Attachments
    "CONSULTATION_MAX_ATTACHMENT_BYTES": 10 * 1024 * 1024,
    "CONSULTATION_MAX_ATTACHMENTS": 5,
    # DOCX/ODT are zip files: what they may expand to, so a zip bomb is refused.
    "CONSULTATION_MAX_UNZIPPED_BYTES": 60 * 1024 * 1024,
    "CONSULTATION_MAX_ZIP_RATIO": 100,
    "CONSULTATION_MAX_ZIP_ENTRIES": 2_000,
    # Rate limits on submitting (rolling windows)
    "CONSULTATION_MAX_SUBMISSIONS_PER_ADDRESS_PER_DAY": 10,
    "CONSULTATION_MAX_SUBMISSIONS_PER_IP_PER_HOUR": 30,
    "CONSULTATION_MAX_VERIFICATIONS_PER_ADDRESS_PER_HOUR": 5,
    "CONSULTATION_MAX_VERIFICATIONS_PER_IP_PER_HOUR": 30,
    # Magic links for people without an account
    "CONSULTATION_VERIFICATION_VALID_HOURS": 24,
    # Analysis: at most one run per call in this many seconds; refuse beyond this many rows.
    "CONSULTATION_ANALYSIS_INTERVAL_SECONDS": 180,
    "CONSULTATION_ANALYSIS_MAX_SUBMISSIONS": 500_000,
    # Working papers
    "CONSULTATION_MAX_PAPER_BYTES": 25 * 1024 * 1024,
    "CONSULTATION_MAX_PAPER_VERSIONS": 12,
    # Pages
    "CONSULTATION_PAGE_SIZE": 50,
    "CONSULTATION_FEED_ITEMS": 50,
}


def limit(name: str) -> int:
    """The configured value of one of the limits above."""
    return int(setting(name, DEFAULTS[name]))
