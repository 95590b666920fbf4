"""The surveys app's limits and timings; each is a setting (``roundtable.core.conf.setting``).

Override in ``settings.ROUNDTABLE`` or with ``ROUNDTABLE_<NAME>`` in the environment.
"""

from __future__ import annotations

from roundtable.core.conf import setting
from roundtable.core.uploads import Limits as UploadLimits

from .xlsform import Limits


def max_form_bytes() -> int:
    return setting("SURVEY_MAX_FORM_BYTES", 5 * 1024 * 1024)


def form_limits() -> Limits:
    return Limits(
        max_bytes=max_form_bytes(),
        max_questions=setting("SURVEY_MAX_QUESTIONS", 500),
        max_choices=setting("SURVEY_MAX_CHOICES", 2000),
        max_expression_chars=setting("SURVEY_MAX_EXPRESSION_CHARS", 2000),
    )


def max_import_bytes() -> int:
    return setting("SURVEY_MAX_IMPORT_BYTES", 20 * 1024 * 1024)


def max_import_rows() -> int:
    return setting("SURVEY_MAX_IMPORT_ROWS", 100_000)


def max_answer_chars() -> int:
    return setting("SURVEY_MAX_ANSWER_CHARS", 5_000)


def max_invitations_per_request() -> int:
    return setting("SURVEY_MAX_INVITATIONS_PER_REQUEST", 500)


def min_cell_floor() -> int:
    """The smallest k a secretariat may choose for small-cell suppression."""
    return setting("SURVEY_MIN_CELL_FLOOR", 3)


def min_cell_ceiling() -> int:
    return setting("SURVEY_MIN_CELL_CEILING", 50)


def release_batch() -> int:
    """Pending answers join the results in batches of at least this many (and at least k)."""
    return setting("SURVEY_RELEASE_BATCH", 3)


def reminder_after_days() -> int:
    return setting("SURVEY_REMINDER_AFTER_DAYS", 7)


def reminder_before_close_days() -> int:
    return setting("SURVEY_REMINDER_BEFORE_CLOSE_DAYS", 2)


def max_reminders() -> int:
    return setting("SURVEY_MAX_REMINDERS", 2)


def results_cache_seconds() -> int:
    return setting("SURVEY_RESULTS_CACHE_SECONDS", 600)


def workbook_limits() -> UploadLimits:
    """Uploaded .xlsx files (forms and responses) are unzipped within these bounds."""
    return UploadLimits(
        max_bytes=max(max_form_bytes(), max_import_bytes()),
        max_unzipped_bytes=setting("SURVEY_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024),
        max_zip_ratio=setting("SURVEY_MAX_ZIP_RATIO", 200),
        max_zip_entries=setting("SURVEY_MAX_ZIP_ENTRIES", 2000),
    )
