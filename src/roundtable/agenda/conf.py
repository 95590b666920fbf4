"""The agenda app's limits and scales (see docs/agenda.md, "Operating").

Each is a ``roundtable.core.conf.setting``: ``settings.ROUNDTABLE[name]`` or the
environment variable ``ROUNDTABLE_<name>`` overrides the default.
"""

from __future__ import annotations

from roundtable.core.conf import setting


def rating_scale_max() -> int:
    """Ratings run from 0 to this number (0-4 by default)."""
    return int(setting("AGENDA_RATING_SCALE_MAX", 4))


def max_ranked() -> int:
    """How many issues a member may rank; the first place scores this many points."""
    return int(setting("AGENDA_MAX_RANKED", 10))


def max_title_chars() -> int:
    return int(setting("AGENDA_MAX_TITLE_CHARS", 300))


def max_description_chars() -> int:
    return int(setting("AGENDA_MAX_DESCRIPTION_CHARS", 5000))


def max_references_chars() -> int:
    return int(setting("AGENDA_MAX_REFERENCES_CHARS", 3000))


def max_issues_per_person() -> int:
    """Proposals one person may make in one process (against flooding)."""
    return int(setting("AGENDA_MAX_ISSUES_PER_PERSON", 50))


def max_issues_for_suggestion() -> int:
    """The most issues a suggested clustering is computed on, in one request."""
    return int(setting("AGENDA_MAX_ISSUES_FOR_SUGGESTION", 2000))


def max_suggested_clusters() -> int:
    return int(setting("AGENDA_MAX_SUGGESTED_CLUSTERS", 12))


def min_group_coverage() -> float:
    """Share of the rating stakeholder groups that must have rated an issue for it
    to be ranked with the rest; issues rated by fewer are listed after them."""
    return float(setting("AGENDA_MIN_GROUP_COVERAGE", 0.5))


def min_raters_shown() -> int:
    """Per-group and per-region figures based on fewer raters are not shown,
    so that one person's ratings cannot be read off a small group."""
    return int(setting("AGENDA_MIN_RATERS_SHOWN", 3))


def dominance_threshold() -> float:
    """A cluster whose share of attention exceeds this multiple of its share of
    priority is flagged as dominant (and one below its inverse as crowded out)."""
    return float(setting("AGENDA_DOMINANCE_THRESHOLD", 1.5))


def disagreement_rows() -> int:
    """How many issues the "where groups disagree most" table lists."""
    return int(setting("AGENDA_DISAGREEMENT_ROWS", 10))
